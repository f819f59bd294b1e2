package io.morpho.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.morpho.events.MorphologyClass;
import io.morpho.imaging.detect.SourceDetector;
import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.imaging.stamp.StampCutter;
import io.morpho.imaging.wcs.TanWcs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark-ingest}: the ingest stage's work on a realistic frame, against the tools astronomers would use.
 * <ol>
 * <li>A simulated CLASH-like F160W frame (default 4096², 2,000 galaxies, known truth) is written as FITS.</li>
 * <li>Frame to model-ready stamps: read the FITS file, cut one stamp of 4 Petrosian radii per catalog source
 * (NaN outside the frame) and resize it to the model input, single-threaded; in the same run the same positions and
 * sides with astropy's {@code Cutout2D} + scipy's bilinear {@code zoom} (Debian {@code python3-astropy},
 * {@code python3-scipy}); the ratio is printed.</li>
 * <li>Detection: completeness and Petrosian radii against the truth (each galaxy brighter than the magnitude cut by
 * its own light, measured alone on its noise-free image: a blend's two galaxies, no artefact), and the same frame
 * through SExtractor (Debian {@code source-extractor}, default settings with a Gaussian filter of the same width);
 * with {@code --apart}, also the same galaxies drawn apart, the ceiling of the detector's measurement there;
 * then real frames from {@code ../shared/data/fits}: how many of our detections SExtractor also finds and how far
 * apart they are.</li>
 * </ol>
 * A program, not a test: it prints Markdown for docs/benchmarks.md.
 */
@Command(name = "benchmark-ingest", mixinStandardHelpOptions = true,
        description = "Ingest throughput (frame -> stamps) vs astropy Cutout2D, and detection vs truth and SExtractor.")
public final class IngestBenchmark implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new IngestBenchmark()).execute(args));
    }

    @Option(names = "--size", defaultValue = "4096", description = "Frame side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--galaxies", defaultValue = "2000", description = "(default: ${DEFAULT-VALUE})")
    int galaxies;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the simulated field: another seed draws other galaxies, positions and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--magnitude-cut", defaultValue = "24.5",
            description = "Galaxies fainter than this in the frame's band are left out of the truth (default: the paper's H < ${DEFAULT-VALUE}).")
    double magnitudeCut;

    @Option(names = "--apart", description = "Also detect the same galaxies drawn apart (no blends, no artefacts, the "
            + "field's noise): the ceiling of the model-radius row. About 5 minutes more.")
    boolean apart;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repetitions; the best is kept (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--real-frames", split = ",", defaultValue = "astropy_sip-wcs.fits,galsim_tpv_mosaic2_cdfs.fits.gz,"
            + "decam_c4d_170316_062107_ooi_z.N2.fits,imfit_ic3478rss_256.fits,nomtam_rp600245n00_im1.fits.Z",
            description = "Real frames (in --shared-data/fits) to compare detection with SExtractor on.")
    List<String> realFrames;

    @Option(names = "--shared-data", defaultValue = "../shared/data", description = "(default: ${DEFAULT-VALUE})")
    Path sharedData;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with astropy and scipy (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--work-dir", defaultValue = "target/benchmark-ingest", description = "(default: ${DEFAULT-VALUE})")
    Path work;

    private static final int INPUT = 80;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "simulating a %d x %d CLASH-like F160W frame with %d galaxies (seed %d) ...%n", size,
                size, galaxies, seed);
        FieldSimulator.Field field = FieldSimulator.write(work, "bench", seed, galaxies, size, 150.1, 2.2,
                List.of(Band.clash("F160W")));
        Path frameFile = field.frames().get(0);
        FitsFrame frame = FitsReader.readFirstImage(frameFile);
        TanWcs wcs = TanWcs.fromHeader(frame.header());
        List<double[]> catalog = catalogSources(work.resolve("bench_F160W.csv"), wcs); // x, y, petrosian radius (px)
        Path positions = work.resolve("positions.csv");
        StringBuilder csv = new StringBuilder("x,y,side\n");
        List<int[]> sides = new ArrayList<>();
        for (double[] t : catalog) {
            int side = StampCutter.sideFor(t[2] * wcs.pixelScaleArcsec(), wcs.pixelScaleArcsec(), 16, 256);
            sides.add(new int[] {side});
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n", t[0], t[1], side));
        }
        Files.writeString(positions, csv);

        System.out.println();
        System.out.println("## Frame to model-ready stamps (" + catalog.size() + " sources, " + INPUT + "x" + INPUT + ", one thread)");
        System.out.println();
        double[] java = javaPath(frameFile, catalog, sides);
        System.out.println("| path | read frame (s) | cut + resize (s) | stamps/s (cut + resize) | stamps/s (incl. read) |");
        System.out.println("|---|---|---|---|---|");
        row("morpho (nom-tam-fits headers, memory-mapped float32 data, StampCutter, minmax-bilinear)", java[0], java[1], catalog.size());
        double[] astropy = astropyPath(frameFile, positions);
        if (astropy != null) {
            row("astropy Cutout2D + scipy zoom", astropy[0], astropy[1], catalog.size());
            System.out.printf(Locale.ROOT, "%nratio morpho / astropy: %.1fx (cut + resize), %.1fx (incl. read)%n",
                    astropy[1] / java[1], (astropy[0] + astropy[1]) / (java[0] + java[1]));
        }

        System.out.println();
        System.out.println("## Detection on the simulated frame (truth known)");
        System.out.println();
        long t0 = System.nanoTime();
        SourceDetector.Result ours = SourceDetector.detect(frame.pixels(), frame.width(), frame.height(), null,
                SourceDetector.Config.defaults());
        double oursSeconds = (System.nanoTime() - t0) / 1e9;
        Band band = Band.clash("F160W");
        double psfFwhm = band.psfFwhmArcsec() / band.pixelScaleArcsec();
        t0 = System.nanoTime();
        SourceDetector.Result modelled = SourceDetector.detect(frame.pixels(), frame.width(), frame.height(), null,
                SourceDetector.Config.defaults().withPsfFwhm(psfFwhm));
        double modelledSeconds = (System.nanoTime() - t0) / 1e9;
        List<double[]> oursXy = ours.detections().stream().map(d -> new double[] {d.x(), d.y(), d.radius()}).toList();
        List<double[]> modelledXy = modelled.detections().stream().map(d -> new double[] {d.x(), d.y(), d.radius()}).toList();
        List<FieldSimulator.GalaxyTruth> inFrame = field.galaxies().get("F160W");
        List<FieldSimulator.GalaxyTruth> galaxyRows = inFrame.stream().filter(g -> g.magnitude() < magnitudeCut).toList();
        System.out.printf(Locale.ROOT, "%d galaxies in the frame, %d of them brighter than the magnitude cut (%.1f)%n%n",
                inFrame.size(), galaxyRows.size(), magnitudeCut);
        List<double[]> galaxies = galaxyRows.stream().map(g -> new double[] {g.x(), g.y(), g.petrosianRadius()}).toList();
        System.out.println("| detector | time (s) | detections | galaxies found | Petrosian radius within 10 % | median offset (px) |");
        System.out.println("|---|---|---|---|---|---|");
        truthRow("morpho SourceDetector (defaults: direct radii)", oursSeconds, oursXy, galaxies, true);
        truthRow(String.format(Locale.ROOT, "morpho SourceDetector, model radii (PSF FWHM %.2f px)", psfFwhm),
                modelledSeconds, modelledXy, galaxies, true);
        if (apart) {
            apartRow(psfFwhm);
        }
        Sex sex = sextractor(frameFile);
        if (sex != null) {
            truthRow("SExtractor " + sex.version() + " (defaults, Gaussian filter)", sex.seconds(), sex.xy(), galaxies, false);
        }
        radiiBreakdown(frame, oursXy, modelledXy, galaxies, galaxyRows);
        if (sex != null && Files.isDirectory(sharedData.resolve("fits"))) {
            System.out.println();
            System.out.println("## Detection on real frames: morpho vs SExtractor");
            System.out.println();
            System.out.println("| frame | morpho | SExtractor | morpho's found by SExtractor (2 px) | SExtractor's found by morpho | median offset (px) |");
            System.out.println("|---|---|---|---|---|---|");
            for (String name : realFrames) {
                realRow(sharedData.resolve("fits").resolve(name));
            }
        }
        return 0;
    }

    private static void row(String name, double read, double cut, int n) {
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %,.0f | %,.0f |%n", name, read, cut, n / cut, n / (read + cut));
    }

    private double[] javaPath(Path frameFile, List<double[]> sources, List<int[]> sides) {
        Preprocessing resize = Preprocessing.byName(MinMaxBilinear.NAME);
        double bestRead = Double.MAX_VALUE;
        double bestCut = Double.MAX_VALUE;
        double checksum = 0;
        for (int r = 0; r < repeats + 1; r++) { // the first round warms the JIT up
            long t0 = System.nanoTime();
            FitsFrame frame = FitsReader.readFirstImage(frameFile);
            long t1 = System.nanoTime();
            for (int i = 0; i < sources.size(); i++) {
                int side = sides.get(i)[0];
                Stamp stamp = StampCutter.cut(frame, sources.get(i)[0], sources.get(i)[1], side);
                checksum += resize.apply(stamp.pixels(), side, side, INPUT)[INPUT * INPUT / 2];
            }
            long t2 = System.nanoTime();
            if (r > 0) {
                bestRead = Math.min(bestRead, (t1 - t0) / 1e9);
                bestCut = Math.min(bestCut, (t2 - t1) / 1e9);
            }
        }
        if (Double.isNaN(checksum)) {
            System.out.println("(stamps contained NaN after preprocessing)");
        }
        return new double[] {bestRead, bestCut};
    }

    private double[] astropyPath(Path frameFile, Path positions) throws IOException, InterruptedException {
        Path script = resource("cutout2d.py");
        Process p = new ProcessBuilder(python, script.toString(), frameFile.toString(), positions.toString(),
                String.valueOf(INPUT), String.valueOf(repeats))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("(astropy path unavailable: " + out.strip() + ")");
            return null;
        }
        return new double[] {number(out, "read_s"), number(out, "cut_s")};
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private Path resource(String name) throws IOException {
        Path target = work.resolve(name);
        try (InputStream in = IngestBenchmark.class.getResourceAsStream(name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The side-car catalog's sources as pixel positions with their Petrosian radius in pixels. */
    private static List<double[]> catalogSources(Path csv, TanWcs wcs) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            double[] xy = wcs.skyToPixel(Double.parseDouble(f[1]), Double.parseDouble(f[2]));
            rows.add(new double[] {xy[0], xy[1], Double.parseDouble(f[3]) / wcs.pixelScaleArcsec()});
        }
        return rows;
    }

    /** The match of a true source {x, y, radius}: the nearest detection within max(3 px, half its radius), or null. */
    private static double[] match(List<double[]> found, double[] t) {
        double[] best = nearest(found, t[0], t[1]);
        return best != null && Math.hypot(best[0] - t[0], best[1] - t[1]) < Math.max(3, 0.5 * t[2]) ? best : null;
    }

    /** Within 10 % of the truth, 10 % itself included (|m / t - 1| would put 1.1 / 1 just above 0.1). */
    private static boolean radiusWithin10Percent(double measured, double truth) {
        return Math.abs(measured - truth) <= 0.1 * truth;
    }

    /** Of the true sources: how many a detection matches, how many of those have their radius within 10 %, and how far off. */
    private record Score(int matched, int within, int total, List<Double> offsets) {
        Score plus(Score other) {
            List<Double> all = new ArrayList<>(offsets);
            all.addAll(other.offsets);
            return new Score(matched + other.matched, within + other.within, total + other.total, all);
        }
    }

    private static Score score(List<double[]> found, List<double[]> truth) {
        int matched = 0;
        int within = 0;
        List<Double> offsets = new ArrayList<>();
        for (double[] t : truth) {
            double[] best = match(found, t);
            if (best != null) {
                matched++;
                offsets.add(Math.hypot(best[0] - t[0], best[1] - t[1]));
                within += radiusWithin10Percent(best[2], t[2]) ? 1 : 0;
            }
        }
        return new Score(matched, within, truth.size(), offsets);
    }

    private static void truthRow(String name, double seconds, List<double[]> found, List<double[]> truth, boolean radii) {
        truthRow(name, seconds, found.size(), score(found, truth), radii);
    }

    private static void truthRow(String name, double seconds, int detections, Score s, boolean radii) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %d | %d / %d (%.1f %%) | %s | %.2f |%n", name, seconds, detections,
                s.matched(), s.total(), 100.0 * s.matched() / s.total(),
                radii ? String.format(Locale.ROOT, "%d (%.1f %%)", s.within(), 100.0 * s.within() / s.total()) : "—",
                median(s.offsets()));
    }

    /**
     * The ceiling of the model-radius row: the same galaxies drawn apart ({@link FieldSimulator#writeApart}: each
     * object's own galaxy on a frame with the field's noise, the blends' companions on a second one), detected and
     * scored the same way. What the detector would score with perfect deblending and no artefacts.
     */
    private void apartRow(double psfFwhm) {
        FieldSimulator.Apart apart = FieldSimulator.writeApart(work, "bench-apart", seed, galaxies, size, 150.1, 2.2,
                Band.clash("F160W"));
        Score total = null;
        int detections = 0;
        long t0 = System.nanoTime();
        for (int frame = 0; frame < 2; frame++) {
            FitsFrame f = FitsReader.readFirstImage(frame == 0 ? apart.galaxiesFrame() : apart.companionsFrame());
            List<double[]> found = SourceDetector.detect(f.pixels(), f.width(), f.height(), null,
                    SourceDetector.Config.defaults().withPsfFwhm(psfFwhm)).detections().stream()
                    .map(d -> new double[] {d.x(), d.y(), d.radius()}).toList();
            List<double[]> truth = (frame == 0 ? apart.galaxies() : apart.companions()).stream()
                    .filter(g -> g.magnitude() < magnitudeCut).map(g -> new double[] {g.x(), g.y(), g.petrosianRadius()})
                    .toList();
            Score s = score(found, truth);
            total = total == null ? s : total.plus(s);
            detections += found.size();
        }
        truthRow("the same, every galaxy drawn apart (no blend, no artefact; same noise)", (System.nanoTime() - t0) / 1e9,
                detections, total, true);
    }

    /**
     * Petrosian radii within 10 % per class and per magnitude: the detector's (at its centres, on its
     * background-subtracted frame, neighbours masked), and the same estimator at the same centres on the noisy frame
     * with the true background (zero) and nothing masked: what the sky noise alone leaves of the radius once the object
     * is found (a floor for any detector that measures Petrosian radii without a model of the profile); the difference
     * is what the background estimate, deblending and masking cost.
     */
    private static void radiiBreakdown(FitsFrame frame, List<double[]> found, List<double[]> modelled,
                                       List<double[]> truth, List<FieldSimulator.GalaxyTruth> rows) {
        List<String> classes = MorphologyClass.ORDER.stream().map(MorphologyClass::label).toList();
        List<String> magnitudes = List.of("< 21.5", "21.5-22.5", "22.5-24.5");
        // galaxies; within 10 %: detector (direct), detector with model radii, ideal
        int[][] byClass = new int[classes.size()][4];
        int[][] byMagnitude = new int[magnitudes.size()][4];
        for (int i = 0; i < truth.size(); i++) {
            double[] t = truth.get(i);
            double[] best = match(found, t);
            double[] model = match(modelled, t);
            boolean detector = best != null && radiusWithin10Percent(best[2], t[2]);
            boolean withModels = model != null && radiusWithin10Percent(model[2], t[2]);
            boolean ideal = best != null && radiusWithin10Percent(SourceDetector.petrosian(frame.pixels(), frame.width(),
                    frame.height(), null, 0, best[0], best[1], 16, 256)[0], t[2]);
            int magnitudeBin = Math.min(magnitudes.size() - 1, Math.max(0, (int) Math.floor(rows.get(i).magnitude() - 20.5)));
            for (int[] counts : List.of(byClass[rows.get(i).trueClass()], byMagnitude[magnitudeBin])) {
                counts[0]++;
                counts[1] += detector ? 1 : 0;
                counts[2] += withModels ? 1 : 0;
                counts[3] += ideal ? 1 : 0;
            }
        }
        breakdownTable("class", classes, byClass);
        breakdownTable("magnitude", magnitudes, byMagnitude);
    }

    private static void breakdownTable(String key, List<String> names, int[][] counts) {
        System.out.println();
        System.out.println("| " + key + " | galaxies | radius within 10 %: detector, direct | detector, model radii |"
                + " direct estimator at the detector's centres, true background, nothing masked |");
        System.out.println("|---|---|---|---|---|");
        int[] all = new int[4];
        for (int g = 0; g < names.size(); g++) {
            System.out.println(breakdownRow(names.get(g), counts[g]));
            for (int k = 0; k < all.length; k++) {
                all[k] += counts[g][k];
            }
        }
        System.out.println(breakdownRow("all", all));
    }

    private static String breakdownRow(String name, int[] c) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d |", name, c[0]));
        for (int k = 1; k < c.length; k++) {
            row.append(String.format(Locale.ROOT, " %d (%.1f %%) |", c[k], 100.0 * c[k] / Math.max(1, c[0])));
        }
        return row.toString();
    }

    private void realRow(Path file) throws IOException, InterruptedException {
        FitsFrame frame = FitsReader.readFirstImage(file);
        List<double[]> ours = SourceDetector.detect(frame.pixels(), frame.width(), frame.height(), null,
                SourceDetector.Config.defaults()).detections().stream().map(d -> new double[] {d.x(), d.y()}).toList();
        // SExtractor reads the primary HDU unless told otherwise: give it the image as a plain FITS file.
        Path plain = work.resolve("real-" + file.getFileName().toString().replaceAll("\\.(gz|Z)$", "").replace(".fits", "") + ".fits");
        io.morpho.imaging.fits.FitsWriter.write(plain, frame.width(), frame.height(), frame.pixels(), java.util.Map.of());
        Sex sex = sextractor(plain);
        int oursFound = 0;
        List<Double> offsets = new ArrayList<>();
        for (double[] o : ours) {
            double[] s = nearest(sex.xy(), o[0], o[1]);
            if (s != null && Math.hypot(s[0] - o[0], s[1] - o[1]) < 2) {
                oursFound++;
                offsets.add(Math.hypot(s[0] - o[0], s[1] - o[1]));
            }
        }
        int sexFound = 0;
        for (double[] s : sex.xy()) {
            double[] o = nearest(ours, s[0], s[1]);
            sexFound += o != null && Math.hypot(s[0] - o[0], s[1] - o[1]) < 2 ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "| %s (%dx%d) | %d | %d | %d (%.0f %%) | %d (%.0f %%) | %.2f |%n", file.getFileName(),
                frame.width(), frame.height(), ours.size(), sex.xy().size(), oursFound,
                100.0 * oursFound / Math.max(1, ours.size()), sexFound, 100.0 * sexFound / Math.max(1, sex.xy().size()),
                median(offsets));
    }

    private static double[] nearest(List<double[]> points, double x, double y) {
        return points.stream().min(Comparator.comparingDouble(p -> Math.hypot(p[0] - x, p[1] - y))).orElse(null);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** SExtractor's positions (0-based) and Petrosian radii (PETRO_RADIUS x A_IMAGE, pixels) and its run time. */
    private record Sex(String version, double seconds, List<double[]> xy) {
    }

    private Sex sextractor(Path fitsFile) throws IOException, InterruptedException {
        String exe = "source-extractor";
        Path params = work.resolve("morpho.param");
        Files.writeString(params, "X_IMAGE\nY_IMAGE\nFLUX_AUTO\nA_IMAGE\nPETRO_RADIUS\nFLAGS\n");
        Path conv = work.resolve("gauss4.conv");
        float[] g = gaussian(4.0, 7);
        StringBuilder k = new StringBuilder("CONV NORM\n# 7x7 Gaussian, FWHM 4 px (as morpho's default smoothing)\n");
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                k.append(String.format(Locale.ROOT, "%.6f ", g[y] * g[x]));
            }
            k.append('\n');
        }
        Files.writeString(conv, k);
        Path catalog = work.resolve("sex.cat");
        Process p;
        try {
            p = new ProcessBuilder(exe, fitsFile.toString(), "-c", "/dev/null", "-CATALOG_NAME", catalog.toString(),
                    "-CATALOG_TYPE", "ASCII_HEAD", "-PARAMETERS_NAME", params.toString(), "-FILTER", "Y",
                    "-FILTER_NAME", conv.toString(), "-VERBOSE_TYPE", "QUIET", "-CHECKIMAGE_TYPE", "NONE")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("(SExtractor unavailable: apt-get install source-extractor)");
            return null;
        }
        long t0 = System.nanoTime();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("(SExtractor failed: " + out.strip() + ")");
            return null;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<double[]> xy = new ArrayList<>();
        for (String line : Files.readAllLines(catalog)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            xy.add(new double[] {Double.parseDouble(f[0]) - 1, Double.parseDouble(f[1]) - 1,
                    Double.parseDouble(f[4]) * Double.parseDouble(f[3])});
        }
        Process v = new ProcessBuilder(exe, "--version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(".*version ([0-9.]+).*", "$1").strip();
        v.waitFor();
        return new Sex(version, seconds, xy);
    }

    private static float[] gaussian(double fwhm, int n) {
        double sigma = fwhm / 2.3548;
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            double d = i - (n - 1) / 2.0;
            g[i] = (float) Math.exp(-0.5 * d * d / (sigma * sigma));
        }
        return g;
    }
}
