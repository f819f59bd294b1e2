package io.morpho.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;

/**
 * Loads the weights of a morpho ONNX model back into a DJL block of the same architecture, so a published model
 * is all one needs to fine-tune from. {@link OnnxExporter} writes initializers in the block's parameter order;
 * every shape is checked, so a model of another architecture is refused rather than mis-loaded.
 */
public final class OnnxImporter {
    private OnnxImporter() {
    }

    /** The model's {@code metadata_props}. */
    public static Map<String, String> metadata(Path onnx) throws IOException {
        Map<String, String> meta = new HashMap<>();
        for (OnnxMl.StringStringEntryProto p : read(onnx).getMetadataPropsList()) {
            meta.put(p.getKey(), p.getValue());
        }
        return meta;
    }

    /** The architecture named in the model's metadata. */
    public static Architecture architecture(Path onnx) throws IOException {
        Map<String, String> meta = metadata(onnx);
        String name = meta.get("morpho.architecture");
        String size = meta.get("morpho.input_size");
        if (name == null || size == null) {
            throw new IllegalArgumentException(onnx + " lacks morpho.architecture / morpho.input_size metadata");
        }
        return Architecture.byName(name, Integer.parseInt(size));
    }

    /** Copies the initializers of {@code onnx} into the (initialized) parameters of {@code block}. */
    public static void loadInto(Path onnx, SequentialBlock block) throws IOException {
        List<OnnxMl.TensorProto> initializers = read(onnx).getGraph().getInitializerList();
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
        if (initializers.size() != parameters.size()) {
            throw new IllegalArgumentException(onnx + " has " + initializers.size() + " weight tensors, the network "
                    + parameters.size() + ": not the same architecture");
        }
        for (int i = 0; i < parameters.size(); i++) {
            OnnxMl.TensorProto t = initializers.get(i);
            Parameter p = parameters.get(i).getValue();
            long[] expected = p.getArray().getShape().getShape();
            long[] actual = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (!Arrays.equals(expected, actual)) {
                throw new IllegalArgumentException(onnx + ": weight " + t.getName() + " has shape " + Arrays.toString(actual)
                        + " where the network expects " + Arrays.toString(expected) + " (" + parameters.get(i).getKey() + ")");
            }
            FloatBuffer values = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            p.getArray().set(values);
        }
    }

    private static OnnxMl.ModelProto read(Path onnx) throws IOException {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
    }
}
