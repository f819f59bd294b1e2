package io.morpho.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import ai.onnxruntime.OrtException;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.Survey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code experiment}: the paper's claim on simulated surveys. Pretrain on CANDELS-like F160W stamps, then for each
 * number of labelled stamps per CLASH band fine-tune that model (all layers, lr 5e-5) and, for comparison, train
 * the same network from scratch on the same stamps; score both on a held-out CLASH-like test set (RMSE on vote
 * fractions, overall and per band) and write a Markdown report with plots.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Pretrain on CANDELS-like stamps, fine-tune vs train from scratch on 10/25/50/100 labels per "
                + "CLASH-like band, and report test RMSE overall and per band (Markdown + PNG).")
public final class ExperimentCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", required = true, description = "Directory for report.md and its plots.")
    Path output;

    @Option(names = "--models-dir", defaultValue = "target/experiment-models",
            description = "Where the experiment's models go (default: ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--architecture", defaultValue = "compact", description = "(default: ${DEFAULT-VALUE})")
    String architecture;

    @Option(names = "--input-size", defaultValue = "64", description = "(default: ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--base", description = "Use this CANDELS-trained model instead of pretraining one.")
    Path base;

    @Option(names = "--pretrain-samples", defaultValue = "7500", description = "(default: ${DEFAULT-VALUE})")
    int pretrainSamples;

    @Option(names = "--labels", split = ",", defaultValue = "10,25,50,100",
            description = "Labelled stamps per CLASH band to compare at (default: ${DEFAULT-VALUE}).")
    List<Integer> labelsPerBand;

    @Option(names = "--test-per-band", defaultValue = "100", description = "(default: ${DEFAULT-VALUE})")
    int testPerBand;

    @Option(names = "--epochs", defaultValue = "30", description = "(default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--patience", defaultValue = "5", description = "(default: ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--average-from", defaultValue = "0", description = "For the CLASH-like trainings: instead of "
            + "early stopping on a fifth of the labelled stamps held out, train on all of them for --epochs and keep the "
            + "mean of the weights after each epoch from this one on, as the shipped model is trained (train "
            + "--average-from); 0 for early stopping (default: ${DEFAULT-VALUE}).")
    int averageFrom;

    @Option(names = "--finetune-learning-rate", defaultValue = "5e-5", description = "Adam learning rate when "
            + "fine-tuning the base model, all layers (default: ${DEFAULT-VALUE}, the paper's).")
    float finetuneLearningRate;

    @Option(names = "--augmentation", defaultValue = "paper", description = "For every training of the experiment: "
            + Augment.OPTION_HELP + " (default: ${DEFAULT-VALUE}).")
    String augmentation;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size of the CLASH-like trainings "
            + "(pretraining uses 64; default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--dropout", description = "Dropout rate of the dense head in the CLASH-like trainings, as in "
            + "train --dropout (default: the architecture's; pretraining always uses it).")
    Float dropout;

    @Option(names = "--views", defaultValue = "1", description = "Orientations the CLASH-like models average over, as "
            + "in train --views: 1 or 8 (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--seed", defaultValue = "42", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quick", description = "A few minutes' run to see the whole experiment work: 400 pretraining "
            + "stamps, 5 and 10 labels per band, 10 test stamps per band, at most 3 epochs.")
    boolean quick;

    private final Preprocessing preprocessing = Preprocessing.byName(MinMaxBilinear.NAME);

    record Score(double overall, double standardError, double[] perBand) {
    }

    private final long started = System.nanoTime();
    private Augment.Mode mode;

    @Override
    public Integer call() throws Exception {
        mode = Augment.Mode.byName(augmentation);
        OnnxExporter.checkViews(views);
        if (quick) {
            pretrainSamples = 400;
            labelsPerBand = List.of(5, 10);
            testPerBand = 10;
            epochs = 3;
            patience = 2;
            averageFrom = Math.min(averageFrom, epochs);
        }
        if (averageFrom < 0 || averageFrom > epochs) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--average-from must lie between 1 and "
                    + "--epochs (" + epochs + "), or be 0 for early stopping, not " + averageFrom);
        }
        TrainCommand.checkDropout(spec, dropout);
        Files.createDirectories(output);
        Files.createDirectories(modelsDir);
        Architecture arch = Architecture.byName(architecture, inputSize);
        Survey clash = Survey.clash();
        List<String> bands = clash.bands().stream().map(Band::name).toList();

        String baseSummary;
        Path baseModel = base;
        if (baseModel == null) {
            say("pretraining " + arch.name() + " on " + pretrainSamples + " CANDELS-like stamps");
            StampDataset candels = StampDataset.simulate(seed, pretrainSamples, Survey.candels(), inputSize, preprocessing,
                    () -> { });
            int validation = pretrainSamples / 10;
            ModelTrainer.Result result = ModelTrainer.train(config(arch, 64, 1e-3f, null, 0), candels.slice(validation,
                    pretrainSamples), candels.slice(0, validation), quiet());
            baseModel = modelsDir.resolve("base-candels.onnx");
            ModelExport.exportChecked(arch, result, 1, metadata(arch, "base-candels", "simulated CANDELS-like F160W, "
                    + pretrainSamples + " stamps", result.bestValidationRmse()), baseModel, candels.slice(0, validation));
            Charts.learningCurve(result.curve(), "pretraining on CANDELS-like stamps", output.resolve("pretraining.png"));
            baseSummary = String.format(Locale.ROOT, "pretrained here on %d CANDELS-like F160W stamps (%d for validation): "
                    + "validation RMSE %.4f at epoch %d ([learning curve](pretraining.png))", pretrainSamples, validation,
                    result.bestValidationRmse(), result.bestEpoch());
            result.model().close();
        } else {
            baseSummary = "`" + baseModel + "` (" + OnnxImporter.metadata(baseModel).get("morpho.trained_on") + ")";
        }

        StampDataset test = StampDataset.simulatePerBand(seed + 1, testPerBand, clash, inputSize, preprocessing);
        Score baseOnClash = score(baseModel, test, bands);
        List<Score> fineTuned = new ArrayList<>();
        List<Score> scratch = new ArrayList<>();
        for (int n : labelsPerBand) {
            StampDataset labelled = StampDataset.simulatePerBand(seed + 100 + n, n, clash, inputSize, preprocessing).shuffled(seed);
            // With weight averaging no epoch is chosen: every labelled stamp trains.
            int validation = averageFrom > 0 ? 0 : Math.max(bands.size(), labelled.size() / 5);
            StampDataset train = labelled.slice(validation, labelled.size());
            StampDataset val = labelled.slice(0, validation);
            say(String.format(Locale.ROOT, "%d labels per band: fine-tuning and training from scratch on %d stamps",
                    n, train.size()));
            fineTuned.add(trainAndScore(arch, train, val, test, bands, baseModel, "finetuned-" + n));
            scratch.add(trainAndScore(arch, train, val, test, bands, null, "scratch-" + n));
        }
        writeReport(arch, bands, baseSummary, baseOnClash, fineTuned, scratch, test.size(),
                test.labelNoiseLevel().orElseThrow());
        say("report: " + output.resolve("report.md"));
        return 0;
    }

    private Score trainAndScore(Architecture arch, StampDataset train, StampDataset val, StampDataset test, List<String> bands,
                                Path from, String name) throws IOException, OrtException {
        float lr = from != null ? finetuneLearningRate : 1e-3f;
        ModelTrainer.Result result = ModelTrainer.train(config(dropout == null ? arch : arch.withDropout(dropout), batchSize,
                lr, from, averageFrom), train, val, quiet());
        Path model = modelsDir.resolve(name + ".onnx");
        ModelExport.exportChecked(arch, result, views, metadata(arch, name, (from != null ? "fine-tuned from base-candels on "
                : "trained from scratch on ") + train.size() + " CLASH-like stamps", result.bestValidationRmse()), model,
                ModelExport.checkStamps(val, train));
        result.model().close();
        return score(model, test, bands);
    }

    private ModelTrainer.Config config(Architecture arch, int batch, float lr, Path from, int averagedFrom) {
        return new ModelTrainer.Config(arch, epochs, batch, lr, patience, seed, mode, from, false, averagedFrom);
    }

    private Score score(Path model, StampDataset test, List<String> bands) throws OrtException {
        float[][] predicted = OrtRunner.predict(model, test.inputs(), inputSize);
        Map<String, Double> perBand = RmseLoss.perBand(predicted, test);
        return new Score(RmseLoss.rmse(predicted, test.labels()), RmseLoss.standardError(predicted, test.labels()),
                bands.stream().mapToDouble(perBand::get).toArray());
    }

    private Map<String, String> metadata(Architecture arch, String name, String trainedOn, double rmse) {
        return ModelExport.metadata(name, "experiment", arch, preprocessing, trainedOn + ", seed " + seed, rmse, null);
    }

    private void writeReport(Architecture arch, List<String> bands, String baseSummary, Score baseOnClash,
                             List<Score> fineTuned, List<Score> scratch, int testSize, double noiseLevel) throws IOException {
        double[] ft = fineTuned.stream().mapToDouble(Score::overall).toArray();
        double[] sc = scratch.stream().mapToDouble(Score::overall).toArray();
        Charts.rmseVsLabels(labelsPerBand, ft, sc, output.resolve("rmse-vs-labels.png"));
        int last = labelsPerBand.size() - 1;
        Charts.perBand(bands, fineTuned.get(last).perBand(), scratch.get(last).perBand(), labelsPerBand.get(last),
                output.resolve("rmse-per-band.png"));
        StringBuilder md = new StringBuilder("# Transfer learning CANDELS → CLASH on simulated surveys\n\n");
        md.append("Reproduces the claim of Pérez-Carrasco et al. (2019) with morpho's survey simulator: a network trained on "
                + "one survey's labels and fine-tuned with a few labels per band of another survey beats the same network "
                + "trained from scratch on those labels.\n\n");
        md.append("```\n").append(command()).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Run time: %.1f minutes with %d CPU threads (training is bit-deterministic: "
                + "the same command gives the same numbers).%n%n", (System.nanoTime() - started) / 6e10,
                Runtime.getRuntime().availableProcessors()));
        md.append("## Setup\n\n");
        md.append("- network: `").append(arch.name()).append("`, input ").append(arch.inputSize()).append("×")
                .append(arch.inputSize()).append(", preprocessing `").append(preprocessing.name()).append("`\n");
        md.append("- base model: ").append(baseSummary).append('\n');
        md.append(String.format(Locale.ROOT, "- test set: %d CLASH-like stamps, %d per band in %d bands (F225W…F160W), "
                + "held out from all training%n", testSize, testPerBand, bands.size()));
        md.append("- per labels-per-band setting: the same labelled CLASH-like stamps ("
                + (averageFrom > 0 ? "all of them" : "a fifth held out for early stopping")
                + ") either fine-tune the base model (all layers, Adam lr " + lr(finetuneLearningRate)
                + (finetuneLearningRate == 5e-5f ? ", the paper's" : "") + ") or train the network from "
                + "random weights (Adam lr 1e-3); batches of " + batchSize
                + (dropout == null ? "" : "; dropout " + dropout + " in the dense head") + "; augmentation: " + mode.summary
                + (averageFrom > 0 ? "; " + epochs + " epochs, keeping the mean of the weights after each epoch from "
                + averageFrom + " on (stochastic weight averaging)" : "; at most " + epochs + " epochs, patience " + patience)
                + "; seed " + seed
                + (views == 1 ? "" : "; each model answers with the mean over the stamp's " + views + " rotations by 90° "
                + "and flips") + "\n");
        md.append(String.format(Locale.ROOT, "- the base model alone, without CLASH labels, scores RMSE %.4f on the test "
                + "set%n", baseOnClash.overall()));
        md.append(String.format(Locale.ROOT, "- label-noise level of the test set: RMSE %.4f — the simulator's expected "
                + "vote fractions (what infinitely many classifiers would say) scored against the 5–8 sampled votes per "
                + "stamp: the score of a perfect model of the voters; since the metric averages per-stamp RMSEs, "
                + "predictions that lean towards the majority vote can score a little below it%n%n", noiseLevel));
        md.append("## Test RMSE (vote fractions)\n\n| labels per band | fine-tuned | from scratch | fine-tuning better by |\n"
                + "|---|---|---|---|\n");
        int wins = 0;
        for (int i = 0; i < labelsPerBand.size(); i++) {
            double gain = (sc[i] - ft[i]) / sc[i] * 100;
            wins += ft[i] < sc[i] ? 1 : 0;
            md.append(String.format(Locale.ROOT, "| %d | %.4f ± %.4f | %.4f ± %.4f | %+.1f %% |%n", labelsPerBand.get(i),
                    ft[i], fineTuned.get(i).standardError(), sc[i], scratch.get(i).standardError(), gain));
        }
        md.append(String.format(Locale.ROOT, "%n± one standard error over the %d test stamps (the spread of their RMSEs over "
                + "the square root of their number): another draw of as many test stamps would move a score by about "
                + "that much. Two models' difference on the same stamps is less uncertain than that.%n", testSize));
        md.append("\n![RMSE vs labels](rmse-vs-labels.png)\n\n");
        md.append(String.format(Locale.ROOT, "Fine-tuning beats training from scratch at %d of %d settings.", wins,
                labelsPerBand.size()));
        md.append(" (Paper, real CLASH data, ~100 labels per band: RMSE 0.0991 fine-tuned.)\n\n");
        md.append("## Per band, ").append(labelsPerBand.get(last)).append(" labels per band\n\n| band | fine-tuned | from scratch |\n|---|---|---|\n");
        for (int b = 0; b < bands.size(); b++) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f |%n", bands.get(b), fineTuned.get(last).perBand()[b],
                    scratch.get(last).perBand()[b]));
        }
        md.append("\n![RMSE per band](rmse-per-band.png)\n\n");
        md.append("Simulated data: the surveys, classes and vote fractions come from `morpho-imaging`'s simulator, "
                + "calibrated to the label statistics of the paper's real files, so the numbers show the method at work, "
                + "not the accuracy on real CLASH galaxies.\n");
        Files.writeString(output.resolve("report.md"), md.toString());
    }

    private String command() {
        return String.format(Locale.ROOT, "bin/morpho experiment --output %s --architecture %s --input-size %d%s "
                        + "--pretrain-samples %d --labels %s --test-per-band %d --epochs %d --patience %d --seed %d",
                output, architecture, inputSize, base != null ? " --base " + base : "", pretrainSamples,
                String.join(",", labelsPerBand.stream().map(String::valueOf).toList()), testPerBand, epochs, patience, seed)
                + (finetuneLearningRate == 5e-5f ? "" : " --finetune-learning-rate " + lr(finetuneLearningRate))
                + (mode == Augment.Mode.PAPER ? "" : " --augmentation " + augmentation)
                + (batchSize == 32 ? "" : " --batch-size " + batchSize) + (views == 1 ? "" : " --views " + views)
                + (averageFrom == 0 ? "" : " --average-from " + averageFrom)
                + (dropout == null ? "" : " --dropout " + dropout);
    }

    /** A learning rate as one writes it on the command line: 5e-5 rather than 5.0E-5. */
    private static String lr(float rate) {
        return Float.toString(rate).replace(".0E", "E").replace('E', 'e');
    }

    private static ModelTrainer.Listener quiet() {
        return new ModelTrainer.Listener() {
            @Override
            public void batch(int epoch, int done, int total, double loss) {
            }

            @Override
            public void epoch(ModelTrainer.Epoch e) {
            }
        };
    }

    private static void say(String message) {
        System.out.println("[experiment] " + message);
    }
}
