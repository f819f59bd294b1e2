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
        for (float v : out) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float range = hi - lo;
        for (int i = 0; i < out.length; i++) {
            out[i] = range > 0 ? (out[i] - lo) / range : 0f;
        }
        return out;
    }

    static float[] resample(float[] src, int width, int height, int size) {
        float[] out = new float[size * size];
        double sx = (double) width / size;
        double sy = (double) height / size;
        for (int j = 0; j < size; j++) {
            double fy = Math.min(Math.max((j + 0.5) * sy - 0.5, 0), height - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, height - 1);
            double wy = fy - y0;
            for (int i = 0; i < size; i++) {
                double fx = Math.min(Math.max((i + 0.5) * sx - 0.5, 0), width - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, width - 1);
                double wx = fx - x0;
                double top = src[y0 * width + x0] * (1 - wx) + src[y0 * width + x1] * wx;
                double bottom = src[y1 * width + x0] * (1 - wx) + src[y1 * width + x1] * wx;
                out[j * size + i] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }
}
