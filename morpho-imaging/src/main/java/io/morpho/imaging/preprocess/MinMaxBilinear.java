package io.morpho.imaging.preprocess;

import io.morpho.imaging.ImagingException;

/**
 * The paper's recipe: resample the stamp to size x size with bilinear interpolation (pixel-centre aligned),
 * then scale each stamp to [0, 1] by its own minimum and maximum. Pixels without data (NaN) take the
 * stamp's minimum, i.e. they look like the faintest sky. The original code bytescaled to 8 bits before
 * resizing; we keep full float precision, which differs from it by at most 1/255 per pixel.
 */
public final class MinMaxBilinear implements Preprocessing {
    public static final String NAME = "minmax-bilinear-v1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] apply(float[] pixels, int width, int height, int size) {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new ImagingException("stamp.geometry", "stamp is " + width + "x" + height + " but has "
                    + pixels.length + " pixels");
        }
        float min = Float.POSITIVE_INFINITY;
        for (float p : pixels) {
            if (p < min) { // NaN compares false
                min = p;
            }
        }
        if (min == Float.POSITIVE_INFINITY) {
            throw new ImagingException("stamp.no-data", "stamp has no finite pixels");
        }
        float[] filled = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            float p = pixels[i];
            filled[i] = Float.isFinite(p) ? p : min;
        }
        float[] out = resample(filled, width, height, size);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : out) { // no NaN here: plain comparisons instead of Math.min/max
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        float range = hi - lo;
        if (range > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (out[i] - lo) / range;
            }
        } else {
            java.util.Arrays.fill(out, 0f);
        }
        return out;
    }

    static float[] resample(float[] src, int width, int height, int size) {
        float[] out = new float[size * size];
        double sx = (double) width / size;
        double sy = (double) height / size;
        // Column sample positions are the same for every row: computed once per stamp.
        int[] x0s = new int[size];
        int[] x1s = new int[size];
        double[] wxs = new double[size];
        double[] vxs = new double[size];
        for (int i = 0; i < size; i++) {
            double fx = Math.min(Math.max((i + 0.5) * sx - 0.5, 0), width - 1);
            x0s[i] = (int) fx;
            x1s[i] = Math.min(x0s[i] + 1, width - 1);
            wxs[i] = fx - x0s[i];
            vxs[i] = 1 - wxs[i];
        }
        for (int j = 0; j < size; j++) {
            double fy = Math.min(Math.max((j + 0.5) * sy - 0.5, 0), height - 1);
            int y0 = (int) fy;
            int row0 = y0 * width;
            int row1 = Math.min(y0 + 1, height - 1) * width;
            double wy = fy - y0;
            double vy = 1 - wy;
            int o = j * size;
            for (int i = 0; i < size; i++) {
                int x0 = x0s[i];
                int x1 = x1s[i];
                double wx = wxs[i];
                double vx = vxs[i];
                double top = src[row0 + x0] * vx + src[row0 + x1] * wx;
                double bottom = src[row1 + x0] * vx + src[row1 + x1] * wx;
                out[o + i] = (float) (top * vy + bottom * wy);
            }
        }
        return out;
    }
}
