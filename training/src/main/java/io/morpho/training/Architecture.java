package io.morpho.training;

import java.util.List;

import io.morpho.training.Layer.Conv;
import io.morpho.training.Layer.Dense;
import io.morpho.training.Layer.Dropout;
import io.morpho.training.Layer.Flatten;
import io.morpho.training.Layer.MaxPool;
import io.morpho.training.Layer.Relu;
import io.morpho.training.Layer.Softmax;

/** A named network: input size (square, one channel) and its layers. */
public record Architecture(String name, int inputSize, List<Layer> layers) {

    /**
     * A small CNN for fast CPU serving: four 3x3 conv + ReLU + 2x2 max-pool stages (16, 32, 64, 64 filters),
     * then Dense 64 - Dropout - Dense 5 - Softmax. About 13 M multiply-accumulates per 64x64 stamp.
     */
    public static Architecture compact(int inputSize) {
        if (inputSize % 16 != 0) {
            throw new IllegalArgumentException("compact needs an input size divisible by 16, got " + inputSize);
        }
        return new Architecture("compact", inputSize, List.of(
                new Conv(16, 3, 1, 1), new Relu(), new MaxPool(2, 2),
                new Conv(32, 3, 1, 1), new Relu(), new MaxPool(2, 2),
                new Conv(64, 3, 1, 1), new Relu(), new MaxPool(2, 2),
                new Conv(64, 3, 1, 1), new Relu(), new MaxPool(2, 2),
                new Flatten(), new Dense(64), new Relu(), new Dropout(0.3f),
                new Dense(5), new Softmax()));
    }

    public static Architecture byName(String name, int inputSize) {
        return switch (name) {
            case "compact" -> compact(inputSize);
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (known: compact)");
        };
    }
}
