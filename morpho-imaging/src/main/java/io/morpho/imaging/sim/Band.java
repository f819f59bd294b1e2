package io.morpho.imaging.sim;

/**
 * How one survey band images the sky: pixel scale, PSF width, sky noise (per pixel, in the frame's
 * counts), photometric zero point, and a per-class brightness factor that gives galaxies colours
 * (order: spheroid, disk, irregular, point source, unclassifiable).
 */
public record Band(String name, double pixelScaleArcsec, double psfFwhmArcsec, double skySigma, double zeroPoint,
                   double[] classBrightness) {

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
