package io.morpho.imaging.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.Petrosian;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import io.morpho.imaging.sim.GalaxySimulator;
import io.morpho.imaging.sim.Morphology;
import io.morpho.imaging.wcs.TanWcs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDetectorTest {

    /** A match: the nearest detection within max(3 px, half the true Petrosian radius) of the true position. */
    @Test
    void findsTheSimulatedGalaxiesWithTheirPetrosianRadii(@TempDir Path dir) throws Exception {
        FieldSimulator.Field field = FieldSimulator.write(dir, "det", 11, 144, 2048, 150.1, 2.2, List.of(Band.clash("F160W")));
        FitsFrame frame = FitsReader.readFirstImage(field.frames().get(0));
        TanWcs wcs = TanWcs.fromHeader(frame.header());
        SourceDetector.Result result = SourceDetector.detect(frame.pixels(), frame.width(), frame.height(), null,
                SourceDetector.Config.defaults());
        List<String> truth = Files.readAllLines(dir.resolve("det_F160W.csv"));
        truth = truth.subList(1, truth.size());
        List<Double> ratios = new ArrayList<>();
        List<Double> offsets = new ArrayList<>();
        for (String line : truth) {
            String[] f = line.split(",");
            double[] xy = wcs.skyToPixel(Double.parseDouble(f[1]), Double.parseDouble(f[2]));
            double truthRp = Double.parseDouble(f[3]) / wcs.pixelScaleArcsec();
            result.detections().stream().min(Comparator.comparingDouble(d -> Math.hypot(d.x() - xy[0], d.y() - xy[1])))
                    .filter(d -> Math.hypot(d.x() - xy[0], d.y() - xy[1]) < Math.max(3, 0.5 * truthRp))
                    .ifPresent(d -> {
                        offsets.add(Math.hypot(d.x() - xy[0], d.y() - xy[1]));
                        ratios.add(d.radius() / truthRp);
                    });
        }
        long within10 = ratios.stream().filter(r -> Math.abs(r - 1) <= 0.1).count();
        ratios.sort(Double::compare);
        offsets.sort(Double::compare);
        System.out.printf(Locale.ROOT, "simulated field: %d detections, %d/%d galaxies found, Petrosian radius within 10 %% "
                        + "for %d, median ratio %.3f, median offset %.2f px%n", result.detections().size(), ratios.size(),
                truth.size(), within10, ratios.get(ratios.size() / 2), offsets.get(offsets.size() / 2));
        assertThat(ratios.size()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * truth.size()));
        assertThat(ratios.get(ratios.size() / 2)).isCloseTo(1.0, within(0.05));
        assertThat(within10).isGreaterThanOrEqualTo(ratios.size() * 85 / 100);
        assertThat(offsets.get(offsets.size() / 2)).isLessThan(0.5);
    }

    /**
     * Two smooth galaxies overlapping so much that the threshold sees one object: with the PSF given, the models
     * split it into two detections at the galaxies' centres, with model radii.
     */
    @Test
    void withThePsfGivenAnOverlappingPairBecomesTwoDetections() {
        Band band = Band.clash("F160W");
        int w = 160;
        float[] frame = observed(band, w, new Random(8), new double[][] {
                {76.3, 79.6, 40, 4, 1.5, 0.8, 0.3}, {84.1, 81.2, 25, 3, 1.5, 0.7, 1.2}});
        double fwhm = band.psfFwhmArcsec() / band.pixelScaleArcsec();
        List<SourceDetector.Detection> plain = SourceDetector.detect(frame, w, w, null, SourceDetector.Config.defaults())
                .detections();
        List<SourceDetector.Detection> modelled = SourceDetector.detect(frame, w, w, null,
                SourceDetector.Config.defaults().withPsfFwhm(fwhm)).detections();
        assertThat(near(plain, 80, 80.4, 12)).hasSize(1);
        List<SourceDetector.Detection> pair = near(modelled, 80, 80.4, 12);
        assertThat(pair).hasSize(2);
        assertThat(pair).anySatisfy(d -> assertThat(Math.hypot(d.x() - 76.3, d.y() - 79.6)).isLessThan(0.5));
        assertThat(pair).anySatisfy(d -> assertThat(Math.hypot(d.x() - 84.1, d.y() - 81.2)).isLessThan(0.5));
        assertThat(pair).allSatisfy(d -> assertThat(d.modelRadius()).isFinite());
        assertThat(modelled).hasSize(plain.size() + 1);
    }

    /**
     * The same kind of pair beside a bright neighbour whose light joins theirs above the threshold: the deblender
     * separates the pair from the neighbour but not the pair itself, and their group's joint fit models the pair as one
     * flat shape. Fitted on its own, the flat sibling is split like a pair alone (two such pairs on the benchmark field).
     */
    @Test
    void withThePsfGivenAPairBesideANeighbourBecomesTwoDetections() {
        Band band = Band.clash("F160W");
        int w = 200;
        float[] px = observed(band, w, new Random(9), new double[][] {
                {70.4, 100.2, 150, 6, 4.5, 0.8, 0.3}, {118.6, 95.8, 25, 3, 3.2, 0.75, 0.2}, {118.9, 104.3, 20, 2.6, 3.2, 0.75, 1.0}});
        SourceDetector.Config plain = SourceDetector.Config.defaults();
        SourceDetector.Config modelled = plain.withPsfFwhm(band.psfFwhmArcsec() / band.pixelScaleArcsec());
        SourceDetector.Result withoutModels = SourceDetector.detect(px, w, w, null, plain);
        assertThat(withoutModels.deblended()).isPositive(); // neighbour and pair: one component, deblended
        assertThat(near(withoutModels.detections(), 118.75, 100, 10)).hasSize(1);
        List<SourceDetector.Detection> pair = near(SourceDetector.detect(px, w, w, null, modelled).detections(), 118.75, 100, 10);
        assertThat(pair).hasSize(2);
        assertThat(pair).anySatisfy(d -> assertThat(Math.hypot(d.x() - 118.6, d.y() - 95.8)).isLessThan(0.5));
        assertThat(pair).anySatisfy(d -> assertThat(Math.hypot(d.x() - 118.9, d.y() - 104.3)).isLessThan(0.5));
    }

    /**
     * Galaxies with a cosmic-ray track across them (the simulator's streak artefacts, 50-80 % of the light, not
     * blurred by the PSF): the track pulls the centroid off the galaxy; with the PSF given, its pixels are found
     * too sharp to be light through the PSF and left out before detection, and the galaxy is detected on its own.
     */
    @Test
    void withThePsfGivenACosmicRayTrackIsLeftOutOfTheGalaxyUnderIt() {
        Band band = Band.clash("F160W");
        Random rng = new Random(21);
        int w = 160;
        int centredPlain = 0;
        int centred = 0;
        int radii = 0;
        for (int t = 0; t < 15; t++) {
            Morphology m;
            do {
                m = GalaxySimulator.draw(rng, Morphology.UNCLASSIFIABLE, 20.5, 23.5);
            } while (m.streak() == null);
            float[] frame = GalaxySimulator.render(m, band, w, 80.3, 80.6);
            float[] galaxy = GalaxySimulator.renderGalaxies(m, band, w, 80.3, 80.6).get(0);
            double[] centre = FieldSimulator.lightCentre(galaxy, w);
            double truth = Petrosian.radiusPixels(galaxy, w, w, centre[0], centre[1], Petrosian.ETA);
            for (double[] o : new double[][] {{25, 25}, {135, 25}, {25, 135}, {135, 135}, {80, 25}, {25, 80}, {135, 80}}) {
                float[] other = GalaxySimulator.render(GalaxySimulator.draw(rng, Morphology.SPHEROID, 21, 22), band, w, o[0], o[1]);
                for (int i = 0; i < other.length; i++) {
                    frame[i] += other[i];
                }
            }
            GalaxySimulator.addNoise(frame, band, rng);
            SourceDetector.Result plain = SourceDetector.detect(frame, w, w, null, SourceDetector.Config.defaults());
            SourceDetector.Result modelled = SourceDetector.detect(frame, w, w, null, SourceDetector.Config.defaults()
                    .withPsfFwhm(band.psfFwhmArcsec() / band.pixelScaleArcsec()));
            assertThat(plain.artefactPixels()).isZero();
            assertThat(modelled.artefactPixels()).isPositive();
            centredPlain += near(plain.detections(), centre[0], centre[1], 1).size();
            List<SourceDetector.Detection> found = near(modelled.detections(), centre[0], centre[1], 1);
            centred += found.size();
            radii += found.stream().filter(d -> Math.abs(d.radius() / truth - 1) <= 0.1).count();
        }
        System.out.printf(Locale.ROOT, "galaxies under cosmic-ray tracks detected within 1 px of their centre: %d of 15 "
                + "(without the PSF: %d), %d of them with the galaxy's Petrosian radius within 10 %%%n", centred,
                centredPlain, radii);
        // 11 and 8 (9 and 4 when the track was found only in objects one model could not describe)
        assertThat(centred).isGreaterThanOrEqualTo(10).isGreaterThan(centredPlain + 6);
        assertThat(radii).isGreaterThanOrEqualTo(7);
    }

    /**
     * A w x w frame of the band holding the given smooth galaxies ({x, y, flux, effective radius, Sersic index, axis
     * ratio, position angle}) and eight isolated ones 25 px inside its edges (corners and mid-sides, which give the
     * frame's typical residual noise), through the band's PSF, with its noise.
     */
    private static float[] observed(Band band, int w, Random rng, double[][] galaxies) {
        float[] px = new float[w * w];
        for (double[] g : galaxies) {
            io.morpho.imaging.GalaxyRenderer.addSersic(px, w, w, g[0], g[1], g[2], g[3], g[4], g[5], g[6], 0, 0, 1);
        }
        double[] at = {25, w / 2.0, w - 25};
        for (double y : at) {
            for (double x : at) {
                if (x != w / 2.0 || y != w / 2.0) {
                    io.morpho.imaging.GalaxyRenderer.addSersic(px, w, w, x + rng.nextDouble(), y + rng.nextDouble(), 20, 3,
                            2.5, 0.8, rng.nextDouble() * Math.PI, 0, 0, 1);
                }
            }
        }
        io.morpho.imaging.GalaxyRenderer.convolveGaussian(px, w, w, band.psfSigmaPixels());
        GalaxySimulator.addNoise(px, band, rng);
        return px;
    }

    /** The default settings with model radii for the band's PSF. */
    private static SourceDetector.Config withPsf(Band band) {
        return SourceDetector.Config.defaults().withPsfFwhm(band.psfFwhmArcsec() / band.pixelScaleArcsec());
    }

    /** A galaxy alone at the centre of a noisy frame, with its light centre and Petrosian radius on the noise-free image. */
    private record Alone(float[] pixels, double[] centre, double truth) {
        boolean radiusWithin10Percent(List<SourceDetector.Detection> found) {
            return near(found, centre[0], centre[1], Math.max(3, truth / 2)).stream()
                    .anyMatch(d -> Math.abs(d.radius() / truth - 1) <= 0.1);
        }
    }

    private static Alone alone(Morphology galaxy, Band band, int size, Random rng) {
        float[] clean = GalaxySimulator.render(galaxy, band, size, size / 2.0, size / 2.0);
        double[] centre = FieldSimulator.lightCentre(clean, size);
        double truth = Petrosian.radiusPixels(clean, size, size, centre[0], centre[1], Petrosian.ETA);
        float[] px = clean.clone();
        GalaxySimulator.addNoise(px, band, rng);
        return new Alone(px, centre, truth);
    }

    private static List<SourceDetector.Detection> near(List<SourceDetector.Detection> detections, double x, double y,
                                                       double radius) {
        return detections.stream().filter(d -> Math.hypot(d.x() - x, d.y() - y) < radius).toList();
    }

    @Test
    void pureNoiseGivesABackgroundAndNoDetections() {
        Random rng = new Random(1);
        int w = 512;
        float[] px = new float[w * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (100 + 0.01 * (i % w) + 5 * rng.nextGaussian());
        }
        Background bg = Background.estimate(px, w, w, null, 64);
        assertThat(bg.level(256, 256)).isCloseTo(102.56f, within(0.3f));
        assertThat(bg.level(32, 256)).isCloseTo(100.32f, within(0.3f));
        assertThat(bg.rms(10, 400)).isCloseTo(5f, within(0.2f));
        assertThat(SourceDetector.detect(px, w, w, null, SourceDetector.Config.defaults()).detections()).isEmpty();
    }

    /**
     * Spheroids alone around S/N 100. A fainter one takes its model's radius; a brighter one, whose direct radius and
     * model's radius both measure it well with errors only partly shared, the geometric mean of the two. On the three
     * benchmark fields that gains 22 of 6,132 galaxies over the direct radius (the spread is too small to show on a
     * hundred galaxies: here all three are within 10 % of the truth for the same ones).
     */
    @Test
    void withThePsfGivenABrightGalaxyAloneTakesTheMeanOfItsDirectAndModelRadius() {
        Band band = Band.clash("F160W");
        Random rng = new Random(5);
        int perSide = 10;
        int cell = 100;
        int w = perSide * cell + 96;
        float[] px = new float[w * w];
        List<double[]> truth = new ArrayList<>();
        for (int i = 0; i < perSide * perSide; i++) {
            Morphology m = GalaxySimulator.draw(rng, Morphology.SPHEROID, 21.9, 22.4);
            double x = 48 + (i % perSide + 0.4 + 0.2 * rng.nextDouble()) * cell;
            double y = 48 + (i / perSide + 0.4 + 0.2 * rng.nextDouble()) * cell;
            int ox = (int) x - 48;
            int oy = (int) y - 48;
            float[] image = GalaxySimulator.render(m, band, 96, x - ox, y - oy);
            for (int j = 0; j < 96; j++) {
                System.arraycopy(image, j * 96, px, (oy + j) * w + ox, 96);
            }
            double[] centre = FieldSimulator.lightCentre(image, 96);
            truth.add(new double[] {ox + centre[0], oy + centre[1],
                    Petrosian.radiusPixels(image, 96, 96, centre[0], centre[1], Petrosian.ETA)});
        }
        GalaxySimulator.addNoise(px, band, rng);
        List<SourceDetector.Detection> found = SourceDetector.detect(px, w, w, null,
                SourceDetector.Config.defaults().withPsfFwhm(band.psfFwhmArcsec() / band.pixelScaleArcsec())).detections();
        int bright = 0;
        int faint = 0;
        int adopted = 0;
        int direct = 0;
        for (double[] t : truth) {
            List<SourceDetector.Detection> near = near(found, t[0], t[1], 3);
            assertThat(near).hasSize(1);
            SourceDetector.Detection d = near.get(0);
            if (Double.isNaN(d.modelRadius())) {
                continue; // its model leaves more than the field's typical residual
            }
            if (d.snr() < SourceDetector.MODEL_SNR) {
                faint++;
                assertThat(d.radius()).isEqualTo(d.modelRadius());
                continue;
            }
            bright++;
            assertThat(d.radius()).isEqualTo(Math.sqrt(d.petrosianRadius() * d.modelRadius()));
            adopted += Math.abs(d.radius() - t[2]) <= 0.1 * t[2] ? 1 : 0;
            direct += Math.abs(d.petrosianRadius() - t[2]) <= 0.1 * t[2] ? 1 : 0;
        }
        System.out.printf("spheroids around S/N 100: %d bright within 10 %%: %d (directly: %d); %d faint%n", bright,
                adopted, direct, faint);
        assertThat(bright).isGreaterThanOrEqualTo(60);
        assertThat(faint).isPositive();
        assertThat(adopted).isGreaterThanOrEqualTo(direct);
    }

    /**
     * Candidates below the S/N cut are high points of the noise, on the sky or on a faint galaxy's outskirts: no
     * objects. Their pixels stay in the galaxy's measurements (left out, they would take the noise's high points out of
     * its profile and bias its radius low), which see the frame as if no other object were on it.
     */
    @Test
    void candidatesBelowTheSnrCutLeaveTheirPixelsToTheGalaxyAroundThem() {
        Band band = Band.clash("F160W");
        int w = 128;
        SourceDetector.Config config = SourceDetector.Config.defaults();
        int rejected = 0;
        for (int seed = 0; seed < 20; seed++) {
            float[] px = new float[w * w];
            io.morpho.imaging.GalaxyRenderer.addSersic(px, w, w, 64.3, 63.6, 5, 4, 4, 0.8, 0.4, 0, 0, 1);
            io.morpho.imaging.GalaxyRenderer.convolveGaussian(px, w, w, band.psfSigmaPixels());
            GalaxySimulator.addNoise(px, band, new Random(seed));
            SourceDetector.Result result = SourceDetector.detect(px, w, w, null, config);
            assertThat(result.detections()).hasSize(1);
            rejected += result.components() - 1;
            SourceDetector.Detection galaxy = result.detections().get(0);
            double[] alone = SourceDetector.petrosian(result.background().subtractFrom(px, null), w, w, null, 0,
                    galaxy.x(), galaxy.y(), (int) Math.ceil(4 * Math.sqrt(galaxy.area() / Math.PI)),
                    config.maxPetrosianBox());
            assertThat(galaxy.petrosianRadius()).as("seed %d", seed).isEqualTo(alone[0]);
            assertThat(galaxy.petrosianFlux()).as("seed %d", seed).isEqualTo(alone[1]);
        }
        assertThat(rejected).as("candidates rejected by the S/N cut").isPositive();
    }

    @Test
    void deblendsTwoTouchingSourcesAndFlagsEdgesAndMasks() {
        int w = 200;
        float[] px = new float[w * w];
        Random rng = new Random(2);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rng.nextGaussian();
        }
        addGaussian(px, w, 80, 100, 3, 400);
        addGaussian(px, w, 95, 100, 3, 250); // 5 sigma apart: one island at the threshold, two peaks
        addGaussian(px, w, 1, 40, 2.5, 300); // on the left edge
        addGaussian(px, w, 150, 150, 2.5, 300); // next to masked pixels
        boolean[] mask = new boolean[w * w];
        for (int y = 140; y < 160; y++) {
            for (int x = 155; x < 175; x++) {
                mask[y * w + x] = true;
            }
        }
        List<SourceDetector.Detection> found = SourceDetector.detect(px, w, w, mask, SourceDetector.Config.defaults())
                .detections();
        assertThat(found).hasSize(4);
        assertThat(found).anySatisfy(d -> {
            assertThat(d.x()).isCloseTo(80, within(1.0));
            assertThat(d.y()).isCloseTo(100, within(0.5));
            assertThat(d.edge() || d.masked()).isFalse();
        });
        assertThat(found).anySatisfy(d -> assertThat(d.x()).isCloseTo(95, within(1.0)));
        assertThat(found).anySatisfy(d -> {
            assertThat(d.y()).isCloseTo(40, within(0.5));
            assertThat(d.edge()).isTrue();
        });
        assertThat(found).anySatisfy(d -> {
            assertThat(d.x()).isCloseTo(150, within(1.0));
            assertThat(d.masked()).isTrue();
        });
    }

    /**
     * The other side of the deblending trade-off: the star-forming clumps of an irregular galaxy (3 to 7, each up to
     * 30 % of its light) sit on its diffuse light and stay part of it, so the galaxy is one detection with its own
     * Petrosian radius. (Counted by their whole flux, as SExtractor does, 10 of these 20 galaxies were shredded.)
     */
    @Test
    void theClumpsOfAnIrregularGalaxyStayPartOfIt() {
        Band band = Band.clash("F160W");
        Random rng = new Random(4);
        int size = 160;
        int whole = 0;
        for (int k = 0; k < 20; k++) {
            Morphology galaxy = GalaxySimulator.draw(rng, Morphology.IRREGULAR, 20.5, 22.5);
            float[] px = GalaxySimulator.render(galaxy, band, size, 80, 80);
            GalaxySimulator.addNoise(px, band, rng);
            whole += SourceDetector.detect(px, size, size, null, SourceDetector.Config.defaults()).detections().size() == 1
                    ? 1 : 0;
        }
        assertThat(whole).isGreaterThanOrEqualTo(18);
    }

    /**
     * Fainter irregulars (22.5-23.5) are shredded more often: their clumps stand above noisier saddles. With the PSF
     * given, the pieces are fitted together; when one of their models is flatter than a galaxy profile (a clump, or
     * the diffuse light between clumps), they are put back together and the galaxy is measured whole. Of these 30,
     * the deblender splits 5; 3 are made whole again, each with its Petrosian radius within 10 % (without the merge:
     * 25 whole, 23 radii within 10 %).
     */
    @Test
    void withThePsfGivenTheClumpsSplitOffAFaintIrregularAreMergedBack() {
        Band band = Band.clash("F160W");
        Random rng = new Random(4);
        int size = 160;
        SourceDetector.Config config = withPsf(band);
        int[] whole = new int[2]; // without, with the PSF given
        int radii = 0;
        for (int k = 0; k < 30; k++) {
            Alone galaxy = alone(GalaxySimulator.draw(rng, Morphology.IRREGULAR, 22.5, 23.5), band, size, rng);
            whole[0] += SourceDetector.detect(galaxy.pixels(), size, size, null, SourceDetector.Config.defaults())
                    .detections().size() == 1 ? 1 : 0;
            List<SourceDetector.Detection> found = SourceDetector.detect(galaxy.pixels(), size, size, null, config).detections();
            whole[1] += found.size() == 1 ? 1 : 0;
            radii += galaxy.radiusWithin10Percent(found) ? 1 : 0;
        }
        assertThat(whole[0]).isEqualTo(25);
        assertThat(whole[1]).isGreaterThanOrEqualTo(28);
        assertThat(radii).isGreaterThanOrEqualTo(26);
    }

    /**
     * A clump far out on an irregular (more than 1.8 effective radii from its centre) is often a component of its own:
     * the diffuse light between them falls below the threshold. With the PSF given, a component alone whose model is
     * a clump and that lies within reach of a brighter object joins it as a deblended clump would. Of these 30 large
     * irregulars, 23 were one detection without that and 27 are with it; 23 have their radii within 10 % (23 before).
     * While candidates below the S/N cut kept their pixels from the galaxies around them, 28 and 24.
     */
    @Test
    void withThePsfGivenAClumpOutsideItsGalaxysOutlineJoinsIt() {
        Band band = Band.clash("F160W");
        int size = 200;
        int[] wholeAndRadii = new int[2];
        Random rng = new Random(4);
        for (int k = 0; k < 30; ) {
            Morphology galaxy = GalaxySimulator.draw(rng, Morphology.IRREGULAR, 21.5, 23);
            if (galaxy.reArcsec() < 0.5 || java.util.Arrays.stream(galaxy.clumps()).noneMatch(c -> Math.hypot(c[0], c[1]) >= 1.8)) {
                continue;
            }
            k++;
            Alone observed = alone(galaxy, band, size, rng);
            List<SourceDetector.Detection> found = SourceDetector.detect(observed.pixels(), size, size, null, withPsf(band))
                    .detections();
            wholeAndRadii[0] += found.size() == 1 ? 1 : 0;
            wholeAndRadii[1] += observed.radiusWithin10Percent(found) ? 1 : 0;
        }
        assertThat(wholeAndRadii[0]).isGreaterThanOrEqualTo(27);
        assertThat(wholeAndRadii[1]).isGreaterThanOrEqualTo(23);
    }

    /**
     * Which deblended siblings are one galaxy: a clump (a model flatter than a galaxy profile) joins a sibling within
     * 2.5 direct radii of the brighter one, and nothing joins when a model is a streak. On the benchmark field a bright
     * spheroid 55-62 px from a pair that fitted flat was merged into it before the reach was checked.
     */
    @Test
    void aClumpIsMergedOnlyWithSiblingsWithinReachAndNeverWithAStreak() {
        SersicFit.Model spheroid = new SersicFit.Model(0, 0, 100, 4, 4, 0.8, 0);
        SersicFit.Model clump = new SersicFit.Model(0, 0, 20, 3, 0.3, 0.6, 0);
        SersicFit.Model disk = new SersicFit.Model(0, 0, 50, 5, 1.2, 0.5, 0);
        SersicFit.Model streak = new SersicFit.Model(0, 0, 50, 20, 0.3, 0.05, 0);
        SourceDetector.Detection[] measured = {detection(50, 50, 100, 8), detection(65, 50, 20, 4),
                detection(105, 50, 50, 10), detection(50, 70, 50, 10)};
        assertThat(SourceDetector.clumpSets(fit(spheroid, clump, disk), List.of(0, 1, 2), measured))
                .containsExactly(List.of(0, 1)); // 15 px from a spheroid of radius 8; the disk is 55 px away
        assertThat(SourceDetector.clumpSets(fit(disk, clump), List.of(2, 1), measured)).isEmpty(); // 40 px > 2.5 x 10
        assertThat(SourceDetector.clumpSets(fit(spheroid, disk), List.of(0, 3), measured)).isEmpty(); // two galaxies
        assertThat(SourceDetector.clumpSets(fit(spheroid, clump, streak), List.of(0, 1, 3), measured)).isEmpty();
    }

    /**
     * Which object a component's lone clump belongs to: the brighter object of another component it lies within
     * reach of (2.5 radii, direct or isophotal, the smaller) and on the light of, the nearer in units of that reach;
     * never one it would hold under 5 % of the light of, never a streak, and not when the clump shares its component.
     */
    @Test
    void aLoneClumpJoinsTheBrighterObjectWithinReachOfAnotherComponent() {
        SersicFit.Model clump = new SersicFit.Model(0, 0, 20, 3, 0.3, 0.6, 0);
        SersicFit.Model irregular = new SersicFit.Model(0, 0, 100, 8, 0.7, 0.7, 0);
        SersicFit.Model streak = new SersicFit.Model(0, 0, 300, 20, 0.3, 0.05, 0);
        SourceDetector.Detection[] measured = {detection(70, 50, 20, 4), detection(50, 50, 100, 12),
                detection(100, 50, 150, 8), detection(70, 70, 300, 30)};
        SersicFit.Model[] models = {clump, irregular, irregular, irregular};
        List<Integer> componentOf = List.of(0, 1, 2, 3);
        java.util.Map<Integer, List<Integer>> groups = java.util.Map.of(0, List.of(0), 1, List.of(1), 2, List.of(2),
                3, List.of(3));
        // 20 px from one of radius 12 (0.67 of its reach), 30 px from one of radius 8 (1.5), 20 px from one of 30 (0.27)
        assertThat(SourceDetector.outlyingClumpOf(0, measured, models, componentOf, groups, b -> true)).isEqualTo(3);
        assertThat(SourceDetector.outlyingClumpOf(0, measured, models, componentOf, groups, b -> b != 3)).isEqualTo(1);
        SourceDetector.Detection[] brightNearest = measured.clone();
        brightNearest[3] = detection(70, 70, 500, 30); // the clump would hold 4 % of its light
        assertThat(SourceDetector.outlyingClumpOf(0, brightNearest, models, componentOf, groups, b -> true)).isEqualTo(1);
        SourceDetector.Detection[] runaway = measured.clone(); // a direct radius of 30 px on 50 pixels (4 px across)
        runaway[3] = SourceDetector.Detection.direct(70, 70, 300, 30, 30, 50, 30, 300, false, false);
        assertThat(SourceDetector.outlyingClumpOf(0, runaway, models, componentOf, groups, b -> true)).isEqualTo(1);
        SersicFit.Model[] streakNearest = {clump, irregular, irregular, streak};
        assertThat(SourceDetector.outlyingClumpOf(0, measured, streakNearest, componentOf, groups, b -> true)).isEqualTo(1);
        SersicFit.Model[] notAClump = {irregular, irregular, irregular, streak};
        assertThat(SourceDetector.outlyingClumpOf(0, measured, notAClump, componentOf, groups, b -> true)).isEqualTo(-1);
        java.util.Map<Integer, List<Integer>> deblended = java.util.Map.of(0, List.of(0, 1), 2, List.of(2), 3, List.of(3));
        assertThat(SourceDetector.outlyingClumpOf(0, measured, streakNearest, List.of(0, 0, 2, 3), deblended, b -> true)).isEqualTo(-1);
    }

    private static SourceDetector.Detection detection(double x, double y, double flux, double petrosianRadius) {
        return SourceDetector.Detection.direct(x, y, flux, flux, flux / 10, (int) Math.round(Math.PI * petrosianRadius
                * petrosianRadius), petrosianRadius, flux, false, false);
    }

    private static SersicFit.Result fit(SersicFit.Model... models) {
        return new SersicFit.Result(models, 1, true, 0.01, new int[0]);
    }

    private static void addGaussian(float[] px, int w, double cx, double cy, double sigma, double peak) {
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] += (float) (peak * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * sigma * sigma)));
            }
        }
    }
}
