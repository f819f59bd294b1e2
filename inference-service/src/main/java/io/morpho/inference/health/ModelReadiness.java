package io.morpho.inference.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.morpho.inference.model.LoadedModel;
import io.morpho.inference.model.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Ready only with a validated model loaded; reports the default model, its execution provider and the band routes.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {
    @Inject
    ModelRegistry models;

    @Override
    public HealthCheckResponse call() {
        LoadedModel model = models.current();
        if (model == null) {
            return HealthCheckResponse.down("model");
        }
        var response = HealthCheckResponse.named("model").up()
                .withData("name", model.name()).withData("version", model.version())
                .withData("sha256", model.sha256()).withData("inputSize", model.inputSize())
                .withData("executionProvider", model.executionProvider());
        if (model.providerFallback() != null) {
            response.withData("providerFallback", model.providerFallback());
        }
        if (models.routes().size() > 1) {
            StringBuilder routes = new StringBuilder();
            models.routes().forEach((route, m) -> {
                if (!route.equals(ModelRegistry.DEFAULT)) {
                    routes.append(routes.isEmpty() ? "" : ", ").append(route).append('=').append(m.name()).append(' ')
                            .append(m.version());
                }
            });
            response.withData("routes", routes.toString());
        }
        return response.build();
    }
}
