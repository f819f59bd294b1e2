package io.morpho.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.morpho.events.EventCodec;
import io.morpho.events.Topics;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.StampSimulator;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;

/** Band routes: ultraviolet cutouts go to their own model, the rest to the default; each is hot-swapped on its own. */
@QuarkusTest
@TestProfile(BandRoutingTest.UltravioletRoute.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class BandRoutingTest {
    static final String UV = "morpho-compact-clash-uv";
    EmbeddedKafka kafka;

    public static class UltravioletRoute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path uv = TestModels.variant(Files.createTempDirectory("routes"), UV + ".onnx",
                        Map.of("morpho.name", UV, "morpho.version", "1.0.0"));
                return Map.of("morpho.inference.routes", "F225W=" + uv + ",f275w=" + uv);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> send(KafkaProducer<String, byte[]> producer, String band, int count) throws Exception {
        Random rng = new Random(band.hashCode());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StampSimulator.LabelledStamp s = StampSimulator.sample(rng, Band.clash(band), i % 4, 20, 21);
            String id = band + "-" + UUID.randomUUID();
            CutoutEvent cutout = InferenceServiceTest.cutout(id, s.side(), s.side(),
                    new Stamp(s.side(), s.side(), s.pixels(), false).toLittleEndianBytes());
            cutout.setBand(band);
            producer.send(new ProducerRecord<>(Topics.CUTOUTS, id, EventCodec.CUTOUT.encode(cutout))).get();
            ids.add(id);
        }
        return ids;
    }

    @Test
    void eachBandIsClassifiedByItsRouteAndRoutesAreSwappedSeparately() throws Exception {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.name", equalTo("morpho-compact-clash"))
                .body("checks.find { it.name == 'model' }.data.routes", equalTo("F225W=" + UV + " 1.0.0, F275W=" + UV + " 1.0.0"));
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             PipelineOutput output = new PipelineOutput(kafka.bootstrapServers())) {
            List<String> uv = new ArrayList<>(send(producer, "F225W", 6));
            uv.addAll(send(producer, "F275W", 2));
            List<String> ir = send(producer, "F160W", 6);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                output.poll();
                assertThat(output.results).hasSize(14);
            });
            assertThat(output.results).allSatisfy(r -> assertThat(r.getModelName())
                    .isEqualTo(uv.contains(r.getEventId()) ? UV : "morpho-compact-clash"));
            assertThat(output.results).extracting(ClassificationEvent::getEventId)
                    .containsExactlyInAnyOrderElementsOf(concat(uv, ir));

            // A new version of the ultraviolet model replaces both of its routes and nothing else.
            Path v2 = TestModels.variant(Files.createTempDirectory("store"), UV + "-2.0.0.onnx",
                    Map.of("morpho.name", UV, "morpho.version", "2.0.0"));
            producer.send(new ProducerRecord<>(Topics.MODELS, UV, EventCodec.MODEL_PUBLISHED.encode(
                    TestModels.announcement(UV, v2, "2.0.0", TestModels.sha256(v2))))).get();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'model' }.data.routes", equalTo("F225W=" + UV + " 2.0.0, F275W=" + UV + " 2.0.0"))
                    .body("checks.find { it.name == 'model' }.data.version", equalTo(TestModels.SHIPPED_VERSION)));
            List<String> after = send(producer, "F275W", 3);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                output.poll();
                assertThat(output.results).hasSize(17);
            });
            assertThat(output.results.stream().filter(r -> after.contains(r.getEventId())))
                    .allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("2.0.0"));
            given().get("/q/metrics").then().body(containsString("morpho_inference_model_serving{model=\"" + UV
                    + "\",provider=\"cpu\",route=\"F275W\",version=\"2.0.0\"}"));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
