package io.morpho.inference.service;

/** A cutout that cannot be classified (wrong geometry, no data); becomes a dead letter. */
public class BadCutoutException extends RuntimeException {
    private final String errorType;

    public BadCutoutException(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }
}
