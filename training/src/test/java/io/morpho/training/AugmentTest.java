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
}
