package io.morpho.imaging.fits;

import java.util.List;

import nom.tam.fits.Header;

/**
 * One image plane in physical units (BSCALE/BZERO applied, BLANK as NaN), row-major with row 0 the first
 * FITS row. Pixel (x, y) here is 0-based; FITS pixel (1, 1) is (0, 0). {@code warnings}: what a user should know
 * about how the image was read (e.g. only the first plane of a data cube). {@code primary}: the primary header when the
 * image is an extension, else null.
 */
public record FitsFrame(int width, int height, float[] pixels, Header header, String hdu, List<String> warnings,
                        Header primary) {
    public FitsFrame {
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException("pixels length " + pixels.length + " != " + width + "x" + height);
        }
        warnings = List.copyOf(warnings);
    }

    public FitsFrame(int width, int height, float[] pixels, Header header, String hdu) {
        this(width, height, pixels, header, hdu, List.of(), null);
    }

    /**
     * A keyword describing the observation (FILTER, zero point, MJD-OBS, ...): from the image's header, else from the
     * primary header when the image is an extension (multi-extension files keep such keywords there; the FITS
     * INHERIT convention). Not for structural or WCS keywords.
     */
    public java.util.Optional<nom.tam.fits.HeaderCard> keyword(String key) {
        if (header.containsKey(key)) {
            return java.util.Optional.of(header.findCard(key));
        }
        return primary != null && primary.containsKey(key) ? java.util.Optional.of(primary.findCard(key))
                : java.util.Optional.empty();
    }

    /** The same frame with more warnings. */
    public FitsFrame withWarnings(List<String> more) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new FitsFrame(width, height, pixels, header, hdu, all, primary);
    }

    public float at(int x, int y) {
        return pixels[y * width + x];
    }
}
