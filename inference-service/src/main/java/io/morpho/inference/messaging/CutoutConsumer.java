package io.morpho.inference.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.morpho.events.EventCodec;
import io.morpho.events.UndecodableEventException;
import io.morpho.inference.service.Classifier;
import io.morpho.service.ConsumerLag;
import io.morpho.service.DeadLetterProducer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;

/**
 * Consumes {@code morpho.cutouts.v1} in batches (up to {@code max.poll.records} cutouts, waiting at most
 * {@code fetch.max.wait.ms}) and publishes {@code morpho.classifications.v1}. A batch's offsets are committed only
 * after all its classifications and dead letters are on Kafka: at-least-once, and the catalog's idempotency by
 * event id makes replays harmless. The handler blocks while it works, so the connector stops polling (back-pressure)
 * instead of queueing without bound.
 */
@ApplicationScoped
public class CutoutConsumer {
    @Inject
    Classifier classifier;

    @Inject
    DeadLetterProducer deadLetters;

    @Inject
    ConsumerLag lag;

    @Inject
    @Channel("classifications")
    MutinyEmitter<ClassificationEvent> classifications;

    @Incoming("cutouts")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<CutoutEvent> cutouts = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                cutouts.add(EventCodec.CUTOUT.decode(record.value()));
                sources.add(record);
            } catch (UndecodableEventException e) {
                deadLetters.send(record, null, "event.undecodable", e.getMessage());
            }
        }
        List<Classifier.Outcome> outcomes = classifier.classify(cutouts);
        List<Uni<Void>> sent = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Classifier.Outcome outcome = outcomes.get(i);
            if (outcome.problem() != null) {
                deadLetters.send(sources.get(i), outcome.cutout().getOrigin(), outcome.problem().errorType(),
                        outcome.problem().getMessage());
            } else {
                ClassificationEvent result = outcome.result();
                sent.add(classifications.sendMessage(Message.of(result)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.getSourceId()).build())));
            }
        }
        if (!sent.isEmpty()) {
            Uni.join().all(sent).andFailFast().await().atMost(Duration.ofMinutes(2));
        }
        lag.refresh("cutouts");
    }
}
