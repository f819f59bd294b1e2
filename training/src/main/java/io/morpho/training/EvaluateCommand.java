package io.morpho.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.morpho.events.MorphologyClass;
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
        System.out.printf(Locale.ROOT, "%s %s on %s: RMSE %.4f ± %.4f (standard error) over %d stamps%n",
                meta.get("morpho.name"), meta.get("morpho.version"), dataset.getFileName(),
                RmseLoss.rmse(predicted, data.labels()), RmseLoss.standardError(predicted, data.labels()), data.size());
        data.labelNoiseLevel().ifPresent(level -> System.out.printf(Locale.ROOT, "label-noise level %.4f (the simulator's "
                + "expected vote fractions scored against the sampled ones)%n", level));
        Map<String, Double> levels = data.labelNoiseLevel().isPresent() ? RmseLoss.perBand(data.expected(), data) : Map.of();
        RmseLoss.perBand(predicted, data).forEach((band, rmse) -> System.out.printf(Locale.ROOT, "  %-8s RMSE %.4f%s%n",
                band, rmse, levels.containsKey(band) ? String.format(Locale.ROOT, "  (label noise %.4f)", levels.get(band)) : ""));
        if (data.labelNoiseLevel().isPresent()) {
            printPerClass(predicted, data);
        }
        return 0;
    }

    /**
     * For simulated data: per true class, the RMSE against the votes, the label-noise level, the RMSE against the
     * expected votes (what the model gets wrong beyond the noise), and the mean prediction beside the mean expectation
     * (which classes the model confuses).
     */
    private static void printPerClass(float[][] predicted, StampDataset data) {
        System.out.println("per simulated class: RMSE vs votes, label noise, RMSE vs expected votes; mean predicted | "
                + "expected (" + MorphologyClass.metadataValue() + ")");
        for (MorphologyClass cls : MorphologyClass.ORDER) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.trueClass()[i] == cls.ordinal()) {
                    rows.add(i);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            float[][] p = rows.stream().map(i -> predicted[i]).toArray(float[][]::new);
            float[][] votes = rows.stream().map(i -> data.labels()[i]).toArray(float[][]::new);
            float[][] expected = rows.stream().map(i -> data.expected()[i]).toArray(float[][]::new);
            System.out.printf(Locale.ROOT, "  %-15s n=%-5d %.4f  %.4f  %.4f   %s | %s%n", cls.label(), rows.size(),
                    RmseLoss.rmse(p, votes), RmseLoss.rmse(expected, votes), RmseLoss.rmse(p, expected), mean(p), mean(expected));
        }
    }

    private static String mean(float[][] rows) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < rows[0].length; c++) {
            double sum = 0;
            for (float[] row : rows) {
                sum += row[c];
            }
            out.append(String.format(Locale.ROOT, "%s%.2f", c == 0 ? "" : " ", sum / rows.length));
        }
        return out.toString();
    }
}
