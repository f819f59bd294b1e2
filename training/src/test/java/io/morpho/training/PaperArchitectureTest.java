package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Survey;

/** The paper's inception network: DJL training step, ONNX export, and DJL vs ONNX Runtime parity. */
class PaperArchitectureTest {
    @Test
    void exportedPaperNetworkMatchesDjlAfterTraining(@TempDir Path dir) throws Exception {
        Architecture paper = Architecture.paper();
        StampDataset data = StampDataset.simulate(11, 24, Survey.candels(), 80,
                Preprocessing.byName(MinMaxBilinear.NAME), () -> { });
        // Two epochs on a few stamps move the weights and the BatchNorm running statistics off their initial values.
        ModelTrainer.Result result = ModelTrainer.train(new ModelTrainer.Config(paper, 2, 8, 1e-3f, 5, 1, Augment.Mode.PAPER),
                data.slice(8, 24), data.slice(0, 8), new ModelTrainer.Listener() {
                    @Override
                    public void batch(int epoch, int done, int total, double loss) {
                    }

                    @Override
                    public void epoch(ModelTrainer.Epoch e) {
                    }
                });
        Path model = dir.resolve("paper.onnx");
        OnnxExporter.export(paper, result.block(), Map.of("morpho.version", "test"), model);

        float[][] inputs = new float[6][];
        Random rng = new Random(2);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = i < 4 ? data.inputs()[i] : randomImage(rng, 80 * 80);
        }
        float[][] djl = ModelTrainer.predict(result.model(), inputs, 80);
        float[][] ort = OrtRunner.predict(model, inputs, 80);
        assertThat(OrtRunner.maxAbsDifference(djl, ort)).isLessThan(1e-5);

        long trainable = 0;
        for (Pair<String, Parameter> p : result.block().getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable += p.getValue().getArray().size();
            }
        }
        // DJL's shape inference and the architecture's own count agree. The original's 5,151,937 counted BN over
        // the width axis, no BN in the last three blocks and an unused 5x5 tower (see Architecture.paper()), hence the
        // small difference.
        Architecture.Cost cost = paper.cost();
        assertThat(trainable).isEqualTo(cost.parameters()).isEqualTo(5_158_909L);
        // About 560 M multiply-accumulates (1.12 GFLOP) per stamp, as measured for the original.
        assertThat(cost.multiplyAccumulates()).isBetween(555_000_000L, 565_000_000L);
        result.model().close();

        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(model.toString(), new OrtSession.SessionOptions())) {
            long[] in = ((TensorInfo) session.getInputInfo().get(OnnxExporter.INPUT).getInfo()).getShape();
            assertThat(in).containsExactly(-1, 1, 80, 80);
        }
    }

    private static float[] randomImage(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextFloat();
        }
        return x;
    }
}
