package io.morpho.imaging.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import io.morpho.imaging.GalaxyRenderer;
import org.junit.jupiter.api.Test;

class SharpPixelsTest {
    private static final int W = 96;
    private static final double PSF_SIGMA = 1.18; // the CLASH-like F160W PSF, 2.77 px FWHM

    /** Stars and galaxies, however bright and wherever their centre falls in a pixel, are blurred by the PSF. */
    @Test
    void lightThroughThePsfIsNeverSharp() {
        Random rng = new Random(3);
        for (int t = 0; t < 40; t++) {
            float[] image = new float[W * W];
            double flux = Math.pow(10, 1 + 4 * rng.nextDouble()); // peaks of 2 to 20,000 sky sigmas
            GalaxyRenderer.addGaussian(image, W, W, 30 + rng.nextDouble(), 30 + rng.nextDouble(), flux, 0.3);
            GalaxyRenderer.addSersic(image, W, W, 66 + rng.nextDouble(), 62 + rng.nextDouble(), flux, 2 + 4 * rng.nextDouble(),
                    4, 0.5 + 0.5 * rng.nextDouble(), rng.nextDouble() * Math.PI, 0, 0, 1);
            GalaxyRenderer.convolveGaussian(image, W, W, PSF_SIGMA);
            addNoise(image, rng);
            assertThat(SharpPixels.find(image, noise(), W, W, PSF_SIGMA, 0.01)).isEmpty();
        }
    }

    /**
     * An unblurred track across a galaxy (a cosmic ray, a satellite) is found where it outshines the galaxy; nothing
     * of the galaxy is.
     */
    @Test
    void aTrackAcrossAGalaxyIsFoundAndTheGalaxyIsNot() {
        Random rng = new Random(4);
        float[] image = new float[W * W];
        GalaxyRenderer.addSersic(image, W, W, 48.3, 47.6, 1000, 5, 1, 0.7, 0.4, 0, 0, 1);
        GalaxyRenderer.convolveGaussian(image, W, W, PSF_SIGMA);
        float[] galaxy = image.clone();
        float[] track = new float[W * W];
        for (int s = 0; s < 120; s++) { // 60 px long at 35 degrees, through the galaxy's centre
            double t = s / 2.0 - 30;
            track[(int) Math.round(48 + t * Math.sin(0.61)) * W + (int) Math.round(48 + t * Math.cos(0.61))] += 20;
        }
        int outshines = 0;
        for (int i = 0; i < image.length; i++) {
            image[i] += track[i];
            outshines += track[i] > 1.5 * galaxy[i] ? 1 : 0;
        }
        addNoise(image, rng);
        int[] found = SharpPixels.find(image, noise(), W, W, PSF_SIGMA, 0.01);
        assertThat(Arrays.stream(found).filter(i -> track[i] > 0).count()).isEqualTo(found.length);
        assertThat(Arrays.stream(found).filter(i -> track[i] > 1.5 * galaxy[i]).count()).isGreaterThanOrEqualTo(outshines * 9L / 10);
        assertThat(outshines).isGreaterThan(40);
        for (int i : found) { // each replaced by what its neighbours show: the galaxy, give or take its noise
            assertThat((double) image[i]).isCloseTo(galaxy[i], within(5 + 0.3 * galaxy[i]));
        }
    }

    /**
     * A PSF given too wide: the bound is taken for one 1.5 times sharper, so that stars of a FWHM of 2.8 pixels in a
     * frame said to have 4 are no artefacts. (Stars of 2 pixels there would be: their peaks and their sides, across,
     * curve as much as a track of light 1.5 times wider than they are allows.)
     */
    @Test
    void starsSharperThanThePsfGivenAreNotArtefacts() {
        Random rng = new Random(5);
        float[] image = new float[W * W];
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 4; i++) {
                GalaxyRenderer.addGaussian(image, W, W, 12 + 22 * i + rng.nextDouble(), 12 + 22 * j + rng.nextDouble(),
                        Math.pow(10, 2 + 3 * rng.nextDouble()), 0.3);
            }
        }
        GalaxyRenderer.convolveGaussian(image, W, W, 2.7 / 2.3548);
        addNoise(image, rng);
        float[] hit = image.clone();
        hit[50 * W + 40] += 200;
        assertThat(SharpPixels.find(image, noise(), W, W, 4 / 2.3548, 0.01)).isEmpty();
        assertThat(SharpPixels.find(hit, noise(), W, W, 4 / 2.3548, 0.01)).containsExactly(50 * W + 40);
    }

    /** With a PSF under a pixel, real sources are as sharp as artefacts: nothing is called an artefact. */
    @Test
    void anUndersampledPsfFindsNothing() {
        float[] image = new float[W * W];
        image[40 * W + 40] = 1000;
        assertThat(SharpPixels.find(image, noise(), W, W, 0.2, 0)).isEmpty();
        assertThat(SharpPixels.find(image.clone(), noise(), W, W, PSF_SIGMA, 0)).containsExactly(40 * W + 40);
    }

    private static float[] noise() {
        float[] rms = new float[W * W];
        Arrays.fill(rms, 1f);
        return rms;
    }

    /** Unit sky noise plus photon noise of 0.01 per unit of light, as the simulator's frames have. */
    private static void addNoise(float[] image, Random rng) {
        for (int i = 0; i < image.length; i++) {
            image[i] += (float) (rng.nextGaussian() * Math.sqrt(1 + 0.01 * Math.max(0, image[i])));
        }
    }
}
