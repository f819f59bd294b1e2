package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import io.morpho.imaging.sim.GalaxySimulator;
import io.morpho.imaging.sim.Morphology;
import io.morpho.imaging.sim.StampSimulator;
import io.morpho.imaging.wcs.TanWcs;

class SimulatorTest {
    /** Petrosian ratio of a circular exponential profile, integrated in 1-D: an independent reference. */
    private static double exponentialPetrosianRadius(double scaleLength) {
        for (double r = 0.5; r < 50 * scaleLength; r += 0.001) {
            double inner = 0.8 * r;
            double outer = 1.25 * r;
            double annulusSb = (enclosed(outer, scaleLength) - enclosed(inner, scaleLength)) / (Math.PI * (outer * outer - inner * inner));
            double meanSb = enclosed(r, scaleLength) / (Math.PI * r * r);
            if (annulusSb / meanSb < 0.2) {
                return r;
            }
        }
        throw new AssertionError();
    }

    private static double enclosed(double r, double h) { // flux of exp(-r/h) inside r, 2*pi normalisation
        return 2 * Math.PI * h * h * (1 - Math.exp(-r / h) * (1 + r / h));
    }

    @Test
    void petrosianRadiusOfAnExponentialDiskMatchesTheAnalyticValue() {
        int size = 201;
        float[] canvas = new float[size * size];
        double re = 10;
        GalaxyRenderer.addSersic(canvas, size, size, 100, 100, 1000, re, 1, 1, 0, 0, 0, 1);
        double h = re / 1.678; // exponential scale length from the Sersic b_1
        double expected = exponentialPetrosianRadius(h);
        assertThat(Petrosian.radiusPixels(canvas, size, size, 100, 100, 0.2)).isCloseTo(expected, within(0.03 * expected));
    }

    @Test
    void stampsHaveSidesOfFourPetrosianRadiiAndVoteFractionsSummingToOne() {
        Random rng = new Random(7);
        for (int cls = 0; cls < Morphology.CLASSES; cls++) {
            for (int i = 0; i < 5; i++) {
                StampSimulator.LabelledStamp s = StampSimulator.sample(rng, Band.f160w(), cls, 20, 24);
                assertThat(s.pixels()).hasSize(s.side() * s.side());
                assertThat(s.side()).isBetween(16, 96);
                double sum = 0;
                for (float f : s.voteFractions()) {
                    sum += f;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-6));
            }
        }
    }

    @Test
    void brightSourcesGetMostVotesForTheirTrueClass() {
        Random rng = new Random(11);
        int agree = 0;
        int n = 200;
        for (int i = 0; i < n; i++) {
            int cls = i % 4;
            StampSimulator.LabelledStamp s = StampSimulator.sample(rng, Band.f160w(), cls, 19, 20);
            if (s.voteFractions()[cls] >= 0.5) {
                agree++;
            }
        }
        assertThat(agree).isGreaterThan(n * 7 / 10);
    }

    /** A blend's two galaxies, rendered alone, add up to its image; a streak's pixels are in no galaxy's image. */
    @Test
    void theGalaxiesOfAnObjectAreItsImageWithoutArtefacts() {
        Band band = Band.clash("F160W");
        Random rng = new Random(8);
        int blends = 0;
        int streaks = 0;
        while (blends < 3 || streaks < 3) {
            Morphology m = GalaxySimulator.draw(rng, Morphology.UNCLASSIFIABLE, 21, 22);
            float[] image = GalaxySimulator.render(m, band, 96, 48, 48);
            List<float[]> galaxies = GalaxySimulator.renderGalaxies(m, band, 96, 48, 48);
            double imageSum = 0;
            double worst = 0;
            int differing = 0; // pixels where the image holds light that no galaxy does
            for (int i = 0; i < image.length; i++) {
                double sum = 0;
                for (float[] g : galaxies) {
                    sum += g[i];
                }
                imageSum += image[i];
                worst = Math.max(worst, Math.abs(sum - image[i]));
                differing += image[i] - sum > 1e-4 * image[i] + 1e-9 ? 1 : 0;
            }
            if (m.companion() != null) {
                blends++;
                assertThat(galaxies).hasSize(2);
                assertThat(worst).isLessThan(1e-5 * imageSum);
            } else {
                streaks++;
                assertThat(galaxies).hasSize(1);
                double length = m.streak()[1] * m.reArcsec() / band.pixelScaleArcsec();
                assertThat(differing).as("only the streak's pixels").isPositive().isLessThanOrEqualTo((int) (2 * length) + 2);
            }
        }
    }

    @Test
    void aFieldGalaxysMagnitudeIsItsOwnLightInTheBand(@TempDir Path dir) {
        Band band = Band.clash("F160W");
        FieldSimulator.Field field = FieldSimulator.write(dir, "m", 5, 400, 2048, 53.1, -27.8, List.of(band));
        Map<String, List<FieldSimulator.GalaxyTruth>> byId = field.galaxies().get("F160W").stream()
                .collect(Collectors.groupingBy(FieldSimulator.GalaxyTruth::id));
        int streaks = 0;
        double clumps = 2.5 * Math.log10(1.6) + 0.01; // an irregular's clumps may add up to 0.6 of its light
        for (FieldSimulator.TruthRow row : field.truth()) {
            List<FieldSimulator.GalaxyTruth> galaxies = byId.get(row.id());
            double own = galaxies.get(0).magnitude() - row.magnitude();
            switch (row.trueClass()) {
                // the band's colour terms: spheroids are red, point sources and disks as drawn
                case Morphology.SPHEROID -> assertThat(own).isCloseTo(-2.5 * Math.log10(1.3), within(0.01));
                case Morphology.DISK, Morphology.POINT_SOURCE -> assertThat(own).isCloseTo(0, within(0.01));
                case Morphology.UNCLASSIFIABLE -> {
                    if (galaxies.size() == 1) { // under a streak holding 50-80 % of the object's light
                        streaks++;
                        assertThat(own).isBetween(0.75 - clumps, 1.75 + 0.01);
                    } else { // a blend: the object's magnitude is its first galaxy's, the companion fainter
                        assertThat(own).isBetween(-clumps, 0.01);
                        assertThat(galaxies.get(1).magnitude() - row.magnitude()).isBetween(0.0, 0.75 + 0.01);
                    }
                }
                default -> assertThat(own).as("an irregular: blue").isBetween(2.5 * Math.log10(1 / 0.8) - clumps, 0.25);
            }
        }
        assertThat(streaks).isPositive();
    }

    @Test
    void fieldFramesCarryTheirWcsAndCatalogs(@TempDir Path dir) throws Exception {
        FieldSimulator.Field field = FieldSimulator.write(dir, "t", 3, 9, 400, 53.1, -27.8,
                List.of(Band.f606w(), Band.f160w()));
        assertThat(field.frames()).hasSize(2);
        assertThat(field.galaxies().get("F160W")).hasSizeGreaterThanOrEqualTo(9)
                .allSatisfy(g -> assertThat(g.petrosianRadius()).isBetween(1.0, 30.0));
        assertThat(Files.readAllLines(dir.resolve("t_F160W.csv"))).hasSize(10).first().isEqualTo("id,ra,dec,petrosian_radius_arcsec");
        FitsFrame frame = FitsReader.readFirstImage(dir.resolve("t_F160W.fits"));
        assertThat(frame.header().getStringValue("FILTER")).isEqualTo("F160W");
        TanWcs wcs = TanWcs.fromHeader(frame.header());
        assertThat(wcs.pixelScaleArcsec()).isCloseTo(0.06, within(1e-9));
        // Each catalog position of a classifiable object sits on light: the central 7x7 sum is five sigma above the sky.
        for (FieldSimulator.TruthRow row : field.truth()) {
            if (row.trueClass() == Morphology.UNCLASSIFIABLE) {
                continue; // a blend's or an artefact's light need not sit on the catalog position
            }
            double[] xy = wcs.skyToPixel(row.ra(), row.dec());
            double sum = 0;
            for (int dy = -3; dy <= 3; dy++) {
                for (int dx = -3; dx <= 3; dx++) {
                    sum += frame.at((int) Math.round(xy[0]) + dx, (int) Math.round(xy[1]) + dy);
                }
            }
            assertThat(sum).as("light at %s", row.id()).isGreaterThan(5 * 7 * Band.f160w().skySigma());
        }
    }

    /**
     * Drawn apart, a field keeps its galaxies and its noise: the galaxies of the two frames are the field's, the
     * companions' frame holds one galaxy per blend, and the own galaxies' frame is the field's pixel for pixel except
     * around the blends and artefacts.
     */
    @Test
    void aFieldDrawnApartKeepsItsGalaxiesAndItsNoise(@TempDir Path dir) {
        Band band = Band.clash("F160W");
        int size = 1600;
        FieldSimulator.Field field = FieldSimulator.write(dir.resolve("field"), "a", 5, 300, size, 53.1, -27.8, List.of(band));
        FieldSimulator.Apart apart = FieldSimulator.writeApart(dir.resolve("apart"), "a", 5, 300, size, 53.1, -27.8, band);
        List<FieldSimulator.GalaxyTruth> galaxies = field.galaxies().get("F160W");
        assertThat(apart.galaxies().size() + apart.companions().size()).isEqualTo(galaxies.size());
        assertThat(galaxies).containsAll(apart.galaxies()).containsAll(apart.companions());
        Map<String, Long> perObject = galaxies.stream()
                .collect(Collectors.groupingBy(FieldSimulator.GalaxyTruth::id, Collectors.counting()));
        assertThat(apart.companions()).isNotEmpty()
                .allSatisfy(c -> assertThat(perObject.get(c.id())).as("galaxies of %s", c.id()).isEqualTo(2));

        FitsFrame whole = FitsReader.readFirstImage(field.frames().get(0));
        FitsFrame own = FitsReader.readFirstImage(apart.galaxiesFrame());
        TanWcs wcs = TanWcs.fromHeader(whole.header());
        List<double[]> drawnOtherwise = field.truth().stream().filter(r -> r.trueClass() == Morphology.UNCLASSIFIABLE)
                .map(r -> wcs.skyToPixel(r.ra(), r.dec())).toList();
        int differ = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (whole.at(x, y) != own.at(x, y)) {
                    differ++;
                    int px = x;
                    int py = y;
                    // within the 96-pixel canvas of a blend or an artefact
                    assertThat(drawnOtherwise).as("pixel (%d, %d)", x, y)
                            .anyMatch(c -> Math.abs(c[0] - px) <= 49 && Math.abs(c[1] - py) <= 49);
                }
            }
        }
        assertThat(differ).isPositive();
    }
}
