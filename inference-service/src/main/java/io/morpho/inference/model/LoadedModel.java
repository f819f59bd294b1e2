package io.morpho.inference.model;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.jboss.logging.Logger;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.morpho.events.MorphologyClass;
import io.morpho.imaging.ImagingException;
import io.morpho.imaging.preprocess.Preprocessing;

/**
 * An ONNX Runtime session for a model that passed the contract check: input {@code stamp} [N, 1, S, S],
 * output {@code probabilities} [N, 5], metadata naming the classes in order, S and a known preprocessing.
 */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedModel.class);
    static final String INPUT = "stamp";
    static final String OUTPUT = "probabilities";

    private final OrtSession session;
    private final String name;
    private final String version;
    private final String sha256;
    private final int inputSize;
    private final Preprocessing preprocessing;
    private final String executionProvider;
    private String providerFallback;
    private Path file;

    private LoadedModel(OrtSession session, String name, String version, String sha256, int inputSize,
                        Preprocessing preprocessing, String executionProvider) {
        this.session = session;
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.inputSize = inputSize;
        this.preprocessing = preprocessing;
        this.executionProvider = executionProvider;
    }

    /**
     * How a session runs.
     *
     * @param provider     auto, cpu, cuda or tensorrt; auto falls back to CPU when the CUDA provider or its libraries
     *                     are missing, cuda and tensorrt fail instead
     * @param optimization ONNX Runtime graph optimisation: none, basic, extended or all
     * @param memoryArena  whether ONNX Runtime keeps a CPU memory arena (faster, holds on to peak memory)
     */
    public record Settings(String provider, int cudaDevice, int threads, int interOpThreads, String optimization,
                           boolean memoryArena) {
        public static Settings of(String provider, int cudaDevice, int threads) {
            return new Settings(provider, cudaDevice, threads, 1, "all", true);
        }

        OrtSession.SessionOptions.OptLevel optLevel() {
            return switch (optimization.toLowerCase(java.util.Locale.ROOT)) {
                case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case "all" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
                default -> throw new ModelContractException("unknown graph optimisation level '" + optimization
                        + "' (none, basic, extended or all)");
            };
        }
    }

    /** Loads and validates {@code file} with the default session settings for a provider. */
    public static LoadedModel load(OrtEnvironment env, Path file, String provider, int cudaDevice, int threads) {
        return load(env, file, Settings.of(provider, cudaDevice, threads));
    }

    /** Loads and validates {@code file}. */
    public static LoadedModel load(OrtEnvironment env, Path file, Settings settings) {
        if (!Files.isRegularFile(file)) {
            throw new ModelContractException("model file " + file.toAbsolutePath() + " does not exist");
        }
        String sha256 = sha256(file);
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.threads());
            options.setInterOpNumThreads(settings.interOpThreads());
            options.setOptimizationLevel(settings.optLevel());
            options.setCPUArenaAllocator(settings.memoryArena());
            String[] fallback = new String[1];
            String used = chooseProvider(options, settings.provider(), settings.cudaDevice(), fallback);
            session = env.createSession(file.toString(), options);
            LoadedModel model = validate(session, file, sha256, used);
            model.file = file.toAbsolutePath().normalize();
            model.providerFallback = fallback[0];
            LOG.infof("serving model %s %s (sha256 %s, input %dx%d, %s, provider %s); inputs %s, outputs %s",
                    model.name, model.version, sha256, model.inputSize, model.inputSize, model.preprocessing.name(),
                    used, session.getInputInfo(), session.getOutputInfo());
            return model;
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelContractException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** Adds the requested execution provider; for auto, records in {@code fallback[0]} why CUDA was not used. */
    private static String chooseProvider(OrtSession.SessionOptions options, String provider, int device, String[] fallback)
            throws OrtException {
        switch (provider) {
            case "cpu":
                return "cpu";
            case "cuda":
                options.addCUDA(device);
                return "cuda";
            case "tensorrt":
                options.addTensorrt(device);
                options.addCUDA(device); // for the operators TensorRT does not take
                return "tensorrt";
            case "auto":
                try {
                    options.addCUDA(device);
                    return "cuda";
                } catch (OrtException | UnsatisfiedLinkError e) {
                    LOG.infof("CUDA execution provider unavailable (%s); using CPU", e.getMessage());
                    fallback[0] = "CUDA unavailable: " + e.getMessage();
                    return "cpu";
                }
            default:
                throw new ModelContractException("unknown execution provider '" + provider
                        + "' (auto, cpu, cuda or tensorrt)");
        }
    }

    private static LoadedModel validate(OrtSession session, Path file, String sha256, String provider) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!inputs.containsKey(INPUT) || !outputs.containsKey(OUTPUT)) {
            throw new ModelContractException(file + " must have input '" + INPUT + "' and output '" + OUTPUT
                    + "', has " + inputs.keySet() + " -> " + outputs.keySet());
        }
        long[] in = ((TensorInfo) inputs.get(INPUT).getInfo()).getShape();
        long[] out = ((TensorInfo) outputs.get(OUTPUT).getInfo()).getShape();
        if (in.length != 4 || in[1] != 1 || in[2] != in[3] || in[2] <= 0) {
            throw new ModelContractException(file + ": input must be [N, 1, S, S], is " + java.util.Arrays.toString(in));
        }
        if (out.length != 2 || out[1] != MorphologyClass.ORDER.size()) {
            throw new ModelContractException(file + ": output must be [N, 5], is " + java.util.Arrays.toString(out));
        }
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        String classes = meta.get("morpho.classes");
        if (!MorphologyClass.metadataValue().equals(classes)) {
            throw new ModelContractException(file + ": morpho.classes must be '" + MorphologyClass.metadataValue()
                    + "', is '" + classes + "'");
        }
        int size = Integer.parseInt(require(meta, "morpho.input_size", file));
        if (size != in[2]) {
            throw new ModelContractException(file + ": morpho.input_size " + size + " != input side " + in[2]);
        }
        Preprocessing preprocessing;
        try {
            preprocessing = Preprocessing.byName(require(meta, "morpho.preprocess", file));
        } catch (ImagingException e) {
            throw new ModelContractException(file + ": " + e.getMessage(), e);
        }
        String name = meta.getOrDefault("morpho.name", file.getFileName().toString().replaceFirst("\\.onnx$", ""));
        return new LoadedModel(session, name, require(meta, "morpho.version", file), sha256, size, preprocessing, provider);
    }

    private static String require(Map<String, String> meta, String key, Path file) {
        String value = meta.get(key);
        if (value == null || value.isBlank()) {
            throw new ModelContractException(file + " lacks metadata " + key);
        }
        return value;
    }

    /** Runs the network on preprocessed inputs (each S x S); returns [n][5] probabilities. */
    public float[][] run(OrtEnvironment env, float[][] inputs) throws OrtException {
        int s = inputSize;
        float[] x = new float[inputs.length * s * s];
        for (int i = 0; i < inputs.length; i++) {
            System.arraycopy(inputs[i], 0, x, i * s * s, s * s);
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {inputs.length, 1, s, s});
             OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
            return (float[][]) result.get(OUTPUT).orElseThrow().getValue();
        }
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The file this model was loaded from (absolute). */
    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    public int inputSize() {
        return inputSize;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public String executionProvider() {
        return executionProvider;
    }

    /** Why CUDA was not used although {@code auto} asked for it, or null. */
    public String providerFallback() {
        return providerFallback;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing ONNX session failed", e);
            }
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new ModelContractException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
