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
        data.labelNoiseFloor().ifPresent(floor -> System.out.printf(Locale.ROOT, "label-noise floor %.4f (the simulator's "
                + "expected vote fractions scored against the sampled ones: no classifier does better on average)%n", floor));
        Map<String, Double> floors = data.labelNoiseFloor().isPresent() ? RmseLoss.perBand(data.expected(), data) : Map.of();
        RmseLoss.perBand(predicted, data).forEach((band, rmse) -> System.out.printf(Locale.ROOT, "  %-8s RMSE %.4f%s%n",
                band, rmse, floors.containsKey(band) ? String.format(Locale.ROOT, "  (floor %.4f)", floors.get(band)) : ""));
        return 0;
    }
}
