package io.morpho.inference.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.jboss.logging.Logger;

import ai.onnxruntime.OrtEnvironment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.inference.config.InferenceConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Holds the models being served (one {@link OrtEnvironment} per JVM): the default model and, optionally, models
 * routed to by band ({@code morpho.inference.routes}, e.g. the paper's per-band fine-tuned models), and swaps in new
 * ones safely: a candidate is loaded and validated beside the serving models, then exchanged under a write lock for
 * every route serving a model of the same name, so a batch (which holds the read lock while it runs) never sees two
 * versions of a model, and a refused candidate changes nothing.
 */
@Startup
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    /** The route key of the default model. */
    public static final String DEFAULT = "default";

    @Inject
    InferenceConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    jakarta.enterprise.event.Event<ModelRefused> refusals;

    /** A model file that changed on disk but could not be served; the serving model stays. */
    public record ModelRefused(Path file, String reason) {
    }

    private java.util.concurrent.ScheduledExecutorService watcher;
    private final Map<Path, String> stamps = new java.util.concurrent.ConcurrentHashMap<>();

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Route (DEFAULT or an upper-case band) to model; several routes may share one loaded model. */
    private volatile Map<String, LoadedModel> routes = Map.of();
    private final List<Gauge> gauges = new ArrayList<>();

    /** The models a batch is classified with: the one routed to a band, or the default. */
    public static final class Routing {
        private final Map<String, LoadedModel> routes;

        Routing(Map<String, LoadedModel> routes) {
            this.routes = routes;
        }

        public LoadedModel forBand(String band) {
            LoadedModel routed = band == null ? null : routes.get(band.toUpperCase(Locale.ROOT));
            return routed != null ? routed : routes.get(DEFAULT);
        }
    }

    @PostConstruct
    void loadConfiguredModels() {
        Map<String, LoadedModel> loaded = new LinkedHashMap<>();
        Map<Path, LoadedModel> byFile = new HashMap<>();
        try {
            loaded.put(DEFAULT, byFile.computeIfAbsent(Path.of(config.model()).toAbsolutePath().normalize(), this::load));
            for (Map.Entry<String, String> route : parseRoutes(config.routes().orElse("")).entrySet()) {
                loaded.put(route.getKey(), byFile.computeIfAbsent(Path.of(route.getValue()).toAbsolutePath().normalize(),
                        this::load));
            }
        } catch (RuntimeException e) {
            distinct(loaded).forEach(LoadedModel::close);
            throw e;
        }
        routes = java.util.Collections.unmodifiableMap(loaded);
        registerGauges();
        distinct(routes).forEach(m -> stamps.put(m.file(), stamp(m.file())));
        long seconds = config.watchInterval().toSeconds();
        if (seconds > 0) {
            watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "model-file-watcher");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::checkFiles, seconds, seconds, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Size and modification time of a file ("" when it is missing). */
    private static String stamp(Path file) {
        try {
            return java.nio.file.Files.size(file) + "@" + java.nio.file.Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /**
     * Reloads a serving model whose file changed (size or modification time) and stayed unchanged for one more
     * interval (a copy in progress is not read). A file that fails validation is refused and reported; the serving
     * model stays.
     */
    void checkFiles() {
        for (Path file : List.copyOf(stamps.keySet())) {
            String now = stamp(file);
            String known = stamps.get(file);
            if (now.isEmpty() || now.equals(known)) {
                continue;
            }
            if (!now.equals(pending.put(file, now))) {
                continue; // changed since the last look: wait until it holds still
            }
            pending.remove(file);
            stamps.put(file, now);
            try {
                swapFile(file);
            } catch (RuntimeException e) {
                LOG.warnf("refused changed model file %s: %s", file, e.getMessage());
                refusals.fire(new ModelRefused(file, e.getMessage()));
            }
        }
    }

    private final Map<Path, String> pending = new java.util.concurrent.ConcurrentHashMap<>();

    /** Loads {@code file} again and serves it on every route that was serving that file. */
    public LoadedModel swapFile(Path file) {
        Path path = file.toAbsolutePath().normalize();
        LoadedModel candidate = load(path);
        return exchange(candidate, m -> m.file().equals(path), "no route serves the file " + path);
    }

    /** {@code F160W=models/a.onnx,F814W=models/b.onnx} as band (upper case) to file. */
    static Map<String, String> parseRoutes(String spec) {
        Map<String, String> routes = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new ModelContractException("bad route '" + entry.trim() + "' in morpho.inference.routes (expected "
                        + "BAND=model.onnx, comma-separated)");
            }
            String band = parts[0].trim().toUpperCase(Locale.ROOT);
            if (band.equals(DEFAULT.toUpperCase(Locale.ROOT))) {
                throw new ModelContractException("'" + parts[0].trim() + "' cannot be routed; set morpho.inference.model");
            }
            routes.put(band, parts[1].trim());
        }
        return routes;
    }

    private LoadedModel load(Path file) {
        return LoadedModel.load(env, file, new LoadedModel.Settings(config.provider(), config.cudaDevice(), config.threads(),
                config.interOpThreads(), config.graphOptimization(), config.memoryArena()));
    }

    /** Runs {@code work} with the serving models; a swap waits until it returns. */
    public <T> T withModels(Function<Routing, T> work) {
        lock.readLock().lock();
        try {
            return work.apply(new Routing(routes));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The default model. */
    public LoadedModel current() {
        return routes.get(DEFAULT);
    }

    /** Route to model, default first. */
    public Map<String, LoadedModel> routes() {
        return routes;
    }

    /** The serving model named {@code name} (on any route), if any. */
    public Optional<LoadedModel> servingNamed(String name) {
        return routes.values().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * Validates {@code file} (model contract and, when given, its sha256) and makes it serve every route whose model
     * has the same name.
     *
     * @throws ModelContractException when the candidate is refused or serves no route; the serving models stay
     */
    public LoadedModel swapIn(Path file, String expectedSha256) {
        LoadedModel candidate = load(file);
        if (expectedSha256 != null && !candidate.sha256().equalsIgnoreCase(expectedSha256)) {
            candidate.close();
            throw new ModelContractException(file + " has sha256 " + candidate.sha256() + ", the announcement says "
                    + expectedSha256);
        }
        return exchange(candidate, m -> m.name().equals(candidate.name()), "no route serves a model named " + candidate.name());
    }

    /** Serves {@code candidate} on every route whose model {@code replaces} accepts, under the write lock. */
    private LoadedModel exchange(LoadedModel candidate, java.util.function.Predicate<LoadedModel> replaces, String none) {
        List<LoadedModel> replaced;
        lock.writeLock().lock();
        try {
            Map<String, LoadedModel> next = new LinkedHashMap<>(routes);
            next.replaceAll((route, model) -> replaces.test(model) ? candidate : model);
            if (next.values().stream().noneMatch(m -> m == candidate)) {
                candidate.close();
                throw new ModelContractException(none);
            }
            replaced = distinct(routes).stream().filter(m -> !next.containsValue(m)).toList();
            routes = java.util.Collections.unmodifiableMap(next);
            stamps.putIfAbsent(candidate.file(), stamp(candidate.file()));
            replaced.stream().map(LoadedModel::file).filter(f -> next.values().stream().noneMatch(m -> m.file().equals(f)))
                    .forEach(stamps::remove);
        } finally {
            lock.writeLock().unlock();
        }
        replaced.forEach(LoadedModel::close);
        registerGauges();
        registry.counter("morpho.inference.model.swaps").increment();
        LOG.infof("now serving %s %s on %s (replaced %s)", candidate.name(), candidate.version(),
                routesOf(candidate), replaced.stream().map(m -> m.name() + " " + m.version()).toList());
        return candidate;
    }

    private List<String> routesOf(LoadedModel model) {
        return routes.entrySet().stream().filter(e -> e.getValue() == model).map(Map.Entry::getKey).toList();
    }

    private static List<LoadedModel> distinct(Map<String, LoadedModel> routes) {
        Map<LoadedModel, Boolean> seen = new IdentityHashMap<>();
        routes.values().forEach(m -> seen.put(m, true));
        return new ArrayList<>(seen.keySet());
    }

    private synchronized void registerGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
        routes.forEach((route, model) -> gauges.add(Gauge.builder("morpho.inference.model.serving", () -> 1)
                .tag("route", route).tag("model", model.name()).tag("version", model.version())
                .tag("provider", model.executionProvider()).register(registry)));
    }

    public OrtEnvironment environment() {
        return env;
    }

    @PreDestroy
    void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        distinct(routes).forEach(LoadedModel::close);
    }
}
