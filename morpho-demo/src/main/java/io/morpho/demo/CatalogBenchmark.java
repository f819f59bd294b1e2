package io.morpho.demo;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

import io.morpho.events.EventCodec;
import io.morpho.events.Topics;
import io.morpho.imaging.sky.Zones;
import io.morpho.localstack.EmbeddedKafka;
import morpho.events.v1.ClassificationEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/morpho benchmark-catalog}: the catalog's write rate and cone-search latency, against q3c.
 * <ol>
 * <li>A PostgreSQL 15 server is started from Debian's binaries (with {@code postgresql-15-q3c}) in a temporary
 * directory on a free loopback port; the catalog service's Flyway migrations create the schema.</li>
 * <li>Write rate: the catalog service (its packaged jar, as in production) consumes N classifications from an
 * embedded Kafka broker into that server — cross-match, idempotency check and one transaction per batch included —
 * and the rate is the count over the time until its {@code stored} counter reaches N.</li>
 * <li>Cone search: 1 M galaxies are loaded into the same table (a 100 deg² field, about 2.8 galaxies per square
 * arcminute), q3c's index is added beside the zone index, and the same cones (centred on random galaxies, radii
 * 1", 10", 1', 10') are answered with the catalog's zone predicate and with {@code q3c_radial_query}, each through
 * JDBC; p50/p99 latency and the ratio are printed.</li>
 * </ol>
 * A program, not a test; it prints Markdown for docs/benchmarks.md.
 */
@Command(name = "benchmark-catalog", mixinStandardHelpOptions = true,
        description = "Catalog write rate (results/s) and cone-search latency on 1 M galaxies, against q3c.")
public final class CatalogBenchmark implements Callable<Integer> {
    @Option(names = "--home", defaultValue = ".", description = "The morpho checkout (default: ${DEFAULT-VALUE}).")
    Path home;

    @Option(names = "--events", defaultValue = "100000", description = "Classifications to write (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--galaxies", defaultValue = "1000000", description = "Galaxies for the cone searches (default: ${DEFAULT-VALUE}).")
    int galaxies;

    @Option(names = "--queries", defaultValue = "1000", description = "Cones per radius (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--pg-bin", defaultValue = "/usr/lib/postgresql/15/bin", description = "(default: ${DEFAULT-VALUE})")
    Path pgBin;

    private static final double FIELD_RA = 150;
    private static final double FIELD_DEC = 2;
    private static final double FIELD_SIDE = 10; // degrees: a 100 deg^2 field

    public static void main(String[] args) {
        System.exit(new CommandLine(new CatalogBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = home.toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("target/benchmark-catalog"));
        if (!Files.isExecutable(pgBin.resolve("postgres"))) {
            System.out.println("needs PostgreSQL 15 and q3c from Debian: apt-get install postgresql-15 postgresql-15-q3c");
            return 2;
        }
        try (Postgres15 pg = Postgres15.start(pgBin, Files.createTempDirectory("morpho-pg15"));
             EmbeddedKafka kafka = EmbeddedKafka.start()) {
            double rate = writeRate(root, work, pg, kafka);
            System.out.printf(Locale.ROOT, "%n## Write rate%n%n%,d classifications (%,d galaxies x 2 bands, the second band "
                    + "cross-matched 0.2\" away) consumed into PostgreSQL 15 by the catalog service: **%,.0f results/s**%n",
                    events, events / 2, rate);
            try (Connection c = pg.connect()) {
                load(c);
            }
            // Plain (unnamed) statements for both methods, so each query is planned with its own values.
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl() + "?prepareThreshold=0", "postgres", "")) {
                cones(c);
            }
        }
        return 0;
    }

    private double writeRate(Path root, Path work, Postgres15 pg, EmbeddedKafka kafka) throws Exception {
        Random rng = new Random(5);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events);
        Instant now = Instant.now();
        for (int i = 0; i < events / 2; i++) {
            double ra = FIELD_RA + (rng.nextDouble() - 0.5) * FIELD_SIDE;
            double dec = FIELD_DEC + (rng.nextDouble() - 0.5) * FIELD_SIDE;
            for (int band = 0; band < 2; band++) {
                ClassificationEvent e = ClassificationEvent.newBuilder().setEventId("bench-" + i + "-" + band)
                        .setSourceId("b" + band + "-" + i).setSurvey("bench").setField("f").setBand(band == 0 ? "F814W" : "F160W")
                        .setRa(ra + band * 0.2 / 3600).setDec(dec).setMagnitude(22.0)
                        .setPSpheroid(0.1f).setPDisk(0.6f).setPIrregular(0.2f).setPPointSource(0.05f).setPUnclassifiable(0.05f)
                        .setLabel("disk").setEntropy(1.5f).setModelName("m").setModelVersion("1").setModelSha256("0")
                        .setExecutionProvider("cpu").setOrigin("bench.fits[0]").setThumbnailPng(null).setClassifiedAt(now)
                        .build();
                records.add(new ProducerRecord<>(Topics.CLASSIFICATIONS, e.getSourceId(), EventCodec.CLASSIFICATION.encode(e)));
            }
        }
        int port = DemoStack.Ports.random().catalog();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres");
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceProcess catalog = ServiceProcess.start("catalog-service",
                root.resolve("catalog-service/target/quarkus-app/quarkus-run.jar"), port, env, work.resolve("logs"))) {
            catalog.awaitReady(http, Duration.ofSeconds(120));
            long start = System.nanoTime();
            try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20),
                    new StringSerializer(), new ByteArraySerializer())) {
                records.forEach(producer::send);
            }
            HttpRequest metrics = HttpRequest.newBuilder(URI.create(catalog.url() + "/q/metrics")).build();
            Pattern stored = Pattern.compile("morpho_catalog_events_total\\{outcome=\"stored\"\\} ([0-9.E]+)");
            double done = 0;
            while (done < events) {
                Thread.sleep(500);
                Matcher m = stored.matcher(http.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
                done = m.find() ? Double.parseDouble(m.group(1)) : 0;
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(30)) {
                    throw new IllegalStateException("only " + done + " of " + events + " stored after 30 minutes");
                }
            }
            return events / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** 1 M galaxies in the field, through COPY, then the q3c index beside the zone index. */
    private void load(Connection c) throws Exception {
        Random rng = new Random(6);
        StringBuilder rows = new StringBuilder();
        long start = System.nanoTime();
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (int i = 0; i < galaxies; i++) {
            rows.append(String.format(Locale.ROOT, "bench\tg%d\tf\t%.8f\t%.8f\t22\t2026-01-01T00:00:00Z%n", i,
                    FIELD_RA + (rng.nextDouble() - 0.5) * FIELD_SIDE, FIELD_DEC + (rng.nextDouble() - 0.5) * FIELD_SIDE));
            if (rows.length() > 8_000_000 || i == galaxies - 1) {
                copy.copyIn("COPY galaxy (survey, source_id, field, ra, dec, magnitude, first_seen) FROM STDIN",
                        new StringReader(rows.toString()));
                rows.setLength(0);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS q3c");
            s.execute("CREATE INDEX galaxy_q3c ON galaxy (q3c_ang2ipix(ra, dec))");
            s.execute("VACUUM ANALYZE galaxy");
        }
        System.out.printf(Locale.ROOT, "%nloaded %,d galaxies and built the q3c index in %.0f s%n", galaxies,
                (System.nanoTime() - start) / 1e9);
    }

    private void cones(Connection c) throws SQLException {
        List<double[]> centres = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ra, dec FROM galaxy TABLESAMPLE SYSTEM (1) LIMIT " + queries)) {
            while (rs.next()) {
                centres.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
            }
        }
        System.out.printf(Locale.ROOT, "%n## Cone search on %,d galaxies (PostgreSQL 15, same server, same table)%n%n", galaxies);
        System.out.println("| radius | rows (mean) | zones p50 (ms) | zones p99 (ms) | q3c p50 (ms) | q3c p99 (ms) | zones / q3c (p99) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (double arcsec : new double[] {1, 10, 60, 600}) {
            double r = arcsec / 3600;
            double[] zones = new double[centres.size()];
            double[] q3c = new double[centres.size()];
            long rows = 0;
            for (int round = 0; round < 2; round++) { // the first round warms caches and the JIT
                for (int i = 0; i < centres.size(); i++) {
                    double[] p = centres.get(i);
                    long t0 = System.nanoTime();
                    int n = zoneQuery(c, p[0], p[1], r);
                    long t1 = System.nanoTime();
                    int m = q3cQuery(c, p[0], p[1], r);
                    long t2 = System.nanoTime();
                    if (n != m) {
                        throw new IllegalStateException("zones found " + n + ", q3c " + m + " around " + p[0] + ", " + p[1]);
                    }
                    zones[i] = (t1 - t0) / 1e6;
                    q3c[i] = (t2 - t1) / 1e6;
                    rows += round == 1 ? n : 0;
                }
            }
            java.util.Arrays.sort(zones);
            java.util.Arrays.sort(q3c);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    arcsec < 60 ? (int) arcsec + "\"" : (int) (arcsec / 60) + "'", (double) rows / centres.size(),
                    pct(zones, 50), pct(zones, 99), pct(q3c, 50), pct(q3c, 99), pct(zones, 99) / pct(q3c, 99));
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** The catalog's own cone predicate (named parameters bound in order). */
    private static int zoneQuery(Connection c, double ra, double dec, double r) throws SQLException {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = Zones.conePredicate("g", ra, dec, r, params);
        List<Object> values = new ArrayList<>();
        Matcher m = Pattern.compile(":(\\w+)").matcher(where);
        StringBuilder sql = new StringBuilder("SELECT g.id, g.ra, g.dec FROM galaxy g WHERE true");
        int last = 0;
        while (m.find()) {
            sql.append(where, last, m.start()).append('?');
            values.add(params.get(m.group(1)));
            last = m.end();
        }
        sql.append(where.substring(last));
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                s.setObject(i + 1, values.get(i));
            }
            return count(s);
        }
    }

    private static int q3cQuery(Connection c, double ra, double dec, double r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, ra, dec FROM galaxy WHERE q3c_radial_query(ra, dec, ?, ?, ?)")) {
            s.setDouble(1, ra);
            s.setDouble(2, dec);
            s.setDouble(3, r);
            return count(s);
        }
    }

    private static int count(PreparedStatement s) throws SQLException {
        int n = 0;
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    /** A PostgreSQL 15 server from Debian's binaries in a directory of its own, on a free loopback port. */
    static final class Postgres15 implements AutoCloseable {
        private final Path bin;
        private final Path data;
        private final int port;
        private final boolean asPostgresUser;

        private Postgres15(Path bin, Path data, int port, boolean asPostgresUser) {
            this.bin = bin;
            this.data = data;
            this.port = port;
            this.asPostgresUser = asPostgresUser;
        }

        static Postgres15 start(Path bin, Path data) throws Exception {
            boolean root = "root".equals(System.getProperty("user.name"));
            int port;
            try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Postgres15 pg = new Postgres15(bin, data, port, root);
            if (root) { // initdb refuses to run as root: the server runs as Debian's postgres user
                pg.run(List.of("chown", "-R", "postgres:postgres", data.toString()), false);
            }
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "--no-sync"), true);
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", data.resolve("server.log").toString(),
                    "-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c shared_buffers=1GB", "start"), true);
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE morpho");
            }
            return pg;
        }

        private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
            List<String> full = new ArrayList<>();
            if (asPostgres && asPostgresUser) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.addAll(command);
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        }

        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/morpho";
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), "postgres", "");
        }

        @Override
        public void close() throws Exception {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), true);
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
