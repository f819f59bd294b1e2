package io.morpho.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import io.morpho.imaging.ImagingException;
import io.morpho.imaging.detect.Background;
import io.morpho.imaging.detect.SourceDetector;
import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.fits.ZeroPoint;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.imaging.stamp.StampCutter;
import io.morpho.imaging.wcs.TanWcs;
import io.morpho.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.CutoutEvent;
import nom.tam.fits.Header;

/**
 * Turns one frame file into cutout events: for each science image HDU, the sources of the side-car catalog that fall
 * on it (radii measured on the frame when the catalog has none), or, without a catalog, the sources detected on it
 * ({@link SourceDetector}, masked by the file's weight/mask HDU when there is one); then the magnitude cut and one
 * stamp of 4 Petrosian radii per source.
 */
@ApplicationScoped
public class FrameCutter {
    /** HDUs that describe a science image rather than being one. */
    static final Set<String> WEIGHT_NAMES = Set.of("WHT", "WEIGHT", "WGT", "IVAR", "INVVAR");
    static final Set<String> MASK_NAMES = Set.of("MASK", "BPM", "DQ", "FLAGS");
    private static final Set<String> NOT_SCIENCE = Set.of("WHT", "WEIGHT", "WGT", "IVAR", "INVVAR", "MASK", "BPM", "DQ",
            "FLAGS", "ERR", "ERROR", "VAR", "VARIANCE", "RMS", "SIGMA", "EXP", "EXPMAP");

    /** FILTER values that name no band. */
    private static final Set<String> NO_FILTER = Set.of("NONE", "OPEN", "N/A", "NA", "UNKNOWN", "EMPTY");

    @Inject
    IngestConfig config;

    /**
     * @param sources  catalog sources, or sources detected (before the cuts below)
     * @param offFrame catalog sources on none of the frame's images
     * @param rejected detected sources dropped for touching an edge, no-data or masked pixels
     * @param faint    sources dropped by the magnitude limit
     * @param detected whether the sources came from detection (no side-car catalog)
     * @param warnings what a user should know about how the frame was read
     */
    public record Result(List<CutoutEvent> cutouts, int sources, int offFrame, int rejected, int faint, String band,
                         int hdus, boolean detected, int artefactPixels, List<String> warnings) {
    }

    /** One source placed on one image: pixel position, radius, magnitude. */
    private record Placed(String id, double ra, double dec, double x, double y, double radiusArcsec, Double magnitude) {
    }

    public Result cut(Path frameFile, Optional<Path> catalogFile) {
        List<FitsReader.Hdu> hdus = config.hdu().isPresent()
                ? List.of(selected(frameFile, config.hdu().get()))
                : FitsReader.images(frameFile, config.maxFramePixels()).stream()
                        .filter(h -> h.extname() == null || !NOT_SCIENCE.contains(h.extname().toUpperCase(Locale.ROOT)))
                        .toList();
        if (hdus.isEmpty()) {
            throw new ImagingException("fits.no-image", frameFile.getFileName() + " has no science image HDU");
        }
        List<SourceCatalog.Source> catalog = catalogFile.map(SourceCatalog::read).orElse(null);
        String frameHash = sha256(frameFile);
        Instant now = Instant.now();
        List<CutoutEvent> cutouts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> placedIds = new HashSet<>();
        Set<String> bands = new java.util.LinkedHashSet<>();
        int sources = 0;
        int rejected = 0;
        int faint = 0;
        int artefactPixels = 0;
        for (FitsReader.Hdu hdu : hdus) {
            FitsFrame frame = FitsReader.read(frameFile, String.valueOf(hdu.index()), config.maxFramePixels());
            warnings.addAll(frame.warnings());
            Header h = frame.header();
            TanWcs wcs = TanWcs.fromHeader(h);
            String band = band(frame, frameFile);
            bands.add(band);
            OptionalDouble zeroPoint = ZeroPoint.of(h);
            if (zeroPoint.isEmpty() && frame.primary() != null) {
                zeroPoint = ZeroPoint.of(frame.primary());
            }
            if (zeroPoint.isEmpty() && config.zeroPoint().isPresent()) {
                zeroPoint = OptionalDouble.of(config.zeroPoint().get());
            }
            List<Placed> placed = new ArrayList<>();
            if (catalog != null) {
                sources = catalog.size();
                placed.addAll(fromCatalog(catalog, frame, wcs));
                placed.forEach(p -> placedIds.add(p.id()));
            } else {
                Detected d = detect(frameFile, frame, wcs, zeroPoint);
                sources += d.found();
                rejected += d.rejected();
                artefactPixels += d.artefactPixels();
                placed.addAll(d.placed());
            }
            if (config.magnitudeLimit().isPresent()) {
                double limit = config.magnitudeLimit().get();
                if (catalog == null && zeroPoint.isEmpty()) {
                    throw new ImagingException("frame.no-zero-point", frameFile.getFileName() + " " + frame.hdu()
                            + ": a magnitude limit is set but the header has no zero point (PHOTZP, MAGZERO, MAGZPT, "
                            + "ZP or PHOTFLAM/PHOTPLAM) and none is configured (morpho.ingest.zero-point)");
                }
                int before = placed.size();
                placed.removeIf(p -> p.magnitude() != null && p.magnitude() > limit);
                faint += before - placed.size();
            }
            cutouts.addAll(events(frameFile, frame, wcs, band, frameHash, placed, now));
        }
        int offFrame = catalog == null ? 0 : (int) catalog.stream().filter(s -> !placedIds.contains(s.id())).count();
        return new Result(cutouts, sources, offFrame, rejected, faint, String.join("+", bands), hdus.size(),
                catalog == null, artefactPixels, warnings);
    }

    private FitsReader.Hdu selected(Path frameFile, String selector) {
        FitsFrame probe = FitsReader.read(frameFile, selector, config.maxFramePixels()); // a clear error if absent
        int index = Integer.parseInt(probe.hdu().replaceAll("^\\[(\\d+).*$", "$1"));
        return new FitsReader.Hdu(index, probe.hdu(), null, true);
    }

    private List<Placed> fromCatalog(List<SourceCatalog.Source> catalog, FitsFrame frame, TanWcs wcs) {
        float[] subtracted = null;
        List<Placed> placed = new ArrayList<>();
        double scale = wcs.pixelScaleArcsec();
        for (SourceCatalog.Source s : catalog) {
            double[] xy = wcs.skyToPixel(s.ra(), s.dec());
            if (!(xy[0] >= -0.5 && xy[0] < frame.width() - 0.5 && xy[1] >= -0.5 && xy[1] < frame.height() - 0.5)) {
                continue;
            }
            double radius = s.petrosianRadiusArcsec();
            if (Double.isNaN(radius)) {
                if (subtracted == null) {
                    subtracted = Background.estimate(frame.pixels(), frame.width(), frame.height(), null,
                            config.detection().mesh()).subtractFrom(frame.pixels(), null);
                }
                double rp = SourceDetector.petrosian(subtracted, frame.width(), frame.height(), null, 0, xy[0], xy[1],
                        16, config.maxStamp())[0];
                radius = (Double.isFinite(rp) ? rp : config.minStamp() / 4.0) * scale;
            }
            placed.add(new Placed(s.id(), s.ra(), s.dec(), xy[0], xy[1], radius, s.magnitude()));
        }
        return placed;
    }

    private record Detected(List<Placed> placed, int found, int rejected, int artefactPixels) {
    }

    private Detected detect(Path frameFile, FitsFrame frame, TanWcs wcs, OptionalDouble zeroPoint) {
        IngestConfig.Detection c = config.detection();
        SourceDetector.Config detection = new SourceDetector.Config(c.threshold(), c.minArea(), c.mesh(), c.smoothing(),
                32, c.deblendContrast(), c.minSnr(), config.maxStamp(), c.psfFwhm());
        boolean[] mask = mask(frameFile, frame);
        SourceDetector.Result result = SourceDetector.detect(frame.pixels(), frame.width(), frame.height(), mask, detection);
        double scale = wcs.pixelScaleArcsec();
        List<Placed> placed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int rejected = 0;
        for (SourceDetector.Detection d : result.detections()) {
            if (c.rejectFlagged() && (d.edge() || d.masked())) {
                rejected++;
                continue;
            }
            double[] sky = wcs.pixelToSky(d.x(), d.y());
            Double magnitude = zeroPoint.isPresent() && d.totalFlux() > 0
                    ? zeroPoint.getAsDouble() - 2.5 * Math.log10(d.totalFlux()) : null;
            String id = iauName(sky[0], sky[1]);
            for (int n = 2; !ids.add(id); n++) {
                id = iauName(sky[0], sky[1]) + "-" + n;
            }
            placed.add(new Placed(id, sky[0], sky[1], d.x(), d.y(), d.radius() * scale, magnitude));
        }
        return new Detected(placed, result.detections().size(), rejected, result.artefactPixels());
    }

    /** True where the file's weight map is zero or its mask/DQ map is set, for the science image read; else null. */
    private boolean[] mask(Path frameFile, FitsFrame frame) {
        int extver = frame.header().getIntValue("EXTVER", 1);
        Optional<FitsFrame> weight = FitsReader.readCompanion(frameFile, WEIGHT_NAMES, extver, frame.width(),
                frame.height(), config.maxFramePixels());
        Optional<FitsFrame> flags = FitsReader.readCompanion(frameFile, MASK_NAMES, extver, frame.width(), frame.height(),
                config.maxFramePixels());
        if (weight.isEmpty() && flags.isEmpty()) {
            return null;
        }
        boolean[] mask = new boolean[frame.pixels().length];
        weight.ifPresent(w -> {
            for (int i = 0; i < mask.length; i++) {
                mask[i] |= !(w.pixels()[i] > 0);
            }
        });
        flags.ifPresent(f -> {
            for (int i = 0; i < mask.length; i++) {
                mask[i] |= f.pixels()[i] != 0;
            }
        });
        return mask;
    }

    private List<CutoutEvent> events(Path frameFile, FitsFrame frame, TanWcs wcs, String band, String frameHash,
                                     List<Placed> placed, Instant now) {
        String survey = text(frame, "SURVEY", config.survey());
        String field = text(frame, "OBJECT", stem(frameFile));
        Double mjd = frame.keyword("MJD-OBS").map(c -> c.getValue(Double.class, null)).orElse(null);
        String origin = frameFile.getFileName() + frame.hdu();
        double scale = wcs.pixelScaleArcsec();
        List<CutoutEvent> cutouts = new ArrayList<>();
        for (Placed p : placed) {
            int side = StampCutter.sideFor(p.radiusArcsec(), scale, config.minStamp(), config.maxStamp());
            Stamp stamp = StampCutter.cut(frame, p.x(), p.y(), side);
            cutouts.add(CutoutEvent.newBuilder()
                    .setEventId(eventId(frameHash, frame.hdu(), p.id()))
                    .setSourceId(p.id()).setSurvey(survey).setField(field).setBand(band)
                    .setRa(p.ra()).setDec(p.dec()).setX(p.x()).setY(p.y())
                    .setPetrosianRadiusArcsec(p.radiusArcsec()).setMagnitude(p.magnitude())
                    .setPixelScaleArcsec(scale).setWidth(side).setHeight(side).setPixels(stamp.toLittleEndianBytes())
                    .setTouchesEdge(stamp.touchesEdge())
                    .setMjd(mjd).setOrigin(origin).setIngestedAt(now)
                    .build());
        }
        return cutouts;
    }

    /** IAU-style designation from the position: {@code Jhhmmss.ss+ddmmss.s}. */
    static String iauName(double ra, double dec) {
        double raSeconds = Math.floor(ra / 15 * 3600 * 100) / 100;
        int h = (int) (raSeconds / 3600);
        int m = (int) ((raSeconds - h * 3600) / 60);
        double s = raSeconds - h * 3600 - m * 60;
        double decSeconds = Math.floor(Math.abs(dec) * 3600 * 10) / 10;
        int d = (int) (decSeconds / 3600);
        int dm = (int) ((decSeconds - d * 3600) / 60);
        double ds = decSeconds - d * 3600 - dm * 60;
        return String.format(Locale.ROOT, "J%02d%02d%05.2f%s%02d%02d%04.1f", h, m, s, dec < 0 ? "-" : "+", d, dm, ds);
    }

    /** Same frame bytes, HDU and source give the same id, so re-ingesting a frame changes nothing downstream. */
    static String eventId(String frameHash, String hdu, String sourceId) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((frameHash + "|" + hdu + "|" + sourceId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The band from FILTER, FILTER1 or FILTER2 (HST's two filter wheels: the one that is not CLEAR), in the image's
     * header or the primary one; its first word ("z DECam SDSS c0004 ..." is band z); or configuration.
     */
    private String band(FitsFrame frame, Path frameFile) {
        for (String key : new String[] {"FILTER", "FILTER1", "FILTER2"}) {
            String value = frame.keyword(key).map(c -> c.getValue()).orElse(null);
            String upper = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
            if (!upper.isEmpty() && !upper.startsWith("CLEAR") && !NO_FILTER.contains(upper)) {
                return value.trim().split("\\s+")[0];
            }
        }
        return config.band().orElseThrow(() -> new ImagingException("frame.no-band", frameFile.getFileName()
                + " has no FILTER keyword and no band is configured (morpho.ingest.band)"));
    }

    private static String text(FitsFrame frame, String key, String fallback) {
        String value = frame.keyword(key).map(c -> c.getValue()).orElse(null);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("(?i)\\.(fits|fit|fts)(\\.gz|\\.fz|\\.z|\\.bz2)?$", "");
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(java.nio.file.Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ImagingException("fits.unreadable", "cannot read " + file.getFileName(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
