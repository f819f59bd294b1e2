package io.morpho.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.morpho.imaging.ImagingException;
import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.imaging.stamp.StampCutter;
import io.morpho.imaging.wcs.TanWcs;
import io.morpho.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.CutoutEvent;
import nom.tam.fits.Header;

/** Turns one frame and its side-car catalog into cutout events (one per source that falls on the frame). */
@ApplicationScoped
public class FrameCutter {
    @Inject
    IngestConfig config;

    public record Result(List<CutoutEvent> cutouts, int sources, int offFrame, String band) {
    }

    public Result cut(Path frameFile, Path catalogFile) {
        FitsFrame frame = FitsReader.readFirstImage(frameFile, config.maxFramePixels());
        TanWcs wcs = TanWcs.fromHeader(frame.header());
        Header h = frame.header();
        String band = band(h);
        if (!Files.exists(catalogFile)) {
            throw new ImagingException("catalog.missing", "no side-car catalog " + catalogFile.getFileName()
                    + " beside the frame (automatic source detection is not available yet)");
        }
        List<SourceCatalog.Source> sources = SourceCatalog.read(catalogFile);
        String survey = text(h, "SURVEY", config.survey());
        String field = text(h, "OBJECT", stem(frameFile));
        Double mjd = h.containsKey("MJD-OBS") ? h.getDoubleValue("MJD-OBS") : null;
        String frameHash = sha256(frameFile);
        String origin = frameFile.getFileName() + frame.hdu();
        double scale = wcs.pixelScaleArcsec();
        Instant now = Instant.now();
        List<CutoutEvent> cutouts = new ArrayList<>();
        int offFrame = 0;
        for (SourceCatalog.Source s : sources) {
            double[] xy = wcs.skyToPixel(s.ra(), s.dec());
            if (!(xy[0] >= -0.5 && xy[0] < frame.width() - 0.5 && xy[1] >= -0.5 && xy[1] < frame.height() - 0.5)) {
                offFrame++;
                continue;
            }
            int side = StampCutter.sideFor(s.petrosianRadiusArcsec(), scale, config.minStamp(), config.maxStamp());
            Stamp stamp = StampCutter.cut(frame, xy[0], xy[1], side);
            cutouts.add(CutoutEvent.newBuilder()
                    .setEventId(eventId(frameHash, frame.hdu(), s.id()))
                    .setSourceId(s.id()).setSurvey(survey).setField(field).setBand(band)
                    .setRa(s.ra()).setDec(s.dec()).setX(xy[0]).setY(xy[1])
                    .setPetrosianRadiusArcsec(s.petrosianRadiusArcsec()).setMagnitude(s.magnitude())
                    .setPixelScaleArcsec(scale).setWidth(side).setHeight(side).setPixels(stamp.toLittleEndianBytes())
                    .setMjd(mjd).setOrigin(origin).setIngestedAt(now)
                    .build());
        }
        return new Result(cutouts, sources.size(), offFrame, band);
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

    private String band(Header h) {
        for (String key : new String[] {"FILTER", "FILTER1", "FILTER2"}) {
            String value = h.getStringValue(key);
            if (value != null && !value.isBlank() && !value.trim().toUpperCase().startsWith("CLEAR")) {
                return value.trim();
            }
        }
        return config.band().orElseThrow(() -> new ImagingException("frame.no-band",
                "the frame has no FILTER keyword and no band is configured (morpho.ingest.band)"));
    }

    private static String text(Header h, String key, String fallback) {
        String value = h.getStringValue(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("(?i)\\.(fits|fit|fts)(\\.gz)?$", "");
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ImagingException("fits.unreadable", "cannot read " + file.getFileName(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
