package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PetrosianTest {
    /** An exponential disk of scale length h (half-light radius 1.678 h) has its Petrosian radius (eta = 0.2) at 2.16 half-light radii. */
    static float[] exponential(int n, double c, double h) {
        float[] img = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                img[y * n + x] = (float) (1000 * Math.exp(-Math.hypot(x - c, y - c) / h));
            }
        }
        return img;
    }

    @Test
    void noiseFreeAndNoisyMeasurementsAgreeOnAnExponentialDisk() {
        int n = 121;
        float[] img = exponential(n, 60, 5);
        double clean = Petrosian.radiusPixels(img, n, n, 60, 60, Petrosian.ETA);
        double interpolated = Petrosian.radiusPixelsNoisy(img, n, n, 60, 60, Petrosian.ETA, 0);
        assertThat(clean).isCloseTo(2.16 * 1.678 * 5, within(0.4));
        assertThat(interpolated).isCloseTo(clean, within(0.25));
        Random rng = new Random(4);
        float[] noisy = img.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (2 * rng.nextGaussian());
        }
        assertThat(Petrosian.radiusPixelsNoisy(noisy, n, n, 60, 60, Petrosian.ETA, 1.0)).isCloseTo(clean, within(0.05 * clean));
        assertThat(Petrosian.radiusPixels(new float[100], 10, 10, 5, 5, Petrosian.ETA)).isNaN();
    }
}
