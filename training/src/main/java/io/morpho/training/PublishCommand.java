package io.morpho.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.morpho.events.EventSerde;
import io.morpho.events.Topics;
import morpho.events.v1.ModelPublished;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code publish}: copies a model into the model store as {@code <name>-<version>.onnx} and announces it on
 * {@code morpho.models.v1} (compacted, key = model name), from where inference services pick it up.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Copy a model into the model store and announce it on morpho.models.v1.")
public final class PublishCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The ONNX model to publish.")
    Path model;

    @Option(names = "--store", required = true, description = "Model store directory shared with the inference services.")
    Path store;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        Map<String, String> meta = OnnxImporter.metadata(model);
        Architecture arch = OnnxImporter.architecture(model); // refuses models without the contract's metadata
        String name = require(meta, "morpho.name");
        String version = require(meta, "morpho.version");
        Files.createDirectories(store);
        Path target = store.resolve(name + "-" + version + ".onnx").toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(model, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ModelPublished event = announcement(meta, arch, target);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerde.ModelPublishedSerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS, name, event)).get(60, TimeUnit.SECONDS);
        }
        System.out.printf("published %s %s (sha256 %s) as %s%n", name, version, event.getSha256(), event.getUri());
        return 0;
    }

    static ModelPublished announcement(Map<String, String> meta, Architecture arch, Path stored) throws java.io.IOException {
        Map<String, Double> metrics = new java.util.HashMap<>();
        if (meta.containsKey("morpho.metrics.rmse")) {
            metrics.put("rmse", Double.parseDouble(meta.get("morpho.metrics.rmse")));
        }
        return ModelPublished.newBuilder()
                .setName(meta.get("morpho.name")).setVersion(meta.get("morpho.version"))
                .setUri(stored.toUri().toString()).setSha256(TrainCommand.sha256(stored))
                .setInputSize(arch.inputSize()).setMetrics(metrics).setPublishedAt(Instant.now())
                .build();
    }

    private String require(Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(model + " lacks metadata " + key + "; is it a morpho model?");
        }
        return value;
    }
}
