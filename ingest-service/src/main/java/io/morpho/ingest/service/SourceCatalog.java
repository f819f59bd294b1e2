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
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.TableHDU;

/**
 * The side-car catalog of a frame, CSV ({@code X.csv}) or FITS table ({@code X.cat.fits}, first table HDU): columns
 * {@code id}, {@code ra}, {@code dec} (degrees ICRS) and optionally {@code petrosian_radius_arcsec} and {@code mag}.
 * Column names are matched case-insensitively, with the usual SExtractor/survey aliases (IDENT, NUMBER, ALPHA_J2000,
 * DELTA_J2000, PETRO_RADIUS_ARCSEC, MAG_AUTO, ...). A source without a radius gets one measured on the frame. The CSV
 * is plain comma-separated values without quoting, so it is parsed here rather than with a CSV library.
 */
public final class SourceCatalog {
    /** @param petrosianRadiusArcsec NaN when the catalog has none (ingest measures it) */
    public record Source(String id, double ra, double dec, double petrosianRadiusArcsec, Double magnitude) {
    }

    private static final List<String> ID = List.of("id", "ident", "number", "objid", "source_id", "name");
    private static final List<String> RA = List.of("ra", "alpha_j2000", "ra_deg", "raj2000");
    private static final List<String> DEC = List.of("dec", "delta_j2000", "dec_deg", "dej2000", "decj2000");
    private static final List<String> RADIUS = List.of("petrosian_radius_arcsec", "petrosian_radius",
            "petro_radius_arcsec", "petro_radius");
    private static final List<String> MAG = List.of("mag", "mag_auto", "mag_petro", "mag_best");

    private SourceCatalog() {
    }

    /** The side-car catalog beside a frame, CSV first, if either exists. */
    public static java.util.Optional<Path> besides(Path frame) {
        for (Path candidate : candidates(frame)) {
            if (Files.exists(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** Where a frame's side-car catalog may be: {@code X.csv} and {@code X.cat.fits}. */
    public static List<Path> candidates(Path frame) {
        String stem = FrameCutter.stem(frame);
        return List.of(frame.resolveSibling(stem + ".csv"), frame.resolveSibling(stem + ".cat.fits"));
    }

    public static List<Source> read(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".fits") ? readFits(file) : readCsv(file);
    }

    static List<Source> readCsv(Path csv) {
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
        int id = required(header, ID, csv);
        int ra = required(header, RA, csv);
        int dec = required(header, DEC, csv);
        int radius = optional(header, RADIUS);
        int mag = optional(header, MAG);
        List<Source> sources = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                sources.add(source(f[id].trim(), Double.parseDouble(f[ra]), Double.parseDouble(f[dec]),
                        radius >= 0 && !f[radius].isBlank() ? Double.parseDouble(f[radius]) : Double.NaN,
                        mag >= 0 && !f[mag].isBlank() ? Double.valueOf(f[mag]) : null));
            } catch (RuntimeException e) {
                throw new ImagingException("catalog.invalid", csv.getFileName() + " line " + (n + 1) + " is not a valid "
                        + "source (" + e.getMessage() + "): " + line);
            }
        }
        return sources;
    }

    static List<Source> readFits(Path file) {
        try (Fits fits = new Fits(file.toFile())) {
            for (BasicHDU<?> hdu = fits.readHDU(); hdu != null; hdu = fits.readHDU()) {
                if (hdu instanceof TableHDU<?> table) {
                    return fromTable(table, file);
                }
            }
        } catch (ImagingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImagingException("catalog.unreadable", file.getFileName() + " is not a readable FITS table: "
                    + e.getMessage(), e);
        }
        throw new ImagingException("catalog.invalid", file.getFileName() + " has no table HDU");
    }

    private static List<Source> fromTable(TableHDU<?> table, Path file) throws nom.tam.fits.FitsException {
        List<String> header = new ArrayList<>();
        for (int c = 0; c < table.getNCols(); c++) {
            String name = table.getColumnName(c);
            header.add(name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
        }
        int id = required(header, ID, file);
        int ra = required(header, RA, file);
        int dec = required(header, DEC, file);
        int radius = optional(header, RADIUS);
        int mag = optional(header, MAG);
        List<Source> sources = new ArrayList<>();
        for (int row = 0; row < table.getNRows(); row++) {
            try {
                sources.add(source(text(table.getElement(row, id)), number(table.getElement(row, ra)),
                        number(table.getElement(row, dec)), radius >= 0 ? number(table.getElement(row, radius)) : Double.NaN,
                        mag >= 0 ? finiteOrNull(number(table.getElement(row, mag))) : null));
            } catch (RuntimeException e) {
                throw new ImagingException("catalog.invalid", file.getFileName() + " row " + (row + 1)
                        + " is not a valid source (" + e.getMessage() + ")");
            }
        }
        return sources;
    }

    private static Source source(String id, double ra, double dec, double radius, Double mag) {
        if (id.isEmpty() || !(ra >= 0 && ra < 360) || !(dec >= -90 && dec <= 90)) {
            throw new IllegalArgumentException("empty id or position out of range");
        }
        if (!Double.isNaN(radius) && !(radius > 0 && Double.isFinite(radius))) {
            throw new IllegalArgumentException("non-positive Petrosian radius " + radius);
        }
        return new Source(id, ra, dec, radius, mag);
    }

    /** A table cell as text: strings as they are, numbers without a trailing ".0" for integers. */
    private static String text(Object cell) {
        Object value = cell != null && cell.getClass().isArray() ? java.lang.reflect.Array.get(cell, 0) : cell;
        return value == null ? "" : value.toString().trim();
    }

    private static double number(Object cell) {
        Object value = cell != null && cell.getClass().isArray() ? java.lang.reflect.Array.get(cell, 0) : cell;
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("not a number: " + value);
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static int required(List<String> header, List<String> names, Path file) {
        int i = optional(header, names);
        if (i < 0) {
            throw new ImagingException("catalog.invalid", file.getFileName() + " has no '" + names.get(0)
                    + "' column (need id, ra, dec; optional petrosian_radius_arcsec, mag; found " + header + ")");
        }
        return i;
    }

    private static int optional(List<String> header, List<String> names) {
        for (String name : names) {
            int i = header.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }
}
