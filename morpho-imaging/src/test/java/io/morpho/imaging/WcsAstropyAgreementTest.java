package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.morpho.imaging.fits.FitsFrame;
import io.morpho.imaging.fits.FitsReader;
import io.morpho.imaging.wcs.TanWcs;

/**
 * morpho's TAN/SIP/TPV against astropy (wcslib) on real frames: sky positions astropy computes for a pixel grid
 * map back through our skyToPixel to within 0.01 pixel, and our own round trip is exact to 1e-6 pixel.
 * Needs Debian's python3-astropy (CI installs it); skipped with a message where it is missing.
 */
class WcsAstropyAgreementTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @ParameterizedTest
    @ValueSource(strings = {"astropy_sip-wcs.fits", "galsim_sipsample_spitzer_irac.fits", "decam_c4d_141029_043225_ooi_g.N26.fits",
            "decam_c4d_170316_062107_ooi_z.N2.fits", "galsim_tpv_mosaic2_cdfs.fits.gz", "nomtam_m13real.fits",
            "imfit_n5419f555w_pc_derot_cutout.fits", "astropy_m13_rice.fits"})
    void agreesWithAstropy(String name) throws Exception {
        Path file = SharedData.file("fits/" + name);
        FitsFrame frame = FitsReader.readFirstImage(file);
        TanWcs wcs = TanWcs.fromHeader(frame.header());
        List<double[]> pixels = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            for (int j = 0; j <= 4; j++) {
                pixels.add(new double[] {(frame.width() - 1) * i / 4.0, (frame.height() - 1) * j / 4.0});
            }
        }
        for (double[] p : pixels) {
            double[] sky = wcs.pixelToSky(p[0], p[1]);
            double[] back = wcs.skyToPixel(sky[0], sky[1]);
            assertThat(Math.hypot(back[0] - p[0], back[1] - p[1])).as("round trip at %s", p).isLessThan(1e-6);
        }
        List<double[]> reference = astropy(file, hduIndex(frame.hdu()), pixels);
        double worst = 0;
        for (int k = 0; k < pixels.size(); k++) {
            double[] ours = wcs.skyToPixel(reference.get(k)[0], reference.get(k)[1]);
            worst = Math.max(worst, Math.hypot(ours[0] - pixels.get(k)[0], ours[1] - pixels.get(k)[1]));
        }
        System.out.printf(Locale.ROOT, "%s: max |morpho - astropy| = %.2e px over %d grid points%n", name, worst, pixels.size());
        assertThat(worst).isLessThan(0.01);
    }

    private static int hduIndex(String label) {
        return Integer.parseInt(label.replaceAll("^\\[(\\d+).*$", "$1"));
    }

    private static List<double[]> astropy(Path file, int hdu, List<double[]> pixels) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3: install Debian's python3-astropy to compare WCS");
        Path script = Path.of(WcsAstropyAgreementTest.class.getResource("/wcs_reference.py").toURI());
        Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import astropy").redirectErrorStream(true).start();
        assumeTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0,
                "astropy is not installed (apt-get install python3-astropy): skipping the WCS comparison");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), file.toString(), String.valueOf(hdu))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
            for (double[] px : pixels) {
                in.write(String.format(Locale.ROOT, "%.6f %.6f%n", px[0], px[1]));
            }
        }
        List<double[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                out.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).hasSize(pixels.size());
        return out;
    }
}
