package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.wcs.TanWcs;
import nom.tam.fits.Header;

class WcsTest {
    @Test
    void referencePixelMapsToReferenceValue() {
        TanWcs wcs = new TanWcs(100.5, 50.5, 150.1, 2.2, new double[] {-1e-5, 0, 0, 1e-5});
        double[] sky = wcs.pixelToSky(99.5, 49.5);
        assertThat(sky[0]).isCloseTo(150.1, within(1e-12));
        assertThat(sky[1]).isCloseTo(2.2, within(1e-12));
    }

    @Test
    void knownAnswerOnTheEquator() {
        // One degree along xi at the equator is exactly one degree of RA (tan(1 deg) in the plane).
        double d = Math.toDegrees(Math.tan(Math.toRadians(1)));
        TanWcs wcs = new TanWcs(1, 1, 0, 0, new double[] {-d, 0, 0, d});
        double[] sky = wcs.pixelToSky(-1, 0); // u = -1 -> xi = +d -> east
        assertThat(sky[0]).isCloseTo(1.0, within(1e-12));
        assertThat(sky[1]).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void roundTripIsBelowAMicroPixelEverywhereIncludingNearThePoleAndRaZero() {
        double s = 0.06 / 3600;
        double rot = Math.toRadians(33);
        double[] cd = {-s * Math.cos(rot), s * Math.sin(rot), s * Math.sin(rot), s * Math.cos(rot)};
        for (double[] ref : new double[][] {{53.1, -27.8}, {0.0001, 10}, {359.9999, -5}, {120, 89.99}, {300, -89.9}}) {
            TanWcs wcs = new TanWcs(2048.5, 2048.5, ref[0], ref[1], cd);
            for (int x = -500; x <= 4500; x += 250) {
                for (int y = -500; y <= 4500; y += 250) {
                    double[] sky = wcs.pixelToSky(x, y);
                    double[] back = wcs.skyToPixel(sky[0], sky[1]);
                    assertThat(back[0]).isCloseTo(x, within(1e-6));
                    assertThat(back[1]).isCloseTo(y, within(1e-6));
                }
            }
        }
    }

    @Test
    void cdeltAndPcGiveTheSameTransformAsCd() throws Exception {
        Header pc = new Header();
        pc.addValue("CTYPE1", "RA---TAN", "");
        pc.addValue("CTYPE2", "DEC--TAN", "");
        pc.addValue("CRPIX1", 10.0, "");
        pc.addValue("CRPIX2", 20.0, "");
        pc.addValue("CRVAL1", 10.0, "");
        pc.addValue("CRVAL2", 40.0, "");
        pc.addValue("CDELT1", -2e-4, "");
        pc.addValue("CDELT2", 2e-4, "");
        pc.addValue("PC1_1", 0.8, "");
        pc.addValue("PC1_2", -0.6, "");
        pc.addValue("PC2_1", 0.6, "");
        pc.addValue("PC2_2", 0.8, "");
        TanWcs fromPc = TanWcs.fromHeader(pc);
        TanWcs fromCd = new TanWcs(10, 20, 10, 40, new double[] {-2e-4 * 0.8, -2e-4 * -0.6, 2e-4 * 0.6, 2e-4 * 0.8});
        double[] a = fromPc.pixelToSky(300, -40);
        double[] b = fromCd.pixelToSky(300, -40);
        assertThat(a[0]).isCloseTo(b[0], within(1e-12));
        assertThat(a[1]).isCloseTo(b[1], within(1e-12));
        assertThat(fromPc.pixelScaleArcsec()).isCloseTo(0.72, within(1e-9));
    }

    @Test
    void missingOrUnsupportedWcsIsAClearError() throws Exception {
        assertThatThrownBy(() -> TanWcs.fromHeader(new Header()))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("wcs.missing"));
        Header sin = new Header();
        sin.addValue("CTYPE1", "RA---SIN", "");
        sin.addValue("CTYPE2", "DEC--SIN", "");
        assertThatThrownBy(() -> TanWcs.fromHeader(sin))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("wcs.unsupported"))
                .hasMessageContaining("unsupported projection SIN");
    }

    @Test
    void realFrameWithCdeltWcs() {
        FitsFrame frame = FitsReader.readFirstImage(SharedData.file("fits/nomtam_m13real.fits"));
        TanWcs wcs = TanWcs.fromHeader(frame.header());
        // CRPIX 150.5 (1-based) is 0-based 149.5, where the header puts CRVAL.
        double[] sky = wcs.pixelToSky(149.5, 149.5);
        assertThat(sky[0]).isCloseTo(250.4226, within(1e-9));
        assertThat(sky[1]).isCloseTo(36.4602, within(1e-9));
        assertThat(wcs.pixelScaleArcsec()).isCloseTo(0.99972, within(1e-4));
    }
}
