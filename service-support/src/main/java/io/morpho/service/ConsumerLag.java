package io.morpho.service;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How far a consuming channel is behind its topics: the sum over its assigned partitions of the records between
 * its position and the end of the log, as the Kafka consumer last saw it. Published as the gauge
 * {@code morpho.consumer.lag{channel}} and refreshed after each batch (on the consumer's polling thread, where the
 * Kafka client must be used), so an operator sees a backlog grow before it becomes a delay.
 */
@ApplicationScoped
public class ConsumerLag {
    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    @Inject
    KafkaClientService kafka;

    @Inject
    MeterRegistry registry;

    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    /** Asks the channel's consumer for its lag; returns at once, the gauge follows when the answer comes. */
    public void refresh(String channel) {
        AtomicLong lag = lags.computeIfAbsent(channel, c -> {
            AtomicLong value = new AtomicLong(-1);
            Gauge.builder("morpho.consumer.lag", value, AtomicLong::get).tag("channel", c)
                    .description("records between the consumer's position and the end of its partitions (-1: unknown)")
                    .register(registry);
            return value;
        });
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(channel);
        if (consumer == null) {
            return;
        }
        consumer.runOnPollingThread(c -> {
            long total = 0;
            for (var partition : c.assignment()) {
                OptionalLong behind = c.currentLag(partition);
                if (behind.isEmpty()) {
                    return -1L;
                }
                total += behind.getAsLong();
            }
            return total;
        }).subscribe().with(lag::set, failure -> LOG.debugf("lag of %s unavailable: %s", channel, failure.getMessage()));
    }

    /** The last lag seen for a channel, -1 when unknown. */
    public long lag(String channel) {
        AtomicLong value = lags.get(channel);
        return value == null ? -1 : value.get();
    }
}
