package io.morpho.imaging.fits;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.morpho.imaging.ImagingException;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.TruncatedFileException;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import nom.tam.util.FitsInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.z.ZCompressorInputStream;

/**
 * Reads the first image HDU holding a 2-D (or deeper) image from a FITS file, with nom-tam-fits. Before any pixel
 * is read, every header is checked against a pixel budget and the file against the data its headers declare, so
 * a "header bomb" or a truncated file is refused without allocating; a frame with no valid pixel is refused too.
 */
public final class FitsReader {
    /** Default budget: 10^8 pixels (400 MB as float32). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private FitsReader() {
    }

    public static FitsFrame readFirstImage(Path file) {
        return readFirstImage(file, DEFAULT_MAX_PIXELS);
    }

    public static FitsFrame readFirstImage(Path file, long maxPixels) {
        return read(file, null, maxPixels);
    }

    /**
     * One image HDU of a file.
     *
     * @param hdu which: null or blank for the first image with two or more axes, a number for that HDU index (0 is
     *            the primary), otherwise an EXTNAME (case-insensitive)
     */
    public static FitsFrame read(Path file, String hdu, long maxPixels) {
        if (!Files.isRegularFile(file)) {
            throw new ImagingException("fits.unreadable", file + " is not a regular file");
        }
        preflight(file, maxPixels);
        List<String> notes = nonStandardCards(file);
        Path plainFile;
        try {
            plainFile = isCompressedFile(file) ? null : file;
        } catch (IOException e) {
            throw new ImagingException("fits.unreadable", file.getFileName() + " cannot be read: " + e.getMessage(), e);
        }
        String wanted = hdu == null ? "" : hdu.trim();
        int index = 0;
        java.util.List<String> seen = new java.util.ArrayList<>();
        Header primary = null;
        try (Fits fits = openFits(file)) {
            for (BasicHDU<?> h = fits.readHDU(); h != null; h = fits.readHDU(), index++) {
                if (index == 0) {
                    primary = h.getHeader();
                }
                String label = hduLabel(h.getHeader(), index);
                ImageHDU image = asImage(h);
                boolean isImage = image != null && image.getAxes() != null && image.getAxes().length >= 2;
                if (isImage) {
                    seen.add(label);
                }
                if (isImage && matches(wanted, h.getHeader(), index)) {
                    FitsFrame frame = toFrame(image, label, true, index == 0 ? null : primary,
                            h instanceof CompressedImageHDU ? null : plainFile);
                    return notes.isEmpty() ? frame : frame.withWarnings(notes);
                }
                if (!isImage && !wanted.isEmpty() && matches(wanted, h.getHeader(), index)) {
                    throw new ImagingException("fits.no-image", file.getFileName() + " HDU " + label
                            + " is not an image with two or more axes");
                }
            }
        } catch (ImagingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImagingException("fits.unreadable",
                    file.getFileName() + " is not a readable FITS file: " + e.getMessage(), e);
        }
        if (index == 0) {
            throw new ImagingException("fits.unreadable", file.getFileName()
                    + " is not a FITS file (no valid primary header)");
        }
        if (!wanted.isEmpty()) {
            throw new ImagingException("fits.no-such-hdu", file.getFileName() + " has no HDU '" + wanted
                    + "'; its images are " + (seen.isEmpty() ? "none" : String.join(", ", seen)));
        }
        throw new ImagingException("fits.no-image", file.getFileName() + " has no image HDU with two or more axes");
    }

    /**
     * The image HDU whose EXTNAME is one of {@code names} (upper case; matched case-insensitively), whose EXTVER
     * (default 1) is {@code extver} and whose size is width x height, if any: how weight and mask maps travel with a
     * science image (e.g. HST's SCI/ERR/DQ triplets, one per chip).
     */
    public static java.util.Optional<FitsFrame> readCompanion(Path file, java.util.Set<String> names, int extver, int width,
                                                              int height, long maxPixels) {
        preflight(file, maxPixels);
        int index = 0;
        try (Fits fits = openFits(file)) {
            for (BasicHDU<?> h = fits.readHDU(); h != null; h = fits.readHDU(), index++) {
                String extname = h.getHeader().getStringValue("EXTNAME");
                ImageHDU image = asImage(h);
                if (extname != null && names.contains(extname.trim().toUpperCase(java.util.Locale.ROOT)) && image != null
                        && h.getHeader().getIntValue("EXTVER", 1) == extver
                        && image.getAxes() != null && image.getAxes().length >= 2) {
                    int[] axes = image.getAxes();
                    if (axes[axes.length - 1] == width && axes[axes.length - 2] == height) {
                        return java.util.Optional.of(toFrame(image, hduLabel(h.getHeader(), index), false, null, null));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ImagingException("fits.unreadable", file.getFileName() + " is not a readable FITS file: "
                    + e.getMessage(), e);
        }
        return java.util.Optional.empty();
    }

    /**
     * Mandatory primary-header cards (SIMPLE, BITPIX, NAXIS, NAXISn) must have their value end in column 30 (FITS
     * "fixed format"). Some writers (e.g. ZTF alert cutouts) do not; the values are still unambiguous, so the file is
     * read and the deviation reported as a warning.
     */
    static List<String> nonStandardCards(Path file) {
        byte[] block = new byte[2880];
        try (InputStream in = decompressed(file)) {
            int n = in.readNBytes(block, 0, block.length);
            List<String> notes = new java.util.ArrayList<>();
            for (int card = 0; card < n / 80; card++) {
                String text = new String(block, card * 80, 80, java.nio.charset.StandardCharsets.US_ASCII);
                String key = text.substring(0, 8).trim();
                if (!(key.equals("SIMPLE") || key.equals("BITPIX") || key.startsWith("NAXIS"))) {
                    break;
                }
                String value = text.substring(10).split("/", 2)[0];
                int end = 10 + value.stripTrailing().length();
                if (text.charAt(8) != '=' || end != 30) {
                    notes.add(file.getFileName() + ": header card " + key + " is not in FITS fixed format (value should end "
                            + "in column 30): '" + text.stripTrailing() + "'; read anyway");
                }
            }
            return notes;
        } catch (IOException e) {
            return List.of(); // unreadable files are reported by the reader itself
        }
    }

    private static boolean matches(String wanted, Header header, int index) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (wanted.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(wanted) == index;
        }
        String extname = header.getStringValue("EXTNAME");
        return extname != null && extname.trim().equalsIgnoreCase(wanted);
    }

    /** Walks the headers only (skipping data), checking sizes against the budget and the file's length. */
    private static List<Hdu> preflight(Path file, long maxPixels) {
        List<Hdu> hdus = new java.util.ArrayList<>();
        String name = file.getFileName().toString();
        // Plain files are walked with seeks (the data is never read here); compressed ones must be streamed.
        try (nom.tam.util.ArrayDataInput in = isCompressedFile(file) ? new FitsInputStream(decompressed(file))
                : new nom.tam.util.FitsFile(file.toFile(), "r")) {
            long length = in instanceof nom.tam.util.FitsFile ? Files.size(file) : Long.MAX_VALUE;
            for (int index = 0; ; index++) {
                Header header;
                try {
                    header = Header.readHeader(in);
                } catch (TruncatedFileException | EOFException e) {
                    if (index == 0) {
                        throw new ImagingException("fits.unreadable", name + " is not a FITS file (no valid primary header)", e);
                    }
                    return hdus; // trailing bytes after the last HDU
                }
                if (header == null) {
                    if (index == 0) {
                        throw new ImagingException("fits.unreadable", name + " is not a FITS file (no valid primary header)");
                    }
                    return hdus;
                }
                long pixels = declaredPixels(header, name, index);
                boolean compressed = header.getBooleanValue("ZIMAGE", false);
                int axes = header.getIntValue(compressed ? "ZNAXIS" : "NAXIS", 0);
                String extname = header.getStringValue("EXTNAME");
                hdus.add(new Hdu(index, hduLabel(header, index), extname == null ? null : extname.trim(),
                        pixels > 0 && axes >= 2));
                if (pixels > maxPixels) {
                    throw new ImagingException("fits.too-large", String.format(java.util.Locale.ROOT,
                            "%s HDU %d declares %,d pixels, more than the limit of %,d; refused before reading", name,
                            index, pixels, maxPixels));
                }
                try {
                    if (in instanceof nom.tam.util.FitsFile f && f.position() + header.getDataSize() > length) {
                        throw new EOFException();
                    }
                    in.skipAllBytes(header.getDataSize());
                } catch (EOFException e) {
                    throw new ImagingException("fits.truncated", name + " is truncated: HDU " + index
                            + " declares more data than the file holds", e);
                }
            }
        } catch (ImagingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImagingException("fits.unreadable", name + " is not a readable FITS file: " + e.getMessage(), e);
        }
    }

    /** {@code count} big-endian float32 values at {@code offset} of a plain file, or null when they are not all there. */
    private static float[] bulkFloats(Path file, long offset, int count) {
        if (offset < 0) {
            return null;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long bytes = 4L * count;
            if (offset + bytes > channel.size() || bytes > Integer.MAX_VALUE) {
                return null;
            }
            // A memory map: the page cache is read once, byte-swapped straight into the array (FITS and ByteBuffer
            // are both big-endian by default).
            float[] pixels = new float[count];
            channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, offset, bytes).asFloatBuffer().get(pixels);
            return pixels;
        } catch (IOException e) {
            return null; // the general path will report it
        }
    }

    /** A plain file with random access; a compressed one as the stream of its decompressed bytes. */
    private static Fits openFits(Path file) throws IOException, FitsException {
        return isCompressedFile(file) ? new Fits(decompressed(file)) : new Fits(file.toFile());
    }

    /**
     * The file's bytes, decompressed in the JVM when its magic bytes say gzip, Unix compress (.Z) or bzip2. (nom-tam-fits
     * runs an external {@code uncompress} for .Z, which is not on every machine and logs a warning with a stack trace
     * on about one read in five when the process has not exited as the stream ends.)
     */
    static InputStream decompressed(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new java.util.zip.GZIPInputStream(in, 1 << 16);
            }
            if (b0 == 0x1f && b1 == 0x9d) {
                return new ZCompressorInputStream(in);
            }
            if (b0 == 'B' && b1 == 'Z') {
                return new BZip2CompressorInputStream(in, true);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** gzip, Unix compress or bzip2 magic bytes at the start of the file. */
    private static boolean isCompressedFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int b0 = in.read();
            int b1 = in.read();
            return b0 == 0x1f && (b1 == 0x8b || b1 == 0x9d) || b0 == 'B' && b1 == 'Z';
        }
    }

    /** An HDU of a file: its index, label ({@code [index:EXTNAME]}), EXTNAME (or null), and whether it holds an image. */
    public record Hdu(int index, String label, String extname, boolean image) {
    }

    /**
     * The HDUs holding images with two or more non-empty axes, from the headers alone (sizes checked against the
     * budget, as when reading).
     */
    public static List<Hdu> images(Path file, long maxPixels) {
        if (!Files.isRegularFile(file)) {
            throw new ImagingException("fits.unreadable", file + " is not a regular file");
        }
        return preflight(file, maxPixels).stream().filter(Hdu::image).toList();
    }

    /** Image pixels a header declares (the uncompressed size for tile-compressed images; 0 for tables). */
    private static long declaredPixels(Header header, String name, int index) {
        boolean compressed = header.getBooleanValue("ZIMAGE", false);
        String prefix = compressed ? "ZNAXIS" : "NAXIS";
        if (!compressed && header.containsKey("XTENSION") && !header.getStringValue("XTENSION").trim().startsWith("IMAGE")) {
            return 0;
        }
        int naxis = header.getIntValue(prefix, 0);
        long pixels = naxis == 0 ? 0 : 1;
        for (int axis = 1; axis <= naxis; axis++) {
            long length = header.getLongValue(prefix + axis, 0);
            if (length < 0) {
                throw new ImagingException("fits.invalid-header", name + " HDU " + index + " has " + prefix + axis + " = " + length);
            }
            pixels = length == 0 ? 0 : (pixels > Long.MAX_VALUE / length ? Long.MAX_VALUE : pixels * length);
        }
        return pixels;
    }

    private static ImageHDU asImage(BasicHDU<?> hdu) throws FitsException {
        if (hdu instanceof CompressedImageHDU compressed) {
            return compressed.asImageHDU();
        }
        return hdu instanceof ImageHDU image ? image : null;
    }

    private static String hduLabel(Header header, int index) {
        String extname = header.getStringValue("EXTNAME");
        return extname == null ? "[" + index + "]" : "[" + index + ":" + extname.trim() + "]";
    }

    /**
     * @param plainFile the uncompressed file the HDU's data lies in, or null: a plain 2-D float32 image without
     *                  scaling is then read with one bulk copy from the file (the common case, several times faster than
     *                  building row arrays first)
     */
    private static FitsFrame toFrame(ImageHDU hdu, String label, boolean needsData, Header primary, Path plainFile)
            throws FitsException {
        int[] axes = hdu.getAxes(); // slowest first: [..., NAXIS2, NAXIS1]
        int height = axes[axes.length - 2];
        int width = axes[axes.length - 1];
        if (width <= 0 || height <= 0) {
            throw new ImagingException("fits.empty-image", "image HDU " + label + " has zero size");
        }
        Header header = hdu.getHeader();
        double scale = header.getDoubleValue("BSCALE", 1.0);
        double zero = header.getDoubleValue("BZERO", 0.0);
        boolean hasBlank = header.containsKey("BLANK");
        long blank = hasBlank ? header.getLongValue("BLANK") : 0;
        float[] pixels = plainFile != null && axes.length == 2 && header.getIntValue("BITPIX", 0) == -32 && scale == 1.0
                && zero == 0.0 ? bulkFloats(plainFile, hdu.getData().getFileOffset(), width * height) : null;
        if (pixels == null) {
            Object plane = firstPlane(hdu.getKernel());
            pixels = new float[width * height];
            for (int y = 0; y < height; y++) {
                Object row = java.lang.reflect.Array.get(plane, y);
                copyRow(row, pixels, y * width, width, scale, zero, hasBlank, blank);
            }
        }
        boolean anyFinite = false;
        for (int i = 0; i < pixels.length && !anyFinite; i++) {
            anyFinite = Float.isFinite(pixels[i]);
        }
        if (!anyFinite && needsData) {
            throw new ImagingException("fits.no-data", "image HDU " + label + " has no valid pixel (all blank or NaN)");
        }
        java.util.List<String> warnings = new java.util.ArrayList<>();
        if (axes.length > 2) {
            warnings.add(String.format(java.util.Locale.ROOT, "image HDU %s is a data cube (%s); only its first %dx%d "
                    + "plane was read", label, java.util.Arrays.toString(axes), width, height));
        }
        return new FitsFrame(width, height, pixels, header, label, warnings, primary);
    }

    private static Object firstPlane(Object kernel) {
        Object plane = kernel;
        // Data cubes: take the first plane of every extra axis.
        while (plane instanceof Object[] outer && outer.length > 0 && outer[0] instanceof Object[] inner
                && inner.length > 0 && inner[0].getClass().isArray()) {
            plane = outer[0];
        }
        return plane;
    }

    private static void copyRow(Object row, float[] out, int offset, int width, double scale, double zero,
                                boolean hasBlank, long blank) {
        if (row instanceof float[] f && scale == 1.0 && zero == 0.0) {
            System.arraycopy(f, 0, out, offset, width);
        } else if (row instanceof float[] f) {
            for (int i = 0; i < width; i++) {
                out[offset + i] = (float) (f[i] * scale + zero);
            }
        } else if (row instanceof double[] d) {
            for (int i = 0; i < width; i++) {
                out[offset + i] = (float) (d[i] * scale + zero);
            }
        } else if (row instanceof short[] s) {
            for (int i = 0; i < width; i++) {
                out[offset + i] = hasBlank && s[i] == blank ? Float.NaN : (float) (s[i] * scale + zero);
            }
        } else if (row instanceof int[] n) {
            for (int i = 0; i < width; i++) {
                out[offset + i] = hasBlank && n[i] == blank ? Float.NaN : (float) (n[i] * scale + zero);
            }
        } else if (row instanceof long[] l) {
            for (int i = 0; i < width; i++) {
                out[offset + i] = hasBlank && l[i] == blank ? Float.NaN : (float) (l[i] * scale + zero);
            }
        } else if (row instanceof byte[] b) {
            for (int i = 0; i < width; i++) {
                int unsigned = b[i] & 0xFF; // BITPIX 8 is unsigned
                out[offset + i] = hasBlank && unsigned == blank ? Float.NaN : (float) (unsigned * scale + zero);
            }
        } else {
            throw new ImagingException("fits.unsupported-type", "unsupported pixel type " + row.getClass().getSimpleName());
        }
    }
}
