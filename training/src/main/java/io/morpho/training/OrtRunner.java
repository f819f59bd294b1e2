package io.morpho.training;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Runs an exported model in ONNX Runtime (CPU), to check it against DJL and to evaluate it. */
public final class OrtRunner {
    static final int BATCH = 256;

    private OrtRunner() {
    }

    /** Predictions for every stamp, run in batches of {@link #BATCH} (a view-averaging model needs 8x the memory). */
    public static float[][] predict(Path modelFile, float[][] inputs, int s) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] out = new float[inputs.length][];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(modelFile.toString(), options)) {
                for (int from = 0; from < inputs.length; from += BATCH) {
                    int n = Math.min(BATCH, inputs.length - from);
                    float[] x = new float[n * s * s];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(inputs[from + i], 0, x, i * s * s, s * s);
                    }
                    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, 1, s, s});
                         OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor))) {
                        System.arraycopy((float[][]) result.get(OnnxExporter.OUTPUT).orElseThrow().getValue(), 0, out, from, n);
                    }
                }
            }
        }
        return out;
    }

    /** Largest absolute difference between two prediction matrices. */
    public static double maxAbsDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                max = Math.max(max, Math.abs(a[i][c] - b[i][c]));
            }
        }
        return max;
    }
}
