package io.morpho.training;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * Builds the DJL block of an {@link Architecture}: exactly one child block per layer, in order; an inception
 * layer is a {@link ParallelBlock} with one {@link SequentialBlock} per tower.
 */
public final class DjlNetwork {
    private DjlNetwork() {
    }

    public static SequentialBlock build(Architecture architecture) {
        return sequence(architecture.layers());
    }

    static SequentialBlock sequence(List<Layer> layers) {
        SequentialBlock net = new SequentialBlock();
        for (Layer layer : layers) {
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
        } else if (layer instanceof Layer.BatchNorm b) {
            return BatchNorm.builder().optEpsilon(b.epsilon()).build();
        } else if (layer instanceof Layer.MaxPool p) {
            return Pool.maxPool2dBlock(new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
                    new Shape(p.padding(), p.padding()));
        } else if (layer instanceof Layer.AvgPool p) {
            return Pool.avgPool2dBlock(new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()));
        } else if (layer instanceof Layer.Inception inception) {
            List<Block> towers = new ArrayList<>();
            for (List<Layer> tower : inception.towers()) {
                towers.add(sequence(tower));
            }
            List<Integer> order = inception.concat();
            return new ParallelBlock(outputs -> {
                NDList parts = new NDList();
                for (int tower : order) {
                    parts.add(outputs.get(tower).singletonOrThrow());
                }
                NDArray joined = NDArrays.concat(parts, 1);
                return new NDList(joined);
            }, towers);
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
