package io.morpho.inference.messaging;

import java.net.URI;
import java.nio.file.Path;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.morpho.events.EventCodec;
import io.morpho.events.UndecodableEventException;
import io.morpho.inference.model.LoadedModel;
import io.morpho.inference.model.ModelContractException;
import io.morpho.inference.model.ModelRegistry;
import io.morpho.service.DeadLetterProducer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ModelPublished;

/**
 * Follows {@code morpho.models.v1}: an announcement for a model this service serves (same name as the default or a
 * band-routed model, different sha256) is validated and swapped in between batches, on every route serving that name.
 * (A served model file that changes on disk is reloaded the same way by {@link ModelRegistry}; a refusal of either
 * kind becomes a dead letter {@code model.refused}.) A refused model becomes a dead letter and serving goes on unchanged.
 */
@ApplicationScoped
public class ModelUpdateConsumer {
    private static final Logger LOG = Logger.getLogger(ModelUpdateConsumer.class);

    @Inject
    ModelRegistry models;

    @Inject
    DeadLetterProducer deadLetters;

    /** A served model file changed on disk and failed validation: say so on the dead-letter topic. */
    void onRefusedFile(@jakarta.enterprise.event.Observes ModelRegistry.ModelRefused refused) {
        deadLetters.send(refused.file().toString(), "model.refused", refused.reason(), new byte[0]);
    }

    @Incoming("models")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // tombstone: a model withdrawn from the compacted topic; keep serving what we have
        }
        ModelPublished announcement;
        try {
            announcement = EventCodec.MODEL_PUBLISHED.decode(record.value());
        } catch (UndecodableEventException e) {
            deadLetters.send(record, null, "event.undecodable", e.getMessage());
            return;
        }
        LoadedModel serving = models.servingNamed(announcement.getName()).orElse(null);
        if (serving == null) {
            return; // a model no route serves
        }
        if (announcement.getSha256().equalsIgnoreCase(serving.sha256())) {
            return; // already serving it (e.g. the compacted topic replayed at start)
        }
        try {
            URI uri = URI.create(announcement.getUri());
            if (!"file".equals(uri.getScheme())) {
                throw new ModelContractException("unsupported model URI " + uri + " (file: only)");
            }
            models.swapIn(Path.of(uri), announcement.getSha256());
        } catch (ModelContractException | IllegalArgumentException e) {
            LOG.warnf("refused model %s %s: %s", announcement.getName(), announcement.getVersion(), e.getMessage());
            deadLetters.send(record, announcement.getUri(), "model.refused", e.getMessage());
        }
    }
}
