package io.morpho.training;

import java.util.Random;

import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.StampSimulator;
import io.morpho.imaging.sim.Survey;

/**
 * Labelled stamps preprocessed to the model input: {@code inputs[i]} is size x size, {@code labels[i]} the five
 * vote fractions, {@code bands[i]} the filter, {@code trueClass[i]} the simulator's class (-1 for real data) and
 * {@code expected[i]} the mean of the vote distribution the fractions were drawn from (null for real data; see
 * {@link #labelNoiseLevel}).
 * Built by the simulator ({@link #simulate}, deterministic for a seed) or read from the paper's format
 * ({@link PaperFormat#read}).
 */
public record StampDataset(int inputSize, float[][] inputs, float[][] labels, String[] bands, int[] trueClass,
                           float[][] expected) {

    /** {@code count} stamps of the survey, cycling through its bands; deterministic for a seed. */
    public static StampDataset simulate(long seed, int count, Survey survey, int inputSize, Preprocessing preprocessing,
                                        Runnable onSample) {
        Random rng = new Random(seed);
        float[][] inputs = new float[count][];
        float[][] labels = new float[count][];
        String[] bandNames = new String[count];
        int[] truth = new int[count];
        float[][] expected = new float[count][];
        for (int i = 0; i < count; i++) {
            Band band = survey.bands().get(i % survey.bands().size());
            StampSimulator.LabelledStamp s = StampSimulator.sample(rng, survey, band);
            inputs[i] = preprocessing.apply(s.pixels(), s.side(), s.side(), inputSize);
            labels[i] = s.voteFractions();
            bandNames[i] = band.name();
            truth[i] = s.trueClass();
            expected[i] = s.expectedFractions();
            onSample.run();
        }
        return new StampDataset(inputSize, inputs, labels, bandNames, truth, expected);
    }

    public int size() {
        return inputs.length;
    }

    /** {@code perBand} stamps in each of the survey's bands, band-major; deterministic for a seed. */
    public static StampDataset simulatePerBand(long seed, int perBand, Survey survey, int inputSize,
                                               Preprocessing preprocessing) {
        Random rng = new Random(seed);
        int n = perBand * survey.bands().size();
        float[][] inputs = new float[n][];
        float[][] labels = new float[n][];
        String[] bandNames = new String[n];
        int[] truth = new int[n];
        float[][] expected = new float[n][];
        int i = 0;
        for (Band band : survey.bands()) {
            for (int k = 0; k < perBand; k++, i++) {
                StampSimulator.LabelledStamp s = StampSimulator.sample(rng, survey, band);
                inputs[i] = preprocessing.apply(s.pixels(), s.side(), s.side(), inputSize);
                labels[i] = s.voteFractions();
                bandNames[i] = band.name();
                truth[i] = s.trueClass();
                expected[i] = s.expectedFractions();
            }
        }
        return new StampDataset(inputSize, inputs, labels, bandNames, truth, expected);
    }

    /** A random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The same rows in an order fixed by the seed. */
    public StampDataset shuffled(long seed) {
        int n = size();
        int[] order = permutation(n, new Random(seed));
        float[][] in = new float[n][];
        float[][] lab = new float[n][];
        String[] b = new String[n];
        int[] t = new int[n];
        float[][] e = new float[n][];
        for (int i = 0; i < n; i++) {
            in[i] = inputs[order[i]];
            lab[i] = labels[order[i]];
            b[i] = bands[order[i]];
            t[i] = trueClass[order[i]];
            e[i] = expected[order[i]];
        }
        return new StampDataset(inputSize, in, lab, b, t, e);
    }

    /** Rows [from, to) as a new dataset sharing the arrays' rows. */
    public StampDataset slice(int from, int to) {
        return new StampDataset(inputSize, java.util.Arrays.copyOfRange(inputs, from, to),
                java.util.Arrays.copyOfRange(labels, from, to), java.util.Arrays.copyOfRange(bands, from, to),
                java.util.Arrays.copyOfRange(trueClass, from, to), java.util.Arrays.copyOfRange(expected, from, to));
    }

    /**
     * The RMSE of the expected vote fractions against the sampled ones: the score of a model that knows what
     * infinitely many classifiers would say about each stamp. It is the reference for how much of a model's RMSE is
     * label noise, not a strict bound: the metric averages per-stamp RMSEs, and predictions leaning towards the
     * majority vote can score slightly below it. Empty when a row has no expectation (real labels).
     */
    public java.util.OptionalDouble labelNoiseLevel() {
        for (float[] e : expected) {
            if (e == null) {
                return java.util.OptionalDouble.empty();
            }
        }
        return java.util.OptionalDouble.of(RmseLoss.rmse(expected, labels));
    }
}
