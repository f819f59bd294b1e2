package io.morpho.imaging.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.morpho.imaging.Petrosian;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.GalaxySimulator;
import io.morpho.imaging.sim.Morphology;

class SersicFitTest {
    private static final Band BAND = Band.clash("F160W");
    private static final int SIZE = 96;

    @Test
    void aModelWithAGalaxysParametersHasItsPetrosianRadius() {
        Random rng = new Random(3);
        for (int t = 0; t < 10; t++) {
            Morphology m = GalaxySimulator.draw(rng, Morphology.SPHEROID, 20.5, 23.5);
            double c = 47 + rng.nextDouble();
            float[] image = GalaxySimulator.render(m, BAND, SIZE, c, c);
            double truth = Petrosian.radiusPixels(image, SIZE, SIZE, c, c, Petrosian.ETA);
            SersicFit.Model model = new SersicFit.Model(c, c, 1, m.reArcsec() / BAND.pixelScaleArcsec(), m.sersicN(),
                    m.axisRatio(), m.positionAngle());
            assertThat(SersicFit.petrosianRadius(model, BAND.psfSigmaPixels())).isEqualTo(truth);
        }
    }

    /** The fitter's faster renderer draws what the simulator's does, to rounding. */
    @Test
    void theFittersRendererDrawsWhatTheSimulatorsDoes() {
        int size = 65;
        for (double[] shape : new double[][] {{2, 4, 0.7}, {5, 1, 0.4}, {1.2, 6, 1.0}}) {
            float[] full = new float[size * size];
            float[] fast = new float[size * size];
            io.morpho.imaging.GalaxyRenderer.addSersic(full, size, size, 32.3, 31.8, 1000, shape[0], shape[1], shape[2],
                    0.6, 0, 0, 1);
            io.morpho.imaging.GalaxyRenderer.addSmoothSersic(fast, size, size, 32.3, 31.8, 1000, shape[0], shape[1],
                    shape[2], 0.6);
            for (int i = 0; i < full.length; i++) {
                assertThat((double) fast[i]).as("pixel %d of %s", i, Arrays.toString(shape))
                        .isCloseTo(full[i], org.assertj.core.data.Percentage.withPercentage(1e-4));
            }
        }
    }

    @Test
    void aNoiseFreeSpheroidIsFittedExactly() {
        Random rng = new Random(4);
        Morphology m = GalaxySimulator.draw(rng, Morphology.SPHEROID, 21, 21.5);
        double c = 47.3;
        float[] image = GalaxySimulator.render(m, BAND, SIZE, c, c);
        float[] rms = new float[image.length];
        Arrays.fill(rms, (float) BAND.skySigma());
        double re = m.reArcsec() / BAND.pixelScaleArcsec();
        SersicFit.Result fit = SersicFit.fit(image, rms, SIZE, SIZE, null, new int[] {1},
                new SersicFit.Model[] {SersicFit.guess(image, SIZE, SIZE, null, 0, c + 0.4, c - 0.3, 2 * re, 10)},
                c, c, 40, BAND.psfSigmaPixels());
        SersicFit.Model got = fit.models()[0];
        assertThat(fit.converged()).isTrue();
        assertThat(got.x()).isCloseTo(c, org.assertj.core.api.Assertions.within(0.02));
        assertThat(got.re() / re).isCloseTo(1, org.assertj.core.api.Assertions.within(0.03));
        assertThat(got.n() / m.sersicN()).isCloseTo(1, org.assertj.core.api.Assertions.within(0.03));
        assertThat(got.q()).isCloseTo(m.axisRatio(), org.assertj.core.api.Assertions.within(0.02));
    }

    /**
     * Faint spheroids, where the direct Petrosian measurement is at the mercy of the sky noise in one annulus: the
     * model's radius is within 10 % of the truth more often (measured: 127 of 150 against 114 with seed 3).
     */
    @Test
    void theModelRadiusOfFaintSpheroidsBeatsTheDirectOne() {
        Random rng = new Random(3);
        int model = 0;
        int direct = 0;
        int n = 60;
        for (int t = 0; t < n; t++) {
            Morphology m = GalaxySimulator.draw(rng, Morphology.SPHEROID, 22.5, 23.5);
            double c = 47.3;
            float[] image = GalaxySimulator.render(m, BAND, SIZE, c, c);
            double truth = Petrosian.radiusPixels(image, SIZE, SIZE, c, c, Petrosian.ETA);
            GalaxySimulator.addNoise(image, BAND, rng);
            float[] rms = new float[image.length];
            Arrays.fill(rms, (float) BAND.skySigma());
            double measured = Petrosian.radiusPixelsNoisy(image, SIZE, SIZE, c, c, Petrosian.ETA, 1.0);
            int half = (int) Math.ceil(Math.min(46, Math.max(8, SersicFit.BOX_RADII * measured)));
            SersicFit.Result fit = SersicFit.fit(image, rms, SIZE, SIZE, null, new int[] {1},
                    new SersicFit.Model[] {SersicFit.guess(image, SIZE, SIZE, null, 0, c, c, measured,
                            GalaxySimulator.flux(m, BAND))}, c, c, half, BAND.psfSigmaPixels());
            double fitted = SersicFit.petrosianRadius(fit.models()[0], BAND.psfSigmaPixels());
            model += Math.abs(fitted / truth - 1) <= 0.1 ? 1 : 0;
            direct += Math.abs(measured / truth - 1) <= 0.1 ? 1 : 0;
        }
        System.out.printf("faint spheroids within 10 %%: model %d / %d, direct %d / %d%n", model, n, direct, n);
        assertThat(model).isGreaterThan(direct).isGreaterThanOrEqualTo((int) (0.8 * n));
    }

    /**
     * Two smooth galaxies that overlap so much that the detection threshold sees one object: one model leaves
     * structured residuals, two explain the light, and their centres land on the galaxies'.
     */
    @Test
    void anOverlappingPairIsFittedAsTwo() {
        double psf = BAND.psfSigmaPixels();
        float[] image = new float[SIZE * SIZE];
        io.morpho.imaging.GalaxyRenderer.addSersic(image, SIZE, SIZE, 44.3, 47.6, 40, 4, 1.5, 0.8, 0.3, 0, 0, 1);
        io.morpho.imaging.GalaxyRenderer.addSersic(image, SIZE, SIZE, 52.1, 49.2, 25, 3, 1.5, 0.7, 1.2, 0, 0, 1);
        float[] rms = observe(image);
        SersicFit.Model start = SersicFit.guess(image, SIZE, SIZE, null, 0, 47.5, 48.2, 12, 60);
        SersicFit.Result one = SersicFit.fit(image, rms, SIZE, SIZE, null, new int[] {1}, new SersicFit.Model[] {start},
                47.5, 48.2, 30, psf);
        SersicFit.Result fit = SersicFit.fitOneOrTwo(image, rms, SIZE, SIZE, null, 1, one, 47.5, 48.2, 30, psf,
                1.25 * 0.01, 0.3);
        assertThat(one.varianceGrowth()).isGreaterThan(1.25 * 0.01);
        assertModelsOn(fit, 44.3, 47.6, 52.1, 49.2);
    }

    /**
     * A bright pair whose main galaxy has spiral arms: two Sersic models cannot describe the arms, and at this
     * brightness what they leave exceeds the limit a smooth pair is held to; they still remove nearly all that one
     * model left, so the pair is split, each model on its galaxy.
     */
    @Test
    void aBrightPairIsSplitThoughTwoModelsMissItsArms() {
        double psf = BAND.psfSigmaPixels();
        float[] image = new float[SIZE * SIZE];
        io.morpho.imaging.GalaxyRenderer.addSersic(image, SIZE, SIZE, 43.0, 46.0, 300, 5, 1.0, 0.6, 0.3, 2, 0.4, 0.4);
        io.morpho.imaging.GalaxyRenderer.addSersic(image, SIZE, SIZE, 51.5, 50.5, 240, 4, 1.0, 0.7, 1.2, 0, 0, 1);
        float[] rms = observe(image);
        double limit = 0.012;
        SersicFit.Result one = SersicFit.fit(image, rms, SIZE, SIZE, null, new int[] {1},
                new SersicFit.Model[] {SersicFit.guess(image, SIZE, SIZE, null, 0, 47, 48, 12, 600)}, 47, 48, 30, psf);
        SersicFit.Result fit = SersicFit.fitOneOrTwo(image, rms, SIZE, SIZE, null, 1, one, 47, 48, 30, psf, limit, 0.3);
        assertModelsOn(fit, 43.0, 46.0, 51.5, 50.5);
        assertThat(fit.varianceGrowth()).isGreaterThan(limit).isLessThan(0.2 * one.varianceGrowth());
    }

    /** Blurs a noise-free image by the band's PSF and adds its noise, in place; returns the per-pixel noise map. */
    private static float[] observe(float[] image) {
        io.morpho.imaging.GalaxyRenderer.convolveGaussian(image, SIZE, SIZE, BAND.psfSigmaPixels());
        GalaxySimulator.addNoise(image, BAND, new Random(5));
        float[] rms = new float[image.length];
        Arrays.fill(rms, (float) BAND.skySigma());
        return rms;
    }

    /** The fit is two models, the brighter within half a pixel of the first position, the fainter of the second. */
    private static void assertModelsOn(SersicFit.Result fit, double brightX, double brightY, double faintX,
                                       double faintY) {
        assertThat(fit.models()).hasSize(2);
        SersicFit.Model bright = fit.models()[0].flux() > fit.models()[1].flux() ? fit.models()[0] : fit.models()[1];
        SersicFit.Model faint = bright == fit.models()[0] ? fit.models()[1] : fit.models()[0];
        assertThat(Math.hypot(bright.x() - brightX, bright.y() - brightY)).isLessThan(0.5);
        assertThat(Math.hypot(faint.x() - faintX, faint.y() - faintY)).isLessThan(0.5);
    }

    /** Bright irregulars, whose clumps one model misses, are not taken for pairs: two models of clumps come out flat. */
    @Test
    void brightIrregularsStayOne() {
        Random rng = new Random(11);
        double psf = BAND.psfSigmaPixels();
        for (int t = 0; t < 12; t++) {
            Morphology m = GalaxySimulator.draw(rng, Morphology.IRREGULAR, 20.5, 22.5);
            float[] image = GalaxySimulator.render(m, BAND, SIZE, 47.3, 47.6);
            GalaxySimulator.addNoise(image, BAND, rng);
            float[] rms = new float[image.length];
            Arrays.fill(rms, (float) BAND.skySigma());
            double r = Petrosian.radiusPixelsNoisy(image, SIZE, SIZE, 47.3, 47.6, Petrosian.ETA, 1.0);
            int half = (int) Math.min(46, Math.max(8, SersicFit.BOX_RADII * r));
            SersicFit.Result one = SersicFit.fit(image, rms, SIZE, SIZE, null, new int[] {1},
                    new SersicFit.Model[] {SersicFit.guess(image, SIZE, SIZE, null, 0, 47.3, 47.6, r, 10)}, 47.3, 47.6,
                    half, psf);
            SersicFit.Result fit = SersicFit.fitOneOrTwo(image, rms, SIZE, SIZE, null, 1, one, 47.3, 47.6, half, psf,
                    0.012, 0.3);
            assertThat(fit.models()).as("irregular %d", t).hasSize(1);
        }
    }

    /** One smooth galaxy stays one model. */
    @Test
    void aSmoothGalaxyStaysOne() {
        Random rng = new Random(6);
        Morphology m = GalaxySimulator.draw(rng, Morphology.SPHEROID, 21, 21.5);
        float[] image = GalaxySimulator.render(m, BAND, SIZE, 47.3, 47.6);
        GalaxySimulator.addNoise(image, BAND, rng);
        float[] rms = new float[image.length];
        Arrays.fill(rms, (float) BAND.skySigma());
        double r = Petrosian.radiusPixelsNoisy(image, SIZE, SIZE, 47.3, 47.6, Petrosian.ETA, 1.0);
        int half = (int) (2.5 * r);
        SersicFit.Result one = SersicFit.fit(image, rms, SIZE, SIZE, null, new int[] {1},
                new SersicFit.Model[] {SersicFit.guess(image, SIZE, SIZE, null, 0, 47.3, 47.6, r, 10)}, 47.3, 47.6,
                half, BAND.psfSigmaPixels());
        SersicFit.Result fit = SersicFit.fitOneOrTwo(image, rms, SIZE, SIZE, null, 1, one, 47.3, 47.6, half,
                BAND.psfSigmaPixels(), 1.25 * 0.01, 0.3);
        assertThat(fit.models()).hasSize(1);
    }
}
