package io.morpho.imaging.fits;

import java.util.OptionalDouble;

import nom.tam.fits.Header;

/**
 * A frame's photometric zero point (AB magnitude of one count per second, or of one unit of the image): from the
 * keywords surveys use ({@code PHOTZP}, {@code MAGZERO}, {@code MAGZPT}, {@code MAGZP}, {@code ZEROPNT}, {@code ZP}),
 * or for HST from {@code PHOTFLAM} and {@code PHOTPLAM}: {@code ZP_AB = -2.5 log10(PHOTFLAM) - 5 log10(PHOTPLAM) -
 * 2.408} (STScI's definition).
 */
public final class ZeroPoint {
    private static final String[] KEYS = {"PHOTZP", "MAGZERO", "MAGZPT", "MAGZP", "ZEROPNT", "ZP"};

    private ZeroPoint() {
    }

    /** The zero point the header gives, and from which keyword, or empty. */
    public static OptionalDouble of(Header header) {
        for (String key : KEYS) {
            if (header.containsKey(key)) {
                double value = header.getDoubleValue(key, Double.NaN);
                if (Double.isFinite(value) && value > 0) {
                    return OptionalDouble.of(value);
                }
            }
        }
        double photflam = header.getDoubleValue("PHOTFLAM", Double.NaN);
        double photplam = header.getDoubleValue("PHOTPLAM", Double.NaN);
        if (photflam > 0 && photplam > 0) {
            return OptionalDouble.of(-2.5 * Math.log10(photflam) - 5 * Math.log10(photplam) - 2.408);
        }
        return OptionalDouble.empty();
    }
}
