package io.morpho.training;

import java.util.ArrayList;
import java.util.List;

import io.morpho.training.Layer.AvgPool;
import io.morpho.training.Layer.BatchNorm;
import io.morpho.training.Layer.Conv;
import io.morpho.training.Layer.Dense;
import io.morpho.training.Layer.Dropout;
import io.morpho.training.Layer.Flatten;
import io.morpho.training.Layer.Inception;
import io.morpho.training.Layer.MaxPool;
import io.morpho.training.Layer.Relu;
import io.morpho.training.Layer.Softmax;

/** A named network: input size (square, one channel) and its layers. */
public record Architecture(String name, int inputSize, List<Layer> layers) {
    /** Keras' BatchNormalization default, kept for the paper's network. */
    static final float KERAS_BN_EPSILON = 1e-3f;

    /**
     * A small CNN for fast CPU serving: four stages of two 3x3 conv + ReLU and a 2x2 max-pool (16, 32, 64, 64
     * filters), then Dense 64 - Dropout - Dense 5 - Softmax. About 43 M multiply-accumulates per 64x64 stamp. Up to
     * version 0.4.0 of the shipped models a stage had one conv (12 M): the second took the CLASH-like test RMSE from
     * 0.1092 to 0.1059 where twice the width gained nothing (models/README.md).
     */
    public static Architecture compact(int inputSize) {
        if (inputSize % 16 != 0) {
            throw new IllegalArgumentException("compact needs an input size divisible by 16, got " + inputSize);
        }
        return new Architecture("compact", inputSize, List.of(
                new Conv(16, 3, 1, 1), new Relu(), new Conv(16, 3, 1, 1), new Relu(), new MaxPool(2, 2, 0),
                new Conv(32, 3, 1, 1), new Relu(), new Conv(32, 3, 1, 1), new Relu(), new MaxPool(2, 2, 0),
                new Conv(64, 3, 1, 1), new Relu(), new Conv(64, 3, 1, 1), new Relu(), new MaxPool(2, 2, 0),
                new Conv(64, 3, 1, 1), new Relu(), new Conv(64, 3, 1, 1), new Relu(), new MaxPool(2, 2, 0),
                new Flatten(), new Dense(64), new Relu(), new Dropout(0.3f),
                new Dense(5), new Softmax()));
    }

    /**
     * The paper's network ("inceptionv2" of Perez-Carrasco et al. 2019) for 80 x 80 stamps: Conv 7x7x64 and
     * Conv 6x6x128 ("valid"), each ReLU, BN, 2x2 max-pool (80 -> 37 -> 16); six inception blocks of towers
     * [1x1 -> 3x3], [1x1 -> 5x5], [3x3 max-pool -> 1x1], [1x1] with widths 240 and 480 at 16x16, max-pool, 672,
     * 512, 544 at 8x8, max-pool, 528 at 4x4; 2x2 average pool, 1x1x256 conv, Dense 1024 - Dropout 0.5 - Dense
     * 1024 - Dropout 0.5 - Softmax 5. Every conv is followed by ReLU and batch normalisation. Three deliberate
     * differences from the authors' code: BN normalises channels (the original's Keras default on channels-first data
     * normalised the width axis); the last three blocks get BN too (the original had it only in the stem and the
     * first three: without it, their features are mostly a constant offset, the dropout noise on that offset drowns
     * what depends on the stamp, and the network never learned here, see models/README.md); and the third block's
     * unused 5x5 tower is left out (the original computed it but concatenated its 3x3 tower twice instead; that
     * duplication is kept, so the block is 672 wide).
     */
    public static Architecture paper() {
        List<Layer> layers = new ArrayList<>();
        layers.addAll(List.of(new Conv(64, 7, 1, 0), new Relu(), new BatchNorm(KERAS_BN_EPSILON), new MaxPool(2, 2, 0),
                new Conv(128, 6, 1, 0), new Relu(), new BatchNorm(KERAS_BN_EPSILON), new MaxPool(2, 2, 0)));
        layers.add(inception(96, 128, 16, 16, 32, 64));   // 240 at 16x16
        layers.add(inception(128, 192, 32, 96, 64, 128)); // 480
        layers.add(new MaxPool(2, 2, 0));
        layers.add(new Inception(List.of(                       // 672 at 8x8: the 3x3 tower twice
                tower(Conv.same(96, 1), Conv.same(208, 3)),
                tower(new MaxPool(3, 1, 1), Conv.same(64, 1)),
                tower(Conv.same(192, 1))), List.of(0, 0, 1, 2)));
        layers.add(inception(112, 224, 24, 64, 64, 160)); // 512
        layers.add(inception(144, 288, 32, 64, 64, 128)); // 544
        layers.add(new MaxPool(2, 2, 0));
        layers.add(inception(144, 288, 32, 64, 64, 112)); // 528 at 4x4
        layers.addAll(List.of(new AvgPool(2, 2), Conv.same(256, 1), new Relu(), new Flatten(),
                new Dense(1024), new Relu(), new Dropout(0.5f), new Dense(1024), new Relu(), new Dropout(0.5f),
                new Dense(5), new Softmax()));
        return new Architecture("paper", 80, List.copyOf(layers));
    }

    private static Inception inception(int reduce3, int out3, int reduce5, int out5, int pool, int out1) {
        return new Inception(List.of(
                tower(Conv.same(reduce3, 1), Conv.same(out3, 3)),
                tower(Conv.same(reduce5, 1), Conv.same(out5, 5)),
                tower(new MaxPool(3, 1, 1), Conv.same(pool, 1)),
                tower(Conv.same(out1, 1))), List.of(0, 1, 2, 3));
    }

    /** Each conv of a tower gets ReLU and BN; pools pass through. */
    private static List<Layer> tower(Layer... steps) {
        List<Layer> out = new ArrayList<>();
        for (Layer step : steps) {
            out.add(step);
            if (step instanceof Conv) {
                out.add(new Relu());
                out.add(new BatchNorm(KERAS_BN_EPSILON));
            }
        }
        return List.copyOf(out);
    }

    /** Trainable parameters and multiply-accumulates per stamp, counted from the layer list. */
    public record Cost(long parameters, long multiplyAccumulates) {
    }

    public Cost cost() {
        long[] totals = new long[2];
        int[] out = walk(layers, new int[] {1, inputSize, inputSize}, totals);
        if (out[0] != 5 || out[1] != 1 || out[2] != 1) {
            throw new IllegalStateException(name + " ends in shape " + java.util.Arrays.toString(out) + ", not 5 classes");
        }
        return new Cost(totals[0], totals[1]);
    }

    /** Propagates a [channels, height, width] shape through the layers, adding parameters and MACs to totals. */
    private static int[] walk(List<Layer> layers, int[] shape, long[] totals) {
        int[] s = shape;
        for (Layer layer : layers) {
            if (layer instanceof Conv c) {
                int h = (s[1] + 2 * c.padding() - c.kernel()) / c.stride() + 1;
                int w = (s[2] + 2 * c.padding() - c.kernel()) / c.stride() + 1;
                long weights = (long) c.kernel() * c.kernel() * s[0] * c.filters();
                totals[0] += weights + c.filters();
                totals[1] += weights * h * w;
                s = new int[] {c.filters(), h, w};
            } else if (layer instanceof BatchNorm) {
                totals[0] += 2L * s[0];
            } else if (layer instanceof MaxPool p) {
                s = new int[] {s[0], (s[1] + 2 * p.padding() - p.kernel()) / p.stride() + 1,
                        (s[2] + 2 * p.padding() - p.kernel()) / p.stride() + 1};
            } else if (layer instanceof AvgPool p) {
                s = new int[] {s[0], (s[1] - p.kernel()) / p.stride() + 1, (s[2] - p.kernel()) / p.stride() + 1};
            } else if (layer instanceof Inception inception) {
                List<int[]> outs = new ArrayList<>();
                for (List<Layer> tower : inception.towers()) {
                    outs.add(walk(tower, s, totals));
                }
                int channels = inception.concat().stream().mapToInt(t -> outs.get(t)[0]).sum();
                s = new int[] {channels, outs.get(0)[1], outs.get(0)[2]};
            } else if (layer instanceof Flatten) {
                s = new int[] {s[0] * s[1] * s[2], 1, 1};
            } else if (layer instanceof Dense d) {
                totals[0] += (long) s[0] * d.units() + d.units();
                totals[1] += (long) s[0] * d.units();
                s = new int[] {d.units(), 1, 1};
            }
        }
        return s;
    }

    /**
     * The same network with every dropout layer at {@code rate}. Dropout acts only while training (the exported graph
     * has none), so this changes how a network is trained, never what a trained one computes.
     */
    public Architecture withDropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("a dropout rate is at least 0 and below 1, not " + rate);
        }
        return new Architecture(name, inputSize, layers.stream()
                .map(layer -> layer instanceof Dropout ? (Layer) new Dropout(rate) : layer).toList());
    }

    public static Architecture byName(String name, int inputSize) {
        return switch (name) {
            case "compact" -> compact(inputSize);
            case "paper" -> {
                if (inputSize != 80) {
                    throw new IllegalArgumentException("the paper's network takes 80x80 stamps, not " + inputSize);
                }
                yield paper();
            }
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (known: compact, paper)");
        };
    }
}
