package io.morpho.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.morpho.imaging.ImagingException;
import io.morpho.ingest.config.IngestConfig;
import io.morpho.ingest.messaging.CutoutProducer;
import io.morpho.service.DeadLetterProducer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The watched directory. A frame {@code X.fits} dropped into {@code inbox/} (with its side-car catalog {@code X.csv}
 * or {@code X.cat.fits}, which must be there first, or none: then sources are detected) is claimed by an atomic move into {@code work/}, cut, published, and moved to
 * {@code processed/}; a frame that cannot be used goes to {@code failed/} with {@code X.fits.reason.txt} and a
 * dead letter. Input is never deleted. Frames left in {@code work/} by a crash are processed again on the next
 * scan; their event ids are deterministic, so nothing is duplicated downstream.
 */
@ApplicationScoped
public class FrameIntake {
    private static final Logger LOG = Logger.getLogger(FrameIntake.class);
    /** Frame files; {@code X.cat.fits} is a side-car catalog, not a frame. */
    private static final Pattern FITS_NAME = Pattern.compile("(?i)(?!.+\\.cat\\.fits$).+\\.(fits|fit|fts)(\\.gz|\\.fz|\\.z|\\.bz2)?$");

    @Inject
    IngestConfig config;

    @Inject
    FrameCutter cutter;

    @Inject
    CutoutProducer cutouts;

    @Inject
    DeadLetterProducer deadLetters;

    @Inject
    MeterRegistry registry;

    public Path inbox() {
        return root().resolve("inbox");
    }

    private Path root() {
        return Path.of(config.directory()).toAbsolutePath();
    }

    void createDirectories(@Observes StartupEvent start) throws IOException {
        for (String dir : List.of("inbox", "work", "processed", "failed")) {
            Files.createDirectories(root().resolve(dir));
        }
        LOG.infof("watching %s for FITS frames every %s", inbox(), config.pollInterval());
    }

    /** Size and modification time of inbox files at the previous scan: a file is claimed once they stop changing. */
    private final Map<Path, List<Long>> lastSeen = new HashMap<>();

    @Scheduled(every = "${morpho.ingest.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        frames(root().resolve("work")).forEach(this::process); // left over by a crash
        Map<Path, List<Long>> seen = new HashMap<>();
        for (Path file : frames(inbox())) {
            List<Long> state = state(file);
            seen.put(file, state);
            if (state == null || !state.equals(lastSeen.get(file))) {
                continue; // new or still being written (e.g. a plain cp): wait for one quiet poll interval
            }
            Path claimed = claim(file);
            if (claimed != null) {
                process(claimed);
                seen.remove(file);
            }
        }
        lastSeen.clear();
        lastSeen.putAll(seen);
    }

    private static List<Long> state(Path file) {
        try {
            return List.of(Files.size(file), Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Path> frames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> FITS_NAME.matcher(f.getFileName().toString()).matches())
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            LOG.errorf("cannot list %s: %s", dir, e.getMessage());
            return List.of();
        }
    }

    /** Atomically moves a frame (and its catalog) into work/; null if another instance got it first. */
    private Path claim(Path frame) {
        Path target = root().resolve("work").resolve(frame.getFileName());
        try {
            Optional<Path> catalog = SourceCatalog.besides(frame);
            if (catalog.isPresent()) {
                Files.move(catalog.get(), target.resolveSibling(catalog.get().getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(frame, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.errorf("cannot claim %s: %s", frame, e.getMessage());
            return null;
        }
    }

    private void process(Path frame) {
        String name = frame.getFileName().toString();
        FrameCutter.Result result;
        long start = System.nanoTime();
        try {
            result = cutter.cut(frame, SourceCatalog.besides(frame));
        } catch (ImagingException e) {
            fail(frame, e.errorType(), e.getMessage());
            return;
        } catch (RuntimeException | Error e) { // one bad frame (even a library failing on it) must not stop the intake
            fail(frame, "ingest.error", "unexpected error reading " + name + ": " + e);
            return;
        }
        // Kafka trouble is not the frame's fault: leave it in work/ and try again on the next scan.
        cutouts.publish(result.cutouts());
        Path done = moveTo(frame, "processed");
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
                "stamps=%d%nsources=%d%nsource_list=%s%noff_frame=%d%nrejected_flagged=%d%nfainter_than_limit=%d%nband=%s%nhdus=%d%nartefact_pixels=%d%n",
                result.cutouts().size(), result.sources(), result.detected() ? "detected" : "catalog", result.offFrame(),
                result.rejected(), result.faint(), result.band(), result.hdus(), result.artefactPixels()));
        result.warnings().forEach(w -> note.append("warning=").append(w).append('\n'));
        writeNote(done, "result", note.toString());
        registry.timer("morpho.ingest.frame.duration").record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        registry.counter("morpho.ingest.frames", "outcome", "processed").increment();
        registry.counter("morpho.ingest.stamps", "band", result.band()).increment(result.cutouts().size());
        if (result.detected()) {
            registry.counter("morpho.ingest.detections", "outcome", "kept").increment(result.cutouts().size());
            registry.counter("morpho.ingest.detections", "outcome", "flagged").increment(result.rejected());
            registry.counter("morpho.ingest.detections", "outcome", "faint").increment(result.faint());
            registry.counter("morpho.ingest.artefact.pixels").increment(result.artefactPixels());
        }
        result.warnings().forEach(w -> LOG.warnf("%s: %s", name, w));
        LOG.infof("%s: %d stamps in band %s from %d %s sources (%d off the frame, %d flagged, %d fainter than the limit)",
                name, result.cutouts().size(), result.band(), result.sources(), result.detected() ? "detected" : "catalog",
                result.offFrame(), result.rejected(), result.faint());
    }

    private void fail(Path frame, String errorType, String reason) {
        String name = frame.getFileName().toString();
        byte[] head = head(frame);
        Path failed = moveTo(frame, "failed");
        writeNote(failed, "reason", String.format(Locale.ROOT, "%s%n%s%n", errorType, reason));
        registry.counter("morpho.ingest.frames", "outcome", "failed", "error", errorType).increment();
        deadLetters.send(name, errorType, reason, head);
    }

    /** {@code X.fits.<kind>.txt} beside a processed or failed frame: its counts, or why it failed. */
    private static void writeNote(Path frame, String kind, String text) {
        try {
            Files.writeString(frame.resolveSibling(frame.getFileName() + "." + kind + ".txt"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.errorf("cannot write the %s file for %s: %s", kind, frame.getFileName(), e.getMessage());
        }
    }

    /** Where a frame whose file name ends in {@code -<frameId>.fits} stands: queued, processed or failed. */
    public Optional<FrameStatus> status(String frameId) {
        String suffix = "-" + frameId + ".fits";
        for (String dir : List.of("failed", "processed", "work", "inbox")) {
            for (Path f : frames(root().resolve(dir))) {
                if (f.getFileName().toString().endsWith(suffix)) {
                    return Optional.of(FrameStatus.of(dir, f));
                }
            }
        }
        return Optional.empty();
    }

    private Path moveTo(Path frame, String dir) {
        Path target = root().resolve(dir).resolve(frame.getFileName());
        try {
            Optional<Path> catalog = SourceCatalog.besides(frame);
            if (catalog.isPresent()) {
                Files.move(catalog.get(), target.resolveSibling(catalog.get().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.move(frame, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + frame + " to " + dir, e);
        }
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
