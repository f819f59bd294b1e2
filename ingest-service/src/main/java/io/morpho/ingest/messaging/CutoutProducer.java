package io.morpho.ingest.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.CutoutEvent;

/** Publishes a frame's cutouts (key = source id) and returns once Kafka has acknowledged all of them. */
@ApplicationScoped
public class CutoutProducer {
    /** Sends in flight at once; stays below the emitter's buffer so a large frame applies back-pressure. */
    private static final int WINDOW = 128;

    @Inject
    @Channel("cutouts")
    MutinyEmitter<CutoutEvent> emitter;

    public void publish(List<CutoutEvent> cutouts) {
        for (int from = 0; from < cutouts.size(); from += WINDOW) {
            List<Uni<Void>> acks = new ArrayList<>();
            for (CutoutEvent c : cutouts.subList(from, Math.min(cutouts.size(), from + WINDOW))) {
                acks.add(emitter.sendMessage(Message.of(c)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(c.getSourceId()).build())));
            }
            Uni.join().all(acks).andFailFast().await().atMost(Duration.ofMinutes(2));
        }
    }
}
