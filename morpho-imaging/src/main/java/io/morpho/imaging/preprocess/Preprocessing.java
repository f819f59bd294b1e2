package io.morpho.imaging.preprocess;

import java.util.Map;

import io.morpho.imaging.ImagingException;

/**
 * Turns a native-resolution stamp into the model's input tensor. Training and inference both go through
 * here, and a model names its recipe in its {@code morpho.preprocess} metadata, so the two can never disagree.
 */
public interface Preprocessing {
    /** Name written into model metadata. */
    String name();

    /** Returns size x size values, row-major. */
    float[] apply(float[] pixels, int width, int height, int size);

    Map<String, Preprocessing> RECIPES = Map.of(MinMaxBilinear.NAME, new MinMaxBilinear());

    static Preprocessing byName(String name) {
        Preprocessing recipe = RECIPES.get(name);
        if (recipe == null) {
            throw new ImagingException("preprocess.unknown", "unknown preprocessing recipe '" + name
                    + "'; this build knows " + RECIPES.keySet());
        }
        return recipe;
    }
}
