package io.morpho.catalog.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.catalog.service.CatalogService;
import io.morpho.events.EventCodec;
import io.morpho.events.UndecodableEventException;
import io.morpho.service.DeadLetterProducer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;

/**
 * Consumes {@code morpho.classifications.v1}. Undecodable or invalid events become dead letters; the
 * offset is committed only after the row is stored (or the dead letter is on Kafka).
 */
@ApplicationScoped
public class ClassificationConsumer {
    private static final Logger LOG = Logger.getLogger(ClassificationConsumer.class);

    @Inject
    CatalogService catalog;

    @Inject
    DeadLetterProducer deadLetters;

    @Inject
    MeterRegistry registry;

    @Incoming("classifications")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        ClassificationEvent event;
        try {
            event = EventCodec.CLASSIFICATION.decode(record.value());
        } catch (UndecodableEventException e) {
            deadLetters.send(record, null, "event.undecodable", e.getMessage());
            return;
        }
        String problem = CatalogService.validate(event);
        if (problem != null) {
            deadLetters.send(record, event.getOrigin(), "event.invalid", problem);
            return;
        }
        boolean stored = catalog.store(event);
        registry.counter("morpho.catalog.events", "outcome", stored ? "stored" : "duplicate").increment();
        if (!stored) {
            LOG.debugf("event %s already in the catalog", event.getEventId());
        }
    }
}
