package io.morpho.events;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import morpho.events.v1.DeadLetter;

/** Builds {@link DeadLetter}s the same way in every stage. */
public final class DeadLetters {
    /** At most this many bytes of the offending payload travel with the dead letter. */
    public static final int PAYLOAD_SAMPLE_BYTES = 1024;

    private DeadLetters() {
    }

    public static DeadLetter.Builder of(String stage, String errorType, String reason) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setErrorType(errorType)
                .setReason(reason)
                .setAt(Instant.now());
    }

    public static ByteBuffer sample(byte[] payload) {
        if (payload == null) {
            return null;
        }
        return ByteBuffer.wrap(Arrays.copyOf(payload, Math.min(payload.length, PAYLOAD_SAMPLE_BYTES)));
    }
}
