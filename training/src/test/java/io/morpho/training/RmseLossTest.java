package io.morpho.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RmseLossTest {
    @Test
    void theScoreIsTheMeanOfPerStampRmsesAndItsStandardErrorTheirSpreadOverRootN() {
        float[][] labels = {{1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}};
        // Per-stamp RMSEs 0, 0.1, 0.2 and 0.3: each stamp misses one class by sqrt(5) x that.
        float[][] predictions = new float[4][];
        for (int i = 0; i < 4; i++) {
            predictions[i] = new float[] {1, (float) (0.1 * i * Math.sqrt(5)), 0, 0, 0};
        }
        assertThat(RmseLoss.rmse(predictions, labels)).isCloseTo(0.15, within(1e-6));
        // Sample standard deviation of 0, 0.1, 0.2, 0.3 is 0.1291; over sqrt(4).
        assertThat(RmseLoss.standardError(predictions, labels)).isCloseTo(0.0645497, within(1e-6));
        assertThat(RmseLoss.standardError(labels, labels)).isZero();
    }
}
