package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.wcs.TanWcs;

/** What every real FITS file in the shared data does today: an image and a WCS, or a specific error. */
class RealFitsSurveyTest {
    @Test
    void everyRealFileYieldsAnImageOrASpecificError() throws Exception {
        Path dir = SharedData.file("fits/astropy_m13.fits").getParent();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().matches("(?i).+\\.fits(\\.gz|\\.Z)?")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(20);
        for (Path f : files) {
            String outcome;
            try {
                FitsFrame frame = FitsReader.readFirstImage(f);
                outcome = String.format(Locale.ROOT, "image %dx%d %s", frame.width(), frame.height(), frame.hdu());
                try {
                    TanWcs wcs = TanWcs.fromHeader(frame.header());
                    outcome += String.format(Locale.ROOT, ", TAN WCS %.3f\"/px", wcs.pixelScaleArcsec());
                } catch (ImagingException e) {
                    outcome += ", " + e.errorType() + ": " + e.getMessage();
                    assertThat(e.errorType()).startsWith("wcs.");
                }
            } catch (ImagingException e) {
                outcome = e.errorType() + ": " + e.getMessage();
                assertThat(e.getMessage()).contains(f.getFileName().toString());
            }
            System.out.println(f.getFileName() + " -> " + outcome);
        }
    }
}
