package io.morpho.training;

import java.util.Random;

/** Label-preserving augmentation: morphology depends neither on orientation, handedness nor exact centring. */
final class Augment {
    /** The modes as the {@code --augmentation} options describe them (picocli format: %% is a percent sign). */
    static final String OPTION_HELP = "paper (rotations 0-360 degrees, flips, shifts up to 5 %%, bilinear) or dihedral "
            + "(90-degree rotations and flips only, exact)";

    /** How a training stamp is varied each time it is seen. */
    enum Mode {
        /** one of the 8 rotations by multiples of 90 degrees, with or without a flip (exact, no interpolation) */
        DIHEDRAL("90° rotations and flips (exact: each pixel and its noise unchanged)"),
        /** the paper's: any rotation in 0-360 degrees, a flip, and a shift of up to 5 % of the side (bilinear) */
        PAPER("rotations 0–360°, flips, 5 % shifts (bilinear)");

        final String summary;

        Mode(String summary) {
            this.summary = summary;
        }

        /** The mode named on the command line ({@code paper}, {@code dihedral}). */
        static Mode byName(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown augmentation '" + name + "' (known: paper, dihedral)");
        }
    }

    private Augment() {
    }

    static float[] apply(Mode mode, float[] image, int s, Random rng) {
        return mode == Mode.DIHEDRAL ? randomDihedral(image, s, rng) : randomRotateFlipShift(image, s, rng);
    }

    static float[] randomDihedral(float[] image, int s, Random rng) {
        int rotation = rng.nextInt(4);
        return dihedral(image, s, rotation, rng.nextBoolean());
    }

    /** The stamp turned by {@code quarterTurns} x 90 degrees after an optional left-right flip: exact, pixels moved. */
    static float[] dihedral(float[] image, int s, int quarterTurns, boolean flip) {
        float[] out = new float[image.length];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int sx = flip ? s - 1 - x : x;
                int sy = y;
                for (int r = 0; r < quarterTurns; r++) {
                    int t = sx;
                    sx = s - 1 - sy;
                    sy = t;
                }
                out[y * s + x] = image[sy * s + sx];
            }
        }
        return out;
    }

    /**
     * What a model built with {@code views} computes ({@link OnnxExporter#export}): {@code predict} itself for 1 view,
     * for 8 the mean of its outputs over the 8 {@link #dihedral} views of every stamp.
     */
    static float[][] averageOverViews(int views, float[][] inputs, int s, java.util.function.Function<float[][], float[][]> predict) {
        OnnxExporter.checkViews(views);
        if (views == 1) {
            return predict.apply(inputs);
        }
        float[][] mean = new float[inputs.length][];
        for (int v = 0; v < 8; v++) {
            int turns = v % 4;
            boolean flip = v >= 4;
            float[][] turned = new float[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                turned[i] = dihedral(inputs[i], s, turns, flip);
            }
            float[][] out = predict.apply(turned);
            for (int i = 0; i < inputs.length; i++) {
                if (mean[i] == null) {
                    mean[i] = new float[out[i].length];
                }
                for (int c = 0; c < out[i].length; c++) {
                    mean[i][c] += out[i][c] / 8;
                }
            }
        }
        return mean;
    }

    /** Samples the source at the inverse-transformed position of every output pixel; edges are clamped. */
    static float[] randomRotateFlipShift(float[] image, int s, Random rng) {
        double angle = rng.nextDouble() * 2 * Math.PI;
        boolean flip = rng.nextBoolean();
        double dx = (rng.nextDouble() * 2 - 1) * 0.05 * s;
        double dy = (rng.nextDouble() * 2 - 1) * 0.05 * s;
        return transform(image, s, angle, flip, dx, dy);
    }

    static float[] transform(float[] image, int s, double angle, boolean flip, double dx, double dy) {
        double c = (s - 1) / 2.0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] out = new float[image.length];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double u = x - c - dx;
                double v = y - c - dy;
                double sx = cos * u + sin * v;
                double sy = -sin * u + cos * v;
                if (flip) {
                    sx = -sx;
                }
                out[y * s + x] = bilinear(image, s, sx + c, sy + c);
            }
        }
        return out;
    }

    private static float bilinear(float[] image, int s, double x, double y) {
        x = Math.max(0, Math.min(s - 1, x));
        y = Math.max(0, Math.min(s - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, s - 1);
        int y1 = Math.min(y0 + 1, s - 1);
        double wx = x - x0;
        double wy = y - y0;
        double top = image[y0 * s + x0] * (1 - wx) + image[y0 * s + x1] * wx;
        double bottom = image[y1 * s + x0] * (1 - wx) + image[y1 * s + x1] * wx;
        return (float) (top * (1 - wy) + bottom * wy);
    }
}
