package io.morpho.imaging.sim;

import java.util.Random;

/** Random draws shared by the simulators. */
public final class Sampling {
    private Sampling() {
    }

    /** An index drawn with probability proportional to {@code weights} (which should sum to 1). */
    public static int pick(Random rng, double[] weights) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
