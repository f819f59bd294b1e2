package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** A syntactically valid primary header declaring {@code width x height} float pixels, followed by 2880 data bytes. */
    static byte[] headerBomb(long width, long height) {
        String[] cards = {"SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2",
                String.format("NAXIS1  = %20d", width), String.format("NAXIS2  = %20d", height), "END"};
        StringBuilder h = new StringBuilder();
        for (String c : cards) {
            h.append(String.format("%-80s", c));
        }
        while (h.length() % 2880 != 0) {
            h.append(' ');
        }
        byte[] header = h.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(header, header.length + 2880);
    }

    @Test
    void headerBombsAreRefusedBeforeAnythingIsAllocated(@TempDir Path dir) throws Exception {
        Path bomb = Files.write(dir.resolve("bomb.fits"), headerBomb(200_000, 200_000));
        assertThatThrownBy(() -> FitsReader.readFirstImage(bomb))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.too-large"))
                .hasMessageContaining("40,000,000,000 pixels");
        Path gz = dir.resolve("bomb.fits.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(headerBomb(200_000, 200_000));
        }
        assertThatThrownBy(() -> FitsReader.readFirstImage(gz))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.too-large"));
        Path small = Files.write(dir.resolve("small-but-lying.fits"), headerBomb(3000, 3000));
        assertThatThrownBy(() -> FitsReader.readFirstImage(small))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.truncated"));
        assertThatThrownBy(() -> FitsReader.readFirstImage(small, 1000))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.too-large"));
    }

    @Test
    void truncatedRealFileIsAClearError(@TempDir Path dir) throws Exception {
        byte[] real = Files.readAllBytes(SharedData.file("fits/nomtam_m13real.fits"));
        Path cut = Files.write(dir.resolve("cut.fits"), java.util.Arrays.copyOf(real, real.length / 2));
        assertThatThrownBy(() -> FitsReader.readFirstImage(cut))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.truncated"))
                .hasMessageContaining("cut.fits is truncated");
    }

    @Test
    void allBlankFramesAreRefused(@TempDir Path dir) {
        float[] nan = new float[16];
        java.util.Arrays.fill(nan, Float.NaN);
        Path file = dir.resolve("blank.fits");
        FitsWriter.write(file, 4, 4, nan, Map.of());
        assertThatThrownBy(() -> FitsReader.readFirstImage(file))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.no-data"));
    }

    @Test
    void notFitsIsAClearError(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.fits");
        Files.writeString(junk, "this is not a FITS file at all");
        assertThatThrownBy(() -> FitsReader.readFirstImage(junk))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.unreadable"))
                .hasMessageContaining("junk.fits");
    }

    @Test
    void hdusAreChosenByIndexOrExtnameAndUnknownOnesListTheChoices() {
        Path mef = SharedData.file("fits/astropy_test0_wfpc2_mef.fits"); // primary without data + 4 SCI chips
        assertThat(FitsReader.images(mef, FitsReader.DEFAULT_MAX_PIXELS)).extracting(FitsReader.Hdu::label)
                .containsExactly("[1:SCI]", "[2:SCI]", "[3:SCI]", "[4:SCI]");
        assertThat(FitsReader.read(mef, "3", FitsReader.DEFAULT_MAX_PIXELS).hdu()).isEqualTo("[3:SCI]");
        FitsFrame sci = FitsReader.read(mef, "sci", FitsReader.DEFAULT_MAX_PIXELS);
        assertThat(sci.hdu()).isEqualTo("[1:SCI]");
        assertThat(sci.primary()).isNotNull(); // keywords of the observation live there
        assertThat(sci.keyword("INSTRUME")).hasValueSatisfying(c -> assertThat(c.getValue()).startsWith("WFPC2"));
        assertThatThrownBy(() -> FitsReader.read(mef, "WHT", FitsReader.DEFAULT_MAX_PIXELS))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.no-such-hdu"))
                .hasMessageContaining("[1:SCI], [2:SCI], [3:SCI], [4:SCI]");
        assertThatThrownBy(() -> FitsReader.read(mef, "0", FitsReader.DEFAULT_MAX_PIXELS))
                .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.errorType()).isEqualTo("fits.no-image"));
    }

    @Test
    void weightAndMaskCompanionsMatchTheScienceImagesExtver(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mef.fits");
        try (nom.tam.fits.Fits fits = new nom.tam.fits.Fits()) {
            fits.addHDU(nom.tam.fits.FitsFactory.hduFactory(new float[0]));
            for (int chip = 1; chip <= 2; chip++) {
                for (String name : new String[] {"SCI", "WHT"}) {
                    float[][] data = new float[20][30];
                    data[0][0] = name.equals("WHT") ? chip * 10 : chip;
                    var hdu = nom.tam.fits.FitsFactory.hduFactory(data);
                    hdu.getHeader().addValue("EXTNAME", name, null);
                    hdu.getHeader().addValue("EXTVER", chip, null);
                    fits.addHDU(hdu);
                }
            }
            fits.write(file.toFile());
        }
        var weight = FitsReader.readCompanion(file, java.util.Set.of("WHT"), 2, 30, 20, FitsReader.DEFAULT_MAX_PIXELS);
        assertThat(weight).hasValueSatisfying(w -> assertThat(w.at(0, 0)).isEqualTo(20f));
        assertThat(FitsReader.readCompanion(file, java.util.Set.of("WHT"), 2, 31, 20, FitsReader.DEFAULT_MAX_PIXELS)).isEmpty();
        assertThat(FitsReader.readCompanion(file, java.util.Set.of("MASK"), 1, 30, 20, FitsReader.DEFAULT_MAX_PIXELS)).isEmpty();
    }

    @Test
    void aDataCubeGivesItsFirstPlaneWithAWarning(@TempDir Path dir) throws Exception {
        float[][][] cube = new float[3][4][5];
        cube[0][1][2] = 7;
        cube[1][1][2] = 99;
        Path file = dir.resolve("cube.fits");
        try (nom.tam.fits.Fits fits = new nom.tam.fits.Fits()) {
            fits.addHDU(nom.tam.fits.FitsFactory.hduFactory(cube));
            fits.write(file.toFile());
        }
        FitsFrame frame = FitsReader.readFirstImage(file);
        assertThat(frame.width()).isEqualTo(5);
        assertThat(frame.height()).isEqualTo(4);
        assertThat(frame.at(2, 1)).isEqualTo(7f);
        assertThat(frame.warnings()).singleElement().asString().contains("data cube").contains("first 5x4 plane");
    }

    @Test
    void aPrimaryHeaderOutOfFixedFormatIsReadWithAWarning(@TempDir Path dir) throws Exception {
        // As ZTF alert cutouts are written: "SIMPLE  =  T" with the value in column 12 instead of 30.
        String[] cards = {"SIMPLE  =  T", "BITPIX  =                  -32", "NAXIS   =                    2",
                "NAXIS1  =                    2", "NAXIS2  =                    2", "END"};
        StringBuilder h = new StringBuilder();
        for (String c : cards) {
            h.append(String.format("%-80s", c));
        }
        while (h.length() % 2880 != 0) {
            h.append(' ');
        }
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(2880); // big-endian, as FITS
        data.putFloat(1f).putFloat(2f).putFloat(3f).putFloat(4f);
        byte[] header = h.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(header, header.length + 2880);
        System.arraycopy(data.array(), 0, bytes, header.length, 2880);
        Path file = Files.write(dir.resolve("ztf-like.fits"), bytes);
        FitsFrame frame = FitsReader.readFirstImage(file);
        assertThat(frame.pixels()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(frame.warnings()).singleElement().asString().contains("SIMPLE").contains("fixed format");
        assertThat(FitsReader.readFirstImage(SharedData.file("fits/astropy_m13.fits")).warnings()).isEmpty();
    }

    /**
     * A Unix-compressed (.Z) frame is decompressed in the JVM. nom-tam-fits would run an external {@code uncompress},
     * which is not on every machine, and logged a warning with a stack trace on 9 of 50 reads of this file. The pixels
     * are those of the file decompressed by {@code gzip -dc}: 69,181 non-zero of 512 x 512, 91,806 counts in all.
     */
    @Test
    void unixCompressedFramesAreDecompressedInTheJvmWithoutWarnings() {
        java.util.logging.Logger nomTam = java.util.logging.Logger.getLogger("nom.tam");
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord entry) {
                if (entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(entry);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        nomTam.addHandler(handler);
        try {
            for (int read = 0; read < 20; read++) {
                FitsFrame frame = FitsReader.readFirstImage(SharedData.file("fits/nomtam_rp600245n00_im1.fits.Z"));
                assertThat(frame.width()).isEqualTo(512);
                assertThat(frame.height()).isEqualTo(512);
                double counts = 0;
                int nonZero = 0;
                for (float v : frame.pixels()) {
                    counts += v;
                    nonZero += v != 0 ? 1 : 0;
                }
                assertThat(counts).isEqualTo(91_806);
                assertThat(nonZero).isEqualTo(69_181);
            }
        } finally {
            nomTam.removeHandler(handler);
        }
        assertThat(warnings).extracting(java.util.logging.LogRecord::getMessage).isEmpty();
    }

    @Test
    void bzip2FramesReadAsTheirPlainOriginal(@TempDir Path dir) throws Exception {
        Path plain = SharedData.file("fits/imfit_n3073rss_small.fits");
        Path bz2 = dir.resolve("n3073.fits.bz2");
        try (var out = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(Files.newOutputStream(bz2))) {
            Files.copy(plain, out);
        }
        assertThat(FitsReader.readFirstImage(bz2).pixels()).containsExactly(FitsReader.readFirstImage(plain).pixels());
    }

    /** Plain float32 images are copied from the file in bulk: the same values as nom-tam-fits' own reading. */
    @Test
    void bulkReadOfFloatImagesMatchesNomTam() throws Exception {
        for (String name : new String[] {"fits/nomtam_m13real.fits", "fits/imfit_n3073rss_small.fits"}) {
            Path file = SharedData.file(name);
            FitsFrame frame = FitsReader.readFirstImage(file);
            try (nom.tam.fits.Fits fits = new nom.tam.fits.Fits(file.toFile())) {
                nom.tam.fits.ImageHDU hdu = (nom.tam.fits.ImageHDU) fits.readHDU();
                assertThat(hdu.getHeader().getIntValue("BITPIX")).isEqualTo(-32);
                float[][] rows = (float[][]) hdu.getKernel();
                for (int y = 0; y < rows.length; y++) {
                    for (int x = 0; x < rows[y].length; x++) {
                        assertThat(Float.floatToRawIntBits(frame.at(x, y))).as("%s (%d, %d)", name, x, y)
                                .isEqualTo(Float.floatToRawIntBits(rows[y][x]));
                    }
                }
            }
        }
    }
}
