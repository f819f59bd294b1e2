package io.morpho.imaging.stamp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A square or rectangular cut-out, row-major float pixels, NaN where it fell outside the frame. */
public record Stamp(int width, int height, float[] pixels, boolean touchesEdge) {
    public Stamp {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("bad stamp geometry " + width + "x" + height + " for " + pixels.length + " pixels");
        }
    }

    /** The event encoding: float32 little-endian, row-major. */
    public ByteBuffer toLittleEndianBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(pixels.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(pixels);
        return buffer;
    }

    public static Stamp fromLittleEndianBytes(int width, int height, ByteBuffer bytes) {
        long expected = (long) width * height * Float.BYTES;
        if (width <= 0 || height <= 0 || bytes.remaining() != expected) {
            throw new IllegalArgumentException("stamp of " + width + "x" + height + " needs " + expected
                    + " bytes, got " + bytes.remaining());
        }
        float[] pixels = new float[width * height];
        bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        return new Stamp(width, height, pixels, false);
    }
}
