package io.morpho.imaging;

/**
 * Noiseless light profiles drawn onto a float canvas (row-major), 2x2 sub-pixel sampled: the simulator draws its
 * galaxies with them, and {@link io.morpho.imaging.detect.SersicFit} its models.
 */
public final class GalaxyRenderer {
    private GalaxyRenderer() {
    }

    /** Sersic b_n (Ciotti &amp; Bertin 1999 expansion): half the light falls inside r_e. */
    static double sersicB(double n) {
        return 2 * n - 1.0 / 3 + 4 / (405 * n) + 46 / (25515 * n * n);
    }

    /**
     * Adds a Sersic profile of total {@code flux} (inside the canvas) centred at (cx, cy), effective radius
     * re (pixels), index n, axis ratio q, position angle pa (radians). A spiral with {@code arms} > 0
     * modulates the light by 1 + amplitude cos(arms (theta - ln(r/re) / tan(pitch))).
     */
    public static void addSersic(float[] canvas, int w, int h, double cx, double cy, double flux, double re, double n,
                                 double q, double pa, int arms, double amplitude, double pitch) {
        draw(canvas, w, h, cx, cy, flux, re, n, q, pa, arms, amplitude, pitch, true);
    }

    /**
     * {@link #addSersic}'s plain elliptical profile (no spiral) for model fitting, which draws it hundreds of times
     * per object: a square root where {@link #addSersic} calls {@code Math.hypot}, about twice as fast and equal to
     * rounding. {@link #addSersic} keeps {@code hypot}, so simulated images, and the models trained on them, stay
     * reproducible bit for bit.
     */
    public static void addSmoothSersic(float[] canvas, int w, int h, double cx, double cy, double flux, double re,
                                       double n, double q, double pa) {
        draw(canvas, w, h, cx, cy, flux, re, n, q, pa, 0, 0, 1, false);
    }

    private static void draw(float[] canvas, int w, int h, double cx, double cy, double flux, double re, double n,
                             double q, double pa, int arms, double amplitude, double pitch, boolean hypot) {
        double b = sersicB(n);
        double cos = Math.cos(pa);
        double sin = Math.sin(pa);
        double tanPitch = Math.tan(pitch);
        float[] profile = new float[w * h];
        double total = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                for (int sy = 0; sy < 2; sy++) {
                    for (int sx = 0; sx < 2; sx++) {
                        double dx = x - 0.25 + 0.5 * sx - cx;
                        double dy = y - 0.25 + 0.5 * sy - cy;
                        double major = dx * cos + dy * sin;
                        double minor = (-dx * sin + dy * cos) / q;
                        double r = Math.max(hypot ? Math.hypot(major, minor) : Math.sqrt(major * major + minor * minor),
                                1e-3);
                        double v = Math.exp(-b * (Math.pow(r / re, 1 / n) - 1));
                        if (arms > 0 && r > 0.3 * re) {
                            double theta = Math.atan2(minor, major);
                            v *= 1 + amplitude * Math.cos(arms * (theta - Math.log(r / re) / tanPitch));
                        }
                        sum += v;
                    }
                }
                profile[y * w + x] = (float) sum;
                total += sum;
            }
        }
        addScaled(canvas, profile, flux / total);
    }

    /** Adds a circular Gaussian of total {@code flux} (inside the canvas). */
    public static void addGaussian(float[] canvas, int w, int h, double cx, double cy, double flux, double sigma) {
        float[] profile = new float[w * h];
        double total = 0;
        double s2 = 2 * sigma * sigma;
        int radius = (int) Math.ceil(5 * sigma) + 1;
        for (int y = Math.max(0, (int) cy - radius); y <= Math.min(h - 1, (int) cy + radius); y++) {
            for (int x = Math.max(0, (int) cx - radius); x <= Math.min(w - 1, (int) cx + radius); x++) {
                double sum = 0;
                for (int sy = 0; sy < 2; sy++) {
                    for (int sx = 0; sx < 2; sx++) {
                        double dx = x - 0.25 + 0.5 * sx - cx;
                        double dy = y - 0.25 + 0.5 * sy - cy;
                        sum += Math.exp(-(dx * dx + dy * dy) / s2);
                    }
                }
                profile[y * w + x] = (float) sum;
                total += sum;
            }
        }
        if (total > 0) {
            addScaled(canvas, profile, flux / total);
        }
    }

    private static void addScaled(float[] canvas, float[] profile, double scale) {
        for (int i = 0; i < canvas.length; i++) {
            canvas[i] += (float) (profile[i] * scale);
        }
    }

    /** In-place separable Gaussian blur (the PSF), edges clamped. */
    public static void convolveGaussian(float[] canvas, int w, int h, double sigma) {
        if (sigma <= 0) {
            return;
        }
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = (float) Math.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= (float) sum;
        }
        float[] tmp = new float[canvas.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int xx = Math.min(w - 1, Math.max(0, x + k));
                    acc += canvas[y * w + xx] * kernel[k + radius];
                }
                tmp[y * w + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int yy = Math.min(h - 1, Math.max(0, y + k));
                    acc += tmp[yy * w + x] * kernel[k + radius];
                }
                canvas[y * w + x] = acc;
            }
        }
    }
}
