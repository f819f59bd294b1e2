package io.morpho.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.morpho.events.EventCodec;
import io.morpho.events.Topics;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.KafkaTestResource;
import io.morpho.localstack.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import morpho.events.v1.ClassificationEvent;

/** Every record of the classifications topic delivered again leaves the catalog's content identical, byte for byte. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class CatalogReplayTest {
    EmbeddedKafka kafka;

    @Inject
    EntityManager em;

    /** An md5 over every column of every row of both tables, in id order (thumbnails included). */
    private String contentDigest() {
        String[] digest = new String[1];
        QuarkusTransaction.requiringNew().run(() -> digest[0] = (String) em.createNativeQuery("""
                SELECT md5(coalesce((SELECT string_agg(g::text, E'\\n' ORDER BY g.id) FROM galaxy g), '')
                    || E'\\f' || coalesce((SELECT string_agg(m::text, E'\\n' ORDER BY m.id) FROM morphology m), ''))""")
                .getSingleResult());
        return digest[0];
    }

    private static double counter(String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("morpho_catalog_events_total{outcome=\"" + outcome + "\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void replayingTheWholeTopicChangesNothing() throws Exception {
        int events = 0;
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            // Three bands of 40 galaxies, the second and third band detected 0.2 arcsec away under other ids
            // (cross-matched onto one galaxy), plus an invalid event the catalog dead-letters.
            String[] bands = {"F435W", "F814W", "F160W"};
            for (int b = 0; b < bands.length; b++) {
                for (int i = 0; i < 40; i++) {
                    ClassificationEvent e = CatalogServiceTest.event("replay-" + b + "-" + i, "r" + b + "-" + i, bands[b],
                            30 + i * 0.01 + b * 0.2 / 3600, 10);
                    producer.send(new ProducerRecord<>(Topics.CLASSIFICATIONS, e.getSourceId(),
                            EventCodec.CLASSIFICATION.encode(e))).get();
                    events++;
                }
            }
            ClassificationEvent invalid = CatalogServiceTest.event("replay-bad", "bad", "F160W", 400, 10);
            producer.send(new ProducerRecord<>(Topics.CLASSIFICATIONS, "bad", EventCodec.CLASSIFICATION.encode(invalid))).get();
        }
        int valid = events;
        await().atMost(Duration.ofSeconds(60)).until(() -> counter("stored") == valid);
        assertThat(given().get("/stats").then().extract().jsonPath().getLong("galaxies")).isEqualTo(40);
        String before = contentDigest();

        // Replay: every record of the topic, read from the beginning and delivered again.
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "replay-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.CLASSIFICATIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (all.size() < events + 1 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        assertThat(all).hasSize(events + 1);
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> r : all) {
                producer.send(new ProducerRecord<>(Topics.CLASSIFICATIONS, r.key(), r.value())).get();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> counter("duplicate") == valid);
        assertThat(counter("stored")).isEqualTo(valid);
        assertThat(contentDigest()).isEqualTo(before);
    }
}
