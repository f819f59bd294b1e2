package io.morpho.inference.model;

import java.nio.file.Path;

import ai.onnxruntime.OrtEnvironment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.inference.config.InferenceConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Holds the model being served; one {@link OrtEnvironment} per JVM. */
@Startup
@ApplicationScoped
public class ModelRegistry {
    @Inject
    InferenceConfig config;

    @Inject
    MeterRegistry registry;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private volatile LoadedModel current;

    @PostConstruct
    void loadConfiguredModel() {
        current = LoadedModel.load(env, Path.of(config.model()), config.provider(), config.cudaDevice(), config.threads());
        Gauge.builder("morpho.inference.model.loaded", this, r -> r.current == null ? 0 : 1)
                .tag("model", current.name()).tag("version", current.version())
                .tag("provider", current.executionProvider()).register(registry);
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
