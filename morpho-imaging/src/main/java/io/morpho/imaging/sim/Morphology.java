package io.morpho.imaging.sim;

/**
 * Structural parameters of one simulated object. Class indices follow the model's output order:
 * 0 spheroid, 1 disk, 2 irregular, 3 point source, 4 unclassifiable.
 *
 * @param reArcsec    effective radius of the main component
 * @param bulgeFraction share of the light in an n = 4 bulge (disks)
 * @param clumps      star-forming knots: {dx/re, dy/re, share of light, sigma/re}
 * @param companion   a blended neighbour: {dx/re, dy/re, flux ratio}, or null
 * @param streak      a cosmic-ray-like artefact: {angle (rad), length/re, share of light}, or null
 */
public record Morphology(int morphClass, double magnitude, double reArcsec, double sersicN, double axisRatio,
                         double positionAngle, double bulgeFraction, int spiralArms, double spiralAmplitude,
                         double spiralPitch, double[][] clumps, double[] companion, double[] streak) {
    public static final int SPHEROID = 0;
    public static final int DISK = 1;
    public static final int IRREGULAR = 2;
    public static final int POINT_SOURCE = 3;
    public static final int UNCLASSIFIABLE = 4;
    public static final int CLASSES = 5;
}
