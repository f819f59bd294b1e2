package io.morpho.imaging.detect;

import java.util.Arrays;

/**
 * Sky background and its noise, estimated the way SExtractor does (Bertin &amp; Arnouts 1996): the frame is cut into
 * square meshes; in each, pixels are sigma-clipped around the median (3 sigma, until stable) and the level is the mode
 * estimate {@code 2.5 median - 1.5 mean} (or the median when the clipped distribution is strongly skewed by sources);
 * the mesh grids are median-filtered over 3 x 3 meshes and interpolated bilinearly between mesh centres.
 * Masked and non-finite pixels are ignored; a mesh with too few usable pixels takes its neighbours' values.
 */
public final class Background {
    private final int width;
    private final int height;
    private final int mesh;
    private final int nx;
    private final int ny;
    private final float[] levelGrid;
    private final float[] rmsGrid;

    private Background(int width, int height, int mesh, int nx, int ny, float[] levelGrid, float[] rmsGrid) {
        this.width = width;
        this.height = height;
        this.mesh = mesh;
        this.nx = nx;
        this.ny = ny;
        this.levelGrid = levelGrid;
        this.rmsGrid = rmsGrid;
    }

    /**
     * @param mask optional, true where a pixel must not be used (bad pixel, zero weight); may be null
     * @param mesh mesh side in pixels (SExtractor's BACK_SIZE; 64 is typical)
     */
    public static Background estimate(float[] pixels, int width, int height, boolean[] mask, int mesh) {
        int m = Math.max(8, Math.min(mesh, Math.max(width, height)));
        int nx = (width + m - 1) / m;
        int ny = (height + m - 1) / m;
        float[] level = new float[nx * ny];
        float[] rms = new float[nx * ny];
        boolean[] known = new boolean[nx * ny];
        float[] buffer = new float[m * m];
        for (int gy = 0; gy < ny; gy++) {
            for (int gx = 0; gx < nx; gx++) {
                int n = 0;
                for (int y = gy * m; y < Math.min(height, (gy + 1) * m); y++) {
                    for (int x = gx * m; x < Math.min(width, (gx + 1) * m); x++) {
                        int i = y * width + x;
                        float v = pixels[i];
                        if (Float.isFinite(v) && (mask == null || !mask[i])) {
                            buffer[n++] = v;
                        }
                    }
                }
                if (n >= Math.max(16, m * m / 10)) {
                    float[] stats = clippedStats(buffer, n);
                    level[gy * nx + gx] = stats[0];
                    rms[gy * nx + gx] = stats[1];
                    known[gy * nx + gx] = stats[1] > 0;
                }
            }
        }
        fillUnknown(level, rms, known, nx, ny);
        return new Background(width, height, m, nx, ny, median3x3(level, nx, ny), median3x3(rms, nx, ny));
    }

    /** {level, rms} of n values (reordered in place) after iterative 3-sigma clipping around the median. */
    static float[] clippedStats(float[] values, int n) {
        Arrays.sort(values, 0, n);
        int lo = 0;
        int hi = n;
        double mean = 0;
        double sigma = 0;
        double median = 0;
        for (int iteration = 0; iteration < 20; iteration++) {
            median = median(values, lo, hi);
            double sum = 0;
            double sum2 = 0;
            for (int i = lo; i < hi; i++) {
                sum += values[i];
                sum2 += (double) values[i] * values[i];
            }
            int count = hi - lo;
            mean = sum / count;
            sigma = Math.sqrt(Math.max(0, sum2 / count - mean * mean));
            int newLo = lowerBound(values, lo, hi, (float) (median - 3 * sigma));
            int newHi = upperBound(values, newLo, hi, (float) (median + 3 * sigma));
            if (newLo == lo && newHi == hi || newHi - newLo < 8) {
                break;
            }
            lo = newLo;
            hi = newHi;
        }
        // SExtractor: the mode estimate, unless sources skew the distribution too much, then the median.
        double level = Math.abs(mean - median) / Math.max(sigma, 1e-30) < 0.3 ? 2.5 * median - 1.5 * mean : median;
        return new float[] {(float) level, (float) sigma};
    }

    private static double median(float[] sorted, int lo, int hi) {
        int n = hi - lo;
        return n % 2 == 1 ? sorted[lo + n / 2] : 0.5 * (sorted[lo + n / 2 - 1] + sorted[lo + n / 2]);
    }

    private static int lowerBound(float[] sorted, int lo, int hi, float value) {
        while (lo < hi && sorted[lo] < value) {
            lo++;
        }
        return lo;
    }

    private static int upperBound(float[] sorted, int lo, int hi, float value) {
        while (hi > lo && sorted[hi - 1] > value) {
            hi--;
        }
        return hi;
    }

    /** Meshes without enough pixels take the mean of their known neighbours, growing outwards. */
    private static void fillUnknown(float[] level, float[] rms, boolean[] known, int nx, int ny) {
        boolean any = false;
        for (boolean k : known) {
            any |= k;
        }
        if (!any) {
            throw new io.morpho.imaging.ImagingException("detect.no-background",
                    "no background mesh has enough valid pixels with any spread to estimate the sky and its noise "
                            + "(all masked or no data, or constant values as in a mask or flag map)");
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            boolean[] next = known.clone();
            for (int gy = 0; gy < ny; gy++) {
                for (int gx = 0; gx < nx; gx++) {
                    int i = gy * nx + gx;
                    if (known[i]) {
                        continue;
                    }
                    double l = 0;
                    double r = 0;
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int x = gx + dx;
                            int y = gy + dy;
                            if (x >= 0 && y >= 0 && x < nx && y < ny && known[y * nx + x]) {
                                l += level[y * nx + x];
                                r += rms[y * nx + x];
                                n++;
                            }
                        }
                    }
                    if (n > 0) {
                        level[i] = (float) (l / n);
                        rms[i] = (float) (r / n);
                        next[i] = true;
                        changed = true;
                    }
                }
            }
            System.arraycopy(next, 0, known, 0, known.length);
        }
    }

    private static float[] median3x3(float[] grid, int nx, int ny) {
        float[] out = new float[grid.length];
        float[] window = new float[9];
        for (int gy = 0; gy < ny; gy++) {
            for (int gx = 0; gx < nx; gx++) {
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = gx + dx;
                        int y = gy + dy;
                        if (x >= 0 && y >= 0 && x < nx && y < ny) {
                            window[n++] = grid[y * nx + x];
                        }
                    }
                }
                Arrays.sort(window, 0, n);
                out[gy * nx + gx] = (float) median(window, 0, n);
            }
        }
        return out;
    }

    /** Background level at a pixel (bilinear between mesh centres, constant beyond the outer centres). */
    public float level(int x, int y) {
        return interpolate(levelGrid, x, y);
    }

    /** Background noise (one sigma per pixel) at a pixel. */
    public float rms(int x, int y) {
        return interpolate(rmsGrid, x, y);
    }

    /** The full background map, row-major. */
    public float[] levelMap() {
        return map(levelGrid);
    }

    /** The full noise map, row-major. */
    public float[] rmsMap() {
        return map(rmsGrid);
    }

    /** The frame minus this background; NaN where the frame has no data or the mask excludes the pixel. */
    public float[] subtractFrom(float[] pixels, boolean[] mask) {
        float[] level = levelMap();
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            float v = pixels[i];
            out[i] = Float.isFinite(v) && (mask == null || !mask[i]) ? v - level[i] : Float.NaN;
        }
        return out;
    }

    /** The median noise over the frame, for summaries. */
    public double typicalRms() {
        float[] sorted = rmsGrid.clone();
        Arrays.sort(sorted);
        return median(sorted, 0, sorted.length);
    }

    private float[] map(float[] grid) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = interpolate(grid, x, y);
            }
        }
        return out;
    }

    private float interpolate(float[] grid, int x, int y) {
        double fx = Math.max(0, Math.min(nx - 1, (x + 0.5) / mesh - 0.5));
        double fy = Math.max(0, Math.min(ny - 1, (y + 0.5) / mesh - 0.5));
        int x0 = (int) fx;
        int y0 = (int) fy;
        int x1 = Math.min(nx - 1, x0 + 1);
        int y1 = Math.min(ny - 1, y0 + 1);
        double tx = fx - x0;
        double ty = fy - y0;
        double top = grid[y0 * nx + x0] * (1 - tx) + grid[y0 * nx + x1] * tx;
        double bottom = grid[y1 * nx + x0] * (1 - tx) + grid[y1 * nx + x1] * tx;
        return (float) (top * (1 - ty) + bottom * ty);
    }
}
