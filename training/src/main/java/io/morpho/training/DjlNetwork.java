package io.morpho.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/** Builds the DJL block of an {@link Architecture}: exactly one child block per layer, in order. */
public final class DjlNetwork {
    private DjlNetwork() {
    }

    public static SequentialBlock build(Architecture architecture) {
        SequentialBlock net = new SequentialBlock();
        for (Layer layer : architecture.layers()) {
            net.add(block(layer));
        }
        return net;
    }

    private static Block block(Layer layer) {
        if (layer instanceof Layer.Conv c) {
            return Conv2d.builder()
                    .setKernelShape(new Shape(c.kernel(), c.kernel()))
                    .optStride(new Shape(c.stride(), c.stride()))
                    .optPadding(new Shape(c.padding(), c.padding()))
                    .setFilters(c.filters())
                    .build();
        } else if (layer instanceof Layer.Relu) {
            return Activation.reluBlock();
        } else if (layer instanceof Layer.MaxPool p) {
            return Pool.maxPool2dBlock(new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()));
        } else if (layer instanceof Layer.Flatten) {
            return Blocks.batchFlattenBlock();
        } else if (layer instanceof Layer.Dense d) {
            return Linear.builder().setUnits(d.units()).build();
        } else if (layer instanceof Layer.Dropout d) {
            return Dropout.builder().optRate(d.rate()).build();
        } else if (layer instanceof Layer.Softmax) {
            return new LambdaBlock(list -> new NDList(list.singletonOrThrow().softmax(1)), "softmax");
        }
        throw new IllegalArgumentException("no DJL block for " + layer);
    }
}
