package io.morpho.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import morpho.events.v1.ModelPublished;

/** The shipped model, and copies of it under other names or versions (same weights, another file and sha256). */
final class TestModels {
    static final Path SHIPPED = Path.of(System.getProperty("morpho.repo.root", ".."), "models", "morpho-compact-clash.onnx");
    static final String SHIPPED_VERSION = metadata(SHIPPED, "morpho.version");

    private TestModels() {
    }

    /** A copy of the shipped model whose {@code morpho.*} metadata has the given values. */
    static Path variant(Path dir, String fileName, Map<String, String> metadata) throws Exception {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(SHIPPED)).toBuilder();
        for (int i = 0; i < model.getMetadataPropsCount(); i++) {
            String value = metadata.get(model.getMetadataProps(i).getKey());
            if (value != null) {
                model.setMetadataProps(i, model.getMetadataProps(i).toBuilder().setValue(value));
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName);
        Files.write(file, model.build().toByteArray());
        return file;
    }

    static String metadata(Path model, String key) {
        try {
            return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model)).getMetadataPropsList().stream()
                    .filter(p -> p.getKey().equals(key)).findFirst().orElseThrow().getValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static ModelPublished announcement(String name, Path file, String version, String sha256) {
        return ModelPublished.newBuilder().setName(name).setVersion(version).setUri(file.toUri().toString())
                .setSha256(sha256).setInputSize(64).setMetrics(Map.of()).setPublishedAt(Instant.now()).build();
    }
}
