package io.morpho.service;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.events.DeadLetters;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.DeadLetter;

/**
 * Publishes input a stage cannot use to {@code morpho.deadletter.v1} (channel {@code deadletter}) and returns
 * once Kafka has it, so the caller may then commit the input. The stage name comes from {@code morpho.stage}.
 */
@ApplicationScoped
public class DeadLetterProducer {
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    @Inject
    @Channel("deadletter")
    MutinyEmitter<DeadLetter> emitter;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "morpho.stage")
    String stage;

    /** A Kafka record that could not be processed. */
    public void send(ConsumerRecord<String, byte[]> record, String origin, String errorType, String reason) {
        LOG.warnf("dead letter from %s[%d]@%d: %s (%s)", record.topic(), record.partition(), record.offset(), reason,
                errorType);
        publish(record.key(), DeadLetters.of(stage, errorType, reason).setOrigin(origin)
                .setOriginalTopic(record.topic()).setOriginalKey(record.key()).setOriginalOffset(record.offset())
                .setPayloadSample(DeadLetters.sample(record.value())).build());
    }

    /** Input that did not come from Kafka (e.g. a file); {@code head} is the start of its content. */
    public void send(String origin, String errorType, String reason, byte[] head) {
        LOG.warnf("dead letter for %s: %s (%s)", origin, reason, errorType);
        publish(origin, DeadLetters.of(stage, errorType, reason).setOrigin(origin).setOriginalKey(origin)
                .setPayloadSample(DeadLetters.sample(head)).build());
    }

    private void publish(String key, DeadLetter letter) {
        registry.counter("morpho.dead.letters", "stage", stage, "error", letter.getErrorType()).increment();
        emitter.sendMessageAndAwait(Message.of(letter)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()));
    }
}
