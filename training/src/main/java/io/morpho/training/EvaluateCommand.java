package io.morpho.training;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.morpho.imaging.preprocess.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: a model's RMSE on a labelled dataset in the paper's format, overall and per band. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score an ONNX model on a dataset in the paper's format: RMSE on vote fractions, overall and per band.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The ONNX model (its metadata gives input size and preprocessing).")
    Path model;

    @Option(names = "--dataset", required = true, description = "Dataset directory: labels CSV + stamps/<ID>.fits.")
    Path dataset;

    @Override
    public Integer call() throws Exception {
        Map<String, String> meta = OnnxImporter.metadata(model);
        int size = OnnxImporter.architecture(model).inputSize();
        StampDataset data = PaperFormat.read(dataset, Preprocessing.byName(meta.get("morpho.preprocess")), size);
        float[][] predicted = OrtRunner.predict(model, data.inputs(), size);
        System.out.printf(Locale.ROOT, "%s %s on %s: RMSE %.4f over %d stamps%n", meta.get("morpho.name"),
                meta.get("morpho.version"), dataset.getFileName(), RmseLoss.rmse(predicted, data.labels()), data.size());
        data.labelNoiseLevel().ifPresent(level -> System.out.printf(Locale.ROOT, "label-noise level %.4f (the simulator's "
                + "expected vote fractions scored against the sampled ones)%n", level));
        Map<String, Double> levels = data.labelNoiseLevel().isPresent() ? RmseLoss.perBand(data.expected(), data) : Map.of();
        RmseLoss.perBand(predicted, data).forEach((band, rmse) -> System.out.printf(Locale.ROOT, "  %-8s RMSE %.4f%s%n",
                band, rmse, levels.containsKey(band) ? String.format(Locale.ROOT, "  (label noise %.4f)", levels.get(band)) : ""));
        return 0;
    }
}
