package io.morpho.imaging.sim;

/**
 * How one survey band images the sky: pixel scale, PSF width, sky noise (per pixel, in the frame's
 * counts), photometric zero point, and a per-class brightness factor that gives galaxies colours
 * (order: spheroid, disk, irregular, point source, unclassifiable), and how strongly young star-forming knots
 * show in disks and irregulars ({@code clumpiness}, 0 to 1; strongest in the ultraviolet).
 */
public record Band(String name, double pixelScaleArcsec, double psfFwhmArcsec, double skySigma, double zeroPoint,
                   double[] classBrightness, double clumpiness) {

    public Band(String name, double pixelScaleArcsec, double psfFwhmArcsec, double skySigma, double zeroPoint,
                double[] classBrightness) {
        this(name, pixelScaleArcsec, psfFwhmArcsec, skySigma, zeroPoint, classBrightness, 0);
    }

    /** The 16 CLASH filters, ultraviolet to near infrared (Postman et al. 2012), in that order. */
    public static final java.util.List<String> CLASH_FILTERS = java.util.List.of("F225W", "F275W", "F336W", "F390W",
            "F435W", "F475W", "F606W", "F625W", "F775W", "F814W", "F850LP", "F105W", "F110W", "F125W", "F140W", "F160W");

    /**
     * A CLASH band on the 0.065 arcsec/pixel mosaics. Approximate per-filter PSF widths (WFC3/UVIS, ACS/WFC,
     * WFC3/IR), zero points and depths; the ultraviolet is shallower (fewer counts for a magnitude) and shows young
     * star-forming knots ({@code clumpiness}), spheroids are red and irregulars blue.
     */
    public static Band clash(String filter) {
        int i = CLASH_FILTERS.indexOf(filter);
        if (i < 0) {
            throw new IllegalArgumentException("not a CLASH filter: " + filter + " (known: " + CLASH_FILTERS + ")");
        }
        double[] wavelengthNm = {235, 270, 335, 392, 433, 475, 590, 631, 769, 806, 903, 1055, 1153, 1249, 1392, 1537};
        double[] psf = {0.075, 0.075, 0.075, 0.075, 0.095, 0.095, 0.10, 0.10, 0.10, 0.10, 0.11, 0.13, 0.13, 0.14, 0.15, 0.18};
        double[] zeroPoint = {24.10, 24.17, 24.68, 25.37, 25.66, 26.06, 26.49, 25.91, 25.67, 25.94, 24.86, 26.27, 26.82,
                26.23, 26.45, 25.95};
        double[] sky = {0.012, 0.012, 0.011, 0.011, 0.011, 0.010, 0.010, 0.011, 0.011, 0.010, 0.012, 0.010, 0.009, 0.010,
                0.010, 0.010};
        double[] clumps = {1.0, 1.0, 0.9, 0.8, 0.6, 0.5, 0.3, 0.3, 0.2, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.0};
        double x = wavelengthNm[i] / 1537.0;
        double[] brightness = {1.3 * Math.pow(x, 1.5), Math.pow(x, 0.3), 0.8 * Math.pow(x, -0.5), 1.0, 1.0};
        return new Band(filter, 0.065, psf[i], sky[i], zeroPoint[i], brightness, clumps[i]);
    }

    /** HST/WFC3 F160W at CANDELS depth (0.06 arcsec pixels, 0.18 arcsec PSF). */
    public static Band f160w() {
        return new Band("F160W", 0.06, 0.18, 0.01, 25.95, new double[] {1.3, 1.0, 0.8, 1.0, 1.0});
    }

    /** HST/ACS F606W (sharper PSF, bluer: irregulars and disks brighter, spheroids fainter). */
    public static Band f606w() {
        return new Band("F606W", 0.06, 0.11, 0.012, 26.49, new double[] {0.7, 1.0, 1.3, 1.0, 1.0});
    }

    public double psfSigmaPixels() {
        return psfFwhmArcsec / pixelScaleArcsec / 2.3548;
    }
}
