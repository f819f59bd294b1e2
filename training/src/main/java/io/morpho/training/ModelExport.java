package io.morpho.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OrtException;
import io.morpho.events.MorphologyClass;
import io.morpho.imaging.preprocess.Preprocessing;

/** Exports a trained model to ONNX and proves the file computes what DJL computed. */
final class ModelExport {
    /** Largest DJL vs ONNX Runtime difference tolerated on the validation stamps. */
    static final double MAX_PARITY_ERROR = 1e-4;

    record Checked(double parity, double ortRmse) {
    }

    private ModelExport() {
    }

    /**
     * The model contract's metadata, in the order every morpho model carries it (the order is part of the file's
     * bytes, so a seeded training run keeps reproducing the same sha256). {@code bands} may be null; {@code rmse} is
     * NaN for a model without validation stamps, which then carries no {@code morpho.metrics.rmse}.
     */
    static Map<String, String> metadata(String name, String version, Architecture arch, Preprocessing preprocessing,
                                        String trainedOn, double rmse, String bands) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("morpho.name", name);
        metadata.put("morpho.version", version);
        metadata.put("morpho.architecture", arch.name());
        metadata.put("morpho.classes", MorphologyClass.metadataValue());
        metadata.put("morpho.input_size", String.valueOf(arch.inputSize()));
        metadata.put("morpho.preprocess", preprocessing.name());
        metadata.put("morpho.trained_on", trainedOn);
        if (!Double.isNaN(rmse)) {
            metadata.put("morpho.metrics.rmse", String.format(Locale.ROOT, "%.4f", rmse));
        }
        if (bands != null) {
            metadata.put("morpho.bands", bands);
        }
        return metadata;
    }

    /** The stamps to check an export on: the validation stamps, or for a model trained without any, training stamps. */
    static StampDataset checkStamps(StampDataset validation, StampDataset train) {
        return validation.size() > 0 ? validation : train.slice(0, Math.min(256, train.size()));
    }

    /**
     * Exports the model averaged over {@code views} orientations ({@link OnnxExporter}), and checks ONNX Runtime
     * against DJL computing the same average; the RMSE returned is the exported model's on the validation stamps.
     * With 8 views, {@code metadata} (which must be mutable) gets {@code morpho.views = 8} and the average's validation
     * RMSE as {@code morpho.metrics.rmse}: the file describes what it computes. A model trained without validation
     * stamps (validation RMSE NaN) is checked on the stamps given, and gets no RMSE.
     */
    static Checked exportChecked(Architecture arch, ModelTrainer.Result result, int views, Map<String, String> metadata,
                                 Path output, StampDataset validation) throws IOException, OrtException {
        float[][] djl = Augment.averageOverViews(views, validation.inputs(), arch.inputSize(),
                inputs -> ModelTrainer.predict(result.model(), inputs, arch.inputSize()));
        boolean validated = !Double.isNaN(result.bestValidationRmse());
        if (views > 1) {
            if (validated) {
                metadata.put("morpho.metrics.rmse",
                        String.format(Locale.ROOT, "%.4f", RmseLoss.rmse(djl, validation.labels())));
            }
            metadata.put("morpho.views", String.valueOf(views));
        }
        OnnxExporter.export(arch, result.block(), views, metadata, output);
        float[][] ort = OrtRunner.predict(output, validation.inputs(), arch.inputSize());
        double parity = OrtRunner.maxAbsDifference(djl, ort);
        if (parity > MAX_PARITY_ERROR) {
            throw new IllegalStateException("ONNX export of " + output + " disagrees with DJL: max |delta| = " + parity);
        }
        return new Checked(parity, validated ? RmseLoss.rmse(ort, validation.labels()) : Double.NaN);
    }
}
