package io.morpho.imaging.detect;

import java.util.ArrayList;
import java.util.List;

import io.morpho.imaging.Petrosian;

/**
 * Finds sources in a frame, in the spirit of SExtractor (Bertin &amp; Arnouts 1996), written here because no Java
 * source-extraction library is served:
 * <ol>
 * <li>background and noise maps ({@link Background}, mesh {@link Config#mesh}), measured twice: the second time
 * with the pixels of the sources found on the first (grown by twice the smoothing FWHM) left out;</li>
 * <li>when the PSF is given ({@link Config#psfFwhm}), pixels sharper than it allows (cosmic rays, unblurred tracks,
 * hot pixels: {@link SharpPixels}) are replaced by their neighbours' median for detection and left out of every
 * measurement, so that a galaxy under a track is detected and measured on its own;</li>
 * <li>the background-subtracted frame is smoothed with a Gaussian of {@link Config#smoothingFwhm} pixels (the
 * matched filter for faint, PSF-sized sources) and expressed in units of the smoothed image's own noise, pixel by
 * pixel (fewer valid pixels under the kernel near edges and holes means more noise there);</li>
 * <li>pixels above {@link Config#thresholdSigma} are grouped into 8-connected components of at least
 * {@link Config#minArea} pixels;</li>
 * <li>each component is deblended by multi-thresholding: between the detection threshold and its peak,
 * {@link Config#deblendLevels} exponentially spaced levels; where a level splits it into two or more branches that
 * each hold at least {@link Config#deblendContrast} of the component's flux (both counted above the level they are cut
 * at, so that clumps on one galaxy's light stay with it), the branches become separate objects (recursively, against
 * the same component flux, as in SExtractor) and the pixels below the split go to the branch they connect to first;</li>
 * <li>per object: flux-weighted centroid, isophotal flux and S/N (objects under {@link Config#minSnr} are dropped),
 * peak, area, the Petrosian radius (eta = 0.2) measured on the background-subtracted frame with the other objects'
 * pixels masked (ratio profile averaged over +-1 pixel, crossing interpolated: {@link Petrosian#radiusPixelsNoisy}),
 * and the flux within two Petrosian radii; flags for objects touching the frame edge, no-data pixels,
 * or masked pixels;</li>
 * <li>optionally, when the PSF is given ({@link Config#psfFwhm}), PSF-convolved Sersic models: radii where the direct
 * measurement is weakest (faint objects, overlapping neighbours), pairs the threshold saw as one split in two, and
 * the clumps of one galaxy the deblender or the threshold split off merged back (see {@link #MODEL_SNR}).</li>
 * </ol>
 */
public final class SourceDetector {
    /**
     * @param thresholdSigma  detection threshold in sigma of the smoothed image
     * @param minArea         minimum connected pixels above threshold
     * @param mesh            background mesh side, pixels
     * @param smoothingFwhm   Gaussian smoothing FWHM, pixels (0: none)
     * @param deblendLevels   multi-threshold levels between threshold and peak
     * @param deblendContrast a branch must hold at least this fraction of its component's flux, both counted above the
     *                        level they are cut at (see {@link #deblend}), to be split off
     * @param minSnr          minimum isophotal signal-to-noise
     * @param maxPetrosianBox largest half-size of the box the Petrosian radius is measured in, pixels
     * @param psfFwhm         the frame's PSF FWHM in pixels (a Gaussian): when positive, objects are also fitted with
     *                        models, which give radii and split overlapping pairs (see {@link #MODEL_SNR}); 0 for none
     */
    public record Config(double thresholdSigma, int minArea, int mesh, double smoothingFwhm, int deblendLevels,
                         double deblendContrast, double minSnr, int maxPetrosianBox, double psfFwhm) {
        public static Config defaults() {
            return new Config(3.0, 6, 64, 4.0, 32, 0.15, 6, 256, 0);
        }

        /** The same settings with model radii for a PSF of the given FWHM (pixels). */
        public Config withPsfFwhm(double fwhm) {
            return new Config(thresholdSigma, minArea, mesh, smoothingFwhm, deblendLevels, deblendContrast, minSnr,
                    maxPetrosianBox, fwhm);
        }
    }

    /**
     * Model radii (when {@link Config#psfFwhm} is set). Every object is fitted with a PSF-convolved Sersic model
     * ({@link SersicFit}); deblended siblings, up to {@link #MAX_GROUP} of them, together.
     * <ul>
     * <li>The frame's typical residual noise per unit of light, the median over single objects, is the yardstick:
     * an object whose model leaves more than {@link #SMOOTH_NOISE} times it has structure the model misses (arms,
     * clumps, a neighbour).</li>
     * <li>Such an object is fitted again with two models; when two leave no more than {@link #PAIR_NOISE} times the
     * yardstick (a bright pair: up to twice that, if they remove 80 % of what one model left), each holds
     * {@link #MIN_SHARE} of the light or more, both are galaxy profiles and they lie apart, it becomes two detections:
     * two galaxies the detection threshold saw as one ({@link SersicFit#fitOneOrTwo}).</li>
     * <li>A deblended sibling whose model is flat (a clump's index, or one at a bound of the profile) is fitted on its
     * own and, when one model does not describe it, tried as two the same way: a pair beside a neighbour.</li>
     * <li>Deblended siblings that are one galaxy's clumps (a model flatter than a galaxy profile, near its sibling:
     * {@link #clumpSets}) are merged back into one object, measured again and fitted as one. So is a clump the
     * threshold left as a component of its own, outside its galaxy's outline ({@link #outlyingClumpOf}): alone, fitted
     * flat, within the same reach of a brighter object whose light it sits on, and holding at least
     * {@link #OUTLYING_SHARE} of that object's light.</li>
     * <li>A single object whose model describes it takes its model's radius when it is fainter than
     * {@link #MODEL_SNR}: there the direct measurement is at the mercy of the noise in one annulus. A brighter one takes
     * the geometric mean of its model's and its direct radius: both measure it well, their errors are only partly
     * shared (correlated by 0.5-0.6 on the simulated fields), and the mean scatters less than either. Deblended and
     * split objects take their models' radii: their light overlaps, and the models share it out.</li>
     * </ul>
     */
    public static final double MODEL_SNR = 100;

    /** Deblended groups of up to this many siblings are fitted together; larger ones keep their direct radii. */
    public static final int MAX_GROUP = 4;

    static final double SMOOTH_NOISE = 1.25;
    static final double PAIR_NOISE = 1.0;
    static final double MIN_SHARE = 0.3;
    /** How far (in direct Petrosian radii of the brighter) a clump and its sibling may lie to be one galaxy. */
    static final double CLUMP_REACH = 2.5;
    /**
     * A component holding less than this share of a brighter neighbour's light is left alone: joined, it would change
     * that galaxy's radius little, and it may be a source of its own (a faint object in a large galaxy's halo).
     */
    static final double OUTLYING_SHARE = 0.05;
    /**
     * A component joins a galaxy only when it lies on that galaxy's light: connected to it by a path that stays above
     * this significance (the sky's level, in the smoothed image's noise), not across empty sky.
     */
    static final double OUTLYING_SADDLE = 0;
    /** The label of pixels found to be artefacts (sharper than the PSF): no object's, and not sky either. */
    private static final int ARTEFACT = -1;

    /**
     * One detected object. Positions are 0-based pixel coordinates of the frame.
     *
     * @param petrosianRadius Petrosian radius in pixels measured directly, NaN when the profile never fell to eta
     *                        inside the box
     * @param petrosianFlux   flux within two Petrosian radii (background subtracted), NaN with the radius
     * @param edge            the object touches the frame border or pixels without data
     * @param masked          the object touches pixels the mask/weight map excludes
     * @param modelRadius     the Petrosian radius of the object's fitted model ({@link SersicFit}), NaN when it was
     *                        not fitted (see {@link Config#psfFwhm}), the fit failed or the model does not describe it
     * @param radius          the Petrosian radius adopted (see {@link #MODEL_SNR}): the model's, or the geometric mean
     *                        of the model's and the direct one for a bright object alone, else the direct measurement,
     *                        else the isophotal radius sqrt(area / pi)
     */
    public record Detection(double x, double y, double flux, double snr, double peak, int area, double petrosianRadius,
                            double petrosianFlux, boolean edge, boolean masked, double modelRadius, double radius) {
        /** A detection without a model: it adopts its direct radius, or its isophotal radius when there is none. */
        static Detection direct(double x, double y, double flux, double snr, double peak, int area,
                                double petrosianRadius, double petrosianFlux, boolean edge, boolean masked) {
            return new Detection(x, y, flux, snr, peak, area, petrosianRadius, petrosianFlux, edge, masked, Double.NaN,
                    directRadius(petrosianRadius, area));
        }

        /** The model's radius adopted (or, when it is NaN, the direct one, else the isophotal one). */
        Detection withModelRadius(double model) {
            return withRadii(model, Double.isFinite(model) ? model : directRadius(petrosianRadius, area));
        }

        Detection withRadii(double model, double adopted) {
            return new Detection(x, y, flux, snr, peak, area, petrosianRadius, petrosianFlux, edge, masked, model, adopted);
        }

        /** The direct Petrosian radius, or the isophotal radius sqrt(area / pi) when there is none. */
        private static double directRadius(double petrosianRadius, int area) {
            return Double.isFinite(petrosianRadius) ? petrosianRadius : Math.sqrt(area / Math.PI);
        }

        /** The flux within two Petrosian radii, or the isophotal flux when there is no Petrosian radius. */
        public double totalFlux() {
            return Double.isFinite(petrosianFlux) && petrosianFlux > 0 ? petrosianFlux : flux;
        }
    }

    /**
     * All detections (flagged ones included, in order of decreasing flux), the background used, how many components
     * were found and how many objects deblending added, and how many pixels were left out as sharper than the PSF
     * (cosmic rays, tracks, hot pixels; 0 without the PSF).
     */
    public record Result(List<Detection> detections, Background background, int components, int deblended,
                         int artefactPixels) {
    }

    /** Smallest image side detection runs on. */
    public static final int MIN_SIDE = 16;

    private final Config config;
    private final float[] pixels;
    private final int width;
    private final int height;
    private final boolean[] mask;
    private float[] subtracted;
    private float[] significance;
    private int[] labels;
    private int[] visit;
    private int generation;

    private SourceDetector(Config config, float[] pixels, int width, int height, boolean[] mask) {
        this.config = config;
        this.pixels = pixels;
        this.width = width;
        this.height = height;
        this.mask = mask;
    }

    /**
     * @param mask optional, true where a pixel must not be used (same size as the frame); may be null
     */
    public static Result detect(float[] pixels, int width, int height, boolean[] mask, Config config) {
        if (pixels.length != (long) width * height || mask != null && mask.length != pixels.length) {
            throw new IllegalArgumentException("pixels/mask do not match " + width + "x" + height);
        }
        if (width < MIN_SIDE || height < MIN_SIDE) {
            throw new io.morpho.imaging.ImagingException("frame.too-small", String.format(java.util.Locale.ROOT,
                    "the image is %dx%d pixels; source detection needs at least %dx%d", width, height, MIN_SIDE, MIN_SIDE));
        }
        return new SourceDetector(config, pixels, width, height, mask).run();
    }

    private Result run() {
        int n = pixels.length;
        labels = new int[n];
        visit = new int[n];
        Background background = Background.estimate(pixels, width, height, mask, config.mesh());
        float[] rms = findSignificance(background);
        List<int[]> components = components();
        // Second pass: the sky measured without the sources' light, which the first estimate partly took for sky
        // around large galaxies (and so cut their outskirts, and their Petrosian radii, short).
        background = Background.reestimate(pixels, width, height, sourceMask(components), config.mesh(), background);
        rms = findSignificance(background);
        int artefactPixels = config.psfFwhm() > 0 ? removeArtefacts(rms, config.psfFwhm() / 2.3548) : 0;
        components = components();
        List<int[]> objects = new ArrayList<>();
        List<Integer> componentOf = new ArrayList<>();
        for (int c = 0; c < components.size(); c++) {
            int[] component = components.get(c);
            for (int[] o : deblend(component, 1, fluxAbove(component, config.thresholdSigma()))) {
                objects.add(o);
                componentOf.add(c);
            }
        }
        for (int k = 0; k < objects.size(); k++) {
            for (int i : objects.get(k)) {
                labels[i] = k + 1;
            }
        }
        Detection[] measured = new Detection[objects.size()];
        for (int k = 0; k < objects.size(); k++) {
            measured[k] = photometry(objects.get(k), rms);
        }
        // An object below the S/N cut is a high point of the noise, on the sky or on a galaxy's outskirts. Its pixels
        // are left to the objects around it: left out of their measurements, they would take the noise's high points
        // out of a galaxy's profile and bias its radius low.
        for (int k = 0; k < objects.size(); k++) {
            if (measured[k] == null) {
                for (int i : objects.get(k)) {
                    labels[i] = 0;
                }
            }
        }
        for (int k = 0; k < objects.size(); k++) {
            if (measured[k] != null) {
                measured[k] = withPetrosian(measured[k], k + 1);
            }
        }
        List<Detection> detections = new ArrayList<>();
        if (config.psfFwhm() > 0) {
            fitModels(objects, measured, componentOf, rms, config.psfFwhm() / 2.3548, detections);
        }
        for (Detection d : measured) {
            if (d != null) {
                detections.add(d);
            }
        }
        detections.sort((a, b) -> Double.compare(b.flux(), a.flux()));
        return new Result(List.copyOf(detections), background, components.size(), objects.size() - components.size(),
                artefactPixels);
    }

    /**
     * Model radii ({@link SersicFit}): the objects of each component fitted together, PSF-convolved, when the
     * component was deblended into at most {@link #MAX_GROUP} siblings (overlapping light is shared between the models
     * instead of being cut at the segmentation boundary) or when its object is fainter than {@link #MODEL_SNR}.
     * Objects split in two are replaced in {@code measured} by null and their two halves added to {@code split}.
     */
    private void fitModels(List<int[]> objects, Detection[] measured, List<Integer> componentOf, float[] rms,
                           double psfSigma, List<Detection> split) {
        java.util.Map<Integer, List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int k = 0; k < measured.length; k++) {
            if (measured[k] != null) {
                groups.computeIfAbsent(componentOf.get(k), c -> new ArrayList<>()).add(k);
            }
        }
        double[] radius = new double[measured.length];
        double[] noise = new double[measured.length];
        java.util.Arrays.fill(radius, Double.NaN);
        java.util.Arrays.fill(noise, Double.NaN);
        SersicFit.Result[] single = new SersicFit.Result[measured.length];
        SersicFit.Model[] model = new SersicFit.Model[measured.length];
        java.util.Map<Integer, SersicFit.Result> fits = new java.util.concurrent.ConcurrentHashMap<>();
        groups.entrySet().parallelStream().filter(e -> e.getValue().size() <= MAX_GROUP).forEach(e -> fits.put(e.getKey(),
                fitGroup(measured, e.getValue(), rms, psfSigma, radius, noise, single, model)));
        // Clumps of one galaxy that the deblender took apart are put together again, and the group is fitted anew.
        java.util.Set<Integer> refit = new java.util.TreeSet<>();
        for (java.util.Map.Entry<Integer, List<Integer>> e : groups.entrySet()) {
            SersicFit.Result fit = fits.get(e.getKey());
            if (e.getValue().size() > 1 && fit != null && fit.converged()) {
                List<List<Integer>> sets = clumpSets(fit, e.getValue(), measured);
                if (!sets.isEmpty()) {
                    List<Integer> rest = new ArrayList<>(e.getValue());
                    for (List<Integer> set : sets) {
                        rest.removeAll(set);
                        int kept = merge(objects, measured, set, rms, radius, noise);
                        if (kept >= 0) {
                            rest.add(kept);
                        }
                    }
                    e.setValue(List.copyOf(rest));
                    refit.add(e.getKey());
                }
            }
        }
        // So is a clump the threshold left outside its galaxy's outline (the light between them fell below it).
        for (int f = 0; f < measured.length; f++) {
            int clump = f;
            int galaxy = outlyingClumpOf(f, measured, model, componentOf, groups,
                    b -> saddle(objects.get(clump), b + 1, measured[clump], measured[b]) >= OUTLYING_SADDLE);
            if (galaxy >= 0) {
                groups.remove(componentOf.get(f));
                // Never fails the S/N cut: fluxes and variances add, so the union of two objects that passed it passes.
                merge(objects, measured, List.of(galaxy, f), rms, radius, noise);
                refit.add(componentOf.get(galaxy));
            }
        }
        refit.stream().map(groups::get).filter(m -> m != null && !m.isEmpty() && m.size() <= MAX_GROUP).toList()
                .parallelStream().forEach(members -> fitGroup(measured, members, rms, psfSigma, radius, noise, single, model));
        double[] singles = groups.values().stream().filter(members -> members.size() == 1)
                .mapToDouble(members -> noise[members.get(0)]).filter(Double::isFinite).sorted().toArray();
        if (singles.length == 0) {
            return;
        }
        double yardstick = singles[singles.length / 2];
        List<Detection> pairs = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Map<Integer, SersicFit.Result> artefacts = new java.util.concurrent.ConcurrentHashMap<>();
        groups.values().parallelStream().forEach(members -> {
            if (members.size() > 1) {
                // A sibling fitted flat, against the bound of the index, may be two galaxies the deblender left as one.
                for (int k : members) {
                    if (measured[k] != null && model[k] != null && (SersicFit.clump(model[k]) || SersicFit.pinned(model[k]))) {
                        Detection d = measured[k];
                        SersicFit.Model start = SersicFit.guess(subtracted, width, height, labels, k + 1, d.x(), d.y(),
                                d.radius(), d.totalFlux());
                        SersicFit.Result one = SersicFit.fit(subtracted, rms, width, height, labels, new int[] {k + 1},
                                new SersicFit.Model[] {start}, d.x(), d.y(), box(d.radius()), psfSigma);
                        if (one.converged() && one.varianceGrowth() > SMOOTH_NOISE * yardstick) {
                            split(k, measured, fitOneOrTwo(k, d, one, rms, psfSigma, yardstick), psfSigma, pairs);
                        }
                    }
                }
                return;
            }
            int k = members.get(0);
            Detection d = measured[k];
            if (!(noise[k] > SMOOTH_NOISE * yardstick)) {
                measured[k] = adopt(d, radius[k]);
                return;
            }
            SersicFit.Result fit = fitOneOrTwo(k, d, single[k], rms, psfSigma, yardstick);
            if (fit.sharpPixels().length > 0 && fit.models().length == 1) {
                artefacts.put(k, fit);
            } else {
                split(k, measured, fit, psfSigma, pairs);
            }
        });
        split.addAll(pairs);
        // Objects with an artefact across them (in order, as labels change): its pixels are marked as belonging to
        // no object of the frame, so every measurement leaves them out, and the object is measured again at its
        // model's centre, directly, and by its model where that describes it.
        for (Integer k : new java.util.TreeSet<>(artefacts.keySet())) {
            SersicFit.Result fit = artefacts.get(k);
            for (int i : fit.sharpPixels()) {
                labels[i] = ARTEFACT;
            }
            Detection d = measured[k];
            SersicFit.Model one = fit.models()[0];
            double[] direct = petrosian(one.x(), one.y(), k + 1, d.area());
            Detection again = Detection.direct(one.x(), one.y(), d.flux(), d.snr(), d.peak(), d.area(), direct[0],
                    direct[1], d.edge(), d.masked());
            measured[k] = fit.varianceGrowth() <= SMOOTH_NOISE * yardstick ? adopt(again, modelRadius(one, psfSigma)) : again;
        }
    }

    /**
     * An object alone whose model describes it, with its radii: a faint one takes its model's radius, a bright one the
     * geometric mean of its model's and its direct radius (see {@link #MODEL_SNR}).
     */
    private static Detection adopt(Detection d, double model) {
        return d.snr() >= MODEL_SNR && d.petrosianRadius() > 0 && model > 0
                ? d.withRadii(model, Math.sqrt(d.petrosianRadius() * model)) : d.withModelRadius(model);
    }

    private SersicFit.Result fitOneOrTwo(int k, Detection d, SersicFit.Result one, float[] rms, double psfSigma,
                                         double yardstick) {
        return SersicFit.fitOneOrTwo(subtracted, rms, width, height, labels, k + 1, one, d.x(), d.y(), box(d.radius()),
                psfSigma, PAIR_NOISE * yardstick, MIN_SHARE);
    }

    /** When {@code fit} holds two models, object k becomes two detections (added to {@code pairs}), each with its model's radius. */
    private static void split(int k, Detection[] measured, SersicFit.Result fit, double psfSigma, List<Detection> pairs) {
        if (fit.models().length != 2) {
            return;
        }
        Detection d = measured[k];
        double total = fit.models()[0].flux() + fit.models()[1].flux();
        for (SersicFit.Model one : fit.models()) {
            double share = one.flux() / total;
            pairs.add(Detection.direct(one.x(), one.y(), d.flux() * share, d.snr() * share, d.peak(),
                    (int) Math.round(d.area() * share), Double.NaN, Double.NaN, d.edge(), d.masked())
                    .withModelRadius(SersicFit.petrosianRadius(one, psfSigma)));
        }
        measured[k] = null;
    }

    /**
     * The sets of a deblended group's members that are one galaxy: two siblings are, when either's model is a
     * {@link SersicFit#clump} and they lie within {@link #CLUMP_REACH} direct radii of the brighter one. None when a
     * model is a {@link SersicFit#streak} (a galaxy under a streak artefact fits flat too, and is no part of it).
     */
    static List<List<Integer>> clumpSets(SersicFit.Result fit, List<Integer> members, Detection[] measured) {
        SersicFit.Model[] models = fit.models();
        for (SersicFit.Model m : models) {
            if (SersicFit.streak(m)) {
                return List.of();
            }
        }
        int[] set = new int[models.length];
        for (int i = 0; i < set.length; i++) {
            set[i] = i;
        }
        for (int i = 0; i < models.length; i++) {
            for (int j = i + 1; j < models.length; j++) {
                Detection a = measured[members.get(i)];
                Detection b = measured[members.get(j)];
                Detection brighter = a.flux() >= b.flux() ? a : b;
                if ((SersicFit.clump(models[i]) || SersicFit.clump(models[j]))
                        && Math.hypot(a.x() - b.x(), a.y() - b.y()) <= reach(brighter) && set[i] != set[j]) {
                    int from = set[j];
                    for (int k = 0; k < set.length; k++) {
                        set[k] = set[k] == from ? set[i] : set[k];
                    }
                }
            }
        }
        List<List<Integer>> sets = new ArrayList<>();
        for (int root = 0; root < set.length; root++) {
            List<Integer> together = new ArrayList<>();
            for (int k = 0; k < set.length; k++) {
                if (set[k] == root) {
                    together.add(members.get(k));
                }
            }
            if (together.size() > 1) {
                sets.add(together);
            }
        }
        return sets;
    }

    /**
     * The galaxy object {@code f} is an outlying clump of, or -1: {@code f} is alone in its component, its model is a
     * {@link SersicFit#clump}, and it lies within {@link #CLUMP_REACH} radii (direct or isophotal, the smaller) of a
     * brighter object of another component whose model is no streak, whose light it holds at least
     * {@link #OUTLYING_SHARE} of and, as {@code onItsLight} tells, sits on; the nearest in units of that reach when
     * there are several.
     */
    static int outlyingClumpOf(int f, Detection[] measured, SersicFit.Model[] model, List<Integer> componentOf,
                               java.util.Map<Integer, List<Integer>> groups, java.util.function.IntPredicate onItsLight) {
        if (measured[f] == null || model[f] == null || !SersicFit.clump(model[f])
                || groups.getOrDefault(componentOf.get(f), List.of()).size() != 1) {
            return -1;
        }
        int galaxy = -1;
        double nearest = 1;
        for (int b = 0; b < measured.length; b++) {
            if (measured[b] == null || componentOf.get(b).equals(componentOf.get(f))
                    || measured[b].flux() <= measured[f].flux() || measured[f].flux() < OUTLYING_SHARE * measured[b].flux()
                    || model[b] != null && SersicFit.streak(model[b])) {
                continue;
            }
            // The direct radius of a faint object can run away where its profile never settles (105 px for one of
            // 319 pixels on the GalSim frame): here the reach takes the isophotal radius when that is smaller.
            double reach = Math.min(reach(measured[b]), CLUMP_REACH * Math.sqrt(measured[b].area() / Math.PI));
            double distance = Math.hypot(measured[b].x() - measured[f].x(), measured[b].y() - measured[f].y()) / reach;
            if (distance <= nearest && onItsLight.test(b)) {
                nearest = distance;
                galaxy = b;
            }
        }
        return galaxy;
    }

    /**
     * The highest significance at which the pixels {@code from} connect to the pixels labelled {@code to}: the lowest
     * point on the brightest path between them, searched in the box around both objects (-infinity when none).
     */
    private double saddle(int[] from, int to, Detection a, Detection b) {
        double margin = Math.hypot(a.x() - b.x(), a.y() - b.y()) / 2 + 2;
        int xMin = (int) Math.max(0, Math.min(a.x(), b.x()) - margin);
        int xMax = (int) Math.min(width - 1, Math.max(a.x(), b.x()) + margin);
        int yMin = (int) Math.max(0, Math.min(a.y(), b.y()) - margin);
        int yMax = (int) Math.min(height - 1, Math.max(a.y(), b.y()) + margin);
        int mark = ++generation;
        java.util.PriorityQueue<Integer> brightest = new java.util.PriorityQueue<>(
                (i, j) -> Float.compare(significance[j], significance[i]));
        for (int i : from) {
            visit[i] = mark;
            brightest.add(i);
        }
        double level = Double.POSITIVE_INFINITY;
        while (!brightest.isEmpty()) {
            int i = brightest.poll();
            level = Math.min(level, significance[i]);
            if (labels[i] == to) {
                return level;
            }
            forEachNeighbour(i, j -> {
                int x = j % width;
                int y = j / width;
                if (visit[j] != mark && x >= xMin && x <= xMax && y >= yMin && y <= yMax && Float.isFinite(significance[j])) {
                    visit[j] = mark;
                    brightest.add(j);
                }
            });
        }
        return Double.NEGATIVE_INFINITY;
    }

    /** How far from an object its clumps may lie: {@link #CLUMP_REACH} direct radii (isophotal, without one). */
    private static double reach(Detection d) {
        return CLUMP_REACH * (Double.isFinite(d.petrosianRadius()) ? d.petrosianRadius() : Math.sqrt(d.area() / Math.PI));
    }

    /**
     * Puts a deblended group's objects back together as its brightest member: the pixels relabelled, the union
     * measured again, the others dropped. Returns the member kept, or -1 when the union fails the S/N cut.
     */
    private int merge(List<int[]> objects, Detection[] measured, List<Integer> members, float[] rms, double[] radius,
                      double[] noise) {
        int keep = members.get(0);
        for (int k : members) {
            if (measured[k].flux() > measured[keep].flux()) {
                keep = k;
            }
        }
        int total = 0;
        for (int k : members) {
            total += objects.get(k).length;
        }
        int[] union = new int[total];
        int at = 0;
        for (int k : members) {
            for (int i : objects.get(k)) {
                labels[i] = keep + 1;
                union[at++] = i;
            }
        }
        for (int k : members) {
            measured[k] = null;
            radius[k] = Double.NaN;
            noise[k] = Double.NaN;
        }
        objects.set(keep, union);
        measured[keep] = measure(union, keep + 1, rms);
        return measured[keep] == null ? -1 : keep;
    }

    /** A model's Petrosian radius, or NaN for a model pinned at a bound of its profile ({@link SersicFit#pinned}). */
    private static double modelRadius(SersicFit.Model model, double psfSigma) {
        return SersicFit.pinned(model) ? Double.NaN : SersicFit.petrosianRadius(model, psfSigma);
    }

    /** Half-size of the box an object of this radius is fitted in. */
    private int box(double radius) {
        return (int) Math.ceil(Math.min(config.maxPetrosianBox() / 4.0, Math.max(8, SersicFit.BOX_RADII * radius)));
    }

    /**
     * Fits one component's objects together; each gets its model (in {@code model}), its model's radius and the fit's
     * residual noise, and an object alone in its component keeps its fit in {@code single}.
     */
    private SersicFit.Result fitGroup(Detection[] measured, List<Integer> members, float[] rms, double psfSigma,
                                      double[] radius, double[] noise, SersicFit.Result[] single,
                                      SersicFit.Model[] model) {
        int[] own = new int[members.size()];
        SersicFit.Model[] starts = new SersicFit.Model[own.length];
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int m = 0; m < own.length; m++) {
            Detection d = measured[members.get(m)];
            own[m] = members.get(m) + 1;
            starts[m] = SersicFit.guess(subtracted, width, height, labels, own[m], d.x(), d.y(), d.radius(), d.totalFlux());
            sx += d.x() * d.flux();
            sy += d.y() * d.flux();
            sw += d.flux();
        }
        double cx = sx / sw;
        double cy = sy / sw;
        double half = 0;
        for (int m = 0; m < own.length; m++) {
            Detection d = measured[members.get(m)];
            half = Math.max(half, Math.hypot(d.x() - cx, d.y() - cy) + SersicFit.BOX_RADII * d.radius());
        }
        SersicFit.Result fit = SersicFit.fit(subtracted, rms, width, height, labels, own, starts, cx, cy, box(half / SersicFit.BOX_RADII),
                psfSigma);
        if (own.length == 1) {
            single[members.get(0)] = fit;
        }
        if (fit.converged()) {
            for (int m = 0; m < own.length; m++) {
                int k = members.get(m);
                radius[k] = modelRadius(fit.models()[m], psfSigma);
                noise[k] = fit.varianceGrowth();
                model[k] = fit.models()[m];
                if (own.length > 1) {
                    measured[k] = measured[k].withModelRadius(radius[k]);
                }
            }
        }
        return fit;
    }

    /**
     * Pixels sharper than the PSF allows (cosmic rays, satellite and other unblurred tracks, hot pixels) are found on
     * the whole frame ({@link SharpPixels}); the significance is computed again with each replaced by the
     * median of its other neighbours, so the object under a track is detected on its own, and the pixels are left out
     * of every measurement (NaN in the subtracted frame). Returns how many were found.
     */
    private int removeArtefacts(float[] rms, double psfSigma) {
        float[] cleaned = subtracted.clone();
        int[] sharp = SharpPixels.find(cleaned, rms, width, height, psfSigma, 0);
        if (sharp.length > 0) {
            for (int i : sharp) {
                subtracted[i] = Float.NaN;
            }
            significance = significance(cleaned, gaussian(config.smoothingFwhm()), rms);
        }
        return sharp.length;
    }

    /** Subtracts the background and computes {@link #significance}; returns the RMS map. */
    private float[] findSignificance(Background background) {
        subtracted = background.subtractFrom(pixels, mask);
        float[] rms = background.rmsMap();
        significance = significance(subtracted, gaussian(config.smoothingFwhm()), rms);
        return rms;
    }

    /**
     * The user's mask plus the components' pixels grown by twice the smoothing FWHM (at least 2 pixels; a square
     * dilation), which keeps the faint outskirts below the detection threshold out of the sky estimate too.
     */
    private boolean[] sourceMask(List<int[]> components) {
        int grow = Math.max(2, (int) Math.round(2 * config.smoothingFwhm()));
        boolean[] rows = new boolean[pixels.length];
        for (int[] component : components) {
            for (int i : component) {
                int x = i % width;
                int row = i - x;
                for (int xx = Math.max(0, x - grow); xx <= Math.min(width - 1, x + grow); xx++) {
                    rows[row + xx] = true;
                }
            }
        }
        boolean[] out = new boolean[pixels.length];
        for (int x = 0; x < width; x++) {
            int done = -1; // the last row already set in this column
            for (int y = 0; y < height; y++) {
                if (rows[y * width + x]) {
                    for (int yy = Math.max(done + 1, y - grow); yy <= Math.min(height - 1, y + grow); yy++) {
                        out[yy * width + x] = true;
                    }
                    done = Math.min(height - 1, y + grow);
                }
            }
        }
        if (mask != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] |= mask[i];
            }
        }
        return out;
    }

    /** A normalised 1-D Gaussian of the given FWHM (pixels), truncated at 2 FWHM; {1} for no smoothing. */
    static float[] gaussian(double fwhm) {
        if (fwhm <= 0) {
            return new float[] {1};
        }
        double sigma = fwhm / 2.3548;
        int half = Math.max(1, (int) Math.ceil(2 * fwhm / 2));
        float[] k = new float[2 * half + 1];
        double sum = 0;
        for (int i = -half; i <= half; i++) {
            k[i + half] = (float) Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + half];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /**
     * The smoothed frame in units of its own noise: a separable convolution over the valid pixels only, divided by
     * the noise of that weighted sum, {@code rms * sqrt(sum of squared weights used)}, so that pixels near the frame
     * edge or no-data regions (fewer valid pixels under the kernel, more noise) are not over-detected. NaN where the
     * pixel itself has no data.
     */
    private float[] significance(float[] image, float[] kernel, float[] rms) {
        int half = kernel.length / 2;
        float[] rowSum = new float[image.length];
        float[] rowSquares = new float[image.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double sum = 0;
                double squares = 0;
                for (int k = Math.max(-half, -x); k <= Math.min(half, width - 1 - x); k++) {
                    float v = image[row + x + k];
                    if (!Float.isNaN(v)) {
                        float g = kernel[k + half];
                        sum += g * v;
                        squares += g * g;
                    }
                }
                rowSum[row + x] = (float) sum;
                rowSquares[row + x] = (float) squares;
            }
        }
        float[] out = new float[image.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (Float.isNaN(image[i])) {
                    out[i] = Float.NaN;
                    continue;
                }
                double sum = 0;
                double squares = 0;
                for (int k = Math.max(-half, -y); k <= Math.min(half, height - 1 - y); k++) {
                    int j = i + k * width;
                    float g = kernel[k + half];
                    sum += g * rowSum[j];
                    squares += g * g * rowSquares[j];
                }
                out[i] = (float) (sum / (rms[i] * Math.sqrt(squares)));
            }
        }
        return out;
    }

    /** 8-connected components of pixels above the detection threshold with at least minArea pixels. */
    private List<int[]> components() {
        float threshold = (float) config.thresholdSigma();
        List<int[]> found = new ArrayList<>();
        int mark = ++generation;
        for (int start = 0; start < significance.length; start++) {
            if (significance[start] > threshold && visit[start] != mark) {
                int[] members = flood(start, j -> visit[j] != mark && significance[j] > threshold, mark);
                if (members.length >= config.minArea()) {
                    found.add(members);
                }
            }
        }
        return found;
    }

    /**
     * The 8-connected pixels reachable from {@code start} through pixels {@code accept} takes, each marked
     * {@code visit = mark} as it is reached ({@code accept} must refuse marked pixels).
     */
    private int[] flood(int start, java.util.function.IntPredicate accept, int mark) {
        IntStack stack = new IntStack();
        IntStack members = new IntStack();
        stack.push(start);
        visit[start] = mark;
        while (stack.size() > 0) {
            int i = stack.pop();
            members.push(i);
            forEachNeighbour(i, j -> {
                if (accept.test(j)) {
                    visit[j] = mark;
                    stack.push(j);
                }
            });
        }
        return members.toArray();
    }

    /** Calls {@code action} with each of the (up to 8) pixels around pixel {@code i} that lie in the frame. */
    private void forEachNeighbour(int i, java.util.function.IntConsumer action) {
        int x = i % width;
        int y = i / width;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
                if (xx != x || yy != y) {
                    action.accept(yy * width + xx);
                }
            }
        }
    }

    /**
     * Multi-threshold deblending of one object from the given level upwards. A branch that separates at level t counts
     * by its prominence, its flux above t, which must be at least the contrast's share of the whole component's flux
     * above the detection threshold ({@code componentFlux}), also when the object is itself a branch. SExtractor
     * counts a branch's whole flux instead, pedestal included: then the star-forming clumps of one irregular galaxy,
     * which sit on its bright diffuse light, are split off as objects of their own (CANDELS ran SExtractor twice, in
     * "cold" and "hot" modes, to undo that shredding); measured above their saddle they stay part of the galaxy, while
     * two galaxies side by side, with little light between them, still come apart.
     */
    private List<int[]> deblend(int[] object, int fromLevel, double componentFlux) {
        double base = config.thresholdSigma();
        double peak = base;
        for (int i : object) {
            peak = Math.max(peak, significance[i]);
        }
        if (peak <= base * 1.0001 || object.length < 2 * config.minArea()) {
            return List.of(object);
        }
        int levels = config.deblendLevels();
        for (int level = fromLevel; level < levels; level++) {
            double t = base * Math.pow(peak / base, level / (double) levels);
            List<int[]> branches = branchesAbove(object, (float) t);
            List<int[]> significant = new ArrayList<>();
            for (int[] branch : branches) {
                if (branch.length >= config.minArea() && fluxAbove(branch, t) >= config.deblendContrast() * componentFlux) {
                    significant.add(branch);
                }
            }
            if (significant.size() >= 2) {
                List<int[]> children = new ArrayList<>();
                for (int[] branch : significant) {
                    children.addAll(deblend(branch, level + 1, componentFlux));
                }
                return grow(object, children);
            }
        }
        return List.of(object);
    }

    /** The summed significance above level t of the given pixels. */
    private double fluxAbove(int[] pixels, double t) {
        double flux = 0;
        for (int i : pixels) {
            flux += significance[i] - t;
        }
        return flux;
    }

    /** Connected groups of the object's pixels above t. */
    private List<int[]> branchesAbove(int[] object, float t) {
        int inside = ++generation;
        for (int i : object) {
            visit[i] = inside;
        }
        int seen = ++generation;
        List<int[]> branches = new ArrayList<>();
        for (int start : object) {
            if (visit[start] == inside && significance[start] > t) {
                branches.add(flood(start, j -> visit[j] == inside && significance[j] > t, seen));
            }
        }
        return branches;
    }

    /**
     * Gives every pixel of the parent to one child: breadth-first growth from all children at once through the
     * parent's pixels (each pixel goes to the child it connects to first).
     */
    private List<int[]> grow(int[] parent, List<int[]> children) {
        int inside = ++generation;
        for (int i : parent) {
            visit[i] = inside;
            labels[i] = 0;
        }
        int[] queue = new int[parent.length];
        int[] tail = {0};
        for (int c = 0; c < children.size(); c++) {
            for (int i : children.get(c)) {
                labels[i] = c + 1;
                queue[tail[0]++] = i;
            }
        }
        for (int head = 0; head < tail[0]; head++) {
            int label = labels[queue[head]];
            forEachNeighbour(queue[head], j -> {
                if (visit[j] == inside && labels[j] == 0) {
                    labels[j] = label;
                    queue[tail[0]++] = j;
                }
            });
        }
        IntStack[] members = new IntStack[children.size()];
        for (int c = 0; c < members.length; c++) {
            members[c] = new IntStack();
        }
        for (int i : parent) {
            members[Math.max(1, labels[i]) - 1].push(i);
            labels[i] = 0;
        }
        List<int[]> grown = new ArrayList<>();
        for (IntStack m : members) {
            grown.add(m.toArray());
        }
        return grown;
    }

    private static final int EDGE = 0;
    private static final int MASKED = 1;

    private Detection measure(int[] object, int label, float[] rms) {
        Detection d = photometry(object, rms);
        return d == null ? null : withPetrosian(d, label);
    }

    /** An object's centroid, flux, S/N, peak and flags, without its Petrosian radius; null below the S/N cut. */
    private Detection photometry(int[] object, float[] rms) {
        double flux = 0;
        double sx = 0;
        double sy = 0;
        double weight = 0;
        double peak = Double.NEGATIVE_INFINITY;
        double noise2 = 0;
        boolean[] flags = new boolean[2]; // touches the frame edge or no-data pixels; touches masked pixels
        for (int i : object) {
            int x = i % width;
            int y = i / width;
            float v = subtracted[i];
            if (Float.isFinite(v)) {
                flux += v;
                noise2 += (double) rms[i] * rms[i];
                if (v > 0) {
                    sx += v * x;
                    sy += v * y;
                    weight += v;
                }
                peak = Math.max(peak, v);
            }
            if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
                flags[EDGE] = true;
            }
            if (!(flags[EDGE] && flags[MASKED])) {
                forEachNeighbour(i, j -> {
                    if (mask != null && mask[j]) {
                        flags[MASKED] = true;
                    } else if (!Float.isFinite(pixels[j])) {
                        flags[EDGE] = true;
                    }
                });
            }
        }
        boolean edge = flags[EDGE];
        boolean masked = flags[MASKED];
        double snr = flux / Math.sqrt(Math.max(noise2, 1e-30));
        if (weight <= 0 || !(snr >= config.minSnr())) {
            return null;
        }
        return Detection.direct(sx / weight, sy / weight, flux, snr, peak, object.length, Double.NaN, Double.NaN, edge,
                masked);
    }

    /** The detection with its direct Petrosian radius and the flux within two of them. */
    private Detection withPetrosian(Detection d, int label) {
        double[] petrosian = petrosian(d.x(), d.y(), label, d.area());
        return Detection.direct(d.x(), d.y(), d.flux(), d.snr(), d.peak(), d.area(), petrosian[0], petrosian[1], d.edge(),
                d.masked());
    }

    private double[] petrosian(double cx, double cy, int label, int area) {
        return petrosian(subtracted, width, height, labels, label, cx, cy,
                (int) Math.ceil(4 * Math.sqrt(area / Math.PI)), config.maxPetrosianBox());
    }

    /**
     * {Petrosian radius, flux within two radii} around (cx, cy) on a background-subtracted frame, measured in boxes
     * that start at half-size max(16, startHalf) and double up to maxHalf until the profile falls to eta; pixels of
     * other objects (a segmentation map's labels other than 0 and {@code label}; null for none) are left out.
     * {NaN, NaN} when the radius is not found.
     */
    public static double[] petrosian(float[] subtracted, int width, int height, int[] labels, int label, double cx,
                                     double cy, int startHalf, int maxHalf) {
        int half = Math.max(16, Math.min(maxHalf, startHalf));
        while (true) {
            int x0 = (int) Math.floor(cx) - half;
            int y0 = (int) Math.floor(cy) - half;
            int side = 2 * half + 1;
            float[] box = new float[side * side];
            for (int j = 0; j < side; j++) {
                int y = y0 + j;
                for (int i = 0; i < side; i++) {
                    int x = x0 + i;
                    float v = Float.NaN;
                    if (x >= 0 && y >= 0 && x < width && y < height) {
                        int idx = y * width + x;
                        v = labels == null || labels[idx] == 0 || labels[idx] == label ? subtracted[idx] : Float.NaN;
                    }
                    box[j * side + i] = v;
                }
            }
            double r = Petrosian.radiusPixelsNoisy(box, side, side, cx - x0, cy - y0, Petrosian.ETA, 1.0);
            if (Double.isFinite(r)) {
                double within = 0;
                for (int j = 0; j < side; j++) {
                    for (int i = 0; i < side; i++) {
                        float v = box[j * side + i];
                        if (Float.isFinite(v) && Math.hypot(i - (cx - x0), j - (cy - y0)) <= 2 * r) {
                            within += v;
                        }
                    }
                }
                return new double[] {r, within};
            }
            if (half >= maxHalf) {
                return new double[] {Double.NaN, Double.NaN};
            }
            half = Math.min(maxHalf, half * 2);
        }
    }

    /** A growable int stack, to keep flood fills free of boxing. */
    private static final class IntStack {
        private int[] data = new int[256];
        private int size;

        void push(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int pop() {
            return data[--size];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
