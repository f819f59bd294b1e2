package io.morpho.imaging.sky;

/** Angles on the sky. */
public final class SkyMath {
    private SkyMath() {
    }

    /** Great-circle separation in degrees (haversine: accurate for tiny and large separations alike). */
    public static double separationDeg(double ra1, double dec1, double ra2, double dec2) {
        double d1 = Math.toRadians(dec1);
        double d2 = Math.toRadians(dec2);
        double sinDdec = Math.sin((d2 - d1) / 2);
        double sinDra = Math.sin(Math.toRadians(ra2 - ra1) / 2);
        double h = sinDdec * sinDdec + Math.cos(d1) * Math.cos(d2) * sinDra * sinDra;
        return Math.toDegrees(2 * Math.asin(Math.min(1, Math.sqrt(h))));
    }
}
