package io.morpho.imaging;

/**
 * Petrosian radius: the radius r where the surface brightness in an annulus [0.8 r, 1.25 r] falls to
 * {@code eta} times the mean surface brightness inside r (SDSS convention, eta = 0.2).
 */
public final class Petrosian {
    public static final double ETA = 0.2;
    private static final double BIN = 0.25; // pixels

    private Petrosian() {
    }

    /** Radius in pixels around (cx, cy), or NaN when the profile never drops to eta inside the image. */
    public static double radiusPixels(float[] image, int width, int height, double cx, double cy, double eta) {
        double maxRadius = Math.min(Math.min(cx, width - 1 - cx), Math.min(cy, height - 1 - cy));
        int bins = (int) Math.ceil(maxRadius / BIN) + 1;
        if (bins < 8) {
            return Double.NaN;
        }
        double[] flux = new double[bins];
        double[] count = new double[bins];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int b = (int) (Math.hypot(x - cx, y - cy) / BIN);
                float v = image[y * width + x];
                if (b < bins && Float.isFinite(v)) {
                    flux[b] += v;
                    count[b]++;
                }
            }
        }
        double[] cumFlux = new double[bins + 1];
        double[] cumCount = new double[bins + 1];
        for (int b = 0; b < bins; b++) {
            cumFlux[b + 1] = cumFlux[b] + flux[b];
            cumCount[b + 1] = cumCount[b] + count[b];
        }
        for (int b = 4; b < bins; b++) {
            double r = (b + 1) * BIN;
            int inner = (int) Math.floor(0.8 * r / BIN);
            int outer = (int) Math.ceil(1.25 * r / BIN);
            if (outer > bins) {
                break;
            }
            double annulusCount = cumCount[outer] - cumCount[inner];
            double insideCount = cumCount[b + 1];
            if (annulusCount == 0 || insideCount == 0) {
                continue;
            }
            double annulusSb = (cumFlux[outer] - cumFlux[inner]) / annulusCount;
            double meanSb = cumFlux[b + 1] / insideCount;
            if (meanSb > 0 && annulusSb / meanSb < eta) {
                return r;
            }
        }
        return Double.NaN;
    }
}
