package io.morpho.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;
import morpho.events.v1.DeadLetter;
import morpho.events.v1.ModelPublished;

class EventCodecTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    static CutoutEvent cutout() {
        ByteBuffer pixels = ByteBuffer.allocate(4 * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            pixels.putFloat(i == 5 ? Float.NaN : i * 0.5f);
        }
        pixels.flip();
        return CutoutEvent.newBuilder()
                .setEventId("e1").setSourceId("s1").setSurvey("demo").setField("f1").setBand("F160W")
                .setRa(53.1).setDec(-27.8).setX(10.5).setY(20.25).setPetrosianRadiusArcsec(0.9)
                .setMagnitude(null).setPixelScaleArcsec(0.06).setWidth(4).setHeight(4).setPixels(pixels)
                .setMjd(60000.5).setOrigin("frame.fits[0]").setIngestedAt(NOW).build();
    }

    @Test
    void allFourEventsRoundTrip() {
        CutoutEvent c = cutout();
        assertThat(EventCodec.CUTOUT.decode(EventCodec.CUTOUT.encode(c))).isEqualTo(c);

        ClassificationEvent k = ClassificationEvent.newBuilder()
                .setEventId("e1").setSourceId("s1").setSurvey("demo").setField("f1").setBand("F160W")
                .setRa(53.1).setDec(-27.8).setMagnitude(23.1)
                .setPSpheroid(0.1f).setPDisk(0.6f).setPIrregular(0.2f).setPPointSource(0.05f).setPUnclassifiable(0.05f)
                .setLabel("disk").setEntropy(1.6f).setModelName("m").setModelVersion("1").setModelSha256("ab")
                .setExecutionProvider("cpu").setOrigin("frame.fits[0]").setThumbnailPng(null).setClassifiedAt(NOW).build();
        assertThat(EventCodec.CLASSIFICATION.decode(EventCodec.CLASSIFICATION.encode(k))).isEqualTo(k);

        ModelPublished m = ModelPublished.newBuilder().setName("compact").setVersion("2").setUri("file:///m.onnx")
                .setSha256("ff").setInputSize(64).setMetrics(Map.of("rmse", 0.1)).setPublishedAt(NOW).build();
        assertThat(EventCodec.MODEL_PUBLISHED.decode(EventCodec.MODEL_PUBLISHED.encode(m))).isEqualTo(m);

        DeadLetter d = DeadLetters.of("ingest", "fits.unreadable", "not a FITS file")
                .setOrigin("x.fits").setPayloadSample(DeadLetters.sample(new byte[5000])).setAt(NOW).build();
        DeadLetter back = EventCodec.DEAD_LETTER.decode(EventCodec.DEAD_LETTER.encode(d));
        assertThat(back).isEqualTo(d);
        assertThat(back.getPayloadSample().remaining()).isEqualTo(DeadLetters.PAYLOAD_SAMPLE_BYTES);
    }

    @Test
    void everyMessageCarriesMarkerAndFingerprint() {
        byte[] bytes = EventCodec.CUTOUT.encode(cutout());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(CutoutEvent.getClassSchema()));
    }

    @Test
    void foreignBytesAreRejectedWithATypedError() {
        assertThatThrownBy(() -> EventCodec.CUTOUT.decode("{\"ra\": 1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("C3 01");
        assertThatThrownBy(() -> EventCodec.CUTOUT.decode(new byte[0]))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("empty");
        // A valid morpho event of another type is foreign to this decoder: the fingerprint says so.
        byte[] deadLetter = EventCodec.DEAD_LETTER.encode(DeadLetters.of("s", "t", "r").build());
        assertThatThrownBy(() -> EventCodec.CUTOUT.decode(deadLetter))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("unknown schema fingerprint");
        byte[] truncated = Arrays.copyOf(EventCodec.CUTOUT.encode(cutout()), 30);
        assertThatThrownBy(() -> EventCodec.CUTOUT.decode(truncated))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("corrupt body");
    }

    @Test
    void aReaderWithAnAddedDefaultedFieldReadsOldData() throws Exception {
        Schema old = CutoutEvent.getClassSchema();
        String evolvedJson = old.toString().replace("\"name\":\"ingestedAt\"",
                "\"name\":\"seeingArcsec\",\"type\":\"double\",\"default\":-1.0},{\"name\":\"ingestedAt\"");
        Schema evolved = new Schema.Parser().parse(evolvedJson);
        assertThat(evolved.getField("seeingArcsec")).isNotNull();

        BinaryMessageDecoder<GenericRecord> reader = new BinaryMessageDecoder<>(GenericData.get(), evolved);
        reader.addSchema(old);
        GenericRecord read = reader.decode(ByteBuffer.wrap(EventCodec.CUTOUT.encode(cutout())));
        assertThat(read.get("seeingArcsec")).isEqualTo(-1.0);
        assertThat(read.get("sourceId").toString()).isEqualTo("s1");
        assertThat(read.get("ra")).isEqualTo(53.1);
    }

    @Test
    void kafkaSerdesDelegateToTheCodecAndKeepTombstones() {
        try (var ser = new EventSerde.CutoutSerializer(); var de = new EventSerde.CutoutDeserializer();
             var mde = new EventSerde.ModelPublishedDeserializer()) {
            CutoutEvent c = cutout();
            assertThat(de.deserialize(Topics.CUTOUTS, ser.serialize(Topics.CUTOUTS, c))).isEqualTo(c);
            assertThat(mde.deserialize(Topics.MODELS, null)).isNull();
            assertThatThrownBy(() -> de.deserialize(Topics.CUTOUTS, new byte[] {1, 2, 3}))
                    .isInstanceOf(UndecodableEventException.class);
        }
    }

    @Test
    void classOrderArgmaxAndEntropy() {
        assertThat(MorphologyClass.metadataValue()).isEqualTo("spheroid,disk,irregular,point_source,unclassifiable");
        assertThat(MorphologyClass.argmax(new float[] {0.1f, 0.2f, 0.6f, 0.05f, 0.05f})).isEqualTo(MorphologyClass.IRREGULAR);
        assertThat(MorphologyClass.entropyBits(new float[] {1, 0, 0, 0, 0})).isZero();
        assertThat(MorphologyClass.entropyBits(new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}))
                .isCloseTo((float) (Math.log(5) / Math.log(2)), org.assertj.core.data.Offset.offset(1e-5f));
    }

    /** A cutout written with schema version 1 (before touchesEdge) still decodes, the new field at its default. */
    @Test
    void eventsOfAnEarlierSchemaVersionStayReadable() throws Exception {
        org.apache.avro.Schema v1 = EventCodec.history("CutoutEvent").get(0);
        assertThat(v1.getField("touchesEdge")).isNull();
        assertThat(org.apache.avro.SchemaNormalization.parsingFingerprint64(v1))
                .isNotEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(CutoutEvent.getClassSchema()));
        CutoutEvent current = cutout();
        org.apache.avro.generic.GenericData.Record old = new org.apache.avro.generic.GenericData.Record(v1);
        for (org.apache.avro.Schema.Field f : v1.getFields()) {
            Object value = current.get(f.name());
            old.put(f.name(), value instanceof Instant t ? t.toEpochMilli() : value);
        }
        ByteBuffer bytes = new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericData.Record>(
                org.apache.avro.generic.GenericData.get(), v1).encode(old);
        byte[] array = java.util.Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        CutoutEvent decoded = EventCodec.CUTOUT.decode(array);
        assertThat(decoded.getTouchesEdge()).isFalse();
        current.setTouchesEdge(false);
        assertThat(decoded).isEqualTo(current);
        current.setTouchesEdge(true);
        assertThat(EventCodec.CUTOUT.decode(EventCodec.CUTOUT.encode(current)).getTouchesEdge()).isTrue();
    }
}
