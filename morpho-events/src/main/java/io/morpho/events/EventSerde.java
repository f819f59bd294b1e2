package io.morpho.events;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.avro.specific.SpecificRecordBase;

import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;
import morpho.events.v1.DeadLetter;
import morpho.events.v1.ModelPublished;

/**
 * Kafka serializer/deserializer pairs for the four events; each has a public no-argument constructor so
 * it can be named in client configuration ({@code value.serializer=io.morpho.events.EventSerde$CutoutSerializer}).
 */
public final class EventSerde {
    private EventSerde() {
    }

    abstract static class AvroSerializer<T extends SpecificRecordBase> implements Serializer<T> {
        private final EventCodec<T> codec;

        AvroSerializer(EventCodec<T> codec) {
            this.codec = codec;
        }

        @Override
        public byte[] serialize(String topic, T event) {
            return event == null ? null : codec.encode(event);
        }
    }

    abstract static class AvroDeserializer<T extends SpecificRecordBase> implements Deserializer<T> {
        private final EventCodec<T> codec;

        AvroDeserializer(EventCodec<T> codec) {
            this.codec = codec;
        }

        /** Tombstones (null values on the compacted models topic) stay null. */
        @Override
        public T deserialize(String topic, byte[] bytes) {
            return bytes == null ? null : codec.decode(bytes);
        }
    }

    public static final class CutoutSerializer extends AvroSerializer<CutoutEvent> {
        public CutoutSerializer() {
            super(EventCodec.CUTOUT);
        }
    }

    public static final class CutoutDeserializer extends AvroDeserializer<CutoutEvent> {
        public CutoutDeserializer() {
            super(EventCodec.CUTOUT);
        }
    }

    public static final class ClassificationSerializer extends AvroSerializer<ClassificationEvent> {
        public ClassificationSerializer() {
            super(EventCodec.CLASSIFICATION);
        }
    }

    public static final class ClassificationDeserializer extends AvroDeserializer<ClassificationEvent> {
        public ClassificationDeserializer() {
            super(EventCodec.CLASSIFICATION);
        }
    }

    public static final class ModelPublishedSerializer extends AvroSerializer<ModelPublished> {
        public ModelPublishedSerializer() {
            super(EventCodec.MODEL_PUBLISHED);
        }
    }

    public static final class ModelPublishedDeserializer extends AvroDeserializer<ModelPublished> {
        public ModelPublishedDeserializer() {
            super(EventCodec.MODEL_PUBLISHED);
        }
    }

    public static final class DeadLetterSerializer extends AvroSerializer<DeadLetter> {
        public DeadLetterSerializer() {
            super(EventCodec.DEAD_LETTER);
        }
    }

    public static final class DeadLetterDeserializer extends AvroDeserializer<DeadLetter> {
        public DeadLetterDeserializer() {
            super(EventCodec.DEAD_LETTER);
        }
    }
}
