package io.morpho.training;

import java.util.Random;

/** Label-preserving augmentation: morphology does not depend on orientation or handedness. */
final class Augment {
    private Augment() {
    }

    /** One of the 8 rotations by multiples of 90 degrees, with or without a flip, chosen at random. */
    static float[] randomDihedral(float[] image, int s, Random rng) {
        int rotation = rng.nextInt(4);
        boolean flip = rng.nextBoolean();
        float[] out = new float[image.length];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int sx = flip ? s - 1 - x : x;
                int sy = y;
                for (int r = 0; r < rotation; r++) {
                    int t = sx;
                    sx = s - 1 - sy;
                    sy = t;
                }
                out[y * s + x] = image[sy * s + sx];
            }
        }
        return out;
    }
}
