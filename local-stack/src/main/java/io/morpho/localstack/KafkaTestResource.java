package io.morpho.localstack;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real embedded broker for {@code @QuarkusTestResource(KafkaTestResource.class)}. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = EmbeddedKafka.start();
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.MatchesType(EmbeddedKafka.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
