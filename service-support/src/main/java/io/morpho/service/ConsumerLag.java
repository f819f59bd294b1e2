package io.morpho.service;

import java.util.Map;
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
 * its position and the end of the log. Published as the gauge
 * {@code morpho.consumer.lag{channel}}, asked for after each batch and at each read of the gauge (on the consumer's
 * polling thread, where the Kafka client must be used; the answer lands in the gauge for the next read), so an
 * operator sees a backlog grow before it becomes a delay, and sees it drain after the last batch too.
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
            Gauge.builder("morpho.consumer.lag", value, v -> {
                        ask(c, v); // for the next read
                        return v.get();
                    }).tag("channel", c)
                    .description("records between the consumer's position and the end of its partitions (-1: unknown)")
                    .register(registry);
            return value;
        });
        ask(channel, lag);
    }

    /**
     * At most once a second per channel: the end offsets of the assigned partitions (one request to the broker)
     * minus the consumer's positions.
     */
    private void ask(String channel, AtomicLong lag) {
        long now = System.nanoTime();
        AtomicLong last = asked.computeIfAbsent(channel, c -> new AtomicLong(now - 2_000_000_000L));
        long previous = last.get();
        if (now - previous < 1_000_000_000L || !last.compareAndSet(previous, now)) {
            return;
        }
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(channel);
        if (consumer == null) {
            return;
        }
        consumer.runOnPollingThread(c -> {
            var partitions = c.assignment();
            if (partitions.isEmpty()) {
                return -1L;
            }
            Map<org.apache.kafka.common.TopicPartition, Long> ends = c.endOffsets(partitions, java.time.Duration.ofSeconds(5));
            long total = 0;
            for (var partition : partitions) {
                total += Math.max(0, ends.getOrDefault(partition, 0L) - c.position(partition, java.time.Duration.ofSeconds(5)));
            }
            return total;
        }).subscribe().with(lag::set, failure -> LOG.debugf("lag of %s unavailable: %s", channel, failure.getMessage()));
    }

    private final Map<String, AtomicLong> asked = new ConcurrentHashMap<>();

    /** The last lag seen for a channel, -1 when unknown. */
    public long lag(String channel) {
        AtomicLong value = lags.get(channel);
        return value == null ? -1 : value.get();
    }
}
