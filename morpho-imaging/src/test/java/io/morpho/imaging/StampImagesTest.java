package io.morpho.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.morpho.imaging.stamp.StampImages;

class StampImagesTest {
    @Test
    void brightCentreFaintWingsAndBlankPixelsBecomeAGreyPng() throws Exception {
        int s = 32;
        float[] pixels = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                pixels[y * s + x] = (float) (1000 * Math.exp(-((x - 16) * (x - 16) + (y - 16) * (y - 16)) / 20.0));
            }
        }
        pixels[0] = Float.NaN;
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(StampImages.png(pixels, s, s, 64)));
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(64);
        int centre = image.getRaster().getSample(32, 32, 0);
        int wing = image.getRaster().getSample(32 + 8, 32, 0);
        int sky = image.getRaster().getSample(60, 60, 0);
        assertThat(centre).isEqualTo(255);
        assertThat(wing).isBetween(sky + 1, centre - 1); // asinh keeps the wing visible between sky and core
        assertThat(image.getRaster().getSample(0, 0, 0)).isZero(); // no data
    }
}
