package io.morpho.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.inference.Predictor;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;

/**
 * Trains an {@link Architecture} on vote fractions with the RMSE loss and Adam, with rotation/flip
 * augmentation, early stopping on validation RMSE (keeping the best epoch's weights), all seeded.
 */
public final class ModelTrainer {
    /**
     * @param base           ONNX model to start from (fine-tuning), or null to start from random weights
     * @param freezeFeatures keep every layer before the classifier head (up to Flatten) fixed
     * @param averageFrom    0: keep the epoch with the best validation RMSE, stopping after {@code patience} epochs
     *                       without a better one. E &gt; 0: run all {@code epochs} and keep the mean of the weights after
     *                       each epoch from E on (stochastic weight averaging, Izmailov et al. 2018); no epoch is chosen,
     *                       so the validation set may be empty
     */
    public record Config(Architecture architecture, int epochs, int batchSize, float learningRate, int patience, long seed,
                         Augment.Mode augmentation, Path base, boolean freezeFeatures, int averageFrom) {
        public Config {
            if (averageFrom < 0 || averageFrom > epochs) {
                throw new IllegalArgumentException("weights can be averaged from an epoch between 1 and " + epochs
                        + " (the last), not " + averageFrom);
            }
        }

        public Config(Architecture architecture, int epochs, int batchSize, float learningRate, int patience, long seed,
                      Augment.Mode augmentation) {
            this(architecture, epochs, batchSize, learningRate, patience, seed, augmentation, null, false, 0);
        }
    }

    /** One row of the learning curve. */
    public record Epoch(int epoch, double trainLoss, double validationRmse) {
    }

    /**
     * @param bestValidationRmse the kept weights' validation RMSE (NaN without validation stamps)
     * @param bestEpoch          the epoch whose weights were kept, or with averaging the last one averaged
     */
    public record Result(Model model, SequentialBlock block, double bestValidationRmse, int bestEpoch, List<Epoch> curve) {
    }

    /** Progress callbacks: per batch (with the running loss) and per epoch. */
    public interface Listener {
        void batch(int epoch, int batchesDone, int batchesTotal, double runningLoss);

        void epoch(Epoch epoch);

        /** The validation RMSE improved: {@code block} holds the best weights so far (e.g. to write a checkpoint). */
        default void improved(Epoch epoch, SequentialBlock block) {
        }
    }

    private ModelTrainer() {
    }

    public static Result train(Config config, StampDataset train, StampDataset validation, Listener listener) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        Architecture arch = config.architecture();
        SequentialBlock block = DjlNetwork.build(arch);
        Model model = Model.newInstance(arch.name(), Device.cpu(), "PyTorch");
        model.setBlock(block);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(new RmseLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                .optDevices(new Device[] {Device.cpu()});
        int s = arch.inputSize();
        Random rng = new Random(config.seed());
        List<Epoch> curve = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        Map<String, float[]> bestWeights = null;
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            trainer.initialize(new Shape(config.batchSize(), 1, s, s));
            if (config.base() != null) {
                try {
                    OnnxImporter.loadInto(config.base(), block);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read base model " + config.base(), e);
                }
            }
            if (config.freezeFeatures()) {
                freezeFeatures(arch, block);
            }
            int n = train.size();
            int batches = (n + config.batchSize() - 1) / config.batchSize();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                int[] order = StampDataset.permutation(n, rng);
                double lossSum = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * config.batchSize();
                    int to = Math.min(n, from + config.batchSize());
                    try (NDManager batchManager = trainer.getManager().newSubManager()) {
                        float[] x = new float[(to - from) * s * s];
                        float[] y = new float[(to - from) * 5];
                        for (int i = from; i < to; i++) {
                            float[] augmented = Augment.apply(config.augmentation(), train.inputs()[order[i]], s, rng);
                            System.arraycopy(augmented, 0, x, (i - from) * s * s, s * s);
                            System.arraycopy(train.labels()[order[i]], 0, y, (i - from) * 5, 5);
                        }
                        NDArray input = batchManager.create(x, new Shape(to - from, 1, s, s));
                        NDArray labels = batchManager.create(y, new Shape(to - from, 5));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray prediction = trainer.forward(new NDList(input)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(prediction));
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        trainer.step();
                    }
                    listener.batch(epoch, b + 1, batches, lossSum / (b + 1));
                }
                double valRmse = validationRmse(trainer, validation, s);
                Epoch row = new Epoch(epoch, lossSum / batches, valRmse);
                curve.add(row);
                listener.epoch(row);
                if (config.averageFrom() > 0) {
                    if (epoch >= config.averageFrom()) {
                        bestWeights = accumulate(bestWeights, snapshot(block), epoch - config.averageFrom() + 1);
                        bestEpoch = epoch;
                    }
                } else if (valRmse < best) {
                    best = valRmse;
                    bestEpoch = epoch;
                    bestWeights = snapshot(block);
                    listener.improved(row, block);
                } else if (epoch - bestEpoch >= config.patience()) {
                    break;
                }
            }
            restore(block, bestWeights);
            if (config.averageFrom() > 0) {
                best = validationRmse(trainer, validation, s);
            }
        }
        return new Result(model, block, best, bestEpoch, curve);
    }

    private static double validationRmse(Trainer trainer, StampDataset validation, int s) {
        return validation.size() == 0 ? Double.NaN
                : RmseLoss.rmse(predict(trainer, validation.inputs(), s, 256), validation.labels());
    }

    /** The running mean of {@code count} weight snapshots: {@code mean} holds the first count - 1 (null for none). */
    static Map<String, float[]> accumulate(Map<String, float[]> mean, Map<String, float[]> next, int count) {
        if (mean == null) {
            return next;
        }
        for (Map.Entry<String, float[]> e : mean.entrySet()) {
            float[] m = e.getValue();
            float[] x = next.get(e.getKey());
            for (int i = 0; i < m.length; i++) {
                m[i] += (x[i] - m[i]) / count;
            }
        }
        return mean;
    }

    /**
     * Freezes every layer before Flatten, i.e. the convolutional features, leaving the dense head to train.
     * Must run after {@code newTrainer}, which would otherwise un-freeze them.
     */
    private static void freezeFeatures(Architecture arch, SequentialBlock block) {
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < arch.layers().size() && !(arch.layers().get(i) instanceof Layer.Flatten); i++) {
            children.get(i).freezeParameters(true);
        }
    }

    /** Inference-mode forward pass (dropout off) in chunks. */
    static float[][] predict(Trainer trainer, float[][] inputs, int s, int chunk) {
        float[][] out = new float[inputs.length][];
        for (int from = 0; from < inputs.length; from += chunk) {
            int to = Math.min(inputs.length, from + chunk);
            try (NDManager m = trainer.getManager().newSubManager()) {
                float[] x = new float[(to - from) * s * s];
                for (int i = from; i < to; i++) {
                    System.arraycopy(inputs[i], 0, x, (i - from) * s * s, s * s);
                }
                NDArray p = trainer.evaluate(new NDList(m.create(x, new Shape(to - from, 1, s, s)))).singletonOrThrow();
                float[] flat = p.toFloatArray();
                for (int i = from; i < to; i++) {
                    out[i] = java.util.Arrays.copyOfRange(flat, (i - from) * 5, (i - from) * 5 + 5);
                }
            }
        }
        return out;
    }

    private static Map<String, float[]> snapshot(SequentialBlock block) {
        Map<String, float[]> weights = new java.util.LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            weights.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return weights;
    }

    private static void restore(SequentialBlock block, Map<String, float[]> weights) {
        if (weights == null) {
            return;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().set(FloatBuffer.wrap(weights.get(p.getKey())));
        }
    }


    /** Forward pass of a trained block in inference mode, outside a trainer (for parity checks). */
    public static float[][] predict(Model model, float[][] inputs, int s) {
        float[][] out = new float[inputs.length][];
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
             NDManager m = model.getNDManager().newSubManager()) {
            float[] x = new float[inputs.length * s * s];
            for (int i = 0; i < inputs.length; i++) {
                System.arraycopy(inputs[i], 0, x, i * s * s, s * s);
            }
            float[] flat = predictor.predict(new NDList(m.create(x, new Shape(inputs.length, 1, s, s))))
                    .singletonOrThrow().toFloatArray();
            for (int i = 0; i < inputs.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * 5, i * 5 + 5);
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("DJL inference failed", e);
        }
        return out;
    }
}
