package io.morpho.imaging.wcs;

import nom.tam.fits.Header;

/**
 * Simple Imaging Polynomial (Shupe et al. 2005): pixel offsets (u, v) from CRPIX become
 * (u + f(u, v), v + g(u, v)) with f = sum A_p_q u^p v^q and g = sum B_p_q u^p v^q, p + q &le; order, before the
 * CD matrix is applied. The inverse (AP/BP) is not needed: {@link Distortion#inverse} solves it exactly.
 */
final class SipDistortion implements Distortion {
    private final double[][] a;
    private final double[][] b;

    private SipDistortion(double[][] a, double[][] b) {
        this.a = a;
        this.b = b;
    }

    static SipDistortion fromHeader(Header h) {
        return new SipDistortion(coefficients(h, "A"), coefficients(h, "B"));
    }

    private static double[][] coefficients(Header h, String prefix) {
        int order = h.getIntValue(prefix + "_ORDER", 0);
        double[][] c = new double[order + 1][order + 1];
        for (int p = 0; p <= order; p++) {
            for (int q = 0; p + q <= order; q++) {
                c[p][q] = h.getDoubleValue(prefix + "_" + p + "_" + q, 0);
            }
        }
        return c;
    }

    @Override
    public double[] forward(double u, double v) {
        return new double[] {u + polynomial(a, u, v), v + polynomial(b, u, v)};
    }

    private static double polynomial(double[][] c, double u, double v) {
        double sum = 0;
        double up = 1;
        for (int p = 0; p < c.length; p++) {
            double vq = 1;
            for (int q = 0; p + q < c.length; q++) {
                sum += c[p][q] * up * vq;
                vq *= v;
            }
            up *= u;
        }
        return sum;
    }
}
