package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.GalaxySimulator;
import io.morpho.imaging.sim.Morphology;
import io.morpho.imaging.sim.VoteModel;
import org.junit.jupiter.api.Test;

/** The expected vote fractions are the mean the sampled ones scatter around (what the label-noise level of a dataset is measured against). */
class VoteModelTest {
    /** A band without star-forming knots. */
    private static final Band H = Band.clash("F160W");

    @Test
    void sampledVotesAverageToTheExpectedFractions() {
        Random rng = new Random(3);
        for (int cls = 0; cls < Morphology.CLASSES; cls++) {
            for (double snr : new double[] {4, 12, 40}) {
                Morphology m = GalaxySimulator.draw(rng, cls, 21, 22);
                float[] expected = VoteModel.expectedFractions(m, H, snr, 0.9);
                double[] mean = new double[Morphology.CLASSES];
                int draws = 40_000;
                for (int i = 0; i < draws; i++) {
                    float[] votes = VoteModel.voteFractions(rng, m, H, snr, 0.9);
                    for (int c = 0; c < mean.length; c++) {
                        mean[c] += votes[c] / (double) draws;
                    }
                }
                double sum = 0;
                for (int c = 0; c < mean.length; c++) {
                    assertThat(mean[c]).as("class %d, S/N %.0f, vote %d", cls, snr, c).isCloseTo(expected[c], within(0.006));
                    sum += expected[c];
                }
                assertThat(sum).isCloseTo(1, within(1e-5));
            }
        }
    }

    /**
     * Votes depend on what the image shows: a clearly seen object gets most votes for its class, and as the S/N falls
     * every class's votes converge on the same spread, since classifiers cannot see which class a smudge is. (The
     * previous model kept class-specific confusions at any S/N and labelled some plainly visible galaxies
     * "unclassifiable" by fiat: identical images with contradictory labels.)
     */
    @Test
    void votesFollowWhatTheImageShows() {
        Random rng = new Random(5);
        float[][] faint = new float[Morphology.CLASSES][];
        for (int cls = 0; cls < Morphology.CLASSES; cls++) {
            Morphology m = GalaxySimulator.draw(rng, cls, 21, 22);
            float[] bright = VoteModel.expectedFractions(m, H, 60, 0.9);
            int argmax = 0;
            for (int c = 1; c < bright.length; c++) {
                argmax = bright[c] > bright[argmax] ? c : argmax;
            }
            int looksLike = VoteModel.mergedLook(m, H) > 0.5 ? Morphology.IRREGULAR : cls; // an overlapping pair
            assertThat(argmax).as("bright object of class %d", cls).isEqualTo(looksLike);
            faint[cls] = VoteModel.expectedFractions(m, H, 0.5, 0.9);
        }
        for (int cls = 1; cls < Morphology.CLASSES; cls++) {
            for (int c = 0; c < Morphology.CLASSES; c++) {
                assertThat(faint[cls][c]).as("faint class %d, vote %d", cls, c).isCloseTo(faint[0][c], within(0.05f));
            }
        }
    }

    @Test
    void aDisksVotesChangeSmoothlyWithItsBulge() {
        Morphology disk = GalaxySimulator.draw(new Random(6), Morphology.DISK, 21, 22);
        float[] previous = null;
        for (double bulge = 0; bulge <= 0.3; bulge += 0.01) {
            Morphology m = new Morphology(disk.morphClass(), disk.magnitude(), disk.reArcsec(), disk.sersicN(),
                    disk.axisRatio(), disk.positionAngle(), bulge, disk.spiralArms(), disk.spiralAmplitude(),
                    disk.spiralPitch(), disk.clumps(), null, null);
            float[] votes = VoteModel.expectedFractions(m, H, 40, 0.9);
            if (previous != null) {
                assertThat(votes[Morphology.DISK]).as("disk votes at bulge fraction %.2f", bulge)
                        .isLessThan(previous[Morphology.DISK]).isCloseTo(previous[Morphology.DISK], within(0.01f));
            }
            previous = votes;
        }
    }

    /**
     * The paper's experts classified each band on its own, so votes follow the band's view: a disk whose star-forming
     * knots light up in the ultraviolet gets more "irregular" votes there than in the near infrared, smoothly with the
     * knots' share of its light.
     */
    @Test
    void aDiskLitByKnotsLooksMoreIrregularInTheUltraviolet() {
        Morphology disk = GalaxySimulator.draw(new Random(7), Morphology.DISK, 21, 22);
        float previousIrregular = -1;
        for (String filter : new String[] {"F160W", "F814W", "F606W", "F435W", "F336W", "F225W"}) {
            Band band = Band.clash(filter);
            float[] votes = VoteModel.expectedFractions(disk, band, 60, 0.9);
            assertThat(votes[Morphology.IRREGULAR]).as("irregular votes in %s", filter).isGreaterThan(previousIrregular);
            assertThat(votes[Morphology.DISK]).as("disk votes in %s", filter).isGreaterThan(votes[Morphology.IRREGULAR]);
            previousIrregular = votes[Morphology.IRREGULAR];
        }
        float[] infrared = VoteModel.expectedFractions(disk, H, 60, 0.9);
        float[] ultraviolet = VoteModel.expectedFractions(disk, Band.clash("F225W"), 60, 0.9);
        assertThat(ultraviolet[Morphology.IRREGULAR] - infrared[Morphology.IRREGULAR]).isCloseTo(0.2f, within(0.01f));
    }

    /** A blend whose galaxies overlap into one shape looks like one disturbed galaxy; a clearly separated pair does not. */
    @Test
    void aBlendLooksIrregularWhenItsGalaxiesOverlap() {
        Random rng = new Random(8);
        Morphology blend;
        do {
            blend = GalaxySimulator.draw(rng, Morphology.UNCLASSIFIABLE, 21, 22);
        } while (blend.companion() == null);
        float previousIrregular = 2;
        for (double distance = 1.0; distance <= 4.0; distance += 0.25) {
            double[] companion = {distance / 2, 0, blend.companion()[2]};
            Morphology m = new Morphology(blend.morphClass(), blend.magnitude(), 0.4, blend.sersicN(), blend.axisRatio(),
                    blend.positionAngle(), blend.bulgeFraction(), blend.spiralArms(), blend.spiralAmplitude(),
                    blend.spiralPitch(), blend.clumps(), companion, null);
            assertThat(GalaxySimulator.companionDistance(m)).isCloseTo(distance, within(1e-12));
            float[] votes = VoteModel.expectedFractions(m, H, 60, 0.9);
            assertThat(votes[Morphology.IRREGULAR]).as("irregular votes %.2f radii apart", distance)
                    .isLessThanOrEqualTo(previousIrregular);
            int argmax = 0;
            for (int c = 1; c < votes.length; c++) {
                argmax = votes[c] > votes[argmax] ? c : argmax;
            }
            if (distance <= 1.5) {
                assertThat(argmax).as("argmax %.2f radii apart", distance).isEqualTo(Morphology.IRREGULAR);
            } else if (distance >= 3.5) {
                assertThat(argmax).as("argmax %.2f radii apart", distance).isEqualTo(Morphology.UNCLASSIFIABLE);
            }
            previousIrregular = votes[Morphology.IRREGULAR];
        }
    }
}
