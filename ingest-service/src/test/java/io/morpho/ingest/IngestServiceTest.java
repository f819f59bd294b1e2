package io.morpho.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasLength;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.morpho.events.EventCodec;
import io.morpho.events.Topics;
import io.morpho.imaging.SharedData;
import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import morpho.events.v1.CutoutEvent;
import morpho.events.v1.DeadLetter;

/** Frames in, cutout events out, through a real broker; bad frames end in failed/ with a dead letter. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class IngestServiceTest {
    static final Path ROOT = Path.of("target/ingest-test");
    EmbeddedKafka kafka;
    @jakarta.inject.Inject
    io.morpho.ingest.service.FrameCutter cutter;
    KafkaConsumer<String, byte[]> consumer;
    final List<CutoutEvent> cutouts = new ArrayList<>();
    final List<DeadLetter> letters = new ArrayList<>();

    @BeforeEach
    void subscribe() {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.CUTOUTS, Topics.DEAD_LETTER));
    }

    void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.topic().equals(Topics.CUTOUTS)) {
                cutouts.add(EventCodec.CUTOUT.decode(r.value()));
            } else {
                letters.add(EventCodec.DEAD_LETTER.decode(r.value()));
            }
        });
    }

    List<CutoutEvent> of(String field) {
        return cutouts.stream().filter(c -> c.getField().equals(field)).toList();
    }

    @Test
    void simulatedFieldBecomesOneCutoutPerSourceAndBandAndReingestingRepeatsTheSameEvents() throws Exception {
        String name = "field" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = Files.createTempDirectory("stage");
        FieldSimulator.Field field = FieldSimulator.write(staging, name, 9, 6, 512, 150.1, 2.2,
                List.of(Band.f606w(), Band.f160w()));
        for (Path frame : field.frames()) { // catalog first, then the frame, as a producer should
            Path csv = frame.resolveSibling(frame.getFileName().toString().replace(".fits", ".csv"));
            Files.move(csv, ROOT.resolve("inbox").resolve(csv.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            Files.move(frame, ROOT.resolve("inbox").resolve(frame.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(12);
        });
        assertThat(Files.exists(ROOT.resolve("processed").resolve(name + "_F160W.fits"))).isTrue();
        assertThat(Files.exists(ROOT.resolve("processed").resolve(name + "_F160W.csv"))).isTrue();
        assertThat(of(name).stream().map(CutoutEvent::getBand).collect(Collectors.toSet())).containsExactlyInAnyOrder("F606W", "F160W");
        for (CutoutEvent c : of(name)) {
            assertThat(c.getWidth()).isEqualTo(c.getHeight()).isBetween(16, 256);
            assertThat(c.getPixels().remaining()).isEqualTo(c.getWidth() * c.getHeight() * 4);
            assertThat(c.getPixelScaleArcsec()).isEqualTo(0.06, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(Math.max(16, Math.round(4 * c.getPetrosianRadiusArcsec() / 0.06))).isEqualTo((long) c.getWidth());
            float[] px = Stamp.fromLittleEndianBytes(c.getWidth(), c.getHeight(), c.getPixels()).pixels();
            assertThat(px[c.getHeight() / 2 * c.getWidth() + c.getWidth() / 2]).isFinite();
        }
        Set<String> firstIds = of(name).stream().map(CutoutEvent::getEventId).collect(Collectors.toSet());
        assertThat(firstIds).hasSize(12);

        // The same frame again: identical event ids, so the catalog will not change.
        Path processed = ROOT.resolve("processed").resolve(name + "_F160W.fits");
        Files.copy(processed.resolveSibling(name + "_F160W.csv"), ROOT.resolve("inbox").resolve(name + "_F160W.csv"));
        Files.copy(processed, ROOT.resolve("inbox").resolve("." + name + "_F160W.fits.part"));
        Files.move(ROOT.resolve("inbox").resolve("." + name + "_F160W.fits.part"), ROOT.resolve("inbox").resolve(name + "_F160W.fits"),
                StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(18);
        });
        assertThat(of(name).stream().map(CutoutEvent::getEventId).collect(Collectors.toSet())).isEqualTo(firstIds);
    }

    @Test
    void aFrameStillBeingWrittenIsNotClaimedUntilItIsComplete() throws Exception {
        String name = "slow" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = Files.createTempDirectory("stage");
        FieldSimulator.Field field = FieldSimulator.write(staging, name, 5, 4, 300, 80, 10, List.of(Band.f160w()));
        byte[] whole = Files.readAllBytes(field.frames().get(0));
        Files.move(staging.resolve(name + "_F160W.csv"), ROOT.resolve("inbox").resolve(name + "_F160W.csv"));
        Path target = ROOT.resolve("inbox").resolve(name + "_F160W.fits");
        int chunk = whole.length / 10;
        try (var out = Files.newOutputStream(target)) { // a writer that does not rename: appends for about 3 s
            for (int offset = 0; offset < whole.length; offset += chunk) {
                out.write(whole, offset, Math.min(chunk, whole.length - offset));
                out.flush();
                Thread.sleep(300);
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(4);
        });
        assertThat(Files.exists(ROOT.resolve("failed").resolve(name + "_F160W.fits"))).isFalse();
    }

    @Test
    void unreadableFramesAndFramesWithoutWcsFailWithAReasonAndADeadLetter() throws Exception {
        String junk = "junk-" + UUID.randomUUID() + ".fits";
        Files.writeString(ROOT.resolve("inbox").resolve(junk), "definitely not FITS");
        String noWcs = "nowcs-" + UUID.randomUUID() + ".fits";
        Path real = SharedData.file("fits/galsim_AEGIS_F606w_images_01.fits"); // real image without any WCS keywords
        Files.writeString(ROOT.resolve("inbox").resolve(noWcs.replace(".fits", ".csv")),
                "id,ra,dec,petrosian_radius_arcsec\ns1,10,10,1.0\n");
        Files.copy(real, ROOT.resolve("inbox").resolve(noWcs));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(letters).extracting(DeadLetter::getOrigin).contains(junk, noWcs);
        });
        DeadLetter j = letters.stream().filter(d -> d.getOrigin().equals(junk)).findFirst().orElseThrow();
        assertThat(j.getStage()).isEqualTo("ingest");
        assertThat(j.getErrorType()).isEqualTo("fits.unreadable");
        DeadLetter w = letters.stream().filter(d -> d.getOrigin().equals(noWcs)).findFirst().orElseThrow();
        assertThat(w.getErrorType()).isEqualTo("wcs.missing");
        assertThat(Files.readString(ROOT.resolve("failed").resolve(noWcs + ".reason.txt"))).startsWith("wcs.missing")
                .contains("no celestial WCS");
        assertThat(Files.exists(ROOT.resolve("failed").resolve(junk))).isTrue(); // input kept, never deleted
    }

    @Test
    void realSurveyFrameWithTanWcsYieldsStampsAtItsCatalogPositions() throws Exception {
        // NGC 3073 in SDSS r (imfit test data): CD-matrix TAN WCS, FILTER = 'r'.
        Path real = SharedData.file("fits/imfit_n3073rss_small.fits");
        String name = "n3073-" + UUID.randomUUID() + ".fits";
        io.morpho.imaging.fits.FitsFrame frame = io.morpho.imaging.fits.FitsReader.readFirstImage(real);
        io.morpho.imaging.wcs.TanWcs wcs = io.morpho.imaging.wcs.TanWcs.fromHeader(frame.header());
        double[] centre = wcs.pixelToSky(75, 100);
        double[] corner = wcs.pixelToSky(10, 10);
        Files.writeString(ROOT.resolve("inbox").resolve(name.replace(".fits", ".csv")), String.format(java.util.Locale.ROOT,
                "id,ra,dec,petrosian_radius_arcsec%nngc3073,%.8f,%.8f,12.0%ncorner,%.8f,%.8f,5.0%noutside,10.0,-80.0,3.0%n",
                centre[0], centre[1], corner[0], corner[1]));
        Files.copy(real, ROOT.resolve("inbox").resolve("." + name + ".part"));
        Files.move(ROOT.resolve("inbox").resolve("." + name + ".part"), ROOT.resolve("inbox").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(cutouts.stream().filter(c -> c.getOrigin().startsWith(name)).toList()).hasSize(2);
        });
        CutoutEvent galaxy = cutouts.stream().filter(c -> c.getOrigin().startsWith(name) && c.getSourceId().equals("ngc3073"))
                .findFirst().orElseThrow();
        assertThat(galaxy.getBand()).isEqualTo("r");
        // The catalog carries 8 decimals of a degree (0.04 mas), i.e. 1e-4 of this frame's pixel.
        assertThat(galaxy.getX()).isCloseTo(75, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(galaxy.getY()).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(galaxy.getWidth()).isEqualTo((int) Math.round(4 * 12.0 / wcs.pixelScaleArcsec()));
        float[] px = Stamp.fromLittleEndianBytes(galaxy.getWidth(), galaxy.getHeight(), galaxy.getPixels()).pixels();
        int mid = galaxy.getHeight() / 2 * galaxy.getWidth() + galaxy.getWidth() / 2;
        assertThat(px[mid]).isEqualTo(frame.at(75, 100));
        assertThat(galaxy.getTouchesEdge()).isFalse();
        CutoutEvent atCorner = cutouts.stream().filter(c -> c.getOrigin().startsWith(name) && c.getSourceId().equals("corner"))
                .findFirst().orElseThrow();
        assertThat(atCorner.getTouchesEdge()).isTrue(); // 5 arcsec around pixel (10, 10): the stamp leaves the frame
        assertThat(Stamp.fromLittleEndianBytes(atCorner.getWidth(), atCorner.getHeight(), atCorner.getPixels()).pixels()[0])
                .isNaN();
    }

    @io.quarkus.test.common.http.TestHTTPResource("/frames")
    java.net.URL frames;

    @Test
    void uploadAcceptsFitsWithItsCatalogAndRejectsOtherFiles() throws Exception {
        String name = "up" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = Files.createTempDirectory("stage");
        FieldSimulator.Field field = FieldSimulator.write(staging, name, 4, 4, 400, 30, -10, List.of(Band.f160w()));
        Path frame = field.frames().get(0);
        given().multiPart("file", frame.toFile()).multiPart("catalog", staging.resolve(name + "_F160W.csv").toFile())
                .post("/frames").then().statusCode(202).body("frameId", hasLength(16));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(4);
        });
        String frameId = given().multiPart("file", frame.toFile()).post("/frames").then().statusCode(202)
                .extract().path("frameId"); // the same bytes again: same id
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/frames/" + frameId).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("processed"))
                        .body("result.stamps", org.hamcrest.Matchers.equalTo("4")).body("result.band", org.hamcrest.Matchers.equalTo("F160W")));
        given().get("/frames/0123456789abcdef").then().statusCode(404);
        given().get("/frames/not-an-id").then().statusCode(400).body("error", containsString("16 hexadecimal digits"));

        Path noWcs = SharedData.file("fits/galsim_AEGIS_F606w_images_01.fits");
        String failedId = given().multiPart("file", noWcs.toFile()).post("/frames").then().statusCode(202).extract().path("frameId");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/frames/" + failedId).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("failed"))
                        .body("errorType", org.hamcrest.Matchers.equalTo("wcs.missing")));

        // Larger than quarkus.http.limits.max-body-size (4M in tests): refused from its Content-Length, before the
        // body is sent (Expect: 100-continue, as curl does for large uploads).
        var request = java.net.http.HttpRequest.newBuilder(frames.toURI()).expectContinue(true)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[5 * 1024 * 1024])).build();
        assertThat(java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(413);

        Path text = Files.writeString(staging.resolve("notes.txt"), "hello");
        given().multiPart("file", text.toFile()).post("/frames").then().statusCode(400)
                .body("error", containsString("not a FITS file"));
    }

    /** No side-car catalog: the sources are detected, named by position, measured, and cut by magnitude. */
    @Test
    void aFrameWithoutCatalogIsSearchedForSources() throws Exception {
        String name = "detect" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = Files.createTempDirectory("stage");
        FieldSimulator.Field field = FieldSimulator.write(staging, name, 21, 16, 768, 150.1, 2.2, List.of(Band.clash("F160W")));
        Path frame = field.frames().get(0);
        Files.delete(frame.resolveSibling(name + "_F160W.csv"));
        Files.move(frame, ROOT.resolve("inbox").resolve(frame.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        Path note = ROOT.resolve("processed").resolve(frame.getFileName() + ".result.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(note));
        assertThat(Files.readString(note)).contains("source_list=detected").contains("band=F160W");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSizeGreaterThanOrEqualTo(16);
        });
        List<CutoutEvent> detected = of(name);
        for (FieldSimulator.TruthRow truth : field.truth()) {
            assertThat(detected).as("a detection within 1 arcsec of %s", truth.id()).anySatisfy(c -> {
                double dRa = (c.getRa() - truth.ra()) * Math.cos(Math.toRadians(truth.dec())) * 3600;
                double dDec = (c.getDec() - truth.dec()) * 3600;
                assertThat(Math.hypot(dRa, dDec)).isLessThan(1.0);
            });
        }
        assertThat(detected).allSatisfy(c -> {
            assertThat(c.getSourceId()).matches("J\\d{6}\\.\\d{2}[+-]\\d{6}\\.\\d(-\\d+)?");
            assertThat(c.getMagnitude()).isNotNull().isBetween(15.0, 28.0); // PHOTZP from the header
            assertThat(c.getPetrosianRadiusArcsec()).isPositive();
        });
    }

    /** A FITS binary table side-car (SExtractor-style column names, no radius: measured on the frame). */
    @Test
    void aFitsTableCatalogIsUsedAndMissingRadiiAreMeasured() throws Exception {
        String name = "table" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = Files.createTempDirectory("stage");
        FieldSimulator.Field field = FieldSimulator.write(staging, name, 5, 4, 512, 150.1, 2.2, List.of(Band.clash("F814W")));
        Path frame = field.frames().get(0);
        Files.delete(frame.resolveSibling(name + "_F814W.csv"));
        nom.tam.fits.BinaryTable table = new nom.tam.fits.BinaryTable();
        table.addColumn(field.truth().stream().map(FieldSimulator.TruthRow::id).toArray(String[]::new));
        table.addColumn(field.truth().stream().mapToDouble(FieldSimulator.TruthRow::ra).toArray());
        table.addColumn(field.truth().stream().mapToDouble(FieldSimulator.TruthRow::dec).toArray());
        nom.tam.fits.BinaryTableHDU hdu = nom.tam.fits.BinaryTableHDU.wrap(table);
        hdu.setColumnName(0, "NUMBER", null);
        hdu.setColumnName(1, "ALPHA_J2000", null);
        hdu.setColumnName(2, "DELTA_J2000", null);
        try (nom.tam.fits.Fits fits = new nom.tam.fits.Fits()) {
            fits.addHDU(hdu);
            fits.write(ROOT.resolve("inbox").resolve(name + "_F814W.cat.fits").toFile());
        }
        Files.move(frame, ROOT.resolve("inbox").resolve(frame.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(4);
        });
        assertThat(of(name)).extracting(CutoutEvent::getSourceId)
                .containsExactlyInAnyOrderElementsOf(field.truth().stream().map(FieldSimulator.TruthRow::id).toList());
        assertThat(of(name)).extracting(CutoutEvent::getPetrosianRadiusArcsec).allSatisfy(r -> assertThat(r).isBetween(0.05, 5.0));
        assertThat(ROOT.resolve("processed").resolve(name + "_F814W.cat.fits")).exists();
    }

    /** Every real FITS file of ../shared/data/fits, without a catalog: stamps of detected sources, or a specific error. */
    @Test
    void everyRealFrameYieldsDetectedStampsOrASpecificError() throws Exception {
        Path dir = SharedData.file("fits/astropy_m13.fits").getParent();
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().matches("(?i).+\\.fits(\\.gz|\\.Z)?")).sorted().toList();
        }
        int withStamps = 0;
        Set<String> specific = Set.of("fits.unreadable", "fits.no-image", "fits.no-data", "fits.empty-image",
                "fits.truncated", "fits.too-large", "fits.unsupported-type", "wcs.missing", "wcs.unsupported",
                "wcs.invalid", "frame.no-band", "frame.too-small", "detect.no-background");
        for (Path f : files) {
            String outcome;
            try {
                io.morpho.ingest.service.FrameCutter.Result r = cutter.cut(f, java.util.Optional.empty());
                outcome = String.format(java.util.Locale.ROOT, "%d stamps from %d detections in %d HDU(s), band %s, "
                        + "%d flagged%s", r.cutouts().size(), r.sources(), r.hdus(), r.band(), r.rejected(),
                        r.warnings().isEmpty() ? "" : "; " + r.warnings());
                // No stamps is an answer only when every detection was dropped for a stated reason (edge, mask, faint).
                assertThat(r.cutouts().size() + r.rejected() + r.faint()).as(outcome).isEqualTo(r.sources());
                assertThat(r.cutouts()).allSatisfy(c -> assertThat(c.getWidth()).isBetween(16, 256));
                withStamps += r.cutouts().isEmpty() ? 0 : 1;
            } catch (io.morpho.imaging.ImagingException e) {
                outcome = e.errorType() + ": " + e.getMessage();
                assertThat(specific).as(f.getFileName() + " -> " + outcome).contains(e.errorType());
                assertThat(e.getMessage()).isNotBlank();
            }
            System.out.println("real frame " + f.getFileName() + " -> " + outcome);
        }
        assertThat(withStamps).isGreaterThanOrEqualTo(5);
    }

    /** A frame left in work/ by a crash is processed on the next scan and publishes the same event ids again. */
    @Test
    void aFrameLeftInWorkByACrashIsRedoneWithTheSameEventIds() throws Exception {
        String name = "crash" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = Files.createTempDirectory("stage");
        FieldSimulator.Field field = FieldSimulator.write(staging, name, 13, 4, 300, 40, 20, List.of(Band.clash("F814W")));
        Path frame = field.frames().get(0);
        Path csv = staging.resolve(name + "_F814W.csv");
        Files.copy(csv, ROOT.resolve("inbox").resolve(csv.getFileName()));
        Files.copy(frame, ROOT.resolve("inbox").resolve(frame.getFileName()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(4);
        });
        Set<String> first = of(name).stream().map(CutoutEvent::getEventId).collect(Collectors.toSet());
        // The events are out before the frame leaves work/: wait for it to be filed, or the copies below would be
        // moved to processed/ in its place.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Files.exists(ROOT.resolve("processed").resolve(frame.getFileName() + ".result.txt")));

        // As if the service died after claiming the frame: it sits, complete, in work/ with its catalog.
        for (Path file : List.of(csv, frame)) {
            Path staged = ROOT.resolve("work").resolve("." + file.getFileName() + ".part");
            Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, ROOT.resolve("work").resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            poll();
            assertThat(of(name)).hasSize(8);
            assertThat(ROOT.resolve("work").resolve(frame.getFileName())).doesNotExist();
        });
        assertThat(of(name).stream().map(CutoutEvent::getEventId).collect(Collectors.toSet())).isEqualTo(first);
    }
}
