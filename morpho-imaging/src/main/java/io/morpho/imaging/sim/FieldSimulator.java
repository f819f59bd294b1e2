package io.morpho.imaging.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.morpho.imaging.Petrosian;
import io.morpho.imaging.fits.FitsWriter;
import io.morpho.imaging.wcs.TanWcs;

/**
 * A small simulated sky field imaged in several bands: one FITS frame per band with a TAN WCS and a
 * side-car catalog CSV ({@code id,ra,dec,petrosian_radius_arcsec}) beside it: the generator's positions, and the
 * Petrosian radius of each object's noise-free image in that band, measured about its light centre (which is where
 * a measurement centres a clumpy or blended object): a survey catalog's view, one row per object, a blend as one.
 * The truth a source detector is measured against is {@link Field#galaxies}: every galaxy on its own, a blend as two,
 * an artefact as none. {@link #writeApart} draws the same field with every galaxy apart, what a detector would see
 * with perfect deblending and no artefacts. Used by the demo, tests and benchmarks.
 */
public final class FieldSimulator {
    /** The mix of classes drawn into fields (CANDELS-like: disk-dominated). */
    private static final double[] CLASS_MIX = {0.30, 0.40, 0.15, 0.10, 0.05};
    private static final int STAMP_CANVAS = 96;

    private FieldSimulator() {
    }

    public record TruthRow(String id, double ra, double dec, int trueClass, double magnitude) {
    }

    /**
     * One galaxy as a band's frame shows it, measured on its own noise-free image: its magnitude in that band (from
     * the light of that image: the band's colour term applied, an artefact's light left out), light centre (0-based
     * frame pixels) and Petrosian radius (pixels). A blend's two galaxies are two of these (the companion under its
     * object's id and class); an artefact is none.
     */
    public record GalaxyTruth(String id, int trueClass, double magnitude, double x, double y, double petrosianRadius) {
    }

    /** The frames, the objects drawn, and per band name the galaxies in that band's frame. */
    public record Field(List<Path> frames, List<TruthRow> truth, Map<String, List<GalaxyTruth>> galaxies) {
    }

    /**
     * A field drawn apart ({@link #writeApart}): one frame of every object's own galaxy, one of the blends'
     * companions, and the galaxies each frame holds.
     */
    public record Apart(Path galaxiesFrame, List<GalaxyTruth> galaxies, Path companionsFrame, List<GalaxyTruth> companions) {
    }

    /** The objects drawn for a field, where they lie, and the generator, which goes on to draw the frames' noise. */
    private record Scene(Random rng, TanWcs wcs, List<Morphology> objects, List<double[]> positions, List<TruthRow> truth) {
    }

    /**
     * Writes {@code <name>_<band>.csv} then {@code <name>_<band>.fits} for each band into {@code dir}
     * (catalog first, so a watcher picking up the frame always finds its catalog).
     */
    public static Field write(Path dir, String name, long seed, int galaxies, int frameSize, double raCentre,
                              double decCentre, List<Band> bands) {
        Scene scene = scene(name, seed, galaxies, frameSize, raCentre, decCentre, bands.get(0).pixelScaleArcsec());
        List<Path> frames = new ArrayList<>();
        Map<String, List<GalaxyTruth>> byBand = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            for (Band band : bands) {
                float[] frame = new float[frameSize * frameSize];
                List<GalaxyTruth> inBand = new ArrayList<>();
                StringBuilder csv = new StringBuilder("id,ra,dec,petrosian_radius_arcsec\n");
                render(scene, band, frameSize, new float[][] {frame}, List.of(inBand), csv);
                GalaxySimulator.addNoise(frame, band, scene.rng());
                String base = name + "_" + band.name();
                Path catalog = dir.resolve(base + ".csv");
                Path tmp = dir.resolve("." + base + ".csv.part");
                Files.writeString(tmp, csv);
                Files.move(tmp, catalog, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                frames.add(writeFits(dir.resolve(base + ".fits"), name, band, scene.wcs(), frameSize, frame));
                byBand.put(band.name(), List.copyOf(inBand));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Field(frames, scene.truth(), byBand);
    }

    /**
     * The field {@link #write} draws for the same arguments and a single band, with every galaxy drawn apart:
     * {@code <name>_<band>_galaxies.fits} holds each object's own galaxy (a blend's companion and an artefact left
     * out) and {@code <name>_<band>_companions.fits} the blends' companions alone, at their places. The first frame's
     * noise is the field's own draw: where an object is drawn as in the field, its pixels are the field's, bit for bit.
     * The second frame's noise is the draw after it. What a detector measures on these is what it would measure on
     * the field with perfect deblending and no artefacts: the ceiling of its measurement there.
     */
    public static Apart writeApart(Path dir, String name, long seed, int galaxies, int frameSize, double raCentre,
                                   double decCentre, Band band) {
        Scene scene = scene(name, seed, galaxies, frameSize, raCentre, decCentre, band.pixelScaleArcsec());
        float[] own = new float[frameSize * frameSize];
        float[] companions = new float[frameSize * frameSize];
        List<GalaxyTruth> ownTruth = new ArrayList<>();
        List<GalaxyTruth> companionTruth = new ArrayList<>();
        render(scene, band, frameSize, new float[][] {own, companions}, List.of(ownTruth, companionTruth), null);
        GalaxySimulator.addNoise(own, band, scene.rng());
        GalaxySimulator.addNoise(companions, band, scene.rng());
        String base = name + "_" + band.name();
        try {
            Files.createDirectories(dir);
            return new Apart(writeFits(dir.resolve(base + "_galaxies.fits"), name, band, scene.wcs(), frameSize, own),
                    List.copyOf(ownTruth),
                    writeFits(dir.resolve(base + "_companions.fits"), name, band, scene.wcs(), frameSize, companions),
                    List.copyOf(companionTruth));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Scene scene(String name, long seed, int galaxies, int frameSize, double raCentre, double decCentre,
                               double scale) {
        Random rng = new Random(seed);
        TanWcs wcs = new TanWcs(frameSize / 2.0 + 0.5, frameSize / 2.0 + 0.5, raCentre, decCentre,
                new double[] {-scale / 3600, 0, 0, scale / 3600});
        int perSide = (int) Math.ceil(Math.sqrt(galaxies));
        double cell = (frameSize - STAMP_CANVAS) / (double) perSide;
        List<Morphology> objects = new ArrayList<>();
        List<double[]> positions = new ArrayList<>();
        List<TruthRow> truth = new ArrayList<>();
        for (int i = 0; i < galaxies; i++) {
            int cls = Sampling.pick(rng, CLASS_MIX);
            Morphology m = GalaxySimulator.draw(rng, cls, 20.5, 23.5);
            double x = STAMP_CANVAS / 2.0 + (i % perSide + 0.3 + 0.4 * rng.nextDouble()) * cell;
            double y = STAMP_CANVAS / 2.0 + (i / perSide + 0.3 + 0.4 * rng.nextDouble()) * cell;
            objects.add(m);
            positions.add(new double[] {x, y});
            double[] sky = wcs.pixelToSky(x, y);
            truth.add(new TruthRow(String.format(Locale.ROOT, "%s-%04d", name, i + 1), sky[0], sky[1], cls, m.magnitude()));
        }
        return new Scene(rng, wcs, objects, positions, truth);
    }

    /** The first moment of a noise-free size x size rendering: where a measurement centres the object. */
    public static double[] lightCentre(float[] image, int size) {
        double sx = 0;
        double sy = 0;
        double sum = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float v = image[y * size + x];
                sx += v * x;
                sy += v * y;
                sum += v;
            }
        }
        return new double[] {sx / sum, sy / sum};
    }

    private static double sum(float[] image) {
        double sum = 0;
        for (float v : image) {
            sum += v;
        }
        return sum;
    }

    /** The Petrosian radius (pixels) of a noise-free rendering about the given centre, or a quarter of the canvas. */
    private static double petrosianRadius(float[] image, double[] centre) {
        double r = Petrosian.radiusPixels(image, STAMP_CANVAS, STAMP_CANVAS, centre[0], centre[1], Petrosian.ETA);
        return Double.isFinite(r) ? r : STAMP_CANVAS / 4.0;
    }

    /**
     * Draws a scene's objects noise-free into {@code frames} and lists their galaxies. With one frame each object is
     * drawn whole (the field); with two, each galaxy of an object goes to the frame of its index: the object's own
     * galaxy (without an artefact) to the first, a blend's companion to the second, and likewise its truth. The
     * side-car catalog's rows are appended to {@code csv} when it is not null.
     */
    private static void render(Scene scene, Band band, int size, float[][] frames, List<List<GalaxyTruth>> galaxies,
                               StringBuilder csv) {
        boolean apart = frames.length > 1;
        for (int i = 0; i < scene.objects().size(); i++) {
            double x = scene.positions().get(i)[0];
            double y = scene.positions().get(i)[1];
            int ox = (int) Math.floor(x) - STAMP_CANVAS / 2;
            int oy = (int) Math.floor(y) - STAMP_CANVAS / 2;
            double cx = x - ox;
            double cy = y - oy;
            Morphology m = scene.objects().get(i);
            TruthRow t = scene.truth().get(i);
            boolean whole = m.companion() == null && m.streak() == null;
            float[] local = whole || !apart ? GalaxySimulator.render(m, band, STAMP_CANVAS, cx, cy) : null;
            List<float[]> parts = whole ? List.of(local) : GalaxySimulator.renderGalaxies(m, band, STAMP_CANVAS, cx, cy);
            if (!apart) {
                add(frames[0], size, ox, oy, local);
            }
            for (int p = 0; p < parts.size(); p++) {
                if (apart) {
                    add(frames[p], size, ox, oy, parts.get(p));
                }
                double[] c = lightCentre(parts.get(p), STAMP_CANVAS);
                double magnitude = band.zeroPoint() - 2.5 * Math.log10(sum(parts.get(p)));
                galaxies.get(apart ? p : 0).add(new GalaxyTruth(t.id(), t.trueClass(), magnitude, ox + c[0], oy + c[1],
                        petrosianRadius(parts.get(p), c)));
            }
            if (csv != null) {
                double rp = petrosianRadius(local, lightCentre(local, STAMP_CANVAS));
                csv.append(String.format(Locale.ROOT, "%s,%.8f,%.8f,%.4f%n", t.id(), t.ra(), t.dec(),
                        rp * band.pixelScaleArcsec()));
            }
        }
    }

    /** Adds a canvas whose corner lies at frame pixel (ox, oy) into a size x size frame, clipped to it. */
    private static void add(float[] frame, int size, int ox, int oy, float[] canvas) {
        for (int j = 0; j < STAMP_CANVAS; j++) {
            for (int k = 0; k < STAMP_CANVAS; k++) {
                int fx = ox + k;
                int fy = oy + j;
                if (fx >= 0 && fy >= 0 && fx < size && fy < size) {
                    frame[fy * size + fx] += canvas[j * STAMP_CANVAS + k];
                }
            }
        }
    }

    private static Path writeFits(Path fits, String name, Band band, TanWcs wcs, int size, float[] frame)
            throws IOException {
        double[] centre = wcs.pixelToSky(size / 2.0 - 0.5, size / 2.0 - 0.5);
        double scale = band.pixelScaleArcsec();
        Map<String, Object> cards = new LinkedHashMap<>();
        cards.put("OBJECT", name);
        cards.put("TELESCOP", "morpho-sim");
        cards.put("ORIGIN", "morpho FieldSimulator (simulated data)");
        cards.put("FILTER", band.name());
        cards.put("BUNIT", "counts");
        cards.put("PHOTZP", band.zeroPoint());
        cards.put("MJD-OBS", 60000.0);
        cards.put("CTYPE1", "RA---TAN");
        cards.put("CTYPE2", "DEC--TAN");
        cards.put("CRPIX1", size / 2.0 + 0.5);
        cards.put("CRPIX2", size / 2.0 + 0.5);
        cards.put("CRVAL1", centre[0]);
        cards.put("CRVAL2", centre[1]);
        cards.put("CD1_1", -scale / 3600);
        cards.put("CD1_2", 0.0);
        cards.put("CD2_1", 0.0);
        cards.put("CD2_2", scale / 3600);
        cards.put("RADESYS", "ICRS");
        FitsWriter.write(fits, size, size, frame, cards);
        return fits;
    }
}
