package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.fits.FitsWriter;

class FitsReaderTest {
    @Test
    void writeThenReadKeepsPixelsAndCards(@TempDir Path dir) throws Exception {
        float[] pixels = new float[6 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i * 1.5f;
        }
        pixels[7] = Float.NaN;
        Path file = dir.resolve("t.fits");
        FitsWriter.write(file, 6, 4, pixels, Map.of("FILTER", "F160W", "PHOTZP", 25.9));
        FitsFrame frame = FitsReader.readFirstImage(file);
        assertThat(frame.width()).isEqualTo(6);
        assertThat(frame.height()).isEqualTo(4);
        assertThat(frame.pixels()).containsExactly(pixels);
        assertThat(frame.at(1, 1)).isNaN();
        assertThat(frame.header().getStringValue("FILTER")).isEqualTo("F160W");
        assertThat(Files.list(dir)).containsExactly(file); // no temporary file left behind
    }

    @Test
    void realScaledIntegerFrameMatchesItsFloatTwin() {
        // astropy_m13.fits (BITPIX 16 + BSCALE/BZERO) and nomtam_m13real.fits (BITPIX -32) are the same M13 image.
        FitsFrame ints = FitsReader.readFirstImage(SharedData.file("fits/astropy_m13.fits"));
        FitsFrame floats = FitsReader.readFirstImage(SharedData.file("fits/nomtam_m13real.fits"));
        assertThat(ints.width()).isEqualTo(300);
        assertThat(floats.width()).isEqualTo(300);
        double maxDiff = 0;
        double maxValue = 0;
        for (int i = 0; i < ints.pixels().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ints.pixels()[i] - floats.pixels()[i]));
            maxValue = Math.max(maxValue, Math.abs(floats.pixels()[i]));
        }
        assertThat(maxValue).isGreaterThan(0);
        assertThat(maxDiff / maxValue).isLessThan(1e-3);
    }

    @Test
    void emptyPrimaryIsSkippedForTheFirstImageExtension() {
        FitsFrame frame = FitsReader.readFirstImage(SharedData.file("fits/astropy_j94f05bgq_acs_flt.fits"));
        assertThat(frame.hdu()).startsWith("[1");
        assertThat(frame.width()).isPositive();
    }

    @Test
    void notFitsIsAClearError(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.fits");
        Files.writeString(junk, "this is not a FITS file at all");
        assertThatThrownBy(() -> FitsReader.readFirstImage(junk))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.unreadable"))
                .hasMessageContaining("junk.fits");
    }
}
