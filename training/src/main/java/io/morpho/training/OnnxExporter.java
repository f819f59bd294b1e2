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
 */
public final class OnnxExporter {
    public static final String INPUT = "stamp";
    public static final String OUTPUT = "probabilities";

    private OnnxExporter() {
    }

    public static void export(Architecture architecture, SequentialBlock block, Map<String, String> metadata, Path target)
            throws IOException {
        List<Block> children = block.getChildren().values();
        List<Layer> layers = architecture.layers();
        if (children.size() != layers.size()) {
            throw new IllegalStateException("block has " + children.size() + " children, architecture " + layers.size());
        }
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName(architecture.name());
        graph.addInput(valueInfo(INPUT, "N", 1, architecture.inputSize(), architecture.inputSize()));
        String current = INPUT;
        int index = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Layer.Dropout) {
                continue; // identity at inference
            }
            boolean last = i == layers.size() - 1;
            String out = last ? OUTPUT : "t" + index;
            String name = "n" + index++;
            if (layer instanceof Layer.Conv c) {
                Block conv = children.get(i);
                String w = name + "_W";
                String b = name + "_B";
                graph.addInitializer(tensor(w, conv.getParameters().get("weight").getArray()));
                graph.addInitializer(tensor(b, conv.getParameters().get("bias").getArray()));
                graph.addNode(node("Conv", name, List.of(current, w, b), out)
                        .addAttribute(ints("kernel_shape", c.kernel(), c.kernel()))
                        .addAttribute(ints("strides", c.stride(), c.stride()))
                        .addAttribute(ints("pads", c.padding(), c.padding(), c.padding(), c.padding())));
            } else if (layer instanceof Layer.Relu) {
                graph.addNode(node("Relu", name, List.of(current), out));
            } else if (layer instanceof Layer.MaxPool p) {
                graph.addNode(node("MaxPool", name, List.of(current), out)
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("strides", p.stride(), p.stride())));
            } else if (layer instanceof Layer.Flatten) {
                graph.addNode(node("Flatten", name, List.of(current), out).addAttribute(intAttr("axis", 1)));
            } else if (layer instanceof Layer.Dense) {
                Block dense = children.get(i);
                String w = name + "_W";
                String b = name + "_B";
                graph.addInitializer(tensor(w, dense.getParameters().get("weight").getArray()));
                graph.addInitializer(tensor(b, dense.getParameters().get("bias").getArray()));
                // DJL's Linear stores weights as [units, in]: Gemm with transB.
                graph.addNode(node("Gemm", name, List.of(current, w, b), out).addAttribute(intAttr("transB", 1)));
            } else if (layer instanceof Layer.Softmax) {
                graph.addNode(node("Softmax", name, List.of(current), out).addAttribute(intAttr("axis", 1)));
            } else {
                throw new IllegalStateException("cannot export " + layer);
            }
            current = out;
        }
        if (!current.equals(OUTPUT)) {
            throw new IllegalStateException("the architecture must end with Softmax");
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
