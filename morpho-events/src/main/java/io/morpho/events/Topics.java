package io.morpho.events;

/** Kafka topic names of the morpho pipeline. The {@code .v1} suffix changes only with an incompatible contract. */
public final class Topics {
    public static final String CUTOUTS = "morpho.cutouts.v1";
    public static final String CLASSIFICATIONS = "morpho.classifications.v1";
    public static final String MODELS = "morpho.models.v1";
    public static final String DEAD_LETTER = "morpho.deadletter.v1";

    private Topics() {
    }
}
