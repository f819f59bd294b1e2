package io.morpho.imaging.detect;


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
        Background background = compute(pixels, width, height, mask, mesh);
        if (background == null) {
            throw new io.morpho.imaging.ImagingException("detect.no-background",
                    "no background mesh has enough valid pixels with any spread to estimate the sky and its noise "
                            + "(all masked or no data, or constant values as in a mask or flag map)");
        }
        return background;
    }

    /**
     * The estimate again with more pixels left out (such as the sources a first pass found), or {@code fallback} where
     * that leaves no mesh with enough pixels (a galaxy filling the frame).
     */
    public static Background reestimate(float[] pixels, int width, int height, boolean[] mask, int mesh,
                                        Background fallback) {
        Background background = compute(pixels, width, height, mask, mesh);
        return background == null ? fallback : background;
    }

    /** The estimate, or null when no mesh has enough usable pixels. */
    private static Background compute(float[] pixels, int width, int height, boolean[] mask, int mesh) {
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
        if (!fillUnknown(level, rms, known, nx, ny)) {
            return null;
        }
        return new Background(width, height, m, nx, ny, median3x3(level, nx, ny), median3x3(rms, nx, ny));
    }

    /**
     * {level, rms} of n values (reordered in place) after iterative 3-sigma clipping around the median: each round
     * keeps the values within [median - 3 sigma, median + 3 sigma], until none is dropped (or fewer than 8 would stay).
     * Linear time per round (the median by selection, not by sorting).
     */
    static float[] clippedStats(float[] values, int n) {
        int m = n;
        double mean = 0;
        double sigma = 0;
        double median = 0;
        for (int iteration = 0; iteration < 20; iteration++) {
            median = median(values, m);
            double sum = 0;
            double sum2 = 0;
            for (int i = 0; i < m; i++) {
                sum += values[i];
                sum2 += (double) values[i] * values[i];
            }
            mean = sum / m;
            sigma = Math.sqrt(Math.max(0, sum2 / m - mean * mean));
            float lo = (float) (median - 3 * sigma);
            float hi = (float) (median + 3 * sigma);
            int kept = 0;
            for (int i = 0; i < m; i++) {
                if (values[i] >= lo && values[i] <= hi) {
                    kept++;
                }
            }
            if (kept == m || kept < 8) {
                break;
            }
            int k = 0;
            for (int i = 0; i < m; i++) {
                float v = values[i];
                if (v >= lo && v <= hi) {
                    values[k++] = v;
                }
            }
            m = k;
        }
        // SExtractor: the mode estimate, unless sources skew the distribution too much, then the median.
        double level = Math.abs(mean - median) / Math.max(sigma, 1e-30) < 0.3 ? 2.5 * median - 1.5 * mean : median;
        return new float[] {(float) level, (float) sigma};
    }

    /** The median of values[0..n), reordering them (quickselect). */
    private static double median(float[] values, int n) {
        int k = n / 2;
        float upper = select(values, n, k);
        if (n % 2 == 1) {
            return upper;
        }
        float lower = Float.NEGATIVE_INFINITY; // the largest value left of k after selection
        for (int i = 0; i < k; i++) {
            lower = Math.max(lower, values[i]);
        }
        return 0.5 * (lower + upper);
    }

    /** Rearranges values[0..n) so that values[k] is the k-th smallest, smaller ones before it; returns it. */
    private static float select(float[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return a[k];
    }

    /**
     * Meshes without enough pixels take the mean of their known neighbours, growing outwards; false when no mesh is
     * known.
     */
    private static boolean fillUnknown(float[] level, float[] rms, boolean[] known, int nx, int ny) {
        boolean any = false;
        for (boolean k : known) {
            any |= k;
        }
        if (!any) {
            return false;
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
        return true;
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
                out[gy * nx + gx] = (float) median(window, n);
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

    /** The bilinear map over the whole frame, with the column weights computed once (same values as interpolate). */
    private float[] map(float[] grid) {
        int[] x0s = new int[width];
        int[] x1s = new int[width];
        double[] txs = new double[width];
        for (int x = 0; x < width; x++) {
            double fx = Math.max(0, Math.min(nx - 1, (x + 0.5) / mesh - 0.5));
            x0s[x] = (int) fx;
            x1s[x] = Math.min(nx - 1, x0s[x] + 1);
            txs[x] = fx - x0s[x];
        }
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, Math.min(ny - 1, (y + 0.5) / mesh - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(ny - 1, y0 + 1);
            double ty = fy - y0;
            int row0 = y0 * nx;
            int row1 = y1 * nx;
            int o = y * width;
            for (int x = 0; x < width; x++) {
                double tx = txs[x];
                double top = grid[row0 + x0s[x]] * (1 - tx) + grid[row0 + x1s[x]] * tx;
                double bottom = grid[row1 + x0s[x]] * (1 - tx) + grid[row1 + x1s[x]] * tx;
                out[o + x] = (float) (top * (1 - ty) + bottom * ty);
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
