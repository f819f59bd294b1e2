package io.morpho.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;
import morpho.events.v1.DeadLetter;
import morpho.events.v1.ModelPublished;

/**
 * Avro single-object encoding (marker {@code C3 01}, 8-byte CRC-64-AVRO schema fingerprint, binary body)
 * for one event type. The fingerprint lets a reader tell a foreign or newer schema from its own instead of
 * mis-decoding it. When a schema evolves (additive, defaulted fields), the previous writer schema is added to
 * the decoder ({@code BinaryMessageDecoder.addSchema}) so old data stays readable.
 */
public final class EventCodec<T extends SpecificRecordBase> {
    public static final EventCodec<CutoutEvent> CUTOUT = new EventCodec<>(CutoutEvent.class, CutoutEvent.getClassSchema());
    public static final EventCodec<ClassificationEvent> CLASSIFICATION =
            new EventCodec<>(ClassificationEvent.class, ClassificationEvent.getClassSchema());
    public static final EventCodec<ModelPublished> MODEL_PUBLISHED =
            new EventCodec<>(ModelPublished.class, ModelPublished.getClassSchema());
    public static final EventCodec<DeadLetter> DEAD_LETTER = new EventCodec<>(DeadLetter.class, DeadLetter.getClassSchema());

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private EventCodec(Class<T> type, Schema schema) {
        this.schema = schema;
        // Bind Avro to the loader of the generated class: by default it resolves classes through the thread's
        // context loader, which on Kafka and executor threads (and under Quarkus) may be a different one.
        SpecificData model = new SpecificData(type.getClassLoader());
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        history(schema.getName()).forEach(decoder::addSchema);
    }

    /**
     * The earlier versions of a schema, kept as {@code history/<Name>-<version>.avsc} resources: events written with
     * them stay readable (resolved to the current schema, new fields taking their defaults).
     */
    static java.util.List<Schema> history(String name) {
        java.util.List<Schema> schemas = new java.util.ArrayList<>();
        for (int version = 1; ; version++) {
            try (java.io.InputStream in = EventCodec.class.getResourceAsStream("history/" + name + "-" + version + ".avsc")) {
                if (in == null) {
                    return schemas;
                }
                schemas.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the history of " + name, e);
            }
        }
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder.encode(event);
            return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
                    buffer.arrayOffset() + buffer.limit());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        } catch (AvroRuntimeException | NullPointerException e) {
            throw new IllegalArgumentException("invalid " + schema.getName() + ": " + e.getMessage(), e);
        }
    }

    /** @throws UndecodableEventException when the bytes are not this event type in a known schema */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new UndecodableEventException(schema.getName(), "empty payload", null);
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new UndecodableEventException(schema.getName(),
                    "not Avro single-object encoded (missing C3 01 marker)", e);
        } catch (MissingSchemaException e) {
            throw new UndecodableEventException(schema.getName(),
                    "unknown schema fingerprint (a foreign event type or a newer, unregistered schema)", e);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableEventException(schema.getName(), "corrupt body: " + e, e);
        }
    }
}
