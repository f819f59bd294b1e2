package io.morpho.imaging.sim;

import java.util.Random;

import io.morpho.imaging.GalaxyRenderer;

/** Draws galaxies of a given class and renders them, noiselessly and PSF-convolved, in a band. */
public final class GalaxySimulator {
    /** A blend's companion lies {@code COMPANION_OFFSET} x (its stored offset) effective radii from the galaxy. */
    private static final double COMPANION_OFFSET = 2;

    /** Knots add this share of a galaxy's light (times the band's clumpiness) on top of it. */
    private static final double KNOT_LIGHT = 0.25;

    private GalaxySimulator() {
    }

    /** Draws the structure of one object of class {@code cls} with a magnitude in [magMin, magMax). */
    public static Morphology draw(Random rng, int cls, double magMin, double magMax) {
        double mag = magMin + rng.nextDouble() * (magMax - magMin);
        double pa = rng.nextDouble() * Math.PI;
        return switch (cls) {
            case Morphology.SPHEROID -> new Morphology(cls, mag, uniform(rng, 0.15, 0.45), uniform(rng, 3, 5),
                    uniform(rng, 0.6, 1.0), pa, 1.0, 0, 0, 0, new double[0][], null, null);
            case Morphology.DISK -> {
                boolean spiral = rng.nextDouble() < 0.6;
                yield new Morphology(cls, mag, uniform(rng, 0.3, 0.7), uniform(rng, 0.8, 1.2), uniform(rng, 0.25, 1.0),
                        pa, uniform(rng, 0.0, 0.3), spiral ? 2 : 0, spiral ? uniform(rng, 0.4, 0.8) : 0,
                        uniform(rng, 0.3, 0.5), new double[0][], null, null);
            }
            case Morphology.IRREGULAR -> {
                double[][] clumps = new double[3 + rng.nextInt(5)][];
                for (int i = 0; i < clumps.length; i++) {
                    clumps[i] = new double[] {rng.nextGaussian() * 0.8, rng.nextGaussian() * 0.8,
                            uniform(rng, 0.08, 0.2), uniform(rng, 0.1, 0.3)};
                }
                yield new Morphology(cls, mag, uniform(rng, 0.3, 0.7), uniform(rng, 0.5, 1.0), uniform(rng, 0.3, 0.9),
                        pa, 0, 0, 0, 0, clumps, null, null);
            }
            case Morphology.POINT_SOURCE -> new Morphology(cls, mag, 0.01, 1, 1, 0, 0, 0, 0, 0, new double[0][], null, null);
            case Morphology.UNCLASSIFIABLE -> unclassifiable(rng, mag);
            default -> throw new IllegalArgumentException("class " + cls + " not in 0..4");
        };
    }

    /**
     * An object whose image does not show one galaxy: a blend of two similar objects, or an artefact dominating the
     * stamp (stamps on a frame edge are made by {@link StampSimulator}). Objects too faint to classify are not a kind
     * of their own: they are faint galaxies, and {@link VoteModel} gives them the votes of their S/N.
     */
    private static Morphology unclassifiable(Random rng, double mag) {
        Morphology base = draw(rng, rng.nextInt(3), mag, mag + 1e-9);
        if (rng.nextBoolean()) {
            double angle = rng.nextDouble() * 2 * Math.PI;
            double sep = uniform(rng, 0.8, 1.6);
            return copy(base, new double[] {sep * Math.cos(angle), sep * Math.sin(angle), uniform(rng, 0.5, 1.0)}, null);
        }
        return copy(base, null, new double[] {rng.nextDouble() * Math.PI, uniform(rng, 3, 6), uniform(rng, 0.5, 0.8)});
    }

    private static Morphology copy(Morphology m, double[] companion, double[] streak) {
        return new Morphology(Morphology.UNCLASSIFIABLE, m.magnitude(), m.reArcsec(), m.sersicN(), m.axisRatio(),
                m.positionAngle(), m.bulgeFraction(), m.spiralArms(), m.spiralAmplitude(), m.spiralPitch(), m.clumps(),
                companion, streak);
    }

    /** Total counts of an object in a band, from its magnitude, the zero point and the band's colour term. */
    public static double flux(Morphology m, Band band) {
        return Math.pow(10, -0.4 * (m.magnitude() - band.zeroPoint())) * band.classBrightness()[m.morphClass()];
    }

    /** Renders onto a size x size canvas centred at (cx, cy): noiseless counts, PSF applied. */
    public static float[] render(Morphology m, Band band, int size, double cx, double cy) {
        return render(m, band, size, cx, cy, Part.ALL);
    }

    /**
     * The galaxies in an object's image, each rendered alone like {@link #render}: the object's own galaxy and, in a
     * blend, its companion. An artefact is no galaxy and is left out.
     */
    public static java.util.List<float[]> renderGalaxies(Morphology m, Band band, int size, double cx, double cy) {
        float[] own = render(m, band, size, cx, cy, Part.OWN_GALAXY);
        return m.companion() == null ? java.util.List.of(own)
                : java.util.List.of(own, render(m, band, size, cx, cy, Part.COMPANION));
    }

    private enum Part { ALL, OWN_GALAXY, COMPANION }

    private static float[] render(Morphology m, Band band, int size, double cx, double cy, Part part) {
        float[] canvas = new float[size * size];
        double flux = flux(m, band);
        double re = m.reArcsec() / band.pixelScaleArcsec();
        double streakShare = m.streak() == null ? 0 : m.streak()[2];
        double galaxyFlux = flux * (1 - streakShare);
        if (part == Part.COMPANION) {
            addCompanion(canvas, size, cx, cy, m, re, galaxyFlux);
        } else if (m.morphClass() == Morphology.POINT_SOURCE) {
            GalaxyRenderer.addGaussian(canvas, size, size, cx, cy, flux, 0.3);
        } else {
            double clumpShare = 0;
            for (double[] c : m.clumps()) {
                clumpShare += c[2];
            }
            clumpShare = Math.min(clumpShare, 0.8);
            double bulge = galaxyFlux * m.bulgeFraction() * (1 - clumpShare);
            double main = galaxyFlux * (1 - clumpShare) - bulge;
            if (m.sersicN() < 2 && bulge > 0) {
                GalaxyRenderer.addSersic(canvas, size, size, cx, cy, bulge, 0.3 * re, 4, 0.9, m.positionAngle(), 0, 0, 1);
            } else {
                main += bulge;
            }
            GalaxyRenderer.addSersic(canvas, size, size, cx, cy, main, re, m.sersicN(), m.axisRatio(),
                    m.positionAngle(), m.spiralArms(), m.spiralAmplitude(), m.spiralPitch());
            // Each clump keeps its drawn share, and the smooth part keeps what is left down to a fifth: an irregular
            // whose clumps were drawn with more than 0.8 of its light is that much brighter than its magnitude (up to
            // 0.5 mag). The training sets were simulated so, and the shipped models with them.
            for (double[] c : m.clumps()) {
                GalaxyRenderer.addGaussian(canvas, size, size, cx + c[0] * re, cy + c[1] * re, galaxyFlux * c[2],
                        Math.max(0.5, c[3] * re));
            }
            if (band.clumpiness() > 0 && (m.morphClass() == Morphology.DISK || m.morphClass() == Morphology.IRREGULAR)) {
                addKnots(canvas, size, cx, cy, m, re, galaxyFlux * KNOT_LIGHT * band.clumpiness());
            }
            if (part == Part.ALL && m.companion() != null) {
                addCompanion(canvas, size, cx, cy, m, re, galaxyFlux);
            }
        }
        GalaxyRenderer.convolveGaussian(canvas, size, size, band.psfSigmaPixels());
        if (part == Part.ALL && m.streak() != null) { // artefacts are not blurred by the PSF
            addStreak(canvas, size, cx, cy, m.streak()[0], m.streak()[1] * re, flux * streakShare);
        }
        return canvas;
    }

    private static void addCompanion(float[] canvas, int size, double cx, double cy, Morphology m, double re,
                                     double galaxyFlux) {
        double[] c = m.companion();
        GalaxyRenderer.addSersic(canvas, size, size, cx + c[0] * re * COMPANION_OFFSET, cy + c[1] * re * COMPANION_OFFSET,
                galaxyFlux * c[2], re * 0.8, m.sersicN(), 0.7, m.positionAngle() + 1, 0, 0, 1);
    }

    /** How far a blend's companion lies from its galaxy, in the galaxy's effective radii (NaN without a companion). */
    public static double companionDistance(Morphology m) {
        double[] c = m.companion();
        return c == null ? Double.NaN : COMPANION_OFFSET * Math.hypot(c[0], c[1]);
    }

    /**
     * The share of an object's light that a band shows in young star-forming knots: disks and irregulars in bands
     * with {@link Band#clumpiness()} (0 elsewhere). What makes a disk look patchy in the ultraviolet.
     */
    public static double knotShare(Morphology m, Band band) {
        if (band.clumpiness() <= 0 || (m.morphClass() != Morphology.DISK && m.morphClass() != Morphology.IRREGULAR)) {
            return 0;
        }
        double knots = KNOT_LIGHT * band.clumpiness();
        return knots / (1 + knots);
    }

    /**
     * Star-forming knots that light up at short wavelengths. They are placed by a generator seeded from the
     * object's own parameters, so one galaxy shows the same knots in every band (and no draw is taken from the
     * caller's generator, which keeps simulated datasets reproducible).
     */
    private static void addKnots(float[] canvas, int size, double cx, double cy, Morphology m, double re, double flux) {
        Random knots = new Random(Double.doubleToLongBits(m.magnitude()) * 31 + Double.doubleToLongBits(m.positionAngle()));
        int count = 3 + knots.nextInt(4);
        double cos = Math.cos(m.positionAngle());
        double sin = Math.sin(m.positionAngle());
        for (int k = 0; k < count; k++) {
            double r = re * uniform(knots, 0.3, 1.3);
            double theta = knots.nextDouble() * 2 * Math.PI;
            double major = r * Math.cos(theta);
            double minor = r * Math.sin(theta) * m.axisRatio();
            GalaxyRenderer.addGaussian(canvas, size, size, cx + major * cos - minor * sin, cy + major * sin + minor * cos,
                    flux / count, Math.max(0.5, 0.12 * re));
        }
    }

    private static void addStreak(float[] canvas, int size, double cx, double cy, double angle, double length, double flux) {
        int steps = Math.max(2, (int) (length * 2));
        double perStep = flux / steps;
        for (int s = 0; s < steps; s++) {
            double t = (s / (double) (steps - 1) - 0.5) * length;
            int x = (int) Math.round(cx + 0.3 * length + t * Math.cos(angle));
            int y = (int) Math.round(cy + 0.3 * length + t * Math.sin(angle));
            if (x >= 0 && y >= 0 && x < size && y < size) {
                canvas[y * size + x] += (float) perStep;
            }
        }
    }

    /** Adds sky noise and the object's Poisson noise (Gaussian approximation, gain 1 count per unit). */
    public static void addNoise(float[] canvas, Band band, Random rng) {
        double skyVariance = band.skySigma() * band.skySigma();
        for (int i = 0; i < canvas.length; i++) {
            double signal = Math.max(canvas[i], 0);
            canvas[i] += (float) (rng.nextGaussian() * Math.sqrt(skyVariance + signal * 0.01));
        }
    }

    /** Signal-to-noise inside the Petrosian aperture, against sky noise. */
    public static double snr(Morphology m, Band band, double petrosianRadiusPixels) {
        double area = Math.PI * Math.max(petrosianRadiusPixels, 1.5) * Math.max(petrosianRadiusPixels, 1.5);
        return flux(m, band) / (band.skySigma() * Math.sqrt(area));
    }

    static double uniform(Random rng, double lo, double hi) {
        return lo + rng.nextDouble() * (hi - lo);
    }
}
