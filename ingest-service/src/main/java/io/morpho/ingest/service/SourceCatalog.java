package io.morpho.ingest.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.morpho.imaging.ImagingException;

/**
 * The side-car catalog of a frame: CSV with a header naming {@code id, ra, dec, petrosian_radius_arcsec}
 * (ra/dec in degrees ICRS, radius in arcsec) and optionally {@code mag}. Plain comma-separated values
 * without quoting, so parsed here rather than with a CSV library.
 */
public final class SourceCatalog {
    public record Source(String id, double ra, double dec, double petrosianRadiusArcsec, Double magnitude) {
    }

    private SourceCatalog() {
    }

    public static List<Source> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImagingException("catalog.unreadable", "cannot read side-car catalog " + csv.getFileName(), e);
        }
        if (lines.isEmpty()) {
            throw new ImagingException("catalog.invalid", csv.getFileName() + " is empty");
        }
        List<String> header = Arrays.stream(lines.get(0).split(",")).map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int id = column(header, csv, "id");
        int ra = column(header, csv, "ra");
        int dec = column(header, csv, "dec");
        int radius = header.indexOf("petrosian_radius_arcsec") >= 0 ? header.indexOf("petrosian_radius_arcsec")
                : column(header, csv, "petrosian_radius");
        int mag = header.indexOf("mag");
        List<Source> sources = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                Source s = new Source(f[id].trim(), Double.parseDouble(f[ra]), Double.parseDouble(f[dec]),
                        Double.parseDouble(f[radius]), mag >= 0 && !f[mag].isBlank() ? Double.valueOf(f[mag]) : null);
                if (s.id().isEmpty() || !(s.ra() >= 0 && s.ra() < 360) || !(s.dec() >= -90 && s.dec() <= 90)
                        || !(s.petrosianRadiusArcsec() > 0)) {
                    throw new IllegalArgumentException("empty id, position out of range or non-positive radius");
                }
                sources.add(s);
            } catch (RuntimeException e) {
                throw new ImagingException("catalog.invalid", csv.getFileName() + " line " + (n + 1) + " is not a valid "
                        + "source (" + e.getMessage() + "): " + line);
            }
        }
        return sources;
    }

    private static int column(List<String> header, Path csv, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new ImagingException("catalog.invalid", csv.getFileName() + " has no '" + name
                    + "' column (need id,ra,dec,petrosian_radius_arcsec)");
        }
        return i;
    }
}
