package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.stamp.Stamp;
import picocli.CommandLine;

class PaperFormatTest {
    private static final String HEADER = "ID,p_smooth,p_features,p_irregular,p_point_source,p_unclassifiable";

    @Test
    void simulatedDatasetRoundTripsThroughThePaperFormat(@TempDir Path dir) throws Exception {
        assertThat(new CommandLine(new SimulateCommand()).execute("--output", dir.toString(), "--samples", "12",
                "--seed", "4")).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
        assertThat(lines).hasSize(13).first().isEqualTo(HEADER);
        List<PaperFormat.Entry> entries = PaperFormat.readLabels(dir.resolve("labels.csv"));
        assertThat(entries).hasSize(12);
        assertThat(entries.get(0).id()).isEqualTo("demo_f606w_1");

        StampDataset data = PaperFormat.read(dir, Preprocessing.byName(MinMaxBilinear.NAME), 64);
        assertThat(data.size()).isEqualTo(12);
        assertThat(data.bands()).containsOnly("F606W", "F160W");
        for (int i = 0; i < data.size(); i++) {
            double sum = 0;
            for (float f : data.labels()[i]) {
                sum += f;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void trainingAndServingPreprocessingGiveIdenticalTensors(@TempDir Path dir) {
        new CommandLine(new SimulateCommand()).execute("--output", dir.toString(), "--samples", "6", "--seed", "9");
        List<PaperFormat.Entry> entries = PaperFormat.readLabels(dir.resolve("labels.csv"));
        for (Preprocessing recipe : Preprocessing.RECIPES.values()) {
            StampDataset training = PaperFormat.read(dir, recipe, 80);
            for (int i = 0; i < entries.size(); i++) {
                // Serving: the stamp travels as float32 little-endian bytes in a CutoutEvent, and the inference
                // service applies the recipe named in the model's metadata.
                FitsFrame fits = FitsReader.readFirstImage(dir.resolve("stamps").resolve(entries.get(i).id() + ".fits"));
                Stamp wire = Stamp.fromLittleEndianBytes(fits.width(), fits.height(),
                        new Stamp(fits.width(), fits.height(), fits.pixels(), false).toLittleEndianBytes());
                float[] serving = Preprocessing.byName(recipe.name()).apply(wire.pixels(), wire.width(), wire.height(), 80);
                assertThat(serving).as("%s, stamp %d", recipe.name(), i).containsExactly(training.inputs()[i]);
            }
        }
    }

    @Test
    void badLabelFilesAndMissingStampsAreClearErrors(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "ID,p_smooth,p_features\nx,1,0\n");
        assertThatThrownBy(() -> PaperFormat.readLabels(csv)).hasMessageContaining("no column p_irregular");
        Files.writeString(csv, HEADER + "\na,0.5,0.5,0,0,0\nb,1.5,0,0,0,0\n");
        assertThatThrownBy(() -> PaperFormat.readLabels(csv)).hasMessageContaining("line 3").hasMessageContaining("not in [0, 1]");
        Files.writeString(csv, HEADER + "\na,0.5,0.2,0,0,0\n");
        assertThatThrownBy(() -> PaperFormat.readLabels(csv)).hasMessageContaining("sum to");
        Files.writeString(csv, HEADER + "\nmacs1206_f435w_1322,0.714285714,0.142857143,0,0,0.142857143\n");
        assertThat(PaperFormat.readLabels(csv)).hasSize(1);
        assertThatThrownBy(() -> PaperFormat.read(dir, Preprocessing.byName(MinMaxBilinear.NAME), 80))
                .hasMessageContaining("macs1206_f435w_1322").hasMessageContaining("stamps");
    }

    @Test
    void bandComesFromClashStyleIds() {
        assertThat(PaperFormat.bandOf("macs1206_f435w_1322")).isEqualTo("F435W");
        assertThat(PaperFormat.bandOf("rxj1347_f850lp_743")).isEqualTo("F850LP");
        assertThat(PaperFormat.bandOf("demo_f160w_3")).isEqualTo("F160W");
        assertThat(PaperFormat.bandOf("12345")).isEqualTo("unknown");
    }

    @Test
    void trainsOnADatasetInThePaperFormat(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        new CommandLine(new SimulateCommand()).execute("--output", data.toString(), "--samples", "96", "--seed", "5");
        assertThat(data.resolve(PaperFormat.TRUTH_FILE)).isRegularFile();
        StampDataset read = PaperFormat.read(data, Preprocessing.byName(MinMaxBilinear.NAME), 32);
        assertThat(java.util.Arrays.stream(read.trueClass()).allMatch(c -> c >= 0 && c < 5)).isTrue();
        assertThat(read.labelNoiseLevel().orElseThrow()).isBetween(0.01, 0.2);
        Path out = dir.resolve("m.onnx");
        int rc = new CommandLine(new TrainCommand()).execute("--dataset", data.toString(), "--epochs", "1",
                "--input-size", "32", "--batch-size", "32", "--output", out.toString());
        assertThat(rc).isZero();
        assertThat(Files.readString(dir.resolve("m.md"))).contains("--dataset " + data).contains("paper's format")
                .contains("77 training and 19 validation");
        assertThat(OnnxImporter.metadata(out).get("morpho.trained_on")).startsWith("dataset data, 96 stamps");

        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new EvaluateCommand()).execute("--model", out.toString(), "--dataset", data.toString()))
                    .isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .containsPattern("RMSE 0\\.\\d{4} ± 0\\.\\d{4} \\(standard error\\) over 96 stamps")
                .contains("F606W    RMSE 0.").contains("F160W    RMSE 0.").contains("label-noise level 0.")
                .contains("(label noise 0.").contains("per simulated class").containsPattern("  spheroid +n=\\d+ +0\\.\\d{4}");
    }
}
