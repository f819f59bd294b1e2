package io.morpho.imaging;

/**
 * A frame or stamp that cannot be used, with a stable {@link #errorType()} (e.g. {@code fits.unreadable},
 * {@code wcs.missing}) that services put in dead letters and metrics, and a message for a person.
 */
public class ImagingException extends RuntimeException {
    private final String errorType;

    public ImagingException(String errorType, String message) {
        this(errorType, message, null);
    }

    public ImagingException(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }
}
