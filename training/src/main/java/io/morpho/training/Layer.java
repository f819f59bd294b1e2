package io.morpho.training;

import java.util.List;

/**
 * One step of a network. An {@link Architecture} is a list of these; the same list builds the DJL block for
 * training and drives the ONNX exporter, so the two cannot drift apart.
 */
public sealed interface Layer {
    /** 2-D convolution with a bias, square kernel, symmetric padding (0 = Keras "valid"). */
    record Conv(int filters, int kernel, int stride, int padding) implements Layer {
        /** Keras "same" for an odd kernel at stride 1. */
        static Conv same(int filters, int kernel) {
            return new Conv(filters, kernel, 1, kernel / 2);
        }
    }

    record Relu() implements Layer {
    }

    /** Batch normalisation over channels (inference: running mean and variance). */
    record BatchNorm(float epsilon) implements Layer {
    }

    record MaxPool(int kernel, int stride, int padding) implements Layer {
    }

    record AvgPool(int kernel, int stride) implements Layer {
    }

    /**
     * Parallel towers on the same input whose outputs are concatenated along channels in {@code concat} order
     * (tower indices; a tower may appear twice, as in the paper's third block).
     */
    record Inception(List<List<Layer>> towers, List<Integer> concat) implements Layer {
    }

    /** Flattens [N, C, H, W] to [N, C*H*W] in C order. */
    record Flatten() implements Layer {
    }

    record Dense(int units) implements Layer {
    }

    /** Training-only; absent from the exported graph. */
    record Dropout(float rate) implements Layer {
    }

    /** Over the class axis; the network's last layer, so outputs are probabilities. */
    record Softmax() implements Layer {
    }
}
