package io.morpho.imaging.sim;

import java.util.Random;

/**
 * Simulated expert votes: 5 to 8 classifiers, each voting independently from one distribution that depends only on
 * what the image shows, the object's appearance and its signal-to-noise. A clearly seen object gets most votes for
 * its class and the rest for classes commonly confused with it; as the S/N falls, every object's votes drift towards
 * the same "hard to tell" distribution (mostly unclassifiable or smooth), because classifiers cannot disagree in a
 * class-specific way about structure they cannot see. Returns vote fractions, like the paper's label files.
 */
public final class VoteModel {
    /** Where each class's wrong votes go when the object is clearly seen (rows: class; columns: voted class). */
    private static final double[][] CONFUSION = {
            {0, 0.5, 0.05, 0.3, 0.15},
            {0.4, 0, 0.45, 0, 0.15},
            {0.05, 0.55, 0, 0, 0.4},
            {0.75, 0, 0, 0, 0.25},
            {0.3, 0.15, 0.35, 0.2, 0},
    };

    /** The votes for an object too faint to make out: whatever its class, a smudge. */
    private static final double[] TOO_FAINT = {0.25, 0.10, 0.10, 0.10, 0.45};

    /** The S/N at which half of the votes follow what the object is and half are "too faint" votes. */
    private static final double HALF_CLARITY_SNR = 10;
    private static final double CLARITY_WIDTH = 3;

    private VoteModel() {
    }

    /** Classifiers who agree at most 95 % of the time on bright objects. */
    public static float[] voteFractions(Random rng, Morphology m, double snr) {
        return voteFractions(rng, m, snr, 0.95);
    }

    /**
     * @param maxAgreement how often a classifier picks the class of a bright object; lower values make unanimous votes
     *                     rarer (a survey's experts and depth set it)
     */
    public static float[] voteFractions(Random rng, Morphology m, double snr, double maxAgreement) {
        int voters = 5 + rng.nextInt(4);
        double[] expected = expected(m, snr, maxAgreement);
        int[] votes = new int[Morphology.CLASSES];
        for (int v = 0; v < voters; v++) {
            votes[Sampling.pick(rng, expected)]++;
        }
        float[] fractions = new float[votes.length];
        for (int c = 0; c < votes.length; c++) {
            fractions[c] = votes[c] / (float) voters;
        }
        return fractions;
    }

    /**
     * The mean of {@link #voteFractions}' distribution for this object: what infinitely many classifiers would say.
     * The sampled fractions scatter around it; its RMSE against them is the label-noise level of a simulated dataset.
     */
    public static float[] expectedFractions(Morphology m, double snr, double maxAgreement) {
        double[] expected = expected(m, snr, maxAgreement);
        float[] result = new float[expected.length];
        for (int c = 0; c < expected.length; c++) {
            result[c] = (float) expected[c];
        }
        return result;
    }

    private static double[] expected(Morphology m, double snr, double maxAgreement) {
        int cls = m.morphClass();
        double agreement = cls == Morphology.UNCLASSIFIABLE ? 0.75 - (0.95 - maxAgreement) : maxAgreement;
        if (cls == Morphology.DISK) {
            agreement -= 0.5 * m.bulgeFraction(); // the brighter the bulge, the smoother the disk looks to some
        }
        double clarity = 1 / (1 + Math.exp(-(snr - HALF_CLARITY_SNR) / CLARITY_WIDTH));
        double[] expected = new double[Morphology.CLASSES];
        for (int c = 0; c < expected.length; c++) {
            double seen = c == cls ? agreement : (1 - agreement) * CONFUSION[cls][c];
            expected[c] = clarity * seen + (1 - clarity) * TOO_FAINT[c];
        }
        return expected;
    }
}
