package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Survey;
import picocli.CommandLine;

/** Stochastic weight averaging ({@code --average-from}): the mean of the epochs' weights, with or without validation. */
class WeightAveragingTest {
    static StampDataset train;
    static StampDataset validation;

    @BeforeAll
    static void data() {
        StampDataset all = StampDataset.simulate(5, 160, Survey.demo(), 32, Preprocessing.byName(MinMaxBilinear.NAME),
                () -> { });
        validation = all.slice(0, 32);
        train = all.slice(32, all.size());
    }

    private static Map<String, float[]> weights(int epochs, int averageFrom) {
        ModelTrainer.Result result = ModelTrainer.train(new ModelTrainer.Config(Architecture.compact(32), epochs, 32,
                1e-3f, epochs, 7, Augment.Mode.DIHEDRAL, null, false, averageFrom), train, validation, new ModelTrainer.Listener() {
                    @Override
                    public void batch(int epoch, int done, int total, double loss) {
                    }

                    @Override
                    public void epoch(ModelTrainer.Epoch epoch) {
                    }
                });
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : result.block().getParameters()) {
            weights.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        assertThat(result.bestEpoch()).isEqualTo(epochs);
        assertThat(result.bestValidationRmse()).isBetween(0.0, 1.0);
        result.model().close();
        return weights;
    }

    @Test
    void keepsTheMeanOfTheWeightsAfterEachEpochFromTheFirstAveraged() {
        // Training is seeded, so a run of 3 epochs passes through the weights of the runs stopped after 1 and 2.
        Map<String, float[]> first = weights(1, 1);
        Map<String, float[]> second = weights(2, 2);
        Map<String, float[]> third = weights(3, 3);
        Map<String, float[]> lastTwo = weights(3, 2);
        Map<String, float[]> all = weights(3, 1);
        double largest = 0;
        for (String name : first.keySet()) {
            float[] a = first.get(name);
            float[] b = second.get(name);
            float[] c = third.get(name);
            for (int i = 0; i < a.length; i++) {
                assertThat(lastTwo.get(name)[i]).isCloseTo((b[i] + c[i]) / 2, org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(all.get(name)[i]).isCloseTo((a[i] + b[i] + c[i]) / 3, org.assertj.core.data.Offset.offset(1e-5f));
                largest = Math.max(largest, Math.abs(c[i] - a[i]));
            }
        }
        assertThat(largest).as("the epochs' weights differ, so the mean is not one of them").isGreaterThan(1e-3);
    }

    @Test
    void trainsOnEveryStampWithoutValidationAndSaysSo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("swa.onnx");
        int rc = new CommandLine(new TrainCommand()).execute("--samples", "96", "--epochs", "2", "--average-from", "1",
                "--validation-fraction", "0", "--input-size", "32", "--batch-size", "32", "--views", "8",
                "--model-name", "swa", "--output", out.toString());
        assertThat(rc).isZero();
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(out.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertThat(meta).containsEntry("morpho.views", "8").doesNotContainKey("morpho.metrics.rmse");
        }
        String card = Files.readString(dir.resolve("swa.md"));
        assertThat(card).contains("96 training and 0 validation stamps")
                .contains("weights averaged over epochs 1-2 (stochastic weight averaging), no validation stamps")
                .contains("--validation-fraction 0.0 --epochs 2 --average-from 1")
                .contains("on the first training stamps: max |delta|")
                .contains("no validation stamps: every labelled stamp trained")
                .contains("| 2 | ").doesNotContain("NaN");
        assertThat(Files.exists(dir.resolve("swa-learning-curve.png"))).isTrue();
    }

    @Test
    void refusesToChooseAnEpochWithoutValidationStamps(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new TrainCommand()).setErr(new PrintWriter(err, true));
        int rc = cli.execute("--samples", "96", "--epochs", "2", "--validation-fraction", "0", "--input-size", "32",
                "--output", dir.resolve("x.onnx").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--validation-fraction").contains("above 0 unless --average-from is given");
        assertThat(dir.resolve("x.onnx")).doesNotExist();

        err.reset();
        rc = cli.execute("--samples", "96", "--epochs", "2", "--average-from", "3", "--input-size", "32",
                "--output", dir.resolve("x.onnx").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--average-from must be between 1 and --epochs (2)").contains("not 3");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
        assertThatThrownBy(() -> new ModelTrainer.Config(Architecture.compact(32), 3, 32, 1e-3f, 3, 1,
                Augment.Mode.DIHEDRAL, null, false, 4)).hasMessageContaining("between 1 and 3");
    }
}
