package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import io.morpho.imaging.sim.GalaxySimulator;
import io.morpho.imaging.sim.Morphology;
import io.morpho.imaging.sim.VoteModel;
import org.junit.jupiter.api.Test;

/** The expected vote fractions are the mean the sampled ones scatter around (what the label-noise level of a dataset is measured against). */
class VoteModelTest {
    @Test
    void sampledVotesAverageToTheExpectedFractions() {
        Random rng = new Random(3);
        for (int cls = 0; cls < Morphology.CLASSES; cls++) {
            for (double snr : new double[] {4, 12, 40}) {
                Morphology m = GalaxySimulator.draw(rng, cls, 21, 22);
                float[] expected = VoteModel.expectedFractions(m, snr, 0.9);
                double[] mean = new double[Morphology.CLASSES];
                int draws = 40_000;
                for (int i = 0; i < draws; i++) {
                    float[] votes = VoteModel.voteFractions(rng, m, snr, 0.9);
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
            float[] bright = VoteModel.expectedFractions(m, 60, 0.9);
            int argmax = 0;
            for (int c = 1; c < bright.length; c++) {
                argmax = bright[c] > bright[argmax] ? c : argmax;
            }
            assertThat(argmax).as("bright object of class %d", cls).isEqualTo(cls);
            faint[cls] = VoteModel.expectedFractions(m, 0.5, 0.9);
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
            float[] votes = VoteModel.expectedFractions(m, 40, 0.9);
            if (previous != null) {
                assertThat(votes[Morphology.DISK]).as("disk votes at bulge fraction %.2f", bulge)
                        .isLessThan(previous[Morphology.DISK]).isCloseTo(previous[Morphology.DISK], within(0.01f));
            }
            previous = votes;
        }
    }
}
