package io.morpho.inference.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.morpho.events.EventCodec;
import io.morpho.events.UndecodableEventException;
import io.morpho.inference.service.BadCutoutException;
import io.morpho.inference.service.Classifier;
import io.morpho.service.DeadLetterProducer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;

/**
 * Consumes {@code morpho.cutouts.v1} and publishes {@code morpho.classifications.v1}. The cutout's offset is
 * committed only after its classification (or dead letter) is on Kafka: at-least-once, and the catalog's
 * idempotency by event id makes replays harmless.
 */
@ApplicationScoped
public class CutoutConsumer {
    @Inject
    Classifier classifier;

    @Inject
    DeadLetterProducer deadLetters;

    @Inject
    @Channel("classifications")
    MutinyEmitter<ClassificationEvent> classifications;

    @Incoming("cutouts")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        CutoutEvent cutout;
        try {
            cutout = EventCodec.CUTOUT.decode(record.value());
        } catch (UndecodableEventException e) {
            deadLetters.send(record, null, "event.undecodable", e.getMessage());
            return;
        }
        ClassificationEvent result;
        try {
            result = classifier.classify(cutout);
        } catch (BadCutoutException e) {
            deadLetters.send(record, cutout.getOrigin(), e.errorType(), e.getMessage());
            return;
        }
        classifications.sendMessageAndAwait(Message.of(result)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.getSourceId()).build()));
    }
}
