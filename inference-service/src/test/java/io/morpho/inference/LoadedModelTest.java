package io.morpho.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OrtEnvironment;
import io.morpho.inference.model.LoadedModel;
import io.morpho.inference.model.ModelContractException;

/** The model contract check and the execution-provider choice, on the committed model (no GPU here). */
class LoadedModelTest {
    static final Path MODEL = Path.of(System.getProperty("morpho.repo.root", ".."), "models", "morpho-compact-clash.onnx");
    final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @Test
    void committedModelSatisfiesTheContract() {
        try (LoadedModel model = LoadedModel.load(env, MODEL, "cpu", 0, 1)) {
            assertThat(model.name()).isEqualTo("morpho-compact-clash");
            assertThat(model.inputSize()).isEqualTo(64);
            assertThat(model.preprocessing().name()).isEqualTo("minmax-bilinear-v1");
            assertThat(model.sha256()).hasSize(64);
            assertThat(model.executionProvider()).isEqualTo("cpu");
        }
    }

    @Test
    void everyShippedModelLoadsUnchanged() throws Exception {
        try (var files = Files.list(MODEL.getParent())) {
            var models = files.filter(f -> f.toString().endsWith(".onnx")).toList();
            assertThat(models).hasSizeGreaterThanOrEqualTo(2);
            for (Path file : models) {
                try (LoadedModel model = LoadedModel.load(env, file, "cpu", 0, 1)) {
                    assertThat(file.getFileName().toString()).isEqualTo(model.name() + ".onnx");
                    float[][] p = model.run(env, new float[][] {new float[model.inputSize() * model.inputSize()]});
                    assertThat(p[0]).hasSize(5);
                }
            }
        }
    }

    /** The shipped model averages its network over the stamp's 8 rotations by 90 degrees and flips (morpho.views). */
    @Test
    void theShippedModelAnswersTheSameHoweverTheStampIsTurned() throws Exception {
        int s = 64;
        float[] stamp = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                // an elongated, tilted galaxy with a clump off to one side: no symmetry of its own
                double u = (x - 30) * 0.8 + (y - 33) * 0.6;
                double v = -(x - 30) * 0.6 + (y - 33) * 0.8;
                stamp[y * s + x] = (float) (Math.exp(-Math.hypot(u / 9, v / 4)) + 0.5 * Math.exp(-Math.hypot(x - 44, y - 20) / 2));
            }
        }
        float[] turned = new float[s * s];
        float[] mirrored = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                turned[y * s + x] = stamp[x * s + (s - 1 - y)];
                mirrored[y * s + x] = stamp[y * s + (s - 1 - x)];
            }
        }
        try (LoadedModel model = LoadedModel.load(env, MODEL, "cpu", 0, 1)) {
            float[][] p = model.run(env, new float[][] {stamp, turned, mirrored});
            for (int c = 0; c < 5; c++) {
                assertThat(p[1][c]).isCloseTo(p[0][c], org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(p[2][c]).isCloseTo(p[0][c], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void autoFallsBackToCpuWhenCudaIsUnavailable() {
        try (LoadedModel model = LoadedModel.load(env, MODEL, "auto", 0, 1)) {
            assertThat(model.executionProvider()).isEqualTo("cpu");
            assertThat(model.providerFallback()).startsWith("CUDA unavailable:");
        }
        try (LoadedModel model = LoadedModel.load(env, MODEL, "cpu", 0, 1)) {
            assertThat(model.providerFallback()).isNull();
        }
    }

    @Test
    void explicitCudaWithoutCudaIsAClearError() {
        assertThatThrownBy(() -> LoadedModel.load(env, MODEL, "cuda", 0, 1))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("ONNX Runtime cannot load");
        assertThatThrownBy(() -> LoadedModel.load(env, MODEL, "tensorrt", 0, 1))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("ONNX Runtime cannot load");
        assertThatThrownBy(() -> LoadedModel.load(env, MODEL, "tpu", 0, 1))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("unknown execution provider");
    }

    /** Every graph optimisation level and both arena settings serve the same probabilities. */
    @Test
    void sessionTuningKeepsTheResults() throws Exception {
        float[][] input = {new float[64 * 64]};
        for (int i = 0; i < input[0].length; i++) {
            input[0][i] = (float) Math.exp(-Math.hypot(i % 64 - 32, i / 64 - 32) / 6);
        }
        float[][] reference;
        try (LoadedModel model = LoadedModel.load(env, MODEL, "cpu", 0, 1)) {
            reference = model.run(env, input);
        }
        for (String level : new String[] {"none", "basic", "extended", "all"}) {
            for (boolean arena : new boolean[] {true, false}) {
                try (LoadedModel model = LoadedModel.load(env, MODEL, new LoadedModel.Settings("cpu", 0, 2, arena ? 1 : 2, level, arena))) {
                    float[] p = model.run(env, input)[0];
                    for (int c = 0; c < 5; c++) {
                        assertThat(p[c]).as("%s, arena %s", level, arena).isCloseTo(reference[0][c],
                                org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        }
        assertThatThrownBy(() -> LoadedModel.load(env, MODEL, new LoadedModel.Settings("cpu", 0, 1, 1, "max", true)))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("none, basic, extended or all");
    }

    @Test
    void missingOrCorruptModelsAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> LoadedModel.load(env, dir.resolve("none.onnx"), "cpu", 0, 1))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("does not exist");
        Path corrupt = Files.write(dir.resolve("corrupt.onnx"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> LoadedModel.load(env, corrupt, "cpu", 0, 1))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("cannot load");
        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(MODEL), 5000);
        Path half = Files.write(dir.resolve("half.onnx"), truncated);
        assertThatThrownBy(() -> LoadedModel.load(env, half, "cpu", 0, 1)).isInstanceOf(ModelContractException.class);
    }
}
