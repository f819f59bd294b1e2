package io.morpho.imaging.sim;

import java.util.Random;

/**
 * Simulated expert votes: 5 to 8 classifiers each vote for the true class with a probability that
 * falls as the signal-to-noise falls (people disagree about faint galaxies), otherwise for a class
 * commonly confused with it. Returns vote fractions, like the paper's label files.
 */
public final class VoteModel {
    /** Where each true class's wrong votes go (rows: true class; columns: voted class). */
    private static final double[][] CONFUSION = {
            {0, 0.5, 0.05, 0.3, 0.15},
            {0.4, 0, 0.45, 0, 0.15},
            {0.05, 0.55, 0, 0, 0.4},
            {0.75, 0, 0, 0, 0.25},
            {0.3, 0.15, 0.35, 0.2, 0},
    };

    private VoteModel() {
    }

    /** Classifiers who agree at most 95 % of the time on bright objects. */
    public static float[] voteFractions(Random rng, Morphology m, double snr) {
        return voteFractions(rng, m, snr, 0.95);
    }

    /**
     * @param maxAgreement how often a classifier picks the true class of a bright object; lower values make
     *                     unanimous votes rarer (a survey's experts and depth set it)
     */
    public static float[] voteFractions(Random rng, Morphology m, double snr, double maxAgreement) {
        int voters = 5 + rng.nextInt(4);
        int truth = m.morphClass();
        double agreement = agreement(m, snr, maxAgreement);
        int[] votes = new int[Morphology.CLASSES];
        for (int v = 0; v < voters; v++) {
            if (rng.nextDouble() < agreement) {
                votes[truth]++;
            } else {
                votes[Sampling.pick(rng, CONFUSION[truth])]++;
            }
        }
        float[] fractions = new float[Morphology.CLASSES];
        for (int c = 0; c < fractions.length; c++) {
            fractions[c] = votes[c] / (float) voters;
        }
        return fractions;
    }

    /**
     * The mean of {@link #voteFractions}' distribution for this object: what infinitely many classifiers would
     * say. The sampled fractions scatter around it, and since the votes depend on the image only through the object
     * and its S/N, no classifier of the image can beat this on average: its RMSE against the sampled fractions is the
     * label-noise floor of a simulated dataset.
     */
    public static float[] expectedFractions(Morphology m, double snr, double maxAgreement) {
        int truth = m.morphClass();
        double agreement = agreement(m, snr, maxAgreement);
        float[] expected = new float[Morphology.CLASSES];
        for (int c = 0; c < expected.length; c++) {
            expected[c] = (float) (c == truth ? agreement : (1 - agreement) * CONFUSION[truth][c]);
        }
        return expected;
    }

    private static double agreement(Morphology m, double snr, double maxAgreement) {
        int truth = m.morphClass();
        double agreement = truth == Morphology.UNCLASSIFIABLE
                ? 0.75 - (0.95 - maxAgreement)
                : 0.3 + (maxAgreement - 0.3) / (1 + Math.exp(-(snr - 12) / 4));
        if (truth == Morphology.DISK && m.bulgeFraction() > 0.2) {
            agreement -= 0.15; // bulge-dominated disks look smooth to some
        }
        return agreement;
    }
}
