package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.imaging.stamp.StampCutter;

class StampAndPreprocessingTest {
    private static FitsFrame ramp(int w, int h) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        return new FitsFrame(w, h, p, null, "[0]");
    }

    @Test
    void stampInsideTheFrameCopiesPixelsCentredWithinHalfAPixel() {
        // Side 4 around (10.3, 5.3): origin (9, 4), geometric centre (10.5, 5.5), 0.2 px from the source.
        Stamp s = StampCutter.cut(ramp(20, 10), 10.3, 5.3, 4);
        assertThat(s.touchesEdge()).isFalse();
        assertThat(s.pixels()[0]).isEqualTo(4 * 20 + 9);
        assertThat(s.pixels()[15]).isEqualTo(7 * 20 + 12);
        // Odd side 5 around (10.3, 5.3): centre pixel (10, 5).
        assertThat(StampCutter.cut(ramp(20, 10), 10.3, 5.3, 5).pixels()[12]).isEqualTo(5 * 20 + 10);
    }

    @Test
    void stampLeavingTheFrameIsNaNPaddedAndFlagged() {
        Stamp s = StampCutter.cut(ramp(20, 10), 0, 0, 6);
        assertThat(s.touchesEdge()).isTrue();
        assertThat(s.pixels()[0]).isNaN();
        assertThat(s.pixels()[2 * 6 + 2]).isEqualTo(0f); // origin round(0 - 2.5) = -2
    }

    @Test
    void sideIsFourPetrosianRadiiBounded() {
        assertThat(StampCutter.sideFor(0.6, 0.06, 16, 256)).isEqualTo(40);
        assertThat(StampCutter.sideFor(0.01, 0.06, 16, 256)).isEqualTo(16);
        assertThat(StampCutter.sideFor(100, 0.06, 16, 256)).isEqualTo(256);
    }

    @Test
    void eventBytesRoundTrip() {
        Stamp s = StampCutter.cut(ramp(20, 10), 0, 0, 6);
        ByteBuffer bytes = s.toLittleEndianBytes();
        Stamp back = Stamp.fromLittleEndianBytes(6, 6, bytes);
        assertThat(Arrays.equals(back.pixels(), s.pixels())).isTrue();
        assertThatThrownBy(() -> Stamp.fromLittleEndianBytes(7, 6, bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void minMaxBilinearScalesToUnitRangeAndResamples() {
        Preprocessing p = Preprocessing.byName(MinMaxBilinear.NAME);
        float[] in = new float[40 * 40];
        for (int i = 0; i < in.length; i++) {
            in[i] = 5 + (i % 40);
        }
        in[0] = Float.NaN;
        float[] out = p.apply(in, 40, 40, 80);
        assertThat(out).hasSize(80 * 80);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : out) {
            assertThat(v).isBetween(0f, 1f);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isZero();
        assertThat(max).isEqualTo(1f);
        // A horizontal ramp stays a ramp: the middle column sits in the middle.
        assertThat(out[40 * 80 + 40]).isCloseTo(0.5f, within(0.02f));
    }

    @Test
    void sameSizeResampleIsTheIdentity() {
        float[] in = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(Preprocessing.byName(MinMaxBilinear.NAME).apply(in, 3, 3, 3))
                .containsExactly(0f, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f, 0.75f, 0.875f, 1f);
    }

    @Test
    void badStampsAreClearErrors() {
        Preprocessing p = Preprocessing.byName(MinMaxBilinear.NAME);
        float[] nan = new float[16];
        Arrays.fill(nan, Float.NaN);
        assertThatThrownBy(() -> p.apply(nan, 4, 4, 8)).isInstanceOfSatisfying(ImagingException.class,
                e -> assertThat(e.errorType()).isEqualTo("stamp.no-data"));
        assertThatThrownBy(() -> p.apply(new float[15], 4, 4, 8)).isInstanceOf(ImagingException.class);
        assertThat(p.apply(new float[16], 4, 4, 8)).containsOnly(0f);
        assertThatThrownBy(() -> Preprocessing.byName("nope")).hasMessageContaining("unknown preprocessing recipe");
    }
}
