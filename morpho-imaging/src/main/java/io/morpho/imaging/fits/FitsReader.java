package io.morpho.imaging.fits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.morpho.imaging.ImagingException;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.image.compression.hdu.CompressedImageHDU;

/** Reads the first image HDU holding a 2-D (or deeper) image from a FITS file, with nom-tam-fits. */
public final class FitsReader {
    private FitsReader() {
    }

    public static FitsFrame readFirstImage(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ImagingException("fits.unreadable", file + " is not a regular file");
        }
        int index = 0;
        try (Fits fits = new Fits(file.toFile())) {
            for (BasicHDU<?> hdu = fits.readHDU(); hdu != null; hdu = fits.readHDU(), index++) {
                ImageHDU image = asImage(hdu);
                if (image != null && image.getAxes() != null && image.getAxes().length >= 2) {
                    return toFrame(image, hduLabel(hdu.getHeader(), index));
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
        throw new ImagingException("fits.no-image", file.getFileName() + " has no image HDU with two or more axes");
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

    private static FitsFrame toFrame(ImageHDU hdu, String label) throws FitsException {
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
        Object plane = firstPlane(hdu.getKernel());
        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++) {
            Object row = java.lang.reflect.Array.get(plane, y);
            copyRow(row, pixels, y * width, width, scale, zero, hasBlank, blank);
        }
        return new FitsFrame(width, height, pixels, header, label);
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
        if (row instanceof float[] f) {
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
