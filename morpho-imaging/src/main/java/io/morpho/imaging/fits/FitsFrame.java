package io.morpho.imaging.fits;

import nom.tam.fits.Header;

/**
 * One image plane in physical units (BSCALE/BZERO applied, BLANK as NaN), row-major with row 0 the first
 * FITS row. Pixel (x, y) here is 0-based; FITS pixel (1, 1) is (0, 0).
 */
public record FitsFrame(int width, int height, float[] pixels, Header header, String hdu) {
    public FitsFrame {
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException("pixels length " + pixels.length + " != " + width + "x" + height);
        }
    }

    public float at(int x, int y) {
        return pixels[y * width + x];
    }
}
