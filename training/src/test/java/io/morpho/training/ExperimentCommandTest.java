package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** A miniature run of the transfer experiment: every stage runs and the report holds real numbers and plots. */
class ExperimentCommandTest {
    @Test
    void anUnknownAugmentationIsRefusedBeforeAnyTraining(@TempDir Path dir) {
        java.io.StringWriter err = new java.io.StringWriter();
        int rc = MorphoTrain.cli().setErr(new java.io.PrintWriter(err)).execute("experiment", "--output",
                dir.resolve("report").toString(), "--augmentation", "mirror", "--quick");
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("unknown augmentation 'mirror' (known: paper, dihedral)");
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void withWeightAveragingEveryLabelTrainsBothArms(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        int rc = new CommandLine(new ExperimentCommand()).execute("--output", report.toString(),
                "--models-dir", dir.resolve("models").toString(), "--input-size", "32", "--augmentation", "dihedral",
                "--average-from", "2", "--dropout", "0.1", "--quick");
        assertThat(rc).isZero();
        assertThat(Files.readString(report.resolve("report.md")))
                .contains("the same labelled CLASH-like stamps (all of them)")
                .contains("batches of 32; dropout 0.1 in the dense head;").contains("--dropout 0.1")
                .contains("3 epochs, keeping the mean of the weights after each epoch from 2 on")
                .contains("--average-from 2").containsPattern("\\| 10 \\| 0\\.\\d{4} ± 0\\.\\d{4} \\| 0\\.");
        for (String model : new String[] {"finetuned-10.onnx", "scratch-10.onnx"}) {
            java.util.Map<String, String> meta = OnnxImporter.metadata(dir.resolve("models").resolve(model));
            assertThat(meta.get("morpho.trained_on")).contains("on 160 CLASH-like stamps");
            assertThat(meta).doesNotContainKey("morpho.metrics.rmse");
        }
        java.io.StringWriter err = new java.io.StringWriter();
        int refused = MorphoTrain.cli().setErr(new java.io.PrintWriter(err)).execute("experiment", "--output",
                dir.resolve("never").toString(), "--epochs", "10", "--average-from", "11");
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("--average-from must lie between 1 and --epochs (10)");
        assertThat(dir.resolve("never")).doesNotExist();
        refused = MorphoTrain.cli().setErr(new java.io.PrintWriter(err)).execute("experiment", "--output",
                dir.resolve("never").toString(), "--dropout", "1.5");
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("--dropout must be at least 0 and below 1, not 1.5");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void writesAReportWithTablesAndPlots(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        int rc = new CommandLine(new ExperimentCommand()).execute("--output", report.toString(),
                "--models-dir", dir.resolve("models").toString(), "--input-size", "32", "--augmentation", "dihedral", "--views", "8", "--quick");
        assertThat(rc).isZero();
        String md = Files.readString(report.resolve("report.md"));
        assertThat(md).containsPattern("\\| 5 \\| 0\\.\\d{4} ± 0\\.\\d{4} \\| 0\\.\\d{4} ± 0\\.\\d{4} \\|").contains("| 10 | 0.").contains("| F225W | 0.").contains("| F160W | 0.")
                .contains("bin/morpho experiment").contains("test set: 160 CLASH-like stamps")
                .containsPattern("label-noise level of the test set: RMSE 0\\.\\d{4}")
                .containsPattern("Run time: \\d+\\.\\d minutes")
                .contains("augmentation: 90° rotations and flips").contains("--augmentation dihedral")
                .contains("mean over the stamp's 8 rotations").contains("--views 8");
        for (String png : new String[] {"pretraining.png", "rmse-vs-labels.png", "rmse-per-band.png"}) {
            byte[] bytes = Files.readAllBytes(report.resolve(png));
            assertThat(bytes).hasSizeGreaterThan(1000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(Files.exists(dir.resolve("models/base-candels.onnx"))).isTrue();
        assertThat(OnnxImporter.metadata(dir.resolve("models/finetuned-10.onnx"))).containsEntry("morpho.views", "8");
        assertThat(OnnxImporter.metadata(dir.resolve("models/scratch-10.onnx"))).containsEntry("morpho.views", "8");
        assertThat(OnnxImporter.metadata(dir.resolve("models/base-candels.onnx"))).doesNotContainKey("morpho.views");
    }
}
