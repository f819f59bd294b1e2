package io.morpho.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.onnx.proto.OnnxMl;

/**
 * Writes a trained {@link Architecture} as an ONNX model (IR 8, opset 17) following the model contract:
 * input {@code stamp} float32 [N, 1, S, S], output {@code probabilities} float32 [N, 5], metadata props.
 * DJL has no ONNX export, so the graph is built from the architecture and the block's parameters.
 * <p>
 * With 8 views the graph runs the network on the stamp's 8 exact rotations by 90 degrees and flips and returns the
 * mean of their probabilities, so the answer does not depend on how the stamp is oriented (the rotation-averaged
 * network of Dieleman, Willett &amp; Dambre 2015). The views and the mean are operators of the graph (Slice, Transpose,
 * Concat, Reshape, ReduceMean, constants as Constant nodes): the model contract and the initializers, which are the
 * network's weights in the block's order ({@link OnnxImporter}), stay as they are.
 */
public final class OnnxExporter {
    public static final String INPUT = "stamp";
    public static final String OUTPUT = "probabilities";

    private OnnxExporter() {
    }

    /** Exports the network alone (1 view). */
    public static void export(Architecture architecture, SequentialBlock block, Map<String, String> metadata, Path target)
            throws IOException {
        export(architecture, block, 1, metadata, target);
    }

    /** Exports the network averaged over {@code views} (1 or 8) orientations of each stamp. */
    public static void export(Architecture architecture, SequentialBlock block, int views, Map<String, String> metadata,
                              Path target) throws IOException {
        checkViews(views);
        List<Layer> layers = architecture.layers();
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Softmax)) {
            throw new IllegalStateException("the architecture must end with Softmax");
        }
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName(architecture.name());
        graph.addInput(valueInfo(INPUT, "N", 1, architecture.inputSize(), architecture.inputSize()));
        if (views == 1) {
            new Emitter(graph).sequence(layers, block, INPUT, OUTPUT);
        } else {
            String perView = new Emitter(graph).sequence(layers, block, dihedralViews(graph, INPUT), "view_probabilities");
            graph.addNode(node("Reshape", "view_split", List.of(perView, constant(graph, "view_shape", 8, -1, 5)),
                    "view_probabilities_8xNx5"));
            graph.addNode(node("ReduceMean", "view_mean", List.of("view_probabilities_8xNx5"), OUTPUT)
                    .addAttribute(ints("axes", 0)).addAttribute(intAttr("keepdims", 0)));
        }
        graph.addOutput(valueInfo(OUTPUT, "N", 5));
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("morpho-training")
                .setProducerVersion(metadata.getOrDefault("morpho.version", "unknown"))
                .setDomain("io.morpho")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph);
        metadata.forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(tmp, model.build().toByteArray());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The numbers of views a model may average over: the stamp alone, or its 8 rotations and flips. */
    static void checkViews(int views) {
        if (views != 1 && views != 8) {
            throw new IllegalArgumentException("views must be 1 (the stamp as it is) or 8 (its rotations by 90 degrees "
                    + "and flips), not " + views);
        }
    }

    /**
     * Emits the 8 dihedral views of {@code input} [N, 1, S, S], concatenated along the batch axis as [8N, 1, S, S]:
     * the stamp, flipped left-right, flipped top-bottom, both (a half turn), and each of these transposed.
     */
    private static String dihedralViews(OnnxMl.GraphProto.Builder graph, String input) {
        String reversed = constant(graph, "view_reverse", -1);
        String toStart = constant(graph, "view_to_start", Long.MIN_VALUE);
        String flipX = flip(graph, input, "view_flip_x", constant(graph, "view_axis_x", 3), reversed, toStart);
        String flipY = flip(graph, input, "view_flip_y", constant(graph, "view_axis_y", 2), reversed, toStart);
        String flipXy = flip(graph, flipX, "view_flip_xy", "view_axis_y", reversed, toStart);
        List<String> views = new java.util.ArrayList<>(List.of(input, flipX, flipY, flipXy));
        for (String v : List.copyOf(views)) {
            graph.addNode(node("Transpose", v + "_t", List.of(v), v + "_t_out").addAttribute(ints("perm", 0, 1, 3, 2)));
            views.add(v + "_t_out");
        }
        graph.addNode(node("Concat", "view_stack", views, "views").addAttribute(intAttr("axis", 0)));
        return "views";
    }

    /** Reverses {@code input} along one axis (Slice with step -1). */
    private static String flip(OnnxMl.GraphProto.Builder graph, String input, String name, String axis, String reversed,
                               String toStart) {
        graph.addNode(node("Slice", name, List.of(input, reversed, toStart, axis, reversed), name + "_out"));
        return name + "_out";
    }

    /** A Constant node holding a 1-d int64 tensor; returns its output's name. */
    private static String constant(OnnxMl.GraphProto.Builder graph, String name, long... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t)));
        return name;
    }

    /** Walks layers and their DJL blocks side by side, appending nodes and initializers to the graph. */
    private static final class Emitter {
        private final OnnxMl.GraphProto.Builder graph;
        private int counter;

        Emitter(OnnxMl.GraphProto.Builder graph) {
            this.graph = graph;
        }

        /** Emits a layer sequence reading {@code input}; the last node writes {@code output} (null: a fresh name). */
        String sequence(List<Layer> layers, Block block, String input, String output) {
            List<Block> children = block.getChildren().values();
            if (children.size() != layers.size()) {
                throw new IllegalStateException("block has " + children.size() + " children, architecture " + layers.size());
            }
            int last = layers.size() - 1;
            while (last >= 0 && layers.get(last) instanceof Layer.Dropout) {
                last--;
            }
            String current = input;
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) instanceof Layer.Dropout) {
                    continue; // identity at inference
                }
                current = layer(layers.get(i), children.get(i), current, i == last ? output : null);
            }
            return current;
        }

        private String layer(Layer layer, Block block, String in, String wanted) {
            String name = "n" + counter++;
            String out = wanted != null ? wanted : name + "_out";
            if (layer instanceof Layer.Conv c) {
                graph.addInitializer(tensor(name + "_W", block.getParameters().get("weight").getArray()));
                graph.addInitializer(tensor(name + "_B", block.getParameters().get("bias").getArray()));
                graph.addNode(node("Conv", name, List.of(in, name + "_W", name + "_B"), out)
                        .addAttribute(ints("kernel_shape", c.kernel(), c.kernel()))
                        .addAttribute(ints("strides", c.stride(), c.stride()))
                        .addAttribute(ints("pads", c.padding(), c.padding(), c.padding(), c.padding())));
            } else if (layer instanceof Layer.Relu) {
                graph.addNode(node("Relu", name, List.of(in), out));
            } else if (layer instanceof Layer.BatchNorm b) {
                List<String> inputs = new java.util.ArrayList<>(List.of(in));
                for (String param : List.of("gamma", "beta", "runningMean", "runningVar")) {
                    graph.addInitializer(tensor(name + "_" + param, block.getParameters().get(param).getArray()));
                    inputs.add(name + "_" + param);
                }
                graph.addNode(node("BatchNormalization", name, inputs, out)
                        .addAttribute(floatAttr("epsilon", b.epsilon())));
            } else if (layer instanceof Layer.MaxPool p) {
                graph.addNode(node("MaxPool", name, List.of(in), out)
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("strides", p.stride(), p.stride()))
                        .addAttribute(ints("pads", p.padding(), p.padding(), p.padding(), p.padding())));
            } else if (layer instanceof Layer.AvgPool p) {
                graph.addNode(node("AveragePool", name, List.of(in), out)
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("strides", p.stride(), p.stride())));
            } else if (layer instanceof Layer.Inception inception) {
                List<Block> towers = block.getChildren().values();
                List<String> towerOutputs = new java.util.ArrayList<>();
                for (int t = 0; t < inception.towers().size(); t++) {
                    towerOutputs.add(sequence(inception.towers().get(t), towers.get(t), in, null));
                }
                List<String> parts = inception.concat().stream().map(towerOutputs::get).toList();
                graph.addNode(node("Concat", name, parts, out).addAttribute(intAttr("axis", 1)));
            } else if (layer instanceof Layer.Flatten) {
                graph.addNode(node("Flatten", name, List.of(in), out).addAttribute(intAttr("axis", 1)));
            } else if (layer instanceof Layer.Dense) {
                graph.addInitializer(tensor(name + "_W", block.getParameters().get("weight").getArray()));
                graph.addInitializer(tensor(name + "_B", block.getParameters().get("bias").getArray()));
                // DJL's Linear stores weights as [units, in]: Gemm with transB.
                graph.addNode(node("Gemm", name, List.of(in, name + "_W", name + "_B"), out)
                        .addAttribute(intAttr("transB", 1)));
            } else if (layer instanceof Layer.Softmax) {
                graph.addNode(node("Softmax", name, List.of(in), out).addAttribute(intAttr("axis", 1)));
            } else {
                throw new IllegalStateException("cannot export " + layer);
            }
            return out;
        }
    }

    private static OnnxMl.NodeProto.Builder node(String op, String name, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.AttributeProto ints(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static OnnxMl.AttributeProto floatAttr(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    private static OnnxMl.AttributeProto intAttr(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.TensorProto tensor(String name, NDArray array) {
        float[] values = array.toFloatArray();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : array.getShape().getShape()) {
            t.addDims(d);
        }
        return t.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, String batchDim, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batchDim));
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}
