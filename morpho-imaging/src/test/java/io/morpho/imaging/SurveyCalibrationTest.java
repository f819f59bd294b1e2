package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.StampSimulator;
import io.morpho.imaging.sim.Survey;

/**
 * The survey presets' labels against the statistics of the paper's real label files (ARCHITECTURE.md):
 * CANDELS argmax shares 27/57/9/5/2 %, mean fractions 0.25/0.49/0.15/0.08/0.03, 20 % unanimous;
 * CLASH 49/16/18/4/12 %, 0.43/0.20/0.18/0.06/0.13, 31 % unanimous.
 */
class SurveyCalibrationTest {
    record Stats(double[] argmaxShare, double[] meanFraction, double unanimous) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "argmax %s mean %s unanimous %.2f", fmt(argmaxShare), fmt(meanFraction), unanimous);
        }

        static String fmt(double[] v) {
            StringBuilder b = new StringBuilder();
            for (double x : v) {
                b.append(String.format(Locale.ROOT, "%.2f ", x));
            }
            return b.toString().trim();
        }
    }

    static Stats stats(Survey survey, int n, long seed) {
        Random rng = new Random(seed);
        double[] argmax = new double[5];
        double[] mean = new double[5];
        int unanimous = 0;
        for (int i = 0; i < n; i++) {
            Band band = survey.bands().get(i % survey.bands().size());
            float[] f = StampSimulator.sample(rng, survey, band).voteFractions();
            int best = 0;
            for (int c = 0; c < 5; c++) {
                mean[c] += f[c] / n;
                if (f[c] > f[best]) {
                    best = c;
                }
                if (f[c] == 1f) {
                    unanimous++;
                }
            }
            argmax[best] += 1.0 / n;
        }
        return new Stats(argmax, mean, unanimous / (double) n);
    }

    @Test
    void candelsLikeLabelsLookLikeTheRealCandelsLabels() {
        Stats s = stats(Survey.candels(), 1500, 1);
        System.out.println("CANDELS-like " + s);
        assertClose(s, new double[] {0.27, 0.57, 0.09, 0.05, 0.02}, new double[] {0.25, 0.49, 0.15, 0.08, 0.03}, 0.20);
    }

    @Test
    void clashLikeLabelsLookLikeTheRealClashLabels() {
        Stats s = stats(Survey.clash(), 1600, 2);
        System.out.println("CLASH-like " + s);
        assertClose(s, new double[] {0.49, 0.16, 0.18, 0.04, 0.12}, new double[] {0.43, 0.20, 0.18, 0.06, 0.13}, 0.31);
    }

    private static void assertClose(Stats s, double[] argmax, double[] mean, double unanimous) {
        for (int c = 0; c < 5; c++) {
            assertThat(s.argmaxShare()[c]).as("argmax share of class %d", c).isCloseTo(argmax[c], within(0.08));
            assertThat(s.meanFraction()[c]).as("mean fraction of class %d", c).isCloseTo(mean[c], within(0.08));
        }
        assertThat(s.unanimous()).isCloseTo(unanimous, within(0.10));
    }
}
