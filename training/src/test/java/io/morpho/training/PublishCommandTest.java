package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.morpho.events.EventSerde;
import io.morpho.events.Topics;
import io.morpho.localstack.EmbeddedKafka;
import morpho.events.v1.ModelPublished;
import picocli.CommandLine;

/** Publishing puts the model in the store and a ModelPublished on a real broker. */
class PublishCommandTest {
    static final Path MODEL = Path.of(System.getProperty("morpho.repo.root", ".."), "models", "morpho-compact-candels.onnx");

    @Test
    void copiesIntoTheStoreAndAnnouncesOnKafka(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Path store = dir.resolve("store");
            int rc = new CommandLine(new PublishCommand()).execute("--model", MODEL.toString(), "--store", store.toString(),
                    "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(rc).isZero();
            String version = OnnxImporter.metadata(MODEL).get("morpho.version");
            Path stored = store.resolve("morpho-compact-candels-" + version + ".onnx");
            assertThat(Files.mismatch(stored, MODEL)).isEqualTo(-1);

            List<ModelPublished> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "t", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new EventSerde.ModelPublishedDeserializer())) {
                consumer.subscribe(List.of(Topics.MODELS));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        assertThat(r.key()).isEqualTo("morpho-compact-candels");
                        seen.add(r.value());
                    });
                }
            }
            assertThat(seen).hasSize(1);
            ModelPublished p = seen.get(0);
            assertThat(p.getVersion()).isEqualTo(version);
            assertThat(p.getInputSize()).isEqualTo(64);
            assertThat(p.getSha256()).isEqualTo(TrainCommand.sha256(MODEL));
            assertThat(Path.of(java.net.URI.create(p.getUri()))).isEqualTo(stored.toAbsolutePath());
            double rmse = Double.parseDouble(OnnxImporter.metadata(MODEL).get("morpho.metrics.rmse"));
            assertThat(p.getMetrics()).containsEntry("rmse", rmse);
        }
    }

    @Test
    void refusesFilesThatAreNotMorphoModels(@TempDir Path dir) throws Exception {
        Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {8, 1});
        int rc = new CommandLine(new PublishCommand()).execute("--model", junk.toString(), "--store",
                dir.resolve("store").toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(rc).isNotZero();
        assertThat(Files.exists(dir.resolve("store"))).isFalse();
    }
}
