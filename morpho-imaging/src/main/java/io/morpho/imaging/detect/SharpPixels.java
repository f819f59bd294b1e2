package io.morpho.imaging.detect;

import java.util.Arrays;

/**
 * Pixels sharper than the PSF allows: cosmic rays, satellite and other unblurred tracks, hot pixels. Light from the
 * sky reaches the detector blurred by the PSF: a positive sum of Gaussians of the PSF's width at least, each of which
 * curves, between a pixel and its two neighbours along any direction d, by at most {@code 2 (1 - exp(-|d|^2 / 2
 * sigma^2))} times its value (at every pixel, wherever the Gaussian is centred: cosh >= 1). A pixel is sharp when its
 * second difference along one of the four directions (across and along the rows and the diagonals) exceeds that bound
 * by {@link #SIGMAS} times the noise of the difference. The bound is taken for a PSF {@link #PSF_SLACK} times sharper
 * than the one given, so that stars are no artefacts with a PSF FWHM given up to 1.5 times too wide (given twice too
 * wide, the peaks and sides of bright stars would be; a slack of 2 instead missed 60 % of a test track's pixels). A
 * track one pixel wide is found by its second difference across it, over a galaxy too where it is brighter than the
 * galaxy there; artefacts several pixels wide are not found. Tracks come out in passes: the pixels found are replaced
 * by the median of their other neighbours, and their neighbours looked at again.
 * Written here as no Java library for cosmic-ray detection is served; the idea is L.A.Cosmic's (van Dokkum 2001: a
 * Laplacian compared with what the PSF allows), in a form that needs no subsampling.
 */
public final class SharpPixels {
    /** How far beyond the PSF's curvature, in the noise of the second difference, a sharp pixel stands. */
    static final double SIGMAS = 5;
    /** The bound is taken for a PSF this many times narrower than the one given. */
    static final double PSF_SLACK = 1.5;
    private static final int PASSES = 3;
    /** Directions (dx, dy) of the second differences. */
    private static final int[][] DIRECTIONS = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};

    private SharpPixels() {
    }

    /** The most a PSF-blurred image curves along a row or column, and along a diagonal, per unit of its value. */
    static double[] bounds(double psfSigma) {
        double s = psfSigma / PSF_SLACK;
        return new double[] {2 * (1 - Math.exp(-1 / (2 * s * s))), 2 * (1 - Math.exp(-1 / (s * s)))};
    }

    /**
     * Finds the sharp pixels of a {@code width} x {@code height} image and replaces each in it by the median of its
     * other valid neighbours (what the sky would have shown there; unchanged when none is left). A pixel is valid when
     * its value is finite and its {@code noise} positive; its noise is {@code sqrt(noise^2 + growth * value)} (photon
     * noise and the like, per unit of light; 0 when unknown). The next passes look at the neighbours of the pixels
     * found, on the cleaned image.
     *
     * @return the indices of the pixels found, in the order found
     */
    static int[] find(float[] image, float[] noise, int width, int height, double psfSigma, double growth) {
        double[] bounds = bounds(psfSigma);
        if (bounds[0] >= 1.999) {
            return new int[0]; // an undersampled PSF: real sources are as sharp as artefacts
        }
        java.util.BitSet flagged = new java.util.BitSet(image.length);
        int[] found = new int[16];
        int count = 0;
        int[] candidates = null; // every pixel in the first pass, then the neighbours of the last pass's finds
        for (int pass = 0; pass < PASSES; pass++) {
            int before = count;
            int total = candidates == null ? width * height : candidates.length;
            for (int c = 0; c < total; c++) {
                int k = candidates == null ? c : candidates[c];
                if (!flagged.get(k) && sharp(image, noise, width, height, k, bounds, growth)) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, 2 * count);
                    }
                    found[count++] = k;
                }
            }
            // Cleaned only once the pass is over, so that the order of the scan does not matter.
            for (int i = before; i < count; i++) {
                flagged.set(found[i]);
            }
            float[] cleaned = new float[count - before];
            float[] around = new float[8];
            for (int i = before; i < count; i++) {
                int k = found[i];
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int q = k + dy * width + dx;
                        if ((dx != 0 || dy != 0) && !flagged.get(q) && Float.isFinite(image[q]) && noise[q] > 0) {
                            around[n++] = image[q];
                        }
                    }
                }
                Arrays.sort(around, 0, n);
                cleaned[i - before] = n == 0 ? image[k] : n % 2 == 1 ? around[n / 2] : (around[n / 2 - 1] + around[n / 2]) / 2;
            }
            for (int i = before; i < count; i++) {
                image[found[i]] = cleaned[i - before];
            }
            if (count == before) {
                break;
            }
            candidates = neighbours(found, before, count, width, height);
        }
        return Arrays.copyOf(found, count);
    }

    private static boolean sharp(float[] image, float[] noise, int width, int height, int k, double[] bounds,
                                 double growth) {
        float v = image[k];
        if (!(noise[k] > 0) || !(v > SIGMAS * noise[k])) {
            return false; // a second difference of SIGMAS x its noise needs at least that much light
        }
        int x = k % width;
        int y = k / width;
        if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
            return false;
        }
        double variance = variance(noise[k], v, growth);
        for (int[] d : DIRECTIONS) {
            int a = k + d[1] * width + d[0];
            int b = k - d[1] * width - d[0];
            if (Float.isFinite(image[a]) && noise[a] > 0 && Float.isFinite(image[b]) && noise[b] > 0) {
                double curve = 2 * v - image[a] - image[b];
                double bound = (d[0] != 0 && d[1] != 0 ? bounds[1] : bounds[0]) * v;
                double sigma = Math.sqrt(4 * variance + variance(noise[a], image[a], growth)
                        + variance(noise[b], image[b], growth));
                if (curve - bound > SIGMAS * sigma) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double variance(float sky, float light, double growth) {
        return (double) sky * sky + growth * Math.max(0, light);
    }

    /** The in-frame neighbours of found[from..to), each once. */
    private static int[] neighbours(int[] found, int from, int to, int width, int height) {
        java.util.Set<Integer> out = new java.util.LinkedHashSet<>();
        for (int i = from; i < to; i++) {
            int x = found[i] % width;
            int y = found[i] / width;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = x + dx;
                    int yy = y + dy;
                    if ((dx != 0 || dy != 0) && xx >= 0 && yy >= 0 && xx < width && yy < height) {
                        out.add(yy * width + xx);
                    }
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
