package io.morpho.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "morpho.inference")
public interface InferenceConfig {
    /** ONNX model file to serve (env MORPHO_INFERENCE_MODEL). */
    String model();

    /**
     * Band-specific models, {@code BAND=file.onnx} comma-separated (env MORPHO_INFERENCE_ROUTES), e.g.
     * {@code F225W=models/uv.onnx,F275W=models/uv.onnx}; other bands go to {@link #model()}. A published model
     * replaces every route serving a model of its name.
     */
    java.util.Optional<String> routes();

    /**
     * How often the served model files are checked for changes (env MORPHO_INFERENCE_WATCH_INTERVAL); a changed file
     * is validated and swapped in like an announced model. 0 turns the check off.
     */
    @WithDefault("5s")
    java.time.Duration watchInterval();

    /**
     * Execution provider: auto (CUDA if it loads, else CPU), cpu, cuda or tensorrt (env MORPHO_INFERENCE_PROVIDER);
     * cuda and tensorrt need the {@code -Pgpu} build and CUDA 12 + cuDNN 9 (+ TensorRT 10) libraries.
     */
    @WithDefault("auto")
    String provider();

    /** CUDA device id for cuda/auto (env MORPHO_INFERENCE_CUDA_DEVICE). */
    @WithDefault("0")
    int cudaDevice();

    /** ONNX Runtime intra-op threads (env MORPHO_INFERENCE_THREADS). */
    @WithDefault("2")
    int threads();

    /**
     * ONNX Runtime inter-op threads (env MORPHO_INFERENCE_INTER_OP_THREADS); 1 suits these sequential networks, more
     * only helps graphs with parallel branches on machines with cores to spare.
     */
    @WithDefault("1")
    int interOpThreads();

    /** ONNX Runtime graph optimisation: none, basic, extended or all (env MORPHO_INFERENCE_GRAPH_OPTIMIZATION). */
    @WithDefault("all")
    String graphOptimization();

    /**
     * ONNX Runtime's CPU memory arena (env MORPHO_INFERENCE_MEMORY_ARENA): faster allocation, but the process keeps
     * its peak memory; turn off where memory is tight and batches vary in size.
     */
    @WithDefault("true")
    boolean memoryArena();

    /** Side of the PNG thumbnail sent with each classification for the catalog's pictures; 0 for none
     * (env MORPHO_INFERENCE_THUMBNAIL_SIZE). */
    @WithDefault("64")
    int thumbnailSize();

    /** Stamps with more pixels than this are refused as absurd (env MORPHO_INFERENCE_MAX_STAMP_PIXELS). */
    @WithDefault("1048576")
    int maxStampPixels();
}
