package io.morpho.events;

import java.util.List;

/**
 * The five CANDELS visual classes, in the order of the model's output vector and of the paper's label
 * files ({@code p_smooth, p_features, p_irregular, p_point_source, p_unclassifiable}).
 */
public enum MorphologyClass {
    SPHEROID("spheroid"),
    DISK("disk"),
    IRREGULAR("irregular"),
    POINT_SOURCE("point_source"),
    UNCLASSIFIABLE("unclassifiable");

    public static final List<MorphologyClass> ORDER = List.of(values());

    private final String label;

    MorphologyClass(String label) {
        this.label = label;
    }

    /** The name used on the wire, in the catalog and in model metadata. */
    public String label() {
        return label;
    }

    /** Comma-separated labels in output order, as written to a model's {@code morpho.classes} metadata. */
    public static String metadataValue() {
        return String.join(",", ORDER.stream().map(MorphologyClass::label).toList());
    }

    public static MorphologyClass argmax(float[] probabilities) {
        if (probabilities.length != ORDER.size()) {
            throw new IllegalArgumentException("expected " + ORDER.size() + " probabilities, got " + probabilities.length);
        }
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return ORDER.get(best);
    }

    /** Shannon entropy in bits; 0 for a certain answer, log2(5) for a uniform one. */
    public static float entropyBits(float[] probabilities) {
        double h = 0;
        for (float p : probabilities) {
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return (float) (h / Math.log(2));
    }
}
