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
    private OrtRunner() {
    }

    public static float[][] predict(Path modelFile, float[][] inputs, int s) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(modelFile.toString(), options)) {
                float[] x = new float[inputs.length * s * s];
                for (int i = 0; i < inputs.length; i++) {
                    System.arraycopy(inputs[i], 0, x, i * s * s, s * s);
                }
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {inputs.length, 1, s, s});
                     OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor))) {
                    return (float[][]) result.get(OnnxExporter.OUTPUT).orElseThrow().getValue();
                }
            }
        }
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
