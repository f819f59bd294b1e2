package io.morpho.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import morpho.events.v1.DeadLetter;

/** The served model file replaced on disk is validated and swapped in; a corrupt replacement is refused. */
@QuarkusTest
@TestProfile(ModelFileWatchTest.WatchedFile.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class ModelFileWatchTest {
    static Path served;
    EmbeddedKafka kafka;

    public static class WatchedFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                served = Files.createTempDirectory("watched").resolve("serving.onnx");
                Files.copy(TestModels.SHIPPED, served);
                return Map.of("morpho.inference.model", served.toString(), "morpho.inference.watch-interval", "1s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Writes beside the file, then renames over it, as a deployment tool should. */
    private static void replace(byte[] content) throws Exception {
        Path tmp = Files.write(served.resolveSibling("serving.onnx.part"), content);
        Files.move(tmp, served, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aChangedModelFileIsServedAndACorruptOneRefused() throws Exception {
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'model' }.data.version", equalTo(TestModels.SHIPPED_VERSION));
        Path next = TestModels.variant(Files.createTempDirectory("next"), "next.onnx", Map.of("morpho.version", "next"));
        replace(Files.readAllBytes(next));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'model' }.data.version", equalTo("next")));

        try (PipelineOutput output = new PipelineOutput(kafka.bootstrapServers())) {
            replace(new byte[] {1, 2, 3, 4});
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                output.poll();
                assertThat(output.letters).extracting(DeadLetter::getErrorType).contains("model.refused");
            });
            assertThat(output.letters).extracting(DeadLetter::getOrigin).contains(served.toString());
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.version", equalTo("next"));
    }
}
