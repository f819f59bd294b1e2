package io.morpho.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import ai.onnxruntime.OrtException;

/** Exports a trained model to ONNX and proves the file computes what DJL computed. */
final class ModelExport {
    /** Largest DJL vs ONNX Runtime difference tolerated on the validation stamps. */
    static final double MAX_PARITY_ERROR = 1e-4;

    record Checked(double parity, double ortRmse) {
    }

    private ModelExport() {
    }

    static Checked exportChecked(Architecture arch, ModelTrainer.Result result, Map<String, String> metadata, Path output,
                                 StampDataset validation) throws IOException, OrtException {
        OnnxExporter.export(arch, result.block(), metadata, output);
        float[][] djl = ModelTrainer.predict(result.model(), validation.inputs(), arch.inputSize());
        float[][] ort = OrtRunner.predict(output, validation.inputs(), arch.inputSize());
        double parity = OrtRunner.maxAbsDifference(djl, ort);
        if (parity > MAX_PARITY_ERROR) {
            throw new IllegalStateException("ONNX export of " + output + " disagrees with DJL: max |delta| = " + parity);
        }
        return new Checked(parity, RmseLoss.rmse(ort, validation.labels()));
    }
}
