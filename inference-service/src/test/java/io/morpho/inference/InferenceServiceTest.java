package io.morpho.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import io.morpho.events.MorphologyClass;
import io.morpho.events.Topics;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.Morphology;
import io.morpho.imaging.sim.StampSimulator;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;
import morpho.events.v1.DeadLetter;

/** The inference stage with a real broker, real ONNX Runtime and the committed model. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class InferenceServiceTest {
    EmbeddedKafka kafka;

    static CutoutEvent cutout(String id, int width, int height, ByteBuffer pixels) {
        return CutoutEvent.newBuilder().setEventId(id).setSourceId("s-" + id).setSurvey("test").setField("f")
                .setBand("F160W").setRa(10).setDec(20).setX(1).setY(1).setPetrosianRadiusArcsec(1).setMagnitude(21.0)
                .setPixelScaleArcsec(0.06).setWidth(width).setHeight(height).setPixels(pixels).setMjd(null)
                .setOrigin("sim.fits[0]").setIngestedAt(Instant.now()).build();
    }

    @Test
    void classifiesSimulatedGalaxiesWithTheCommittedModelAndDeadLettersBadInput() throws Exception {
        Random rng = new Random(5);
        Map<String, Integer> truth = new HashMap<>();
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 20; i++) {
                int cls = i % 4; // bright spheroids, disks, irregulars and point sources
                StampSimulator.LabelledStamp s = StampSimulator.sample(rng, Band.f160w(), cls, 19.5, 21);
                String id = "good-" + i + "-" + UUID.randomUUID();
                truth.put(id, cls);
                ByteBuffer px = new Stamp(s.side(), s.side(), s.pixels(), false).toLittleEndianBytes();
                producer.send(new ProducerRecord<>(Topics.CUTOUTS, "s-" + id, EventCodec.CUTOUT.encode(cutout(id, s.side(), s.side(), px)))).get();
            }
            float[] nan = new float[16 * 16];
            java.util.Arrays.fill(nan, Float.NaN);
            producer.send(new ProducerRecord<>(Topics.CUTOUTS, "nan", EventCodec.CUTOUT.encode(
                    cutout("nan", 16, 16, new Stamp(16, 16, nan, true).toLittleEndianBytes())))).get();
            producer.send(new ProducerRecord<>(Topics.CUTOUTS, "missized", EventCodec.CUTOUT.encode(
                    cutout("missized", 16, 17, ByteBuffer.allocate(16 * 16 * 4))))).get();
            producer.send(new ProducerRecord<>(Topics.CUTOUTS, "huge", EventCodec.CUTOUT.encode(
                    cutout("huge", 100000, 100000, ByteBuffer.allocate(4))))).get();
            producer.send(new ProducerRecord<>(Topics.CUTOUTS, "junk", "garbage".getBytes(StandardCharsets.UTF_8))).get();
        }

        List<ClassificationEvent> results;
        List<DeadLetter> letters;
        try (PipelineOutput output = new PipelineOutput(kafka.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                output.poll();
                assertThat(output.results).hasSize(20);
                assertThat(output.letters).hasSize(4);
            });
            results = output.results;
            letters = output.letters;
        }
        int correct = 0;
        for (ClassificationEvent r : results) {
            float[] p = {r.getPSpheroid(), r.getPDisk(), r.getPIrregular(), r.getPPointSource(), r.getPUnclassifiable()};
            assertThat(p[0] + p[1] + p[2] + p[3] + p[4]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(r.getLabel()).isEqualTo(MorphologyClass.argmax(p).label());
            assertThat(r.getModelName()).isEqualTo("morpho-compact-clash");
            assertThat(r.getModelSha256()).hasSize(64);
            assertThat(r.getExecutionProvider()).isEqualTo("cpu");
            assertThat(r.getSourceId()).isEqualTo("s-" + r.getEventId());
            var thumbnail = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    java.util.Arrays.copyOfRange(r.getThumbnailPng().array(), r.getThumbnailPng().position(), r.getThumbnailPng().limit())));
            assertThat(thumbnail.getWidth()).isEqualTo(64);
            if (r.getLabel().equals(MorphologyClass.ORDER.get(truth.get(r.getEventId())).label())) {
                correct++;
            }
        }
        // Bright simulated galaxies: the committed model gets most right (deterministic inputs, no flakiness).
        assertThat(correct).isGreaterThanOrEqualTo(14);
        assertThat(letters).extracting(DeadLetter::getStage).containsOnly("inference");
        assertThat(letters).extracting(d -> d.getOriginalKey() + ":" + d.getErrorType()).containsExactlyInAnyOrder(
                "nan:stamp.no-data", "missized:stamp.geometry", "huge:stamp.too-large", "junk:event.undecodable");
        assertThat(truth.values()).contains(Morphology.POINT_SOURCE);
        // The consumer group's lag drains to 0 once every record is handled and its offset committed (the
        // connector commits acknowledged offsets every few seconds, so it trails the results a little).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/metrics").then().statusCode(200)
                        .body(org.hamcrest.Matchers.containsString("morpho_consumer_lag{channel=\"cutouts\"} 0.0")));
    }

    @Test
    void readinessReportsTheModelAndProvider() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.name", equalTo("morpho-compact-clash"))
                .body("checks.find { it.name == 'model' }.data.executionProvider", equalTo("cpu"))
                .body("checks.find { it.name == 'model' }.data.providerFallback", org.hamcrest.Matchers.startsWith("CUDA unavailable"));
    }
}
