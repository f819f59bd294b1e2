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

    /** The same metric in plain Java, for evaluation outside DJL (e.g. on ONNX Runtime outputs). */
    public static double rmse(float[][] predictions, float[][] labels) {
        double total = 0;
        for (int i = 0; i < predictions.length; i++) {
            double sq = 0;
            for (int c = 0; c < labels[i].length; c++) {
                double d = predictions[i][c] - labels[i][c];
                sq += d * d;
            }
            total += Math.sqrt(sq / labels[i].length);
        }
        return total / predictions.length;
    }
}
