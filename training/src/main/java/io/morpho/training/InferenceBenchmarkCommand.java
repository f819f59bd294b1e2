package io.morpho.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark-inference}: stamps per second of each architecture with ONNX Runtime Java (CPU, the serving
 * configuration: intra-op threads, inter-op 1, all graph optimisations) at several batch sizes; in the same run the
 * same architecture in PyTorch eager mode on the same threads (Debian {@code python3-torch}), this machine's practical
 * peak (a 2048³ float32 matmul in PyTorch) and each model's fraction of it, and peak memory. The compact model is
 * the shipped one; the paper's network is exported with random weights (the arithmetic does not depend on them).
 * When the shipped file averages several views of each stamp ({@code morpho.views}), the network is timed alone with
 * random weights, and the file on its own rows (ONNX Runtime only), at that many times the arithmetic per stamp.
 * A program, not a test: it prints Markdown for docs/benchmarks.md.
 */
@Command(name = "benchmark-inference", mixinStandardHelpOptions = true,
        description = "ONNX Runtime Java vs PyTorch CPU stamps/s per batch size, roofline fraction and peak memory.")
public final class InferenceBenchmarkCommand implements Callable<Integer> {
    @Option(names = "--architectures", split = ",", defaultValue = "compact,paper", description = "(default: ${DEFAULT-VALUE})")
    List<String> architectures;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32,64,128", description = "(default: ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads for both runtimes (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seconds", defaultValue = "3", description = "Timed seconds per point (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--compact-model", defaultValue = "models/morpho-compact-clash.onnx", description = "(default: ${DEFAULT-VALUE})")
    Path compactModel;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--work-dir", defaultValue = "target/benchmark-inference", description = "(default: ${DEFAULT-VALUE})")
    Path work;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        Path script = work.resolve("torch_infer.py");
        try (InputStream in = InferenceBenchmarkCommand.class.getResourceAsStream("bench/torch_infer.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.printf(Locale.ROOT, "| model | GFLOP/stamp | batch | ONNX Runtime Java stamps/s | PyTorch eager stamps/s "
                + "| ORT / PyTorch | ORT GFLOP/s | ORT %% of peak |%n|---|---|---|---|---|---|---|---|%n");
        double peak = Double.NaN;
        List<String> notes = new ArrayList<>();
        for (String name : architectures) {
            boolean shipped = name.equals("compact") && Files.exists(compactModel);
            Architecture arch = shipped ? OnnxImporter.architecture(compactModel)
                    : Architecture.byName(name, name.equals("paper") ? 80 : 64);
            int views = shipped ? Integer.parseInt(OnnxImporter.metadata(compactModel).getOrDefault("morpho.views", "1")) : 1;
            // A view-averaging file runs the network 8 times per stamp: the network alone is timed on its own first.
            Path model = shipped && views == 1 ? compactModel : randomModel(arch);
            double gflop = 2.0 * arch.cost().multiplyAccumulates() / 1e9;
            double before = rssMb("VmRSS:");
            Map<Integer, Double> ort = ortThroughput(model, arch.inputSize());
            notes.add(String.format(Locale.ROOT, "ONNX Runtime with %s: resident memory grew by %.0f MB (session, arena, "
                    + "largest batch's tensors)", name, ortPeakRss - before));
            Path spec = work.resolve(name + ".json");
            Files.writeString(spec, json(arch));
            Torch torch = torch(script, spec);
            if (torch != null) {
                peak = torch.peakGflops();
                notes.add(String.format(Locale.ROOT, "PyTorch %s process peak RSS with %s: %.0f MB", torch.version(), name,
                        torch.maxRssMb()));
            }
            rows(name, gflop, ort, torch, peak);
            if (views > 1) {
                rows(String.format(Locale.ROOT, "%s, %d views (%s)", name, views, compactModel.getFileName()), views * gflop,
                        ortThroughput(compactModel, arch.inputSize()), null, peak);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "practical peak (PyTorch float32 matmul 2048³, %d threads): %.1f GFLOP/s%n", threads, peak);
        notes.forEach(System.out::println);
        return 0;
    }

    private void rows(String name, double gflop, Map<Integer, Double> ort, Torch torch, double peak) {
        for (int batch : batches) {
            double o = ort.get(batch);
            Double t = torch == null ? null : torch.stampsPerSecond().get(batch);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %d | %,.0f | %s | %s | %.1f | %s |%n", name, gflop, batch, o,
                    t == null ? "—" : String.format(Locale.ROOT, "%,.0f", t),
                    t == null ? "—" : String.format(Locale.ROOT, "%.2f×", o / t), o * gflop,
                    Double.isNaN(peak) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * o * gflop / peak));
        }
    }

    /** The architecture with freshly initialised weights, exported as ONNX. */
    private Path randomModel(Architecture arch) throws IOException {
        Path file = work.resolve(arch.name() + "-random.onnx");
        SequentialBlock block = DjlNetwork.build(arch);
        try (Model model = Model.newInstance("bench", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new RmseLoss()))) {
                trainer.initialize(new Shape(1, 1, arch.inputSize(), arch.inputSize()));
            }
            OnnxExporter.export(arch, block, Map.of("morpho.name", arch.name() + "-random"), file);
        }
        return file;
    }

    private double ortPeakRss;

    private Map<Integer, Double> ortThroughput(Path model, int size) throws Exception {
        ortPeakRss = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<Integer, Double> result = new HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                Random rng = new Random(1);
                for (int batch : batches) {
                    float[] data = new float[batch * size * size];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = rng.nextFloat();
                    }
                    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {batch, 1, size, size})) {
                        Map<String, OnnxTensor> feed = Map.of(OnnxExporter.INPUT, input);
                        for (int i = 0; i < 2; i++) {
                            session.run(feed).close();
                        }
                        int runs = 0;
                        long start = System.nanoTime();
                        double elapsed;
                        do {
                            session.run(feed).close();
                            runs++;
                            elapsed = (System.nanoTime() - start) / 1e9;
                        } while (elapsed < seconds || runs < 3);
                        result.put(batch, runs * batch / elapsed);
                        ortPeakRss = Math.max(ortPeakRss, rssMb("VmRSS:"));
                    }
                }
            }
        }
        return result;
    }

    private record Torch(Map<Integer, Double> stampsPerSecond, double peakGflops, double maxRssMb, String version) {
    }

    private Torch torch(Path script, Path spec) throws IOException, InterruptedException {
        String list = String.join(",", batches.stream().map(String::valueOf).toList());
        Process p;
        try {
            p = new ProcessBuilder(python, script.toString(), spec.toString(), String.valueOf(threads), list,
                    String.valueOf(seconds)).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("(PyTorch unavailable: " + e.getMessage() + ")");
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("(PyTorch path failed; apt-get install python3-torch: " + out.strip() + ")");
            return null;
        }
        Map<Integer, Double> rates = new HashMap<>();
        Matcher m = Pattern.compile("\"batch\": (\\d+), \"stampsPerSecond\": ([0-9.eE+-]+)").matcher(out);
        while (m.find()) {
            rates.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
        }
        return new Torch(rates, number(out, "peakGflops"), number(out, "maxRssMb"),
                out.replaceAll("(?s).*\"torch\": \"([^\"]+)\".*", "$1").strip());
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** A resident-set figure of this process from /proc/self/status (VmRSS: now, VmHWM: peak), MB; NaN without /proc. */
    static double rssMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Double.parseDouble(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The layer list as JSON for the PyTorch side (the same description that builds the DJL block and the ONNX graph). */
    static String json(Architecture arch) {
        return "{\"inputSize\": " + arch.inputSize() + ", \"layers\": " + layers(arch.layers()) + "}";
    }

    private static String layers(List<Layer> layers) {
        List<String> out = new ArrayList<>();
        for (Layer layer : layers) {
            out.add(layerJson(layer));
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static String layerJson(Layer layer) {
        if (layer instanceof Layer.Conv c) {
            return String.format(Locale.ROOT, "{\"type\": \"conv\", \"filters\": %d, \"kernel\": %d, \"stride\": %d, "
                    + "\"padding\": %d}", c.filters(), c.kernel(), c.stride(), c.padding());
        } else if (layer instanceof Layer.Relu) {
            return "{\"type\": \"relu\"}";
        } else if (layer instanceof Layer.BatchNorm b) {
            return String.format(Locale.ROOT, "{\"type\": \"batchnorm\", \"epsilon\": %s}", b.epsilon());
        } else if (layer instanceof Layer.MaxPool p) {
            return String.format(Locale.ROOT, "{\"type\": \"maxpool\", \"kernel\": %d, \"stride\": %d, \"padding\": %d}",
                    p.kernel(), p.stride(), p.padding());
        } else if (layer instanceof Layer.AvgPool p) {
            return String.format(Locale.ROOT, "{\"type\": \"avgpool\", \"kernel\": %d, \"stride\": %d}", p.kernel(), p.stride());
        } else if (layer instanceof Layer.Inception i) {
            return "{\"type\": \"inception\", \"towers\": ["
                    + String.join(", ", i.towers().stream().map(InferenceBenchmarkCommand::layers).toList())
                    + "], \"concat\": " + i.concat() + "}";
        } else if (layer instanceof Layer.Flatten) {
            return "{\"type\": \"flatten\"}";
        } else if (layer instanceof Layer.Dense d) {
            return "{\"type\": \"dense\", \"units\": " + d.units() + "}";
        } else if (layer instanceof Layer.Dropout d) {
            return String.format(Locale.ROOT, "{\"type\": \"dropout\", \"rate\": %s}", d.rate());
        } else if (layer instanceof Layer.Softmax) {
            return "{\"type\": \"softmax\"}";
        }
        throw new IllegalArgumentException("no JSON for " + layer);
    }
}
