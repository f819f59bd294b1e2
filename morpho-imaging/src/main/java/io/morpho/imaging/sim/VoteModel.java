package io.morpho.imaging.sim;

import java.util.Random;

/**
 * Simulated expert votes: 5 to 8 classifiers, each voting independently from one distribution that depends only on
 * what the image shows: the object's appearance in the band and its signal-to-noise. A clearly seen object gets most
 * votes for what it looks like and the rest for classes commonly confused with it; as the S/N falls, every object's
 * votes drift towards the same "hard to tell" distribution (mostly unclassifiable or smooth), because classifiers
 * cannot disagree in a class-specific way about structure they cannot see. Appearance is per band, as the paper's
 * experts classified each band on its own: a disk lit by star-forming knots in the ultraviolet looks irregular to
 * some (the morphological k-correction), and a blend whose two galaxies overlap looks like one disturbed galaxy.
 * Returns vote fractions, like the paper's label files.
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

    /** The votes for two overlapping galaxies seen as one: a disturbed, irregular object to most. */
    private static final double[] MERGED_LOOK = {0.05, 0.10, 0.60, 0, 0.25};

    /** The S/N at which half of the votes follow what the object is and half are "too faint" votes. */
    private static final double HALF_CLARITY_SNR = 10;
    private static final double CLARITY_WIDTH = 3;

    /**
     * A blend's pair looks like one galaxy when its separation is below this many apparent radii (its effective
     * radius and the PSF added in quadrature), over a transition {@link #MERGE_WIDTH} wide.
     */
    private static final double MERGE_SEPARATION = 2.4;
    private static final double MERGE_WIDTH = 0.25;

    /** A disk's votes moved to "irregular" per unit of its light in star-forming knots. */
    private static final double KNOT_VOTES = 1.0;

    private VoteModel() {
    }

    /**
     * @param band         the band the object is classified in (its PSF and star-forming knots change how it looks)
     * @param maxAgreement how often a classifier picks the class of a bright object; lower values make unanimous votes
     *                     rarer (a survey's experts and depth set it)
     */
    public static float[] voteFractions(Random rng, Morphology m, Band band, double snr, double maxAgreement) {
        int voters = 5 + rng.nextInt(4);
        double[] expected = expected(m, band, snr, maxAgreement);
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
    public static float[] expectedFractions(Morphology m, Band band, double snr, double maxAgreement) {
        double[] expected = expected(m, band, snr, maxAgreement);
        float[] result = new float[expected.length];
        for (int c = 0; c < expected.length; c++) {
            result[c] = (float) expected[c];
        }
        return result;
    }

    /**
     * How much a blend looks like one galaxy: 1 when its two galaxies overlap into one shape, 0 when they are clearly
     * two (and for objects without a companion).
     */
    public static double mergedLook(Morphology m, Band band) {
        double distance = GalaxySimulator.companionDistance(m);
        if (Double.isNaN(distance)) {
            return 0;
        }
        double re = m.reArcsec() / band.pixelScaleArcsec();
        double apparentRadius = Math.hypot(re, 2 * band.psfSigmaPixels());
        double separation = distance * re / apparentRadius;
        return 1 / (1 + Math.exp((separation - MERGE_SEPARATION) / MERGE_WIDTH));
    }

    private static double[] expected(Morphology m, Band band, double snr, double maxAgreement) {
        int cls = m.morphClass();
        double agreement = cls == Morphology.UNCLASSIFIABLE ? 0.75 - (0.95 - maxAgreement) : maxAgreement;
        double toIrregular = 0;
        if (cls == Morphology.DISK) {
            agreement -= 0.5 * m.bulgeFraction(); // the brighter the bulge, the smoother the disk looks to some
            toIrregular = KNOT_VOTES * GalaxySimulator.knotShare(m, band);
            agreement -= toIrregular;
        }
        double merged = mergedLook(m, band);
        double clarity = 1 / (1 + Math.exp(-(snr - HALF_CLARITY_SNR) / CLARITY_WIDTH));
        double[] expected = new double[Morphology.CLASSES];
        for (int c = 0; c < expected.length; c++) {
            double seen = c == cls ? agreement : (1 - agreement - toIrregular) * CONFUSION[cls][c];
            if (c == Morphology.IRREGULAR) {
                seen += toIrregular;
            }
            seen = (1 - merged) * seen + merged * MERGED_LOOK[c];
            expected[c] = clarity * seen + (1 - clarity) * TOO_FAINT[c];
        }
        return expected;
    }
}
