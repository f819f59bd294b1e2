package io.morpho.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.Survey;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train}: simulate a labelled set (or read one in the paper's format), train, export ONNX, check parity
 * with ONNX Runtime, write a model card.
 */
@Command(name = "train", aliases = "finetune", mixinStandardHelpOptions = true,
        description = "Train a CNN on vote fractions (simulated stamps, or --dataset in the paper's format), export it "
                + "to ONNX with a model card.")
public final class TrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--architecture", defaultValue = "compact", description = "Network: compact (default: ${DEFAULT-VALUE}).")
    String architecture;

    @Option(names = "--input-size", defaultValue = "64", description = "Model input side in pixels (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--dataset", description = "Train on a dataset in the paper's format (labels CSV + stamps/<ID>.fits) "
            + "instead of simulating one; its rows are shuffled with the seed before the validation split.")
    Path dataset;

    @Option(names = "--survey", defaultValue = "demo", description = "Simulated survey when no --dataset is given: "
            + "demo (F606W+F160W), candels (F160W) or clash (16 bands) (default: ${DEFAULT-VALUE}).")
    String survey;

    @Option(names = "--samples", defaultValue = "4000", description = "Simulated stamps, training + validation (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--validation-fraction", defaultValue = "0.2", description = "Share held out for validation; 0 "
            + "only with --average-from, which has no epoch to choose (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--epochs", defaultValue = "15", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "4", description = "Stop after this many epochs without a better validation RMSE (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--average-from", defaultValue = "0", description = "Instead of keeping the epoch with the best "
            + "validation RMSE: run all --epochs and keep the mean of the weights after each epoch from this one on "
            + "(stochastic weight averaging; no early stopping, no checkpoints). 0 for none (default: ${DEFAULT-VALUE}).")
    int averageFrom;

    @Option(names = "--dropout", description = "Dropout rate of the dense head while training (default: the "
            + "architecture's, 0.3 for compact and 0.5 for paper). The exported model drops nothing either way.")
    Float dropout;

    @Option(names = "--batch-size", defaultValue = "64", description = "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--learning-rate", description = "Adam learning rate (default: 0.001, or the paper's 5e-5 when "
            + "fine-tuning a --base model).")
    Float learningRate;

    @Option(names = "--base", description = "Fine-tune this morpho ONNX model (all layers, unless --freeze-features); "
            + "its metadata fixes the architecture and input size.")
    Path base;

    @Option(names = "--freeze-features", description = "With --base: train only the dense head, keep the convolutional "
            + "features.")
    boolean freezeFeatures;

    @Option(names = "--checkpoint-dir", description = "Write the best model so far as ONNX here whenever validation "
            + "RMSE improves (resume with --base; checkpoints are the network alone, whatever --views).")
    Path checkpointDir;

    @Option(names = "--augmentation", defaultValue = "paper", description = Augment.OPTION_HELP + ". Interpolation "
            + "averages neighbouring pixels and so lowers their noise, which faint objects' labels depend on; the "
            + "shipped CLASH model is fine-tuned with dihedral (models/README.md) (default: ${DEFAULT-VALUE}).")
    String augmentation;

    @Option(names = "--views", defaultValue = "1", description = "Orientations the exported model averages over: 1 (the "
            + "stamp as it is) or 8 (its rotations by 90 degrees and flips, inside the ONNX graph: the answer no longer "
            + "depends on orientation, at 8 times the arithmetic per stamp; default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model-name", defaultValue = "morpho-compact", description = "(default: ${DEFAULT-VALUE})")
    String modelName;

    @Option(names = "--model-version", defaultValue = "0.1.0", description = "(default: ${DEFAULT-VALUE})")
    String modelVersion;

    @Option(names = "--output", defaultValue = "target/models/morpho-compact.onnx", description = "ONNX file to write; the model card goes beside it as .md (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        OnnxExporter.checkViews(views);
        if (freezeFeatures && base == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--freeze-features needs a --base model to keep the features of");
        }
        if (averageFrom < 0 || averageFrom > epochs) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--average-from must be between 1 and "
                    + "--epochs (" + epochs + "), or 0 to keep the best epoch instead, not " + averageFrom);
        }
        if (!(validationFraction >= 0 && validationFraction < 1) || validationFraction == 0 && averageFrom == 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--validation-fraction must be "
                    + "at least 0 and below 1, and above 0 unless --average-from is given (the best epoch is chosen on "
                    + "the validation stamps), not " + validationFraction);
        }
        checkDropout(spec, dropout);
        Architecture arch = base != null ? OnnxImporter.architecture(base) : Architecture.byName(architecture, inputSize);
        architecture = arch.name();
        inputSize = arch.inputSize();
        learningRate = learningRate != null ? learningRate : base != null ? 5e-5f : 1e-3f;
        Preprocessing preprocessing = Preprocessing.byName(MinMaxBilinear.NAME);
        StampDataset all;
        if (dataset != null) {
            all = PaperFormat.read(dataset, preprocessing, inputSize).shuffled(seed);
        } else {
            try (ProgressBar bar = bar("simulate", samples)) {
                all = StampDataset.simulate(seed, samples, Survey.byName(survey), inputSize, preprocessing, bar::step);
            }
        }
        int validationSize = (int) Math.round(all.size() * validationFraction);
        if (validationSize == 0 && averageFrom == 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--validation-fraction " + validationFraction
                    + " of " + all.size() + " stamps holds out none to choose the best epoch on");
        }
        StampDataset validation = all.slice(0, validationSize);
        StampDataset train = all.slice(validationSize, all.size());

        String trainedOn = trainedOn(all);
        String bands = String.join(",", new java.util.LinkedHashSet<>(java.util.Arrays.asList(all.bands())));
        ModelTrainer.Config config = new ModelTrainer.Config(dropout == null ? arch : arch.withDropout(dropout), epochs,
                batchSize, learningRate, patience, seed, Augment.Mode.byName(augmentation), base, freezeFeatures, averageFrom);
        int batches = (train.size() + batchSize - 1) / batchSize;
        ModelTrainer.Result result;
        try (ProgressBar bar = bar("train", (long) epochs * batches)) {
            result = ModelTrainer.train(config, train, validation, new ModelTrainer.Listener() {
                @Override
                public void batch(int epoch, int done, int total, double loss) {
                    bar.stepTo((long) (epoch - 1) * total + done);
                    bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d loss %.4f", epoch, loss));
                }

                @Override
                public void epoch(ModelTrainer.Epoch e) {
                    bar.setExtraMessage(Double.isNaN(e.validationRmse()) ? String.format(Locale.ROOT, " epoch %d", e.epoch())
                            : String.format(Locale.ROOT, " epoch %d val RMSE %.4f", e.epoch(), e.validationRmse()));
                }

                @Override
                public void improved(ModelTrainer.Epoch e, ai.djl.nn.SequentialBlock block) {
                    if (checkpointDir != null) {
                        Path checkpoint = checkpointDir.resolve(String.format(Locale.ROOT, "%s-epoch%03d.onnx", modelName, e.epoch()));
                        try {
                            OnnxExporter.export(arch, block, ModelExport.metadata(modelName, modelVersion, arch,
                                    preprocessing, trainedOn, e.validationRmse(), bands), checkpoint);
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException("cannot write checkpoint " + checkpoint, ex);
                        }
                    }
                }
            });
        }
        Map<String, String> metadata = ModelExport.metadata(modelName, modelVersion, arch, preprocessing, trainedOn,
                result.bestValidationRmse(), bands);
        java.nio.file.Files.createDirectories(output.toAbsolutePath().getParent());
        ModelExport.Checked checked = ModelExport.exportChecked(arch, result, views, metadata, output,
                ModelExport.checkStamps(validation, train));
        result.model().close();
        double parity = checked.parity();
        double ortRmse = checked.ortRmse();
        String sha256 = sha256(output);
        String stem = output.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path card = output.resolveSibling(stem + ".md");
        Charts.learningCurve(result.curve(), modelName + " " + modelVersion, output.resolveSibling(stem + "-learning-curve.png"));
        Files.writeString(card, modelCard(metadata, result, parity, ortRmse, sha256, validation, train,
                parameterCount(result)));
        String validated = validation.size() == 0 ? "" : String.format(Locale.ROOT, "validation RMSE %.4f (ONNX Runtime, "
                + "%s %.4f), ", result.bestValidationRmse(), viewsText(), ortRmse);
        System.out.printf(Locale.ROOT, "wrote %s (sha256 %s)%n%s%s, DJL vs ONNX Runtime max |delta| %.2e%nmodel card %s%n",
                output, sha256, validated, kept(result), parity, card);
        return 0;
    }

    /** Refuses a {@code --dropout} outside [0, 1) before anything is read or written (exit code 2). */
    static void checkDropout(picocli.CommandLine.Model.CommandSpec spec, Float dropout) {
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--dropout must be at least 0 and below 1, not " + dropout);
        }
    }

    /** What the model was trained on, for its metadata and card. */
    private String trainedOn(StampDataset all) throws IOException {
        String data = dataset != null
                ? String.format(Locale.ROOT, "dataset %s, %d stamps, seed %d", dataset.getFileName(), all.size(), seed)
                : String.format(Locale.ROOT, "simulated %s, %d stamps, seed %d",
                        String.join("+", Survey.byName(survey).bands().stream().map(Band::name).toList()), samples, seed);
        if (base != null) {
            Map<String, String> baseMeta = OnnxImporter.metadata(base);
            data = String.format(Locale.ROOT, "fine-tuned from %s %s (%s) on %s", baseMeta.get("morpho.name"),
                    baseMeta.get("morpho.version"), freezeFeatures ? "features frozen" : "all layers", data);
        }
        return data;
    }

    private static long parameterCount(ModelTrainer.Result result) {
        long count = 0;
        for (Pair<String, Parameter> p : result.block().getParameters()) {
            count += p.getValue().getArray().size();
        }
        return count;
    }

    private String command() {
        String data = dataset != null ? "--dataset " + dataset
                : ("demo".equals(survey) ? "" : "--survey " + survey + " ") + "--samples " + samples;
        if (base != null) {
            data += " --base " + base + (freezeFeatures ? " --freeze-features" : "");
        }
        return String.format(Locale.ROOT, "bin/morpho train --architecture %s --input-size %d %s "
                        + "--validation-fraction %s --epochs %d --%s %d --batch-size %d --learning-rate %s%s "
                        + "--augmentation %s --views %d --seed %d --model-name %s --model-version %s --output %s",
                architecture, inputSize, data, validationFraction, epochs, averageFrom > 0 ? "average-from" : "patience",
                averageFrom > 0 ? averageFrom : patience, batchSize, learningRate,
                dropout == null ? "" : " --dropout " + dropout, augmentation, views, seed, modelName, modelVersion, output);
    }

    /** Which weights the model kept. */
    private String kept(ModelTrainer.Result result) {
        return averageFrom > 0
                ? String.format(Locale.ROOT, "weights averaged over epochs %d-%d (stochastic weight averaging)%s",
                        averageFrom, result.bestEpoch(), validationFraction == 0 ? ", no validation stamps" : "")
                : String.format(Locale.ROOT, "best epoch %d of %d run (early stopping, patience %d)",
                        result.bestEpoch(), result.curve().size(), patience);
    }

    private String viewsText() {
        return views == 1 ? "1 view" : views + " views averaged";
    }

    private String modelCard(Map<String, String> metadata, ModelTrainer.Result result, double parity, double ortRmse,
                             String sha256, StampDataset validation, StampDataset train, long parameters) {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(modelName).append(' ').append(modelVersion).append("\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| file | `").append(output.getFileName()).append("` |\n");
        md.append("| sha256 | `").append(sha256).append("` |\n");
        md.append("| architecture | ").append(architecture).append(" (").append(parameters).append(" parameters) |\n");
        md.append("| input | `stamp` float32 [N, 1, ").append(inputSize).append(", ").append(inputSize).append("] |\n");
        md.append("| output | `probabilities` float32 [N, 5]: ").append(metadata.get("morpho.classes")).append(" |\n");
        md.append("| preprocessing | `").append(metadata.get("morpho.preprocess")).append("` (morpho-imaging) |\n");
        md.append("| bands | ").append(metadata.get("morpho.bands")).append(" |\n");
        md.append("| views | ").append(views == 1 ? "1: the stamp as it is" : views + ": the mean over the stamp's "
                + "rotations by 90 degrees and flips, inside the graph").append(" |\n\n");
        md.append("## Reproduce\n\n```\n").append(command()).append("\n```\n\n");
        md.append("Training is seeded (data, initialisation, shuffling, augmentation); on the same machine type the\n")
                .append("command reproduces the file byte for byte (sha256 above); elsewhere PyTorch kernels may differ in\n")
                .append("the last bits, so compare the metrics below.\n\n");
        if (dataset != null) {
            md.append("## Data\n\n").append(String.format(Locale.ROOT, "Dataset `%s` in the paper's format "
                    + "(labels CSV + FITS stamps), %d training and %d validation stamps after a seeded shuffle.%n%n",
                    dataset, train.size(), validation.size()));
        } else {
            md.append("## Data\n\nSimulated by `morpho-imaging` (`StampSimulator`): Sersic spheroids (n 3-5), disks (n ~1, bulge,\n")
                    .append("spiral arms), clumpy irregulars, PSF point sources and unclassifiables (blends, artefacts,\n")
                    .append("frame edges), convolved with the band PSF, sky and Poisson noise, stamps of 4 Petrosian radii.\n")
                    .append("Labels are vote fractions of 5-8 simulated classifiers who vote on what the image shows: an\n")
                    .append("object's class when it is clearly seen, a common \"too faint to tell\" spread at low S/N.\n")
                    .append(String.format(Locale.ROOT, "%d training and %d validation stamps, class mix %s, magnitudes 20-24.5.%n%n",
                            train.size(), validation.size(), java.util.Arrays.toString(Survey.byName(survey).classMix())));
            md.append("This is simulated data only: it demonstrates the pipeline, it is not a science-grade classifier of\n")
                    .append("real galaxies.\n\n");
        }
        md.append("## Metrics\n\n");
        if (validation.size() > 0) {
            md.append(String.format(Locale.ROOT, "- validation RMSE (vote fractions, paper's metric): %.4f (DJL, 1 view), "
                    + "%.4f (the exported model in ONNX Runtime, %s)%n", result.bestValidationRmse(), ortRmse, viewsText()));
        } else {
            md.append("- no validation stamps: every labelled stamp trained; score the model with `bin/morpho evaluate` on "
                    + "a test set\n");
        }
        md.append("- ").append(kept(result)).append('\n');
        md.append(String.format(Locale.ROOT, "- DJL vs ONNX Runtime on the %s stamps: max |delta| = %.2e%n%n",
                validation.size() > 0 ? "validation" : "first training", parity));
        md.append("![learning curve](").append(output.getFileName().toString().replaceFirst("\\.onnx$", ""))
                .append("-learning-curve.png)\n\n");
        md.append("| epoch | train loss | validation RMSE |\n|---|---|---|\n");
        for (ModelTrainer.Epoch e : result.curve()) {
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %s |%n", e.epoch(), e.trainLoss(),
                    Double.isNaN(e.validationRmse()) ? "-" : String.format(Locale.ROOT, "%.4f", e.validationRmse())));
        }
        return md.toString();
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProgressBar bar(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).build();
    }
}
