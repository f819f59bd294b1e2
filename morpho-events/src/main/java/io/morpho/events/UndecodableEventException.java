package io.morpho.events;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a morpho event of the expected type: not Avro single-object encoded, a schema
 * this build does not know (foreign or newer), or a truncated body. Services turn it into a dead letter.
 */
public class UndecodableEventException extends SerializationException {
    private final String expectedType;

    public UndecodableEventException(String expectedType, String reason, Throwable cause) {
        super("cannot decode " + expectedType + ": " + reason, cause);
        this.expectedType = expectedType;
    }

    public String expectedType() {
        return expectedType;
    }
}
