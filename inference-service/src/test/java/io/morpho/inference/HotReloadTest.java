package io.morpho.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.DeadLetter;

/** A new model announced while cutouts flow is swapped in between events; a corrupt one is refused. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class HotReloadTest {
    EmbeddedKafka kafka;

    private static void sendCutouts(KafkaProducer<String, byte[]> producer, Random rng, List<String> ids, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            StampSimulator.LabelledStamp s = StampSimulator.sample(rng, Band.f160w(), ids.size() % 4, 20, 21);
            String id = "hot-" + ids.size() + "-" + UUID.randomUUID();
            ids.add(id);
            ByteBuffer px = new Stamp(s.side(), s.side(), s.pixels(), false).toLittleEndianBytes();
            producer.send(new ProducerRecord<>(Topics.CUTOUTS, "s-" + id,
                    EventCodec.CUTOUT.encode(InferenceServiceTest.cutout(id, s.side(), s.side(), px)))).get();
        }
    }

    /** The version announced as the shipped model's successor. */
    private static final String NEXT = "9.0.0";

    @Test
    void swapsModelsBetweenEventsWithoutLosingAny() throws Exception {
        Path store = Files.createTempDirectory("store");
        Path v2 = TestModels.variant(store, "morpho-compact-clash-" + NEXT + ".onnx", Map.of("morpho.version", NEXT));
        String v2sha = TestModels.sha256(v2);
        Path corrupt = Files.write(store.resolve("corrupt.onnx"), new byte[] {1, 2, 3});
        int total = 60;
        List<String> ids = new ArrayList<>();
        Random rng = new Random(8);
        List<ClassificationEvent> results;
        List<DeadLetter> letters;
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             PipelineOutput output = new PipelineOutput(kafka.bootstrapServers())) {
            // 20 cutouts classified by the first model, a corrupt announcement, then the new model announced while
            // 10 more cutouts are in flight, and the last 30 once health reports the new version.
            sendCutouts(producer, rng, ids, 20);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                output.poll();
                assertThat(output.results).hasSizeGreaterThanOrEqualTo(20);
            });
            producer.send(new ProducerRecord<>(Topics.MODELS, "morpho-compact-clash", EventCodec.MODEL_PUBLISHED.encode(
                    TestModels.announcement("morpho-compact-clash", corrupt, "0.2.9", "00")))).get();
            producer.send(new ProducerRecord<>(Topics.MODELS, "morpho-compact-clash", EventCodec.MODEL_PUBLISHED.encode(
                    TestModels.announcement("morpho-compact-clash", v2, NEXT, v2sha)))).get();
            sendCutouts(producer, rng, ids, 10);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'model' }.data.version", equalTo(NEXT)));
            sendCutouts(producer, rng, ids, total - 30);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                output.poll();
                assertThat(output.results.stream().filter(r -> ids.contains(r.getEventId())).map(ClassificationEvent::getEventId)
                        .distinct()).hasSize(total);
                assertThat(output.letters).extracting(DeadLetter::getErrorType).contains("model.refused");
            });
            results = output.results;
            letters = output.letters;
        }
        List<ClassificationEvent> mine = results.stream().filter(r -> ids.contains(r.getEventId())).toList();
        assertThat(mine).hasSize(total); // none lost, none twice
        String shipped = TestModels.SHIPPED_VERSION;
        assertThat(mine).extracting(ClassificationEvent::getModelVersion).containsOnly(shipped, NEXT).contains(shipped, NEXT);
        Instant lastOld = mine.stream().filter(r -> r.getModelVersion().equals(shipped)).map(ClassificationEvent::getClassifiedAt)
                .max(Instant::compareTo).orElseThrow();
        Instant firstNew = mine.stream().filter(r -> r.getModelVersion().equals(NEXT)).map(ClassificationEvent::getClassifiedAt)
                .min(Instant::compareTo).orElseThrow();
        assertThat(lastOld).isBeforeOrEqualTo(firstNew); // one switch-over, never back
        assertThat(mine.stream().filter(r -> r.getModelVersion().equals(NEXT)))
                .allSatisfy(r -> assertThat(r.getModelSha256()).isEqualTo(v2sha));
        DeadLetter refused = letters.stream().filter(d -> d.getErrorType().equals("model.refused")).findFirst().orElseThrow();
        assertThat(refused.getStage()).isEqualTo("inference");
        assertThat(refused.getReason()).contains("corrupt.onnx");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.version", equalTo(NEXT));
    }
}
