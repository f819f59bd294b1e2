package io.morpho.catalog.messaging;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.catalog.service.CatalogService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;

/**
 * Writes a batch of classifications in one transaction and, when PostgreSQL cannot take it (down, restarting,
 * unreachable), tries again without end: 0.5 s, doubling to at most 30 s between attempts, with jitter. Each attempt
 * is a new transaction (this bean wraps the transactional service, so the retry sits outside the transaction).
 * While it waits, the consumer's batch is not acknowledged and the connector stops fetching: Kafka holds the
 * backlog, nothing is lost, and consumption resumes where it stopped. Failures are logged and counted
 * ({@code morpho.catalog.store.failures}); {@code morpho.catalog.store.waiting} is 1 while a batch waits.
 */
@ApplicationScoped
public class BatchWriter {
    private static final Logger LOG = Logger.getLogger(BatchWriter.class);

    @Inject
    CatalogService catalog;

    @Inject
    MeterRegistry registry;

    private final AtomicInteger waiting = new AtomicInteger();

    @PostConstruct
    void gauge() {
        registry.gauge("morpho.catalog.store.waiting", waiting);
    }

    @Retry(maxRetries = -1, delay = 500, jitter = 200, maxDuration = 0, abortOn = IllegalArgumentException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public int write(List<ClassificationEvent> events) {
        try {
            int stored = catalog.storeAll(events);
            waiting.set(0);
            return stored;
        } catch (RuntimeException e) {
            waiting.set(1);
            registry.counter("morpho.catalog.store.failures").increment();
            LOG.warnf("cannot store a batch of %d classifications (%s); trying again with back-off", events.size(),
                    rootMessage(e));
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
