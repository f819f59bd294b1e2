package io.morpho.imaging.wcs;

import nom.tam.fits.Header;

/**
 * TPV (the TAN projection with the PV polynomial of SCAMP, used by DECam): intermediate coordinates (x, y) in
 * degrees become (xi, eta) = (sum PV1_k T_k(x, y, r), sum PV2_k T_k(y, x, r)) with r = sqrt(x^2 + y^2) and the
 * 40 terms T_0..T_39 of the TPV convention (1, x, y, r, x^2, xy, y^2, x^3, ..., r^7); eta uses the same terms with
 * x and y swapped. Without PV keywords it is the identity (PV1_1 = PV2_1 = 1).
 */
final class TpvDistortion implements Distortion {
    private static final int TERMS = 40;
    private final double[] pv1;
    private final double[] pv2;

    private TpvDistortion(double[] pv1, double[] pv2) {
        this.pv1 = pv1;
        this.pv2 = pv2;
    }

    static TpvDistortion fromHeader(Header h) {
        return new TpvDistortion(coefficients(h, "PV1_"), coefficients(h, "PV2_"));
    }

    private static double[] coefficients(Header h, String prefix) {
        double[] c = new double[TERMS];
        boolean any = false;
        for (int k = 0; k < TERMS; k++) {
            if (h.containsKey(prefix + k)) {
                c[k] = h.getDoubleValue(prefix + k);
                any = true;
            }
        }
        if (!any) {
            c[1] = 1;
        }
        return c;
    }

    @Override
    public double[] forward(double x, double y) {
        return new double[] {evaluate(pv1, x, y), evaluate(pv2, y, x)};
    }

    /**
     * The TPV terms in order: 1, x, y, r, then for each degree 2..7 its monomials x^n, x^(n-1) y, ..., y^n, each odd
     * degree followed by r^n (40 terms up to r^7).
     */
    private static double evaluate(double[] c, double x, double y) {
        double r = Math.hypot(x, y);
        double sum = c[0] + c[1] * x + c[2] * y + c[3] * r;
        int k = 4;
        for (int degree = 2; degree <= 7; degree++) {
            for (int j = 0; j <= degree; j++) {
                sum += c[k++] * Math.pow(x, degree - j) * Math.pow(y, j);
            }
            if (degree % 2 == 1) {
                sum += c[k++] * Math.pow(r, degree);
            }
        }
        return sum;
    }
}
