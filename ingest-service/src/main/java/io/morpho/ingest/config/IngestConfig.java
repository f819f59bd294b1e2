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

    /**
     * Which image HDU(s) of a frame to ingest (env MORPHO_INGEST_HDU): an index (0 = primary) or an EXTNAME; unset
     * means every image HDU except weight, mask and error maps (WHT, WEIGHT, MASK, DQ, ERR, ...), which mask
     * detection instead.
     */
    Optional<String> hdu();

    /** Zero point for frames whose header gives none (env MORPHO_INGEST_ZERO_POINT). */
    Optional<Double> zeroPoint();

    /**
     * Faintest magnitude ingested (env MORPHO_INGEST_MAGNITUDE_LIMIT); the paper used H &lt; 24.5. Unset: no cut.
     * Applies to detected sources and to catalog sources with a magnitude.
     */
    Optional<Double> magnitudeLimit();

    /** Source detection, used when a frame has no side-car catalog. */
    Detection detection();

    interface Detection {
        /** Threshold in sigma of the smoothed frame (env MORPHO_INGEST_DETECTION_THRESHOLD). */
        @WithDefault("3.0")
        double threshold();

        /** Minimum connected pixels above the threshold (env MORPHO_INGEST_DETECTION_MIN_AREA). */
        @WithDefault("6")
        int minArea();

        /** Smoothing FWHM in pixels (env MORPHO_INGEST_DETECTION_SMOOTHING). */
        @WithDefault("4.0")
        double smoothing();

        /** Background mesh side in pixels (env MORPHO_INGEST_DETECTION_MESH). */
        @WithDefault("64")
        int mesh();

        /**
         * Deblending: smallest share of its component's flux a branch needs to be split off, both counted above the
         * level they are cut at (env MORPHO_INGEST_DETECTION_DEBLEND_CONTRAST).
         */
        @WithDefault("0.15")
        double deblendContrast();

        /** Minimum isophotal signal-to-noise (env MORPHO_INGEST_DETECTION_MIN_SNR). */
        @WithDefault("6")
        double minSnr();

        /**
         * The frames' PSF FWHM in pixels (env MORPHO_INGEST_DETECTION_PSF_FWHM). When set above 0, sources are also
         * fitted with PSF-convolved Sersic models: faint ones and overlapping neighbours get their Petrosian radius
         * from the model, pairs the threshold saw as one are split, and pixels sharper than the PSF allows (cosmic
         * rays, satellite tracks, hot pixels) are left out before detection. Closer to the truth on faint spheroids,
         * blends and galaxies under tracks; detection is about 40 times slower. Give it within 1.5 times of the truth:
         * given wider, the peaks of bright stars count as too sharp.
         */
        @WithDefault("0")
        double psfFwhm();

        /** Drop sources touching the frame edge, no-data or masked pixels (env MORPHO_INGEST_DETECTION_REJECT_FLAGGED). */
        @WithDefault("true")
        boolean rejectFlagged();
    }
}
