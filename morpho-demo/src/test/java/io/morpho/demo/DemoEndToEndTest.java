package io.morpho.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.morpho.events.EventSerde;
import io.morpho.events.Topics;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import morpho.events.v1.ClassificationEvent;

/**
 * Frame files in, catalog rows out: the three packaged services as separate JVMs, a real broker, a real
 * PostgreSQL and the committed model, driven exactly as {@code bin/morpho demo} drives them.
 */
class DemoEndToEndTest {
    @Test
    void simulatedFramesBecomeQueryableCatalogRows(@TempDir Path work) throws Exception {
        Path home = Path.of(System.getProperty("morpho.repo.root", "..")).toAbsolutePath().normalize();
        try (DemoStack stack = DemoStack.start(home, work, DemoStack.Ports.random(), m -> { })) {
            int galaxies = 12;
            FieldSimulator.Field field = stack.feed("e2e", 7, galaxies, List.of(Band.clash("F606W"), Band.clash("F160W")));
            JsonNode catalog = stack.awaitCatalog(galaxies * 2, Duration.ofSeconds(180), n -> { });

            assertThat(catalog.size()).isEqualTo(galaxies);
            Set<String> bands = new HashSet<>();
            for (JsonNode g : catalog) {
                assertThat(g.get("bands").size()).isEqualTo(2);
                g.get("bands").forEach(b -> {
                    bands.add(b.get("band").asText());
                    assertThat(b.get("model").get("name").asText()).isEqualTo("morpho-compact-clash");
                });
            }
            assertThat(bands).containsExactlyInAnyOrder("F606W", "F160W");
            FieldSimulator.TruthRow truth = field.truth().get(0);
            JsonNode cone = stack.get(String.format(java.util.Locale.ROOT, "/galaxies?ra=%.6f&dec=%.6f&radius=0.0003",
                    truth.ra(), truth.dec()));
            assertThat(cone).hasSize(1);
            assertThat(cone.get(0).get("sourceId").asText()).isEqualTo(truth.id());

            // An ordinary Kafka client sees the classifications on the demo's broker.
            try (var consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new EventSerde.ClassificationDeserializer())) {
                consumer.subscribe(List.of(Topics.CLASSIFICATIONS));
                Set<String> seen = new HashSet<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (seen.size() < galaxies * 2 && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        ClassificationEvent e = r.value();
                        assertThat(r.key()).isEqualTo(e.getSourceId());
                        seen.add(e.getEventId());
                    }
                }
                assertThat(seen).hasSize(galaxies * 2);
            }
            assertThat(Demo.table(catalog, field)).contains("e2e-0001").contains("F160W");
        }
    }
}
