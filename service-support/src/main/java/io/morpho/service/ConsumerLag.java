package io.morpho.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How far a consuming channel is behind its topics: the consumer group's lag as Kafka's own tools count it, the sum
 * over the assigned partitions of the records between the committed offset and the end of the log (so it also
 * counts records fetched but not yet acknowledged). Published as the gauge
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
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    /** Asks the channel's consumer for its lag; returns at once, the gauge follows when the answer comes. */
    public void refresh(String channel) {
        AtomicLong lag = lags.computeIfAbsent(channel, c -> {
            AtomicLong value = new AtomicLong(-1);
            gauges.put(c, Gauge.builder("morpho.consumer.lag", value, v -> {
                        ask(c, v); // for the next read
                        return v.get();
                    }).tag("channel", c)
                    .description("records between the group's committed offsets and the end of its partitions (-1: unknown)")
                    .register(registry));
            return value;
        });
        ask(channel, lag);
    }

    /**
     * At most once a second per channel: the end offsets of the assigned partitions minus the group's committed
     * offsets (two requests to the broker, on the polling thread).
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
            var committed = c.committed(partitions, java.time.Duration.ofSeconds(5));
            long total = 0;
            for (var partition : partitions) {
                var offset = committed.get(partition);
                total += Math.max(0, ends.getOrDefault(partition, 0L) - (offset == null ? 0 : offset.offset()));
            }
            return total;
        }).subscribe().with(lag::set, failure -> LOG.debugf("lag of %s unavailable: %s", channel, failure.getMessage()));
    }

    private final Map<String, AtomicLong> asked = new ConcurrentHashMap<>();

    /**
     * A registry can outlive this bean (Quarkus restarts the application in one JVM between test classes), and
     * Micrometer hands back an existing gauge of the same name and tags rather than registering a new one: remove
     * ours so a successor's gauge reports its own consumer, not this one's last value.
     */
    @PreDestroy
    void close() {
        gauges.values().forEach(registry::remove);
    }
}
