package io.morpho.ingest.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "morpho.ingest")
public interface IngestConfig {
    /**
     * Root of the intake directories (env MORPHO_INGEST_DIRECTORY): frames are dropped into {@code inbox/},
     * claimed into {@code work/}, and end in {@code processed/} or {@code failed/} (with a reason file).
     */
    @WithDefault("data/ingest")
    String directory();

    /** How often the inbox is scanned (env MORPHO_INGEST_POLL_INTERVAL). */
    @WithDefault("1s")
    Duration pollInterval();

    /** Survey name for frames whose header has no SURVEY keyword (env MORPHO_INGEST_SURVEY). */
    @WithDefault("morpho")
    String survey();

    /** Band for frames whose header has no FILTER keyword (env MORPHO_INGEST_BAND). */
    Optional<String> band();

    /** Smallest stamp side in pixels (env MORPHO_INGEST_MIN_STAMP). */
    @WithDefault("16")
    int minStamp();

    /**
     * Frames whose headers declare more pixels than this are refused before any pixel is read
     * (env MORPHO_INGEST_MAX_FRAME_PIXELS); 10^8 float pixels take 400 MB.
     */
    @WithDefault("100000000")
    long maxFramePixels();

    /** Largest stamp side in pixels (env MORPHO_INGEST_MAX_STAMP). */
    @WithDefault("256")
    int maxStamp();
}
