package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.onnx.proto.OnnxMl;
import picocli.CommandLine;

/** Fine-tuning starts from a published ONNX model: import, all-layer and frozen-feature training, checkpoints. */
class FineTuneTest {
    @TempDir
    static Path dir;
    static Path base;
    static Path clash;

    @BeforeAll
    static void baseModelAndTargetData() {
        base = dir.resolve("base.onnx");
        assertThat(new CommandLine(new TrainCommand()).execute("--survey", "candels", "--samples", "256", "--epochs", "1",
                "--input-size", "32", "--batch-size", "32", "--model-name", "base", "--output", base.toString())).isZero();
        clash = dir.resolve("clash");
        assertThat(new CommandLine(new SimulateCommand()).execute("--survey", "clash", "--samples", "96",
                "--output", clash.toString())).isZero();
    }

    @Test
    void importedWeightsReproduceTheExportedModel() throws Exception {
        Architecture arch = OnnxImporter.architecture(base);
        assertThat(arch.name()).isEqualTo("compact");
        assertThat(arch.inputSize()).isEqualTo(32);
        SequentialBlock block = DjlNetwork.build(arch);
        try (Model model = Model.newInstance("imported", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new RmseLoss()))) {
                trainer.initialize(new Shape(1, 1, 32, 32));
            }
            OnnxImporter.loadInto(base, block);
            float[][] inputs = PaperFormat.read(clash, io.morpho.imaging.preprocess.Preprocessing.byName("minmax-bilinear-v1"), 32)
                    .inputs();
            float[][] djl = ModelTrainer.predict(model, inputs, 32);
            float[][] ort = OrtRunner.predict(base, inputs, 32);
            assertThat(OrtRunner.maxAbsDifference(djl, ort)).isLessThan(1e-5);
        }
        SequentialBlock paper = DjlNetwork.build(Architecture.paper());
        try (Model model = Model.newInstance("paper", Device.cpu(), "PyTorch")) {
            model.setBlock(paper);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new RmseLoss()))) {
                trainer.initialize(new Shape(1, 1, 80, 80));
            }
            assertThatThrownBy(() -> OnnxImporter.loadInto(base, paper)).hasMessageContaining("not the same architecture");
        }
    }

    @Test
    void frozenFeaturesStayAndTheHeadLearns() throws Exception {
        Path tuned = dir.resolve("frozen.onnx");
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        assertThat(new CommandLine(new TrainCommand()).execute("--base", base.toString(), "--freeze-features",
                "--dataset", clash.toString(), "--epochs", "2", "--batch-size", "16", "--learning-rate", "0.01",
                "--model-name", "frozen", "--checkpoint-dir", checkpoints.toString(), "--output", tuned.toString())).isZero();
        List<OnnxMl.TensorProto> before = initializers(base);
        List<OnnxMl.TensorProto> after = initializers(tuned);
        // The conv layers (W, B each) are the features; then 2 dense layers (W, B each).
        int features = 2 * (int) Architecture.compact(32).layers().stream().filter(l -> l instanceof Layer.Conv).count();
        assertThat(features).isEqualTo(16);
        for (int i = 0; i < features; i++) {
            assertThat(after.get(i).getRawData()).as("feature tensor %d", i).isEqualTo(before.get(i).getRawData());
        }
        assertThat(after.get(features).getRawData()).isNotEqualTo(before.get(features).getRawData());
        String card = Files.readString(dir.resolve("frozen.md"));
        assertThat(card).contains("--base " + base + " --freeze-features").contains("77 training and 19 validation");
        assertThat(OnnxImporter.metadata(tuned).get("morpho.trained_on"))
                .startsWith("fine-tuned from base 0.1.0 (features frozen) on dataset clash, 96 stamps");
        assertThat(Files.list(checkpoints)).isNotEmpty();
    }

    @Test
    void allLayerFineTuningMovesTheFeaturesToo() throws Exception {
        Path tuned = dir.resolve("all.onnx");
        assertThat(new CommandLine(new TrainCommand()).execute("--base", base.toString(), "--dataset", clash.toString(),
                "--epochs", "1", "--batch-size", "16", "--model-name", "all", "--output", tuned.toString())).isZero();
        assertThat(initializers(tuned).get(0).getRawData()).isNotEqualTo(initializers(base).get(0).getRawData());
        assertThat(Files.readString(dir.resolve("all.md"))).contains("--learning-rate 5.0E-5");
        assertThat(OnnxImporter.metadata(tuned).get("morpho.bands").split(",")).hasSizeGreaterThan(10);
    }

    @Test
    void aBaseOfAnotherArchitectureIsRefusedInOneLine() throws Exception {
        // A model that says "compact" but holds the weights of a network with two conv layers fewer, as a file from
        // before compact got its second conv per stage does.
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(base));
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder().clearInitializer();
        List<OnnxMl.TensorProto> weights = model.getGraph().getInitializerList();
        graph.addAllInitializer(weights.subList(4, weights.size()));
        Path foreign = Files.write(dir.resolve("older-compact.onnx"), model.toBuilder().setGraph(graph).build().toByteArray());
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = MorphoTrain.cli().setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("finetune", "--base", foreign.toString(), "--dataset", clash.toString(), "--epochs", "1",
                "--output", dir.resolve("never.onnx").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("older-compact.onnx has 16 weight tensors, the network 20").contains("not the same architecture")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("never.onnx")).doesNotExist();
    }

    @Test
    void anEightViewModelIsTheNetworkAveragedOverTheStampsRotationsAndFlips() throws Exception {
        Path views = dir.resolve("views.onnx");
        assertThat(MorphoTrain.cli().execute("finetune", "--base", base.toString(), "--dataset", clash.toString(),
                "--epochs", "1", "--batch-size", "16", "--views", "8", "--model-name", "views", "--output",
                views.toString())).isZero();
        assertThat(OnnxImporter.metadata(views)).containsEntry("morpho.views", "8");
        assertThat(Files.readString(dir.resolve("views.md"))).contains("--views 8").contains("8 views averaged");

        // The same weights without the views: the file is a base like any other, its initializers the network's.
        SequentialBlock block = DjlNetwork.build(OnnxImporter.architecture(views));
        Path plain = dir.resolve("views-plain.onnx");
        try (Model model = Model.newInstance("plain", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new RmseLoss()))) {
                trainer.initialize(new Shape(1, 1, 32, 32));
            }
            OnnxImporter.loadInto(views, block);
            OnnxExporter.export(OnnxImporter.architecture(views), block, java.util.Map.of("morpho.version", "plain"), plain);
        }
        float[][] stamps = PaperFormat.read(clash, io.morpho.imaging.preprocess.Preprocessing.byName("minmax-bilinear-v1"), 32)
                .inputs();
        float[][] averaged = OrtRunner.predict(views, stamps, 32);
        assertThat(OrtRunner.maxAbsDifference(averaged, Augment.averageOverViews(8, stamps, 32, in -> {
            try {
                return OrtRunner.predict(plain, in, 32);
            } catch (ai.onnxruntime.OrtException e) {
                throw new IllegalStateException(e);
            }
        }))).isLessThan(1e-5);
        for (float[] p : averaged) {
            assertThat(p[0] + p[1] + p[2] + p[3] + p[4]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
        // Turned a quarter and mirrored, the stamps get the same answer from the view model, not from the network alone.
        float[][] turned = new float[stamps.length][];
        for (int i = 0; i < stamps.length; i++) {
            turned[i] = Augment.dihedral(stamps[i], 32, 1, true);
        }
        assertThat(OrtRunner.maxAbsDifference(OrtRunner.predict(views, turned, 32), averaged)).isLessThan(1e-5);
        assertThat(OrtRunner.maxAbsDifference(OrtRunner.predict(plain, turned, 32), OrtRunner.predict(plain, stamps, 32)))
                .isGreaterThan(1e-3);
    }

    @Test
    void predictionsRunInBatchesAndComeBackInOrder() throws Exception {
        float[][] stamps = PaperFormat.read(clash, io.morpho.imaging.preprocess.Preprocessing.byName("minmax-bilinear-v1"), 32)
                .inputs();
        int n = 2 * OrtRunner.BATCH + 7; // three batches, the last one short
        float[][] many = new float[n][];
        for (int i = 0; i < n; i++) {
            many[i] = stamps[i % stamps.length];
        }
        float[][] once = OrtRunner.predict(base, stamps, 32);
        float[][] batched = OrtRunner.predict(base, many, 32);
        assertThat(batched.length).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(batched[i]).containsExactly(once[i % stamps.length], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void onlyOneOrEightViewsAreOffered() {
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(MorphoTrain.cli().setErr(new java.io.PrintWriter(err)).execute("finetune", "--base", base.toString(),
                "--dataset", clash.toString(), "--views", "4", "--output", dir.resolve("four.onnx").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("views must be 1").contains("not 4");
        assertThat(dir.resolve("four.onnx")).doesNotExist();
    }

    @Test
    void freezingWithoutABaseIsRefused() {
        assertThat(new CommandLine(new TrainCommand()).execute("--freeze-features", "--output", dir.resolve("x.onnx").toString()))
                .isNotZero();
    }

    private static List<OnnxMl.TensorProto> initializers(Path onnx) throws Exception {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph().getInitializerList();
    }
}
