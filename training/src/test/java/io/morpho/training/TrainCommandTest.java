package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.morpho.events.MorphologyClass;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import picocli.CommandLine;

/** Trains small models with DJL (offline), exports them and runs them in ONNX Runtime. */
class TrainCommandTest {
    private static Path train(Path dir, String name, String... more) {
        Path out = dir.resolve(name + ".onnx");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--samples", "320", "--epochs", "2",
                "--input-size", "32", "--batch-size", "32", "--seed", "3", "--model-name", name, "--output", out.toString()));
        args.addAll(java.util.List.of(more));
        int rc = new CommandLine(new TrainCommand()).execute(args.toArray(String[]::new));
        assertThat(rc).isZero();
        return out;
    }

    @Test
    void exportedModelFollowsTheContractAndMatchesDjl(@TempDir Path dir) throws Exception {
        Path model = train(dir, "tiny");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactly(OnnxExporter.INPUT);
            assertThat(session.getOutputNames()).containsExactly(OnnxExporter.OUTPUT);
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertThat(meta).containsEntry("morpho.classes", MorphologyClass.metadataValue())
                    .containsEntry("morpho.input_size", "32")
                    .containsEntry("morpho.preprocess", MinMaxBilinear.NAME)
                    .containsEntry("morpho.architecture", "compact")
                    .containsEntry("morpho.name", "tiny")
                    .containsKeys("morpho.version", "morpho.trained_on", "morpho.metrics.rmse", "morpho.bands");
        }
        float[][] probabilities = OrtRunner.predict(model, new float[][] {new float[32 * 32], ones(32 * 32)}, 32);
        for (float[] row : probabilities) {
            double sum = 0;
            for (float p : row) {
                assertThat(p).isBetween(0f, 1f);
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        String card = Files.readString(dir.resolve("tiny.md"));
        assertThat(Architecture.compact(64).cost().parameters()).isEqualTo(211_573L);
        assertThat(card).contains("bin/morpho train").contains("--seed 3").contains(TrainCommand.sha256(model));
        // The command refuses to write a model whose ONNX graph disagrees with DJL (max |delta| > 1e-4); the card
        // records the measured difference, which must be at float rounding level.
        String parity = card.replaceAll("(?s).*max \\|delta\\| = ([0-9.eE+-]+).*", "$1");
        assertThat(Double.parseDouble(parity)).isLessThan(1e-5);
    }

    @Test
    void trainingIsReproducibleForASeed(@TempDir Path dir) throws Exception {
        Path a = train(dir.resolve("a"), "repro");
        Path b = train(dir.resolve("b"), "repro");
        assertThat(TrainCommand.sha256(a)).isEqualTo(TrainCommand.sha256(b));
    }

    @Test
    void dropoutChangesHowTheNetworkTrainsNotWhatItComputes(@TempDir Path dir) throws Exception {
        Architecture compact = Architecture.compact(32);
        Architecture lighter = compact.withDropout(0.1f);
        assertThat(lighter.layers()).filteredOn(Layer.Dropout.class::isInstance)
                .containsExactly(new Layer.Dropout(0.1f));
        assertThat(lighter.layers()).hasSameSizeAs(compact.layers());
        assertThat(lighter.cost()).isEqualTo(compact.cost());
        assertThat(Architecture.paper().withDropout(0).layers()).filteredOn(Layer.Dropout.class::isInstance)
                .containsExactly(new Layer.Dropout(0), new Layer.Dropout(0));

        Path usual = train(dir.resolve("a"), "drop");
        Path none = train(dir.resolve("b"), "drop", "--dropout", "0");
        assertThat(TrainCommand.sha256(none)).isNotEqualTo(TrainCommand.sha256(usual));
        assertThat(Files.readString(dir.resolve("b/drop.md"))).contains("--learning-rate 0.001 --dropout 0.0 ");
        try (OrtSession a = OrtEnvironment.getEnvironment().createSession(usual.toString(), new OrtSession.SessionOptions());
             OrtSession b = OrtEnvironment.getEnvironment().createSession(none.toString(), new OrtSession.SessionOptions())) {
            assertThat(b.getInputInfo().toString()).isEqualTo(a.getInputInfo().toString());
            assertThat(b.getOutputInfo().toString()).isEqualTo(a.getOutputInfo().toString());
            assertThat(b.getMetadata().getCustomMetadata().get("morpho.architecture")).isEqualTo("compact");
        }

        java.io.StringWriter err = new java.io.StringWriter();
        int rc = new CommandLine(new TrainCommand()).setErr(new java.io.PrintWriter(err)).execute("--samples", "32",
                "--dropout", "1", "--output", dir.resolve("c.onnx").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--dropout must be at least 0 and below 1, not 1.0");
        assertThat(dir.resolve("c.onnx")).doesNotExist();
    }

    private static float[] ones(int n) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, 0.5f);
        x[0] = 1;
        return x;
    }
}
