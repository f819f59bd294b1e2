package io.morpho.imaging.stamp;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

/**
 * Stamps as pictures for people: an asinh stretch between the 1st and 99.5th percentiles of the finite pixels
 * (faint structure visible, bright cores not saturated), resampled to a square thumbnail, encoded as 8-bit grey PNG.
 * No-data pixels are black.
 */
public final class StampImages {
    private StampImages() {
    }

    public static byte[] png(float[] pixels, int width, int height, int size) {
        float[] finite = new float[pixels.length];
        int n = 0;
        for (float p : pixels) {
            if (Float.isFinite(p)) {
                finite[n++] = p;
            }
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        if (n > 0) {
            float[] sorted = Arrays.copyOf(finite, n);
            Arrays.sort(sorted);
            double lo = sorted[(int) (0.01 * (n - 1))];
            double hi = sorted[(int) (0.995 * (n - 1))];
            double softening = Math.max(hi - lo, 1e-12) / 10;
            double top = asinh((hi - lo) / softening);
            for (int y = 0; y < size; y++) {
                int sy = Math.min(height - 1, (int) ((y + 0.5) * height / size));
                for (int x = 0; x < size; x++) {
                    int sx = Math.min(width - 1, (int) ((x + 0.5) * width / size));
                    float v = pixels[sy * width + sx];
                    int grey = 0;
                    if (Float.isFinite(v)) {
                        double t = asinh(Math.max(0, v - lo) / softening) / top;
                        grey = (int) Math.round(255 * Math.min(1, t));
                    }
                    image.getRaster().setSample(x, y, 0, grey);
                }
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }
}
