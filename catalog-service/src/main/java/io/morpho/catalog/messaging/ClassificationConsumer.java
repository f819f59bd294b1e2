package io.morpho.catalog.messaging;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.catalog.service.CatalogService;
import io.morpho.events.EventCodec;
import io.morpho.events.UndecodableEventException;
import io.morpho.service.ConsumerLag;
import io.morpho.service.DeadLetterProducer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;

/**
 * Consumes {@code morpho.classifications.v1} in batches (up to {@code max.poll.records}). Undecodable or invalid
 * events become dead letters; the others are stored in one transaction per batch, retried while PostgreSQL is away
 * ({@link BatchWriter}); the batch's offsets are committed only after it is stored (or dead-lettered).
 */
@ApplicationScoped
public class ClassificationConsumer {
    @Inject
    BatchWriter writer;

    @Inject
    DeadLetterProducer deadLetters;

    @Inject
    ConsumerLag lag;

    @Inject
    MeterRegistry registry;

    @Incoming("classifications")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<ClassificationEvent> valid = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            ClassificationEvent event;
            try {
                event = EventCodec.CLASSIFICATION.decode(record.value());
            } catch (UndecodableEventException e) {
                deadLetters.send(record, null, "event.undecodable", e.getMessage());
                continue;
            }
            String problem = CatalogService.validate(event);
            if (problem != null) {
                deadLetters.send(record, event.getOrigin(), "event.invalid", problem);
                continue;
            }
            valid.add(event);
        }
        if (!valid.isEmpty()) {
            int stored = writer.write(valid);
            registry.counter("morpho.catalog.events", "outcome", "stored").increment(stored);
            registry.counter("morpho.catalog.events", "outcome", "duplicate").increment(valid.size() - stored);
        }
        lag.refresh("classifications");
    }
}
