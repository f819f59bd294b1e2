package io.morpho.imaging.detect;

import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

import io.morpho.imaging.Petrosian;
import io.morpho.imaging.GalaxyRenderer;

/**
 * PSF-convolved elliptical Sersic models fitted to the pixels of one or more overlapping objects at once
 * (Levenberg-Marquardt, Apache Commons Math), and the Petrosian radius of each fitted model, measured on its
 * noise-free image with the same estimator as everywhere else. A model pools every pixel of the object: where the
 * Petrosian ratio of a steep profile crosses eta in sky-dominated outskirts, the direct measurement is at the mercy of
 * the noise in one annulus, and where two galaxies overlap, it cannot tell whose light it is measuring.
 */
public final class SersicFit {
    /** The fit box reaches this many (direct) Petrosian radii from each object. */
    public static final double BOX_RADII = 2.5;
    private static final int[] NO_PIXELS = new int[0];
    /** An artefact explains an object when leaving its pixels out cuts the residual noise by this factor. */
    static final double ARTEFACT_SHARE = 5;
    /** Passes of {@link #excludeSharp}: a track's pixels are each other's neighbours, and show once those are out. */
    private static final int PARAMETERS = 7;
    private static final double MIN_N = 0.3;
    private static final double MAX_N = 8;
    private static final double MIN_Q = 0.05;
    static final double BRIGHT_PAIR_NOISE = 2;
    static final double BRIGHT_PAIR_DROP = 0.8;
    static final double PAIR_MIN_N = 0.8;
    static final double CLUMP_N = 0.5;

    /** One fitted model: centre (frame pixels), total flux in the fit box, effective radius (pixels), index, axis ratio, angle. */
    public record Model(double x, double y, double flux, double re, double n, double q, double pa) {
    }

    /**
     * The fitted models, the reduced chi-square of the last pass, whether the optimiser converged, the residual
     * variance per unit of model light beyond the sky's (how much the models leave unexplained), and the frame
     * indices of pixels left out as sharper than the PSF allows.
     */
    public record Result(Model[] models, double reducedChi2, boolean converged, double varianceGrowth, int[] sharpPixels) {
    }

    private final float[] box;
    private final float[] sky;
    private final float[] weight;
    private final int side;
    private final int x0;
    private final int y0;
    private final double psfSigma;
    private final int objects;

    private SersicFit(float[] box, float[] sky, int side, int x0, int y0, double psfSigma, int objects) {
        this.box = box;
        this.sky = sky;
        this.weight = new float[box.length];
        this.side = side;
        this.x0 = x0;
        this.y0 = y0;
        this.psfSigma = psfSigma;
        this.objects = objects;
    }

    /**
     * Fits one Sersic model per start guess, simultaneously, in a square box of half-size {@code half} around
     * (cx, cy). Pixels that are NaN, or whose label is neither 0 nor one of {@code own}, are left out.
     *
     * @param subtracted background-subtracted frame
     * @param rms        per-pixel noise map
     * @param labels     segmentation map (0 = no object), or null
     * @param own        the labels of the objects fitted
     * @param starts     one start guess per object
     * @param psfSigma   the PSF's Gaussian sigma, pixels
     */
    public static Result fit(float[] subtracted, float[] rms, int width, int height, int[] labels, int[] own,
                             Model[] starts, double cx, double cy, int half, double psfSigma) {
        return fit(subtracted, rms, width, height, labels, own, cx, cy, half, psfSigma, starts.length).fitTwice(starts);
    }

    /**
     * Starting from {@code one}, a {@link #fit} of one model in the same box: when that model leaves more residual
     * noise per unit of light than {@code noiseLimit} (structure it does not describe), the pixels sharper than the
     * PSF allows are left out and one model fitted again, and failing that two models are fitted together, started at
     * the brightest residual and across the single model's centre from it. The pair is kept when each model holds at
     * least {@code minShare} of the light, they lie at least two PSF sigmas apart, both are galaxy profiles (Sersic
     * index {@link #PAIR_MIN_N} or more: two clumps of an irregular come out flatter) and the pair leaves no more than
     * {@code noiseLimit}: two smooth galaxies that the detection threshold saw as one. A bright pair shows the smallest
     * mismatch of either galaxy's profile above that limit (a mismatch's residual grows with the square of the light,
     * the limit with the light), so a pair also passes when it leaves up to {@link #BRIGHT_PAIR_NOISE} times the limit
     * and removes at least {@link #BRIGHT_PAIR_DROP} of what one model left. Otherwise the single model is returned.
     */
    public static Result fitOneOrTwo(float[] subtracted, float[] rms, int width, int height, int[] labels, int own,
                                     Result one, double cx, double cy, int half, double psfSigma, double noiseLimit,
                                     double minShare) {
        if (!one.converged() || !(one.varianceGrowth() > noiseLimit)) {
            return one;
        }
        int side = 2 * half + 1;
        int x0 = (int) Math.floor(cx) - half;
        int y0 = (int) Math.floor(cy) - half;
        // First suspect an artefact: pixels sharper than the PSF allows (a cosmic-ray track across the galaxy).
        SersicFit single = fit(subtracted, rms, width, height, labels, new int[] {own}, cx, cy, half, psfSigma, 1);
        int[] sharp = single.excludeSharp(noiseLimit, width);
        SersicFit pair = fit(subtracted, rms, width, height, labels, new int[] {own}, cx, cy, half, psfSigma, 2);
        if (sharp.length > 0) {
            Result cleaned = single.fitTwice(one.models());
            // The artefact was most of what the model missed: its pixels are the answer (whatever else the object has).
            if (cleaned.converged() && one.varianceGrowth() >= ARTEFACT_SHARE * cleaned.varianceGrowth()) {
                return new Result(cleaned.models(), cleaned.reducedChi2(), true, cleaned.varianceGrowth(), sharp);
            }
            pair.excludeSharp(noiseLimit, width);
        }
        float[] model = pair.renderModels(one.models());
        // The brightest residual, smoothed over 3x3 pixels, in units of its noise.
        double best = 0;
        int bestIndex = -1;
        for (int j = 1; j < side - 1; j++) {
            for (int i = 1; i < side - 1; i++) {
                double sum = 0;
                double noise = 0;
                for (int dj = -1; dj <= 1; dj++) {
                    for (int di = -1; di <= 1; di++) {
                        int k = (j + dj) * side + i + di;
                        if (pair.sky[k] > 0) {
                            sum += pair.box[k] - model[k];
                            noise += pair.sky[k] * pair.sky[k] + one.varianceGrowth() * Math.max(0, model[k]);
                        }
                    }
                }
                if (noise > 0 && sum / Math.sqrt(noise) > best) {
                    best = sum / Math.sqrt(noise);
                    bestIndex = j * side + i;
                }
            }
        }
        if (bestIndex < 0) {
            return one;
        }
        // Two overlapping galaxies that one model fitted as one elongated shape: the brightest residual is one of them,
        // and the other lies on the far side of the single model's centre, nearer to it when brighter (0.7 x the
        // offset, for the 55 : 45 split started from).
        Model first = one.models()[0];
        double bx = x0 + bestIndex % side;
        double by = y0 + bestIndex / side;
        double across = 0.7;
        double re = Math.max(1, first.re() * 0.6);
        double n = Math.max(1, Math.min(4, first.n()));
        Result two = pair.fitTwice(new Model[] {
                new Model(first.x() - across * (bx - first.x()), first.y() - across * (by - first.y()),
                        first.flux() * 0.55, re, n, 0.8, first.pa()),
                new Model(bx, by, first.flux() * 0.45, re, n, 0.8, first.pa())});
        if (!two.converged()) {
            return one;
        }
        Model a = two.models()[0];
        Model b = two.models()[1];
        double total = a.flux() + b.flux();
        if (Math.min(a.flux(), b.flux()) < minShare * total || Math.hypot(a.x() - b.x(), a.y() - b.y()) < 2 * psfSigma
                || Math.min(a.n(), b.n()) < PAIR_MIN_N) {
            return one;
        }
        boolean smooth = two.varianceGrowth() <= noiseLimit;
        boolean brightPair = two.varianceGrowth() <= BRIGHT_PAIR_NOISE * noiseLimit
                && two.varianceGrowth() <= (1 - BRIGHT_PAIR_DROP) * one.varianceGrowth();
        return smooth || brightPair ? two : one;
    }

    /**
     * Leaves out of the fit the {@link SharpPixels} of the box, their noise being the sky's plus {@code growth} per
     * unit of light. Returns their indices in a frame of the given width.
     */
    private int[] excludeSharp(double growth, int frameWidth) {
        int[] sharp = SharpPixels.find(box, sky, side, side, psfSigma, growth);
        int[] out = new int[sharp.length];
        for (int i = 0; i < sharp.length; i++) {
            int k = sharp[i];
            box[k] = 0;
            sky[k] = 0;
            out[i] = (y0 + k / side) * frameWidth + x0 + k % side;
        }
        return out;
    }

    /** The box and noise of {@link #fit}, prepared for {@code objects} models. */
    private static SersicFit fit(float[] subtracted, float[] rms, int width, int height, int[] labels, int[] own,
                                 double cx, double cy, int half, double psfSigma, int objects) {
        int side = 2 * half + 1;
        int x0 = (int) Math.floor(cx) - half;
        int y0 = (int) Math.floor(cy) - half;
        float[] box = new float[side * side];
        float[] sky = new float[side * side];
        for (int j = 0; j < side; j++) {
            for (int i = 0; i < side; i++) {
                int x = x0 + i;
                int y = y0 + j;
                if (x < 0 || y < 0 || x >= width || y >= height) {
                    continue;
                }
                int idx = y * width + x;
                float v = subtracted[idx];
                if (!Float.isFinite(v) || !(rms[idx] > 0) || labels != null && labels[idx] != 0 && !contains(own, labels[idx])) {
                    continue;
                }
                box[j * side + i] = v;
                sky[j * side + i] = rms[idx];
            }
        }
        return new SersicFit(box, sky, side, x0, y0, psfSigma, objects);
    }

    /**
     * Noise that grows with the light (photon noise; structure a smooth model misses) is not known beforehand. The
     * first pass weighs pixels by the sky noise and a tenth of the 3x3 mean of the data; its residuals then give the
     * variance per unit of light, and the second pass weighs by that applied to the first pass's model (weights from
     * the data itself would make pixels that fluctuate low weigh more and bias the model low).
     */
    private Result fitTwice(Model[] starts) {
        float[] smooth = new float[box.length];
        for (int j = 0; j < side; j++) {
            for (int i = 0; i < side; i++) {
                double sum = 0;
                int n = 0;
                for (int dj = -1; dj <= 1; dj++) {
                    for (int di = -1; di <= 1; di++) {
                        int jj = j + dj;
                        int ii = i + di;
                        if (jj >= 0 && ii >= 0 && jj < side && ii < side && sky[jj * side + ii] > 0) {
                            sum += box[jj * side + ii];
                            n++;
                        }
                    }
                }
                smooth[j * side + i] = n == 0 ? 0 : (float) (sum / n);
            }
        }
        weigh(smooth, 0, 0.1);
        Result first = run(starts);
        if (!first.converged()) {
            return first;
        }
        float[] model = renderModels(first.models());
        double growth = varianceGrowth(model);
        weigh(model, growth, 0.02);
        Result second = run(first.models());
        return new Result(second.models(), second.reducedChi2(), second.converged(), growth, NO_PIXELS);
    }

    private float[] renderModels(Model[] models) {
        return render(parameters(models));
    }

    /** Pixel weights 1 / sigma, sigma^2 = sky^2 + growth * light + (share * light)^2. */
    private void weigh(float[] light, double growth, double share) {
        for (int k = 0; k < box.length; k++) {
            if (sky[k] > 0) {
                double s = Math.max(0, light[k]);
                weight[k] = (float) (1 / Math.sqrt(sky[k] * sky[k] + growth * s + share * share * s * s));
            }
        }
    }

    /** The residual variance beyond the sky's per unit of model light, over the pixels where the model outshines the sky. */
    private double varianceGrowth(float[] model) {
        double excess = 0;
        double light = 0;
        for (int k = 0; k < box.length; k++) {
            if (sky[k] > 0 && model[k] > sky[k]) {
                double r = box[k] - model[k];
                excess += r * r - sky[k] * sky[k];
                light += model[k];
            }
        }
        return light > 0 ? Math.max(0, excess / light) : 0;
    }

    private static boolean contains(int[] values, int v) {
        for (int value : values) {
            if (value == v) {
                return true;
            }
        }
        return false;
    }

    private Result run(Model[] starts) {
        double[] start = parameters(starts);
        double[] target = new double[box.length];
        int used = 0;
        for (int i = 0; i < box.length; i++) {
            target[i] = box[i] * weight[i];
            used += weight[i] > 0 ? 1 : 0;
        }
        LeastSquaresBuilder builder = new LeastSquaresBuilder()
                .start(start)
                .target(target)
                .model(this::valueAndJacobian)
                .maxEvaluations(200)
                .maxIterations(100)
                .lazyEvaluation(false);
        try {
            LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer()
                    .withCostRelativeTolerance(1e-6).withParameterRelativeTolerance(1e-6).optimize(builder.build());
            double[] p = optimum.getPoint().toArray();
            double chi2 = optimum.getCost() * optimum.getCost();
            return new Result(models(p), chi2 / Math.max(1, used - p.length), true, Double.NaN, NO_PIXELS);
        } catch (org.apache.commons.math3.exception.MathIllegalStateException e) {
            return new Result(models(start), Double.NaN, false, Double.NaN, NO_PIXELS);
        }
    }

    private double[] parameters(Model[] models) {
        double[] p = new double[PARAMETERS * models.length];
        for (int k = 0; k < models.length; k++) {
            Model m = models[k];
            int o = k * PARAMETERS;
            p[o] = m.x() - x0;
            p[o + 1] = m.y() - y0;
            p[o + 2] = Math.log(Math.max(m.flux(), 1e-6));
            p[o + 3] = Math.log(Math.max(m.re(), 0.3));
            p[o + 4] = logit((m.n() - MIN_N) / (MAX_N - MIN_N));
            p[o + 5] = logit((m.q() - MIN_Q) / (1 - MIN_Q));
            p[o + 6] = m.pa();
        }
        return p;
    }

    private Model[] models(double[] p) {
        Model[] models = new Model[objects];
        for (int k = 0; k < objects; k++) {
            int o = k * PARAMETERS;
            models[k] = new Model(p[o] + x0, p[o + 1] + y0, Math.exp(p[o + 2]), Math.exp(p[o + 3]),
                    MIN_N + (MAX_N - MIN_N) * sigmoid(p[o + 4]), MIN_Q + (1 - MIN_Q) * sigmoid(p[o + 5]), p[o + 6]);
        }
        return models;
    }

    private Pair<RealVector, org.apache.commons.math3.linear.RealMatrix> valueAndJacobian(RealVector point) {
        double[] p = point.toArray();
        float[][] each = new float[objects][];
        float[] sum = new float[box.length];
        for (int k = 0; k < objects; k++) {
            each[k] = renderOne(p, k);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += each[k][i];
            }
        }
        double[] value = weighted(sum);
        double[][] jacobian = new double[value.length][p.length];
        for (int c = 0; c < p.length; c++) {
            int k = c / PARAMETERS; // only the object the parameter belongs to changes
            float[] before = each[k];
            if (c % PARAMETERS == 2) { // the model is linear in the flux: d/d(ln flux) is the model itself
                for (int i = 0; i < value.length; i++) {
                    jacobian[i][c] = before[i] * weight[i];
                }
                continue;
            }
            double step = c % PARAMETERS < 2 ? 0.01 : 1e-3;
            double[] shifted = p.clone();
            shifted[c] += step;
            float[] after = renderOne(shifted, k);
            for (int i = 0; i < value.length; i++) {
                jacobian[i][c] = (after[i] - before[i]) * weight[i] / step;
            }
        }
        return new Pair<>(new ArrayRealVector(value, false), new Array2DRowRealMatrix(jacobian, false));
    }

    private double[] weighted(float[] model) {
        double[] out = new double[model.length];
        for (int i = 0; i < model.length; i++) {
            out[i] = model[i] * weight[i];
        }
        return out;
    }

    private float[] render(double[] p) {
        float[] canvas = new float[side * side];
        for (int k = 0; k < p.length / PARAMETERS; k++) {
            float[] one = renderOne(p, k);
            for (int i = 0; i < canvas.length; i++) {
                canvas[i] += one[i];
            }
        }
        return canvas;
    }

    private float[] renderOne(double[] p, int k) {
        int o = k * PARAMETERS;
        float[] canvas = new float[side * side];
        GalaxyRenderer.addSmoothSersic(canvas, side, side, p[o], p[o + 1], Math.exp(p[o + 2]), Math.exp(p[o + 3]),
                MIN_N + (MAX_N - MIN_N) * sigmoid(p[o + 4]), MIN_Q + (1 - MIN_Q) * sigmoid(p[o + 5]), p[o + 6]);
        GalaxyRenderer.convolveGaussian(canvas, side, side, psfSigma);
        return canvas;
    }

    /**
     * Whether a model is flatter than a galaxy profile (Sersic index under {@link #CLUMP_N}) without being a streak
     * (axis ratio at its bound): a star-forming clump or the diffuse light between clumps, as the models of an
     * irregular galaxy's deblended pieces come out (n = 0.3-0.4 on the benchmark field, where galaxies of pairs fit at
     * 0.53 or more).
     */
    public static boolean clump(Model m) {
        return m.n() < CLUMP_N && !streak(m);
    }

    /** Whether a model is as elongated as the fit allows (axis ratio at its bound): a streak, or a fit that failed. */
    public static boolean streak(Model m) {
        return m.q() <= MIN_Q * 1.01;
    }

    /**
     * Whether the fit ended against a bound of the Sersic index (n = 0.3 or 8) or of the axis ratio: the optimiser ran
     * out of profile rather than found one (seen after a streak's pixels were left out: n = 8 with an effective radius
     * of tens to hundreds of pixels), so the model measures nothing.
     */
    public static boolean pinned(Model m) {
        return m.n() <= MIN_N * 1.01 || m.n() >= MAX_N * 0.99 || streak(m);
    }

    /**
     * The Petrosian radius (pixels) of a fitted model as the frame shows it (PSF-convolved, noise-free), measured
     * about its centre on a canvas large enough to hold it, with {@link Petrosian#radiusPixels}.
     */
    public static double petrosianRadius(Model m, double psfSigma) {
        int size = (int) Math.min(512, Math.max(64, Math.ceil(16 * m.re() + 8 * psfSigma)));
        size += size % 2 == 0 ? 1 : 0;
        // At the model's own sub-pixel position: a steep profile's central pixels hold a share of the light that
        // depends on where in the pixel its centre falls.
        double cx = size / 2 + m.x() - Math.floor(m.x());
        double cy = size / 2 + m.y() - Math.floor(m.y());
        float[] canvas = new float[size * size];
        GalaxyRenderer.addSersic(canvas, size, size, cx, cy, 1, m.re(), m.n(), m.q(), m.pa(), 0, 0, 1);
        GalaxyRenderer.convolveGaussian(canvas, size, size, psfSigma);
        return Petrosian.radiusPixels(canvas, size, size, cx, cy, Petrosian.ETA);
    }

    /**
     * A start guess from the light around (cx, cy) within {@code radius} pixels: flux-weighted second moments give
     * the axis ratio and angle, half the radius the effective radius; index 2.5.
     */
    public static Model guess(float[] subtracted, int width, int height, int[] labels, int label, double cx, double cy,
                              double radius, double flux) {
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        double sum = 0;
        int r = (int) Math.ceil(radius);
        for (int y = Math.max(0, (int) cy - r); y <= Math.min(height - 1, (int) cy + r); y++) {
            for (int x = Math.max(0, (int) cx - r); x <= Math.min(width - 1, (int) cx + r); x++) {
                int idx = y * width + x;
                float v = subtracted[idx];
                double dx = x - cx;
                double dy = y - cy;
                if (v > 0 && Float.isFinite(v) && dx * dx + dy * dy <= radius * radius
                        && (labels == null || labels[idx] == 0 || labels[idx] == label)) {
                    sxx += v * dx * dx;
                    syy += v * dy * dy;
                    sxy += v * dx * dy;
                    sum += v;
                }
            }
        }
        double q = 0.8;
        double pa = 0;
        if (sum > 0) {
            sxx /= sum;
            syy /= sum;
            sxy /= sum;
            double mean = (sxx + syy) / 2;
            double diff = Math.sqrt((sxx - syy) * (sxx - syy) / 4 + sxy * sxy);
            q = Math.sqrt(Math.max(mean - diff, 1e-6) / (mean + diff));
            pa = 0.5 * Math.atan2(2 * sxy, sxx - syy);
        }
        return new Model(cx, cy, flux, Math.max(0.5, radius / 2), 2.5, Math.max(0.1, Math.min(0.95, q)), pa);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double logit(double u) {
        double c = Math.min(1 - 1e-6, Math.max(1e-6, u));
        return Math.log(c / (1 - c));
    }
}
