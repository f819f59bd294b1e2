package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AugmentTest {
    @Test
    void producesAllEightSymmetriesAndKeepsThePixels() {
        float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Set<List<Float>> seen = new HashSet<>();
        Random rng = new Random(1);
        for (int i = 0; i < 200; i++) {
            float[] out = Augment.randomDihedral(image, 3, rng);
            assertThat(out[4]).isEqualTo(5f); // the centre stays
            float[] sorted = out.clone();
            java.util.Arrays.sort(sorted);
            assertThat(sorted).containsExactly(image);
            List<Float> key = new java.util.ArrayList<>();
            for (float v : out) {
                key.add(v);
            }
            seen.add(key);
        }
        assertThat(seen).hasSize(8);
    }

    @Test
    void rotationShiftAndFlipMoveABlobWhereGeometrySays() {
        int s = 41;
        float[] image = new float[s * s];
        image[20 * s + 30] = 1; // a point 10 pixels right of the centre
        // 90 degrees counter-clockwise in image coordinates (y down) takes (+10, 0) to (0, +10), i.e. below centre.
        float[] rotated = Augment.transform(image, s, Math.PI / 2, false, 0, 0);
        assertThat(rotated[30 * s + 20]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        float[] shifted = Augment.transform(image, s, 0, false, 2, -3);
        assertThat(shifted[17 * s + 32]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        float[] flipped = Augment.transform(image, s, 0, true, 0, 0);
        assertThat(flipped[20 * s + 10]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        // A smooth image keeps its total light under an arbitrary rotation (interpolation, no loss at the centre).
        float[] disk = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                disk[y * s + x] = (float) Math.exp(-((x - 20) * (x - 20) + (y - 20) * (y - 20)) / 18.0);
            }
        }
        float[] turned = Augment.transform(disk, s, 0.7, false, 0, 0);
        double a = 0;
        double b = 0;
        for (int i = 0; i < disk.length; i++) {
            a += disk[i];
            b += turned[i];
        }
        assertThat(b).isCloseTo(a, org.assertj.core.data.Offset.offset(0.01 * a));
    }

    @Test
    void paperModeShiftsAtMostFivePercent() {
        int s = 80;
        float[] image = new float[s * s];
        image[40 * s + 40] = 1;
        Random rng = new Random(3);
        for (int i = 0; i < 50; i++) {
            float[] out = Augment.randomRotateFlipShift(image, s, rng);
            int best = 0;
            for (int p = 0; p < out.length; p++) {
                if (out[p] > out[best]) {
                    best = p;
                }
            }
            assertThat(Math.hypot(best % s - 39.5, best / s - 39.5)).isLessThan(0.05 * s * Math.sqrt(2) + 1.5);
        }
    }

    /**
     * Why the shipped model is fine-tuned with exact symmetries: an off-axis bilinear rotation averages neighbouring
     * pixels, so pure noise comes out with about two thirds of its spread, and a stamp looks less noisy (brighter
     * relative to its noise) than any stamp the model will be served, while its labels stay those of the noisier view.
     */
    @Test
    void interpolatingRotationsSmoothTheNoiseAndExactOnesDoNot() {
        int s = 64;
        Random rng = new Random(5);
        float[] noise = new float[s * s];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        double original = centralSpread(noise, s);
        assertThat(centralSpread(Augment.transform(noise, s, Math.toRadians(45), false, 0, 0), s) / original)
                .isBetween(0.55, 0.8);
        assertThat(centralSpread(Augment.transform(noise, s, Math.toRadians(90), false, 0.5, 0.5), s) / original)
                .isBetween(0.4, 0.6);
        for (int i = 0; i < 8; i++) {
            assertThat(centralSpread(Augment.randomDihedral(noise, s, rng), s))
                    .isCloseTo(original, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(Augment.Mode.byName("Dihedral")).isEqualTo(Augment.Mode.DIHEDRAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Augment.Mode.byName("mirror"))
                .hasMessageContaining("known: paper, dihedral");
    }

    /** Standard deviation over the central half of the stamp (away from the clamped corners). */
    private static double centralSpread(float[] image, int s) {
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (int y = s / 4; y < 3 * s / 4; y++) {
            for (int x = s / 4; x < 3 * s / 4; x++) {
                sum += image[y * s + x];
                sum2 += (double) image[y * s + x] * image[y * s + x];
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(sum2 / n - mean * mean);
    }
}
