package io.morpho.training;

/**
 * One step of a feed-forward network. An {@link Architecture} is a list of these; the same list builds
 * the DJL block for training and drives the ONNX exporter, so the two cannot drift apart.
 */
public sealed interface Layer {
    /** 2-D convolution, square kernel, "same"-style symmetric padding. */
    record Conv(int filters, int kernel, int stride, int padding) implements Layer {
    }

    record Relu() implements Layer {
    }

    record MaxPool(int kernel, int stride) implements Layer {
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
