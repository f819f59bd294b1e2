package io.morpho.inference.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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

/** Sends cutouts the inference stage cannot use to {@code morpho.deadletter.v1} and waits until Kafka has them. */
@ApplicationScoped
public class DeadLetterProducer {
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    @Inject
    @Channel("deadletter")
    MutinyEmitter<DeadLetter> emitter;

    @Inject
    MeterRegistry registry;

    public void send(ConsumerRecord<String, byte[]> record, String origin, String errorType, String reason) {
        LOG.warnf("dead letter from %s[%d]@%d: %s (%s)", record.topic(), record.partition(), record.offset(), reason,
                errorType);
        registry.counter("morpho.inference.dead.letters", "error", errorType).increment();
        DeadLetter letter = DeadLetters.of("inference", errorType, reason).setOrigin(origin)
                .setOriginalTopic(record.topic()).setOriginalKey(record.key()).setOriginalOffset(record.offset())
                .setPayloadSample(DeadLetters.sample(record.value())).build();
        emitter.sendMessageAndAwait(Message.of(letter)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).build()));
    }
}
