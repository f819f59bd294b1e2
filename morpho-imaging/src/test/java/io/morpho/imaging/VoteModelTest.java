package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import io.morpho.imaging.sim.GalaxySimulator;
import io.morpho.imaging.sim.Morphology;
import io.morpho.imaging.sim.VoteModel;
import org.junit.jupiter.api.Test;

/** The expected vote fractions are the mean the sampled ones scatter around (what the label-noise floor needs). */
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
}
