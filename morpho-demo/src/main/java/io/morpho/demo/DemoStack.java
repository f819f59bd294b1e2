package io.morpho.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import io.morpho.localstack.EmbeddedKafka;
import io.morpho.localstack.EmbeddedPostgres;

/**
 * Embedded Kafka and PostgreSQL in this JVM, the three services as child JVMs wired to them by environment
 * variables (the same ones a deployment sets), and a simulated field fed through the ingest directory.
 */
public final class DemoStack implements AutoCloseable {
    public record Ports(int kafka, int ingest, int inference, int catalog) {
        /** The documented defaults, each replaced by a free port when taken. */
        public static Ports defaults() {
            return reserve(9092, 8081, 8082, 8083);
        }

        public static Ports random() {
            return reserve(0, 0, 0, 0);
        }

        /**
         * Each preferred port when it is free, else a free one (0: any). All four are held open while they are chosen,
         * so no two services are given the same port.
         */
        private static Ports reserve(int... preferred) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int port : preferred) {
                    held.add(open(port));
                }
                return new Ports(held.get(0).getLocalPort(), held.get(1).getLocalPort(), held.get(2).getLocalPort(),
                        held.get(3).getLocalPort());
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a listening socket we opened ourselves
                    }
                }
            }
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Path workDir;
    private EmbeddedKafka kafka;
    private ServiceProcess catalog;

    private DemoStack(Path workDir) {
        this.workDir = workDir;
    }

    public static DemoStack start(Path home, Path workDir, Ports ports, java.util.function.Consumer<String> say)
            throws InterruptedException {
        DemoStack stack = new DemoStack(workDir);
        try {
            stack.startAll(home, ports, say);
            return stack;
        } catch (RuntimeException | InterruptedException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path home, Ports ports, java.util.function.Consumer<String> say) throws InterruptedException {
        say.accept("starting Kafka (KRaft, in-JVM) ...");
        kafka = EmbeddedKafka.start(ports.kafka(), null);
        started.add(kafka);
        say.accept("starting PostgreSQL 17 (embedded) ...");
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        started.add(postgres);
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        Path logs = workDir.resolve("logs");
        ServiceProcess ingest = ServiceProcess.start("ingest-service", jar(home, "ingest-service"), ports.ingest(),
                merge(common, Map.of("MORPHO_INGEST_DIRECTORY", workDir.resolve("ingest").toString())), logs);
        started.add(ingest);
        ServiceProcess inference = ServiceProcess.start("inference-service", jar(home, "inference-service"),
                ports.inference(), merge(common, Map.of("MORPHO_INFERENCE_MODEL",
                        home.resolve("models/morpho-compact-clash.onnx").toString())), logs);
        started.add(inference);
        catalog = ServiceProcess.start("catalog-service", jar(home, "catalog-service"), ports.catalog(),
                merge(common, Map.of("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                        "QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgres.USER,
                        "QUARKUS_DATASOURCE_PASSWORD", EmbeddedPostgres.PASSWORD)), logs);
        started.add(catalog);
        for (ServiceProcess s : List.of(ingest, inference, catalog)) {
            say.accept("waiting for " + s + " at " + s.url() + " ...");
            s.awaitReady(http, Duration.ofSeconds(120));
        }
    }

    private static Path jar(Path home, String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** Simulates a field in the given bands and drops it into the ingest inbox, catalogs first. */
    public FieldSimulator.Field feed(String name, long seed, int galaxies, List<Band> bands) {
        try {
            Path staging = Files.createDirectories(workDir.resolve("staging"));
            FieldSimulator.Field field = FieldSimulator.write(staging, name, seed, galaxies, 1024, 150.1, 2.2, bands);
            Path inbox = Files.createDirectories(workDir.resolve("ingest/inbox"));
            for (Path frame : field.frames()) {
                Path csv = frame.resolveSibling(frame.getFileName().toString().replace(".fits", ".csv"));
                Files.move(csv, inbox.resolve(csv.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                Files.move(frame, inbox.resolve(frame.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return field;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the catalog until it holds {@code expected} classifications; reports progress as it grows. */
    public JsonNode awaitCatalog(int expected, Duration timeout, IntConsumer progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (true) {
            JsonNode galaxies = galaxies();
            int count = 0;
            for (JsonNode g : galaxies) {
                count += g.get("bands").size();
            }
            if (count != last) {
                progress.accept(count);
                last = count;
            }
            if (count >= expected) {
                return galaxies;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count + " of " + expected + " classifications reached the "
                        + "catalog within " + timeout.toSeconds() + " s; service logs are in " + workDir.resolve("logs"));
            }
            Thread.sleep(500);
        }
    }

    public JsonNode galaxies() {
        return get("/galaxies?limit=1000");
    }

    public JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(catalogUrl() + pathAndQuery)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String catalogUrl() {
        return catalog.url();
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }

    private static ServerSocket open(int preferred) {
        if (preferred != 0) {
            try {
                return new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress());
            } catch (IOException taken) {
                // fall through to a free port
            }
        }
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
