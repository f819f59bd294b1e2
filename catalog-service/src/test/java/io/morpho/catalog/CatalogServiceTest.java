package io.morpho.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.morpho.catalog.entity.Morphology;
import io.morpho.events.EventCodec;
import io.morpho.events.EventSerde;
import io.morpho.events.Topics;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.KafkaTestResource;
import io.morpho.localstack.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.DeadLetter;

/** The catalog against a real Kafka broker and a real PostgreSQL 17. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class CatalogServiceTest {
    EmbeddedKafka kafka;
    KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    /** A 1x1 grey PNG. */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");

    static ClassificationEvent event(String eventId, String sourceId, String band, double ra, double dec) {
        return ClassificationEvent.newBuilder()
                .setEventId(eventId).setSourceId(sourceId).setSurvey("test").setField("f").setBand(band)
                .setRa(ra).setDec(dec).setMagnitude(22.5)
                .setPSpheroid(0.1f).setPDisk(0.7f).setPIrregular(0.1f).setPPointSource(0.05f).setPUnclassifiable(0.05f)
                .setLabel("disk").setEntropy(1.4f).setModelName("m").setModelVersion("1").setModelSha256("abc")
                .setExecutionProvider("cpu").setOrigin("x.fits[0]").setThumbnailPng(java.nio.ByteBuffer.wrap(PNG))
                .setClassifiedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
    }

    void send(ClassificationEvent e) throws Exception {
        producer.send(new ProducerRecord<>(Topics.CLASSIFICATIONS, e.getSourceId(), EventCodec.CLASSIFICATION.encode(e))).get();
    }

    static JsonPath galaxyBySource(String sourceId, double ra, double dec) {
        List<Map<String, Object>> found = given().queryParam("ra", ra).queryParam("dec", dec).queryParam("radius", 0.001)
                .get("/galaxies").then().statusCode(200).extract().jsonPath().getList("findAll { it.sourceId == '" + sourceId + "' }");
        assertThat(found).hasSize(1);
        return given().get("/galaxies/" + found.get(0).get("id")).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void bandsOfOneSourceLandOnOneGalaxyAndReplaysChangeNothing() throws Exception {
        String source = "src-" + UUID.randomUUID();
        ClassificationEvent red = event(UUID.randomUUID().toString(), source, "F160W", 53.1, -27.8);
        ClassificationEvent blue = event(UUID.randomUUID().toString(), source, "F606W", 53.1, -27.8);
        send(red);
        send(blue);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(source, 53.1, -27.8).getList("bands")).hasSize(2));

        send(red); // replay
        send(blue);
        String marker = "marker-" + UUID.randomUUID(); // elsewhere on the sky, so it is a galaxy of its own
        send(event(UUID.randomUUID().toString(), marker, "F160W", 53.2, -27.8));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(marker, 53.2, -27.8).getList("bands")).hasSize(1));
        JsonPath g = galaxyBySource(source, 53.1, -27.8);
        assertThat(g.getList("bands.band")).containsExactlyInAnyOrder("F160W", "F606W");
        assertThat(g.getFloat("bands[0].probabilities.disk")).isEqualTo(0.7f);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Morphology.count("eventId", red.getEventId()))).isEqualTo(1);

        long id = g.getLong("id");
        byte[] png = given().get("/galaxies/" + id + "/stamp/F160W.png").then().statusCode(200).contentType("image/png")
                .extract().asByteArray();
        assertThat(png).isEqualTo(PNG);
        given().get("/galaxies/" + id + "/stamp/F999W.png").then().statusCode(404);

        JsonPath stats = given().get("/stats").then().statusCode(200).extract().jsonPath();
        long classifications = QuarkusTransaction.requiringNew().call(() -> Morphology.count());
        assertThat(stats.getLong("classifications")).isEqualTo(classifications);
        assertThat(stats.getLong("galaxies")).isPositive();
        assertThat(stats.getMap("byBand")).containsKeys("F160W", "F606W");
        assertThat(stats.getLong("byLabel.disk")).isPositive();
    }

    @Test
    void detectionsWithinHalfAnArcsecondAreOneGalaxyWhateverTheirIds() throws Exception {
        double ra = 33.3;
        double dec = 44.4;
        double arcsec = 1 / 3600.0;
        String first = "xm-1-" + UUID.randomUUID();
        String near = "xm-2-" + UUID.randomUUID();
        String apart = "xm-3-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), first, "F160W", ra, dec));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(first, ra, dec).getList("bands")).hasSize(1));
        ClassificationEvent nearby = event(UUID.randomUUID().toString(), near, "F606W", ra + 0.3 * arcsec / Math.cos(Math.toRadians(dec)), dec);
        send(nearby);
        send(event(UUID.randomUUID().toString(), apart, "F606W", ra, dec + 1.5 * arcsec));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(given().queryParam("ra", ra).queryParam("dec", dec).queryParam("radius", 0.001).get("/galaxies")
                        .then().statusCode(200).extract().jsonPath().getList("sourceId")).contains(apart));
        JsonPath merged = galaxyBySource(first, ra, dec);
        assertThat(merged.getList("bands.band")).containsExactlyInAnyOrder("F160W", "F606W");
        assertThat(merged.getList("bands.sourceId")).containsExactlyInAnyOrder(first, near);
        List<String> ids = given().queryParam("ra", ra).queryParam("dec", dec).queryParam("radius", 0.001).get("/galaxies")
                .then().extract().jsonPath().getList("sourceId");
        assertThat(ids).contains(first, apart).doesNotContain(near);

        long galaxies = QuarkusTransaction.requiringNew().call(() -> io.morpho.catalog.entity.Galaxy.count());
        send(nearby); // replay: no new galaxy, no new row
        String marker = "xm-marker-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), marker, "F160W", 1, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(marker, 1, 1).getList("bands")).hasSize(1));
        assertThat(QuarkusTransaction.requiringNew().call(() -> io.morpho.catalog.entity.Galaxy.count())).isEqualTo(galaxies + 1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Morphology.count("eventId", nearby.getEventId()))).isEqualTo(1);
    }

    @Test
    void coneSearchHandlesTheRaSeamAndExcludesDistantGalaxies() throws Exception {
        String west = "w-" + UUID.randomUUID();
        String east = "e-" + UUID.randomUUID();
        String far = "far-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), west, "F160W", 359.9995, 10.0));
        send(event(UUID.randomUUID().toString(), east, "F160W", 0.0005, 10.0));
        send(event(UUID.randomUUID().toString(), far, "F160W", 0.01, 10.0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(given().queryParam("ra", 0.01).queryParam("dec", 10).queryParam("radius", 0.0001)
                        .get("/galaxies").then().statusCode(200).extract().jsonPath().getList("sourceId")).contains(far));
        List<String> near = given().queryParam("ra", 0.0).queryParam("dec", 10.0).queryParam("radius", 0.001)
                .get("/galaxies").then().statusCode(200).extract().jsonPath().getList("sourceId");
        assertThat(near).contains(west, east).doesNotContain(far);
    }

    @Test
    void filtersPagesAndFormats() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        double ra = 250.0;
        for (int i = 0; i < 5; i++) {
            ClassificationEvent e = event(UUID.randomUUID().toString(), "pg-" + tag + "-" + i, i % 2 == 0 ? "F160W" : "F606W",
                    ra + i * 0.001, -60.0);
            if (i == 3) {
                e.setLabel("spheroid");
                e.setPSpheroid(0.9f);
                e.setPDisk(0.05f);
                e.setPIrregular(0.02f);
                e.setPPointSource(0.02f);
                e.setPUnclassifiable(0.01f);
            }
            send(e);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(given().queryParam("ra", ra).queryParam("dec", -60).queryParam("radius", 0.01).get("/galaxies")
                        .then().statusCode(200).extract().jsonPath().getList("id")).hasSize(5));

        // Keyset pages of 2: 2 + 2 + 1, no overlap, in id order.
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 3; page++) {
            var req = given().queryParam("ra", ra).queryParam("dec", -60).queryParam("radius", 0.01).queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            var resp = req.get("/galaxies").then().statusCode(200).extract();
            seen.addAll(resp.jsonPath().getList("id"));
            cursor = resp.header("X-Next-Cursor");
            if (page < 2) {
                assertThat(cursor).isNotNull();
                assertThat(resp.header("Link")).contains("rel=\"next\"");
            } else {
                assertThat(cursor).isNull();
            }
        }
        assertThat(seen).hasSize(5).doesNotHaveDuplicates().isSorted();

        assertThat(given().queryParam("ra", ra).queryParam("dec", -60).queryParam("radius", 0.01).queryParam("label", "spheroid")
                .get("/galaxies").then().statusCode(200).extract().jsonPath().getList("sourceId")).containsExactly("pg-" + tag + "-3");
        assertThat(given().queryParam("ra", ra).queryParam("dec", -60).queryParam("radius", 0.01).queryParam("band", "F606W")
                .get("/galaxies").then().statusCode(200).extract().jsonPath().getList("sourceId")).hasSize(2);
        assertThat(given().queryParam("ra", ra).queryParam("dec", -60).queryParam("radius", 0.01).queryParam("class", "disk")
                .queryParam("minProbability", 0.6).get("/galaxies").then().statusCode(200).extract().jsonPath().getList("id")).hasSize(4);

        String csv = given().queryParam("ra", ra).queryParam("dec", -60).queryParam("radius", 0.01).queryParam("format", "csv")
                .get("/galaxies").then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(csv.lines()).hasSize(6).first().isEqualTo(
                "id,source_id,ra,dec,band,label,p_spheroid,p_disk,p_irregular,p_point_source,p_unclassifiable,model_version");
        String votable = given().accept("application/x-votable+xml").queryParam("ra", ra).queryParam("dec", -60)
                .queryParam("radius", 0.01).get("/galaxies").then().statusCode(200).extract().asString();
        assertThat(xml(votable).getElementsByTagName("TR").getLength()).isEqualTo(5);

        given().queryParam("cursor", "abc").get("/galaxies").then().statusCode(400).body("error", containsString("cursor"));
        given().queryParam("format", "fits").get("/galaxies").then().statusCode(400).body("error", containsString("format"));
        given().queryParam("label", "blob").get("/galaxies").then().statusCode(400);
        given().queryParam("class", "disk").get("/galaxies").then().statusCode(400).body("error", containsString("go together"));
    }

    @Test
    void sortsByMagnitudeOrNewestFirstWithKeysetPages() throws Exception {
        double[] magnitudes = {23.1, 20.5, 21.7, 24.9, 20.5, 22.0, 19.8};
        for (int i = 0; i < magnitudes.length; i++) {
            ClassificationEvent e = event("sort-" + i, "sort-" + i, "F160W", 250 + i * 0.01, -40);
            e.setSurvey("sorttest");
            e.setMagnitude(magnitudes[i]);
            send(e);
        }
        ClassificationEvent faintUnknown = event("sort-none", "sort-none", "F160W", 250.2, -40);
        faintUnknown.setSurvey("sorttest");
        faintUnknown.setMagnitude(null);
        send(faintUnknown);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("survey", "sorttest").queryParam("limit", 100)
                .get("/galaxies").then().extract().jsonPath().getList("id").size() == magnitudes.length + 1);

        List<Object> seen = new java.util.ArrayList<>();
        String cursor = null;
        do { // pages of 3, brightest first; galaxies without a magnitude last
            var request = given().queryParam("survey", "sorttest").queryParam("sort", "magnitude").queryParam("limit", 3);
            var response = (cursor == null ? request : request.queryParam("cursor", cursor)).get("/galaxies").then()
                    .statusCode(200).extract();
            seen.addAll(response.jsonPath().getList("magnitude"));
            cursor = response.header("X-Next-Cursor");
        } while (cursor != null);
        assertThat(seen).containsExactly(19.8f, 20.5f, 20.5f, 21.7f, 22.0f, 23.1f, 24.9f, null); // JSON numbers read as floats

        List<Integer> newest = given().queryParam("survey", "sorttest").queryParam("sort", "-id").get("/galaxies").then()
                .statusCode(200).extract().jsonPath().getList("id");
        assertThat(newest).isSortedAccordingTo(java.util.Comparator.reverseOrder()).hasSize(magnitudes.length + 1);
        given().queryParam("sort", "size").get("/galaxies").then().statusCode(400).body("error", containsString("sort must be"));
        given().queryParam("sort", "magnitude").queryParam("cursor", "12").get("/galaxies").then().statusCode(400)
                .body("error", containsString("same sort"));
    }

    /** A band classified again by a newer model: the newest is the band's classification, the older one its history. */
    @Test
    void theLatestClassificationOfABandLeadsAndEarlierOnesAreHistory() throws Exception {
        String source = "hist-" + UUID.randomUUID();
        ClassificationEvent v1 = event("hist-v1-" + UUID.randomUUID(), source, "F814W", 120.5, 33.3);
        v1.setModelVersion("1.0.0");
        v1.setClassifiedAt(Instant.parse("2026-01-01T00:00:00Z"));
        ClassificationEvent v2 = event("hist-v2-" + UUID.randomUUID(), source, "F814W", 120.5, 33.3);
        v2.setModelVersion("2.0.0");
        v2.setLabel("spheroid");
        v2.setPSpheroid(0.7f);
        v2.setPDisk(0.1f);
        v2.setClassifiedAt(Instant.parse("2026-02-01T00:00:00Z"));
        send(v2); // arrival order does not matter: classification time does
        send(v1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(source, 120.5, 33.3).getList("history")).hasSize(1));
        JsonPath g = galaxyBySource(source, 120.5, 33.3);
        assertThat(g.getList("bands")).hasSize(1);
        assertThat(g.getString("bands[0].model.version")).isEqualTo("2.0.0");
        assertThat(g.getString("bands[0].label")).isEqualTo("spheroid");
        assertThat(g.getString("history[0].model.version")).isEqualTo("1.0.0");
        assertThat(g.getString("history[0].band")).isEqualTo("F814W");
    }

    @Test
    void badQueriesAreClear400s() {
        given().queryParam("ra", 400).queryParam("dec", 0).queryParam("radius", 1).get("/galaxies")
                .then().statusCode(400).body("error", containsString("ra must be in [0, 360)"));
        given().queryParam("ra", 10).get("/galaxies")
                .then().statusCode(400).body("error", containsString("needs all of ra, dec and radius"));
        given().queryParam("limit", 100000).get("/galaxies").then().statusCode(400);
        given().get("/galaxies/999999999").then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void undecodableAndInvalidEventsBecomeDeadLettersAndConsumptionGoesOn() throws Exception {
        producer.send(new ProducerRecord<>(Topics.CLASSIFICATIONS, "junk", "not avro".getBytes(StandardCharsets.UTF_8))).get();
        ClassificationEvent invalid = event(UUID.randomUUID().toString(), "bad-" + UUID.randomUUID(), "F160W", 10, 10);
        invalid.setPDisk(3f);
        send(invalid);
        String after = "after-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), after, "F160W", 120, 45));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("ra", 120).queryParam("dec", 45).queryParam("radius", 0.001).get("/galaxies")
                        .then().statusCode(200).body("findAll { it.sourceId == '" + after + "' }", hasSize(1)));

        List<DeadLetter> letters = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new EventSerde.DeadLetterDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTER));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(r.value()));
                assertThat(letters).extracting(d -> d.getErrorType())
                        .contains("event.undecodable", "event.invalid");
            });
        }
        DeadLetter junk = letters.stream().filter(d -> d.getErrorType().equals("event.undecodable")).findFirst().orElseThrow();
        assertThat(junk.getStage()).isEqualTo("catalog");
        assertThat(junk.getOriginalTopic()).isEqualTo(Topics.CLASSIFICATIONS);
        assertThat(junk.getOriginalKey()).isEqualTo("junk");
        assertThat(StandardCharsets.UTF_8.decode(junk.getPayloadSample()).toString()).isEqualTo("not avro");
        assertThat(letters.stream().filter(d -> d.getErrorType().equals("event.invalid")).findFirst().orElseThrow()
                .getReason()).contains("probabilit");
    }

    static org.w3c.dom.Document xml(String body) throws Exception {
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    static String info(org.w3c.dom.Document doc, String name) {
        var infos = doc.getElementsByTagName("INFO");
        for (int i = 0; i < infos.getLength(); i++) {
            var e = (org.w3c.dom.Element) infos.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e.getAttribute("value");
            }
        }
        return null;
    }

    @Test
    void simpleConeSearchAnswersVoTablesWithTheRequiredUcds() throws Exception {
        String a = "scs-a-" + UUID.randomUUID();
        String b = "scs-b-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), a, "F160W", 200.0, -30.0));
        send(event(UUID.randomUUID().toString(), a, "F606W", 200.0, -30.0));
        send(event(UUID.randomUUID().toString(), b, "F160W", 200.0005, -30.0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(b, 200.0005, -30.0).getList("bands")).hasSize(1));

        String body = given().queryParam("RA", 200).queryParam("DEC", -30).queryParam("SR", 0.002).get("/scs")
                .then().statusCode(200).contentType(containsString("xml")).extract().asString();
        var doc = xml(body);
        assertThat(info(doc, "QUERY_STATUS")).isEqualTo("OK");
        var fields = doc.getElementsByTagName("FIELD");
        List<String> ucds = new ArrayList<>();
        for (int i = 0; i < fields.getLength(); i++) {
            ucds.add(((org.w3c.dom.Element) fields.item(i)).getAttribute("ucd"));
        }
        assertThat(ucds).contains("meta.id;meta.main", "pos.eq.ra;meta.main", "pos.eq.dec;meta.main", "src.morph.type");
        assertThat(ucds.stream().filter(u -> u.startsWith("stat.probability"))).hasSize(5);
        assertThat(doc.getElementsByTagName("TR").getLength()).isEqualTo(2);
        assertThat(body).contains("<TD>disk</TD>");

        var meta = xml(given().queryParam("ra", 200).queryParam("dec", -30).queryParam("sr", 0).get("/scs")
                .then().statusCode(200).extract().asString());
        assertThat(meta.getElementsByTagName("FIELD").getLength()).isEqualTo(fields.getLength());
        assertThat(meta.getElementsByTagName("TR").getLength()).isZero();

        var capped = xml(given().queryParam("RA", 200).queryParam("DEC", -30).queryParam("SR", 0.002).queryParam("MAXREC", 1)
                .queryParam("VERB", 3).get("/scs").then().statusCode(200).extract().asString());
        assertThat(info(capped, "QUERY_STATUS")).isEqualTo("OVERFLOW");
        assertThat(capped.getElementsByTagName("TR").getLength()).isEqualTo(1);

        var error = xml(given().queryParam("RA", 400).queryParam("DEC", 0).queryParam("SR", 1).get("/scs")
                .then().statusCode(400).extract().asString());
        assertThat(info(error, "QUERY_STATUS")).isEqualTo("ERROR");
        assertThat(info(error, "Error")).contains("RA must be in [0.0, 360.0)");
        assertThat(info(xml(given().queryParam("DEC", 0).queryParam("SR", 1).get("/scs").then().statusCode(400)
                .extract().asString()), "Error")).contains("missing parameter RA");
    }

    @io.quarkus.test.common.http.TestHTTPResource("/scs")
    java.net.URL scs;

    /** The real clients: stilts votlint must find nothing to say, pyvo must read the table and the errors. */
    @Test
    void votlintAndPyvoAcceptTheConeSearch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String source = "vo-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), source, "F160W", 10.0, 41.0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(source, 10.0, 41.0).getList("bands")).hasSize(1));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/stilts")),
                "stilts is not installed (apt-get install stilts): skipping votlint");
        for (String query : List.of("RA=10&DEC=41&SR=0.01&VERB=3", "RA=10&DEC=41&SR=0", "RA=400&DEC=41&SR=0.01")) {
            java.nio.file.Path file = dir.resolve("scs-" + Math.abs(query.hashCode()) + ".xml");
            java.nio.file.Files.writeString(file, given().get("/scs?" + query).then().extract().asString());
            Process lint = new ProcessBuilder("/usr/bin/stilts", "votlint", file.toString()).redirectErrorStream(true).start();
            String report = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(lint.waitFor()).isZero();
            assertThat(report).as("votlint on %s", query).isBlank();
        }
        java.nio.file.Path script = java.nio.file.Path.of(getClass().getResource("/pyvo_scs_check.py").toURI());
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import pyvo").start();
        org.junit.jupiter.api.Assumptions.assumeTrue(check.waitFor() == 0, "pyvo is not installed (apt-get install python3-pyvo)");
        Process pyvo = new ProcessBuilder("/usr/bin/python3", script.toString(), scs.toString(), "10", "41", "0.01", "1")
                .redirectErrorStream(true).start();
        String out = new String(pyvo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pyvo.waitFor()).as(out).isZero();
        assertThat(out).contains("pyvo: 1 rows");
    }

    @io.quarkus.test.common.http.TestHTTPResource("/gallery.html")
    java.net.URL gallery;

    /** The gallery in a real browser: headless Chromium renders it against live data and saves a screenshot. */
    @Test
    void galleryRendersInHeadlessChromium() throws Exception {
        String source = "gal-" + UUID.randomUUID();
        send(event(UUID.randomUUID().toString(), source, "F160W", 77.0, 7.0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(galaxyBySource(source, 77.0, 7.0).getList("bands")).hasSize(1));
        given().get("/gallery.html").then().statusCode(200).body(containsString("morpho gallery"));
        java.nio.file.Path chromium = java.nio.file.Path.of("/usr/bin/chromium");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(chromium),
                "chromium is not installed (apt-get install chromium): skipping the browser test");
        java.nio.file.Path shot = java.nio.file.Path.of("target", "gallery-screenshot.png").toAbsolutePath();
        java.nio.file.Files.deleteIfExists(shot);
        java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("chromium");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900", "--virtual-time-budget=5000",
                "--screenshot=" + shot, "--dump-dom", gallery.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(browser.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // The script ran against the API: cards with stamp images and probability bars are in the rendered DOM.
        assertThat(dom).contains("class=\"card\"").contains("/stamp/").contains("class=\"bars\"").contains(source);
        assertThat(dom).containsPattern("\\d+ galaxies");
        assertThat(java.nio.file.Files.size(shot)).isGreaterThan(5_000);
    }

    @Test
    void healthIsUp() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
