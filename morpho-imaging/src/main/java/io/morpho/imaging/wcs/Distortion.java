package io.morpho.imaging.wcs;

import io.morpho.imaging.ImagingException;

/**
 * A smooth two-dimensional distortion (SIP in pixel space, TPV in the projection plane). The inverse is found by
 * Newton iteration on the forward polynomial, so pixel → sky → pixel round trips are exact to the iteration
 * tolerance even where a file's own inverse polynomial (SIP AP/BP) is only approximate or absent.
 */
interface Distortion {
    double[] forward(double a, double b);

    /** Solves forward(a, b) = (targetA, targetB), starting from {@code start}. */
    default double[] inverse(double targetA, double targetB, double[] start) {
        double a = start[0];
        double b = start[1];
        for (int iteration = 0; iteration < 50; iteration++) {
            double[] f = forward(a, b);
            double ra = f[0] - targetA;
            double rb = f[1] - targetB;
            double scale = Math.max(1e-12, Math.max(Math.abs(targetA), Math.abs(targetB)));
            if (Math.abs(ra) < 1e-13 * Math.max(1, scale) && Math.abs(rb) < 1e-13 * Math.max(1, scale)) {
                return new double[] {a, b};
            }
            double h = 1e-6 * Math.max(1, Math.hypot(a, b));
            double[] fa = forward(a + h, b);
            double[] fb = forward(a, b + h);
            double j11 = (fa[0] - f[0]) / h;
            double j21 = (fa[1] - f[1]) / h;
            double j12 = (fb[0] - f[0]) / h;
            double j22 = (fb[1] - f[1]) / h;
            double det = j11 * j22 - j12 * j21;
            if (det == 0 || !Double.isFinite(det)) {
                break;
            }
            a -= (j22 * ra - j12 * rb) / det;
            b -= (-j21 * ra + j11 * rb) / det;
        }
        double[] f = forward(a, b);
        if (Math.hypot(f[0] - targetA, f[1] - targetB) > 1e-9 * Math.max(1, Math.hypot(targetA, targetB))) {
            throw new ImagingException("wcs.no-inverse", "the distortion could not be inverted at " + targetA + ", " + targetB);
        }
        return new double[] {a, b};
    }
}
