package io.morpho.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.morpho.events.EventCodec;
import io.morpho.events.Topics;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.DeadLetter;

/** What the inference stage wrote: classifications and dead letters, read from the start by a fresh group. */
final class PipelineOutput implements AutoCloseable {
    final List<ClassificationEvent> results = new ArrayList<>();
    final List<DeadLetter> letters = new ArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;

    PipelineOutput(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.CLASSIFICATIONS, Topics.DEAD_LETTER));
    }

    /** Reads whatever has arrived (call it inside an Awaitility condition). */
    void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.topic().equals(Topics.CLASSIFICATIONS)) {
                results.add(EventCodec.CLASSIFICATION.decode(r.value()));
            } else {
                letters.add(EventCodec.DEAD_LETTER.decode(r.value()));
            }
        });
    }

    @Override
    public void close() {
        consumer.close();
    }
}
