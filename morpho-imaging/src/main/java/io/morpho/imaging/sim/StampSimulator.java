package io.morpho.imaging.sim;

import java.util.Random;

import io.morpho.imaging.Petrosian;

/**
 * Labelled training stamps: one object at the centre, stamp side 4 x its Petrosian radius (as ingest
 * cuts them), native pixels with noise, and simulated vote fractions.
 */
public final class StampSimulator {
    private static final int CANVAS = 96;
    private static final int MIN_SIDE = 16;

    private StampSimulator() {
    }

    /**
     * @param expectedFractions the mean of the vote distribution the fractions were drawn from (the label-noise-free
     *                          target, see {@link VoteModel#expectedFractions})
     */
    public record LabelledStamp(int side, float[] pixels, int trueClass, float[] voteFractions,
                                float[] expectedFractions, double petrosianArcsec, double snr) {
    }

    /** A stamp of a class drawn from the survey's mix, in the given band of the survey. */
    public static LabelledStamp sample(Random rng, Survey survey, Band band) {
        return sample(rng, band, Sampling.pick(rng, survey.classMix()), survey.magMin(), survey.magMax(),
                survey.expertAgreement());
    }

    public static LabelledStamp sample(Random rng, Band band, int cls, double magMin, double magMax) {
        return sample(rng, band, cls, magMin, magMax, 0.95);
    }

    private static LabelledStamp sample(Random rng, Band band, int cls, double magMin, double magMax, double agreement) {
        Morphology m = GalaxySimulator.draw(rng, cls, magMin, magMax);
        double centre = (CANVAS - 1) / 2.0 + rng.nextDouble() - 0.5;
        float[] canvas = GalaxySimulator.render(m, band, CANVAS, centre, centre);
        double rp = Petrosian.radiusPixels(canvas, CANVAS, CANVAS, centre, centre, Petrosian.ETA);
        if (!Double.isFinite(rp)) {
            rp = CANVAS / 4.0;
        }
        double snr = GalaxySimulator.snr(m, band, rp);
        GalaxySimulator.addNoise(canvas, band, rng);
        int side = (int) Math.max(MIN_SIDE, Math.min(CANVAS, Math.round(4 * rp)));
        int origin = (int) Math.round(centre) - side / 2;
        origin = Math.max(0, Math.min(CANVAS - side, origin));
        float[] stamp = new float[side * side];
        for (int y = 0; y < side; y++) {
            System.arraycopy(canvas, (origin + y) * CANVAS + origin, stamp, y * side, side);
        }
        if (cls == Morphology.UNCLASSIFIABLE && rng.nextDouble() < 0.2) {
            blankEdge(stamp, side, rng); // object on a frame edge
        }
        return new LabelledStamp(side, stamp, cls, VoteModel.voteFractions(rng, m, band, snr, agreement),
                VoteModel.expectedFractions(m, band, snr, agreement), rp * band.pixelScaleArcsec(), snr);
    }

    private static void blankEdge(float[] stamp, int side, Random rng) {
        int cut = side / 3 + rng.nextInt(Math.max(1, side / 4));
        boolean vertical = rng.nextBoolean();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if ((vertical ? x : y) < cut) {
                    stamp[y * side + x] = Float.NaN;
                }
            }
        }
    }
}
