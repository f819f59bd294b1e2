package io.morpho.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.morpho.imaging.ImagingException;
import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.fits.FitsWriter;
import io.morpho.imaging.preprocess.Preprocessing;

/**
 * The paper's dataset format, read and written unchanged: a labels CSV
 * {@code ID,p_smooth,p_features,p_irregular,p_point_source,p_unclassifiable} (vote fractions, columns in the
 * model's class order) and one FITS stamp per ID in {@code stamps/<ID>.fits} (primary HDU, native pixels).
 * Anyone holding the real CANDELS/CLASH stamps can train on them with {@code bin/morpho train --dataset DIR}.
 */
public final class PaperFormat {
    public static final List<String> COLUMNS =
            List.of("ID", "p_smooth", "p_features", "p_irregular", "p_point_source", "p_unclassifiable");
    /** Vote fractions of 5-8 classifiers written with 9 decimals sum to 1 within rounding; allow a little more. */
    private static final double SUM_TOLERANCE = 0.02;
    /** CLASH ids look like {@code macs1206_f435w_1322}: the band sits between underscores. */
    private static final Pattern BAND_IN_ID = Pattern.compile("(?i)(?:^|_)(f\\d{3,4}(?:w|lp|m|n))(?:_|$)");

    /** What the simulator knew about each stamp, beside a simulated dataset's labels. */
    public static final String TRUTH_FILE = "truth.csv";

    public record Entry(String id, float[] fractions) {
    }

    private PaperFormat() {
    }

    /** The labels file of a dataset directory: {@code labels.csv}, or the single {@code *_labels.csv}. */
    public static Path labelsFile(Path dir) {
        Path plain = dir.resolve("labels.csv");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith("_labels.csv")).toList();
            if (found.size() != 1) {
                throw new IllegalArgumentException(dir + " needs labels.csv or exactly one *_labels.csv, found " + found);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public static List<Entry> readLabels(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + " is empty");
        }
        List<String> header = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
        int[] index = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            index[c] = header.indexOf(COLUMNS.get(c));
            if (index[c] < 0) {
                throw new IllegalArgumentException(csv.getFileName() + " has no column " + COLUMNS.get(c)
                        + " (expected header " + String.join(",", COLUMNS) + ")");
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                float[] fractions = new float[5];
                double sum = 0;
                for (int c = 0; c < 5; c++) {
                    fractions[c] = Float.parseFloat(f[index[c + 1]].trim());
                    if (!(fractions[c] >= 0 && fractions[c] <= 1)) {
                        throw new IllegalArgumentException(COLUMNS.get(c + 1) + " = " + fractions[c] + " is not in [0, 1]");
                    }
                    sum += fractions[c];
                }
                if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                    throw new IllegalArgumentException("fractions sum to " + sum);
                }
                String id = f[index[0]].trim();
                if (id.isEmpty() || id.contains("/") || id.contains("\\")) {
                    throw new IllegalArgumentException("bad ID '" + id + "'");
                }
                entries.add(new Entry(id, fractions));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(csv.getFileName() + " line " + (n + 1) + ": " + e.getMessage()
                        + " in: " + line, e);
            }
        }
        return entries;
    }

    /** Reads labels and stamps and applies the serving preprocessing; a missing or unreadable stamp is an error. */
    public static StampDataset read(Path dir, Preprocessing preprocessing, int inputSize) {
        List<Entry> entries = readLabels(labelsFile(dir));
        float[][] inputs = new float[entries.size()][];
        float[][] labels = new float[entries.size()][];
        String[] bands = new String[entries.size()];
        int[] truth = new int[entries.size()];
        float[][] expected = new float[entries.size()][];
        Map<String, Entry> simulated = readTruth(dir);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Path stamp = dir.resolve("stamps").resolve(e.id() + ".fits");
            try {
                FitsFrame frame = FitsReader.readFirstImage(stamp);
                inputs[i] = preprocessing.apply(frame.pixels(), frame.width(), frame.height(), inputSize);
            } catch (ImagingException ex) {
                throw new IllegalArgumentException("stamp for " + e.id() + " (" + stamp + "): " + ex.getMessage(), ex);
            }
            labels[i] = e.fractions();
            bands[i] = bandOf(e.id());
            Entry known = simulated.get(e.id());
            truth[i] = known == null ? -1 : (int) known.fractions()[0];
            expected[i] = known == null ? null : Arrays.copyOfRange(known.fractions(), 1, 6);
        }
        return new StampDataset(inputSize, inputs, labels, bands, truth, expected);
    }

    static String bandOf(String id) {
        Matcher m = BAND_IN_ID.matcher(id);
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "unknown";
    }

    /**
     * A simulated dataset's {@code truth.csv} (not part of the paper's format, ignored when absent): per ID the
     * simulator's class followed by the expected vote fractions, as an entry {@code [class, e0..e4]}.
     */
    static Map<String, Entry> readTruth(Path dir) {
        Path file = dir.resolve(TRUTH_FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Map<String, Entry> truth = new java.util.HashMap<>();
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.skip(1).filter(l -> !l.isBlank()).forEach(line -> {
                String[] f = line.split(",");
                if (f.length != 7) {
                    throw new IllegalArgumentException(file + ": expected 7 columns in: " + line);
                }
                float[] values = new float[6];
                for (int c = 0; c < 6; c++) {
                    values[c] = Float.parseFloat(f[c + 1].trim());
                }
                truth.put(f[0].trim(), new Entry(f[0].trim(), values));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return truth;
    }

    /** Writes a simulated dataset's {@code truth.csv}: ID, true class and expected vote fractions per stamp. */
    public static void writeTruth(Path dir, List<String> ids, int[] trueClass, List<float[]> expected) {
        StringBuilder csv = new StringBuilder("ID,true_class,e_smooth,e_features,e_irregular,e_point_source,e_unclassifiable\n");
        for (int i = 0; i < ids.size(); i++) {
            csv.append(ids.get(i)).append(',').append(trueClass[i]);
            for (float f : expected.get(i)) {
                csv.append(',').append(String.format(Locale.ROOT, "%.9g", f));
            }
            csv.append('\n');
        }
        try {
            Files.writeString(dir.resolve(TRUTH_FILE), csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(TRUTH_FILE), e);
        }
    }

    /** Writes stamps (native pixels) and their fractions in the paper's layout under {@code dir}. */
    public static void write(Path dir, List<String> ids, List<float[]> pixels, List<Integer> sides, List<float[]> fractions) {
        try {
            Path stamps = Files.createDirectories(dir.resolve("stamps"));
            StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
            for (int i = 0; i < ids.size(); i++) {
                int side = sides.get(i);
                FitsWriter.write(stamps.resolve(ids.get(i) + ".fits"), side, side, pixels.get(i), Map.of());
                csv.append(ids.get(i));
                for (float f : fractions.get(i)) {
                    csv.append(',').append(String.format(Locale.ROOT, "%.9g", f));
                }
                csv.append('\n');
            }
            Files.writeString(dir.resolve("labels.csv"), csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dataset to " + dir, e);
        }
    }
}
