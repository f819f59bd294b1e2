package io.morpho.ingest.messaging;

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

/** Reports frames that could not be ingested on {@code morpho.deadletter.v1} (key = file name). */
@ApplicationScoped
public class DeadLetterProducer {
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    @Inject
    @Channel("deadletter")
    MutinyEmitter<DeadLetter> emitter;

    @Inject
    MeterRegistry registry;

    public void send(String fileName, String errorType, String reason, byte[] head) {
        LOG.warnf("frame %s failed: %s (%s)", fileName, reason, errorType);
        registry.counter("morpho.ingest.dead.letters", "error", errorType).increment();
        DeadLetter letter = DeadLetters.of("ingest", errorType, reason).setOrigin(fileName).setOriginalKey(fileName)
                .setPayloadSample(DeadLetters.sample(head)).build();
        emitter.sendMessageAndAwait(Message.of(letter)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(fileName).build()));
    }
}
