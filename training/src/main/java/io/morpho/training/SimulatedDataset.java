package io.morpho.training;

import java.util.List;
import java.util.Random;

import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.Sampling;
import io.morpho.imaging.sim.StampSimulator;

/**
 * Labelled stamps from the simulator, already preprocessed to the model input: {@code inputs[i]} is
 * size x size, {@code labels[i]} the five vote fractions. Deterministic for a seed.
 */
public record SimulatedDataset(int inputSize, float[][] inputs, float[][] labels, String[] bands, int[] trueClass) {

    /** Class mix of the simulated training set (disk-dominated, as CANDELS, with every class present). */
    public static final double[] CLASS_MIX = {0.27, 0.40, 0.15, 0.10, 0.08};

    public static SimulatedDataset simulate(long seed, int count, List<Band> bands, int inputSize,
                                            Preprocessing preprocessing, Runnable onSample) {
        Random rng = new Random(seed);
        float[][] inputs = new float[count][];
        float[][] labels = new float[count][];
        String[] bandNames = new String[count];
        int[] truth = new int[count];
        for (int i = 0; i < count; i++) {
            Band band = bands.get(i % bands.size());
            int cls = Sampling.pick(rng, CLASS_MIX);
            StampSimulator.LabelledStamp s = StampSimulator.sample(rng, band, cls, 20.0, 24.5);
            inputs[i] = preprocessing.apply(s.pixels(), s.side(), s.side(), inputSize);
            labels[i] = s.voteFractions();
            bandNames[i] = band.name();
            truth[i] = cls;
            onSample.run();
        }
        return new SimulatedDataset(inputSize, inputs, labels, bandNames, truth);
    }

    public int size() {
        return inputs.length;
    }

    /** Rows [from, to) as a new dataset sharing the arrays' rows. */
    public SimulatedDataset slice(int from, int to) {
        return new SimulatedDataset(inputSize, java.util.Arrays.copyOfRange(inputs, from, to),
                java.util.Arrays.copyOfRange(labels, from, to), java.util.Arrays.copyOfRange(bands, from, to),
                java.util.Arrays.copyOfRange(trueClass, from, to));
    }
}
