package io.morpho.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/** The paper's loss: per-sample root-mean-square error over the five vote fractions, averaged over the batch. */
public final class RmseLoss extends Loss {
    public RmseLoss() {
        super("rmse");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray diff = predictions.singletonOrThrow().sub(labels.singletonOrThrow());
        // The epsilon keeps the gradient of sqrt finite at a perfect prediction.
        return diff.square().mean(new int[] {1}).add(1e-8f).sqrt().mean();
    }

    /** RMSE per band, bands in order of first appearance. */
    public static java.util.Map<String, Double> perBand(float[][] predictions, StampDataset data) {
        java.util.Map<String, Double> result = new java.util.LinkedHashMap<>();
        for (String band : new java.util.LinkedHashSet<>(java.util.Arrays.asList(data.bands()))) {
            java.util.List<float[]> p = new java.util.ArrayList<>();
            java.util.List<float[]> l = new java.util.ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.bands()[i].equals(band)) {
                    p.add(predictions[i]);
                    l.add(data.labels()[i]);
                }
            }
            result.put(band, rmse(p.toArray(float[][]::new), l.toArray(float[][]::new)));
        }
        return result;
    }

    /** The same metric in plain Java, for evaluation outside DJL (e.g. on ONNX Runtime outputs). */
    public static double rmse(float[][] predictions, float[][] labels) {
        double total = 0;
        for (int i = 0; i < predictions.length; i++) {
            total += stampRmse(predictions[i], labels[i]);
        }
        return total / predictions.length;
    }

    /**
     * The standard error of {@link #rmse}: the spread of the per-stamp RMSEs over the square root of their number. Another
     * draw of as many test stamps would move the score by about this much. NaN for fewer than two stamps.
     */
    public static double standardError(float[][] predictions, float[][] labels) {
        int n = predictions.length;
        double mean = rmse(predictions, labels);
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double d = stampRmse(predictions[i], labels[i]) - mean;
            sq += d * d;
        }
        return Math.sqrt(sq / (n - 1) / n);
    }

    private static double stampRmse(float[] prediction, float[] label) {
        double sq = 0;
        for (int c = 0; c < label.length; c++) {
            double d = prediction[c] - label[c];
            sq += d * d;
        }
        return Math.sqrt(sq / label.length);
    }
}
