package io.morpho.inference.model;

import java.nio.file.Path;
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
 * Holds the model being served (one {@link OrtEnvironment} per JVM) and swaps in new ones safely: a candidate is
 * loaded and validated beside the serving model, then exchanged under a write lock, so classification (which
 * holds the read lock for a whole event) never sees two models, and a refused candidate changes nothing.
 */
@Startup
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    @Inject
    InferenceConfig config;

    @Inject
    MeterRegistry registry;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile LoadedModel current;
    private Gauge servingGauge;

    @PostConstruct
    void loadConfiguredModel() {
        current = load(Path.of(config.model()));
        servingGauge = gauge(current);
    }

    private LoadedModel load(Path file) {
        return LoadedModel.load(env, file, new LoadedModel.Settings(config.provider(), config.cudaDevice(), config.threads(),
                config.graphOptimization(), config.memoryArena()));
    }

    /** Runs {@code work} with the serving model; a swap waits until it returns. */
    public <T> T withModel(Function<LoadedModel, T> work) {
        lock.readLock().lock();
        try {
            return work.apply(current);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Validates {@code file} (model contract and, when given, its sha256) and makes it the serving model.
     *
     * @throws ModelContractException when the candidate is refused; the serving model stays
     */
    public LoadedModel swapIn(Path file, String expectedSha256) {
        LoadedModel candidate = load(file);
        if (expectedSha256 != null && !candidate.sha256().equalsIgnoreCase(expectedSha256)) {
            candidate.close();
            throw new ModelContractException(file + " has sha256 " + candidate.sha256() + ", the announcement says "
                    + expectedSha256);
        }
        LoadedModel old;
        lock.writeLock().lock();
        try {
            old = current;
            current = candidate;
        } finally {
            lock.writeLock().unlock();
        }
        old.close();
        registry.remove(servingGauge);
        servingGauge = gauge(candidate);
        registry.counter("morpho.inference.model.swaps").increment();
        LOG.infof("now serving %s %s (was %s %s)", candidate.name(), candidate.version(), old.name(), old.version());
        return candidate;
    }

    private Gauge gauge(LoadedModel model) {
        return Gauge.builder("morpho.inference.model.serving", () -> 1).tag("model", model.name())
                .tag("version", model.version()).tag("provider", model.executionProvider()).register(registry);
    }

    public LoadedModel current() {
        return current;
    }

    public OrtEnvironment environment() {
        return env;
    }

    @PreDestroy
    void close() {
        if (current != null) {
            current.close();
        }
    }
}
