package io.morpho.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.morpho.events.EventCodec;
import io.morpho.events.Topics;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.EmbeddedPostgres;
import io.morpho.localstack.KafkaTestResource;
import io.morpho.localstack.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import morpho.events.v1.ClassificationEvent;

/** PostgreSQL goes away while classifications flow: the catalog waits, retries, and loses nothing. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class CatalogOutageTest {
    EmbeddedKafka kafka;
    EmbeddedPostgres postgres;

    private static long stored(String band) {
        Object count = given().get("/stats").then().statusCode(200).extract().jsonPath().getMap("byBand").get(band);
        return count == null ? 0 : ((Number) count).longValue();
    }

    private static double failedAttempts() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("morpho_catalog_store_failures_total ([0-9.E]+)")
                .matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void aDatabaseOutagePausesConsumptionAndNothingIsLost() throws Exception {
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 50; i++) {
                send(producer, i);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> stored("OUTAGE") == 50);

            postgres.stop();
            for (int i = 50; i < 150; i++) {
                send(producer, i);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> metrics().contains("morpho_catalog_store_waiting 1.0"));
            // A few attempts with back-off while the database is away.
            await().atMost(Duration.ofSeconds(30)).until(() -> failedAttempts() >= 3);
            given().get("/galaxies").then().statusCode(503).header("Retry-After", "5")
                    .body("error", org.hamcrest.Matchers.containsString("database is unavailable"));

            postgres.restart();
            await().atMost(Duration.ofSeconds(90)).until(() -> stored("OUTAGE") == 150);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics().contains("morpho_catalog_store_waiting 0.0"));
            // Each event once: none lost, and the count stays put (none twice).
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> stored("OUTAGE") == 150);
            assertThat(given().get("/galaxies/1").then().extract().statusCode()).isEqualTo(200);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, int i) throws Exception {
        ClassificationEvent e = CatalogServiceTest.event("outage-" + i, "o-" + i, "OUTAGE", 10 + i * 0.01, -30);
        producer.send(new ProducerRecord<>(Topics.CLASSIFICATIONS, e.getSourceId(), EventCodec.CLASSIFICATION.encode(e))).get();
    }
}
