package io.morpho.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;

import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.FieldSimulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/morpho demo}: the whole pipeline on one machine, on embedded Kafka and PostgreSQL. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start embedded Kafka + PostgreSQL and the ingest, inference and catalog services, feed them a "
                + "simulated CLASH-like field of galaxies in two bands, and print what the catalog found.")
public final class Demo implements Callable<Integer> {
    private static final String[] CLASS_NAMES = {"spheroid", "disk", "irregular", "point_source", "unclassifiable"};

    @Option(names = "--once", description = "Exit after printing the results instead of staying up until Ctrl-C.")
    boolean once;

    @Option(names = "--galaxies", defaultValue = "16", description = "Galaxies in the simulated field (default: ${DEFAULT-VALUE}).")
    int galaxies;

    @Option(names = "--seed", defaultValue = "2019", description = "Seed of the simulated field (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--home", defaultValue = ".", description = "The morpho checkout (default: current directory).")
    Path home;

    @Option(names = "--work-dir", description = "Where the demo keeps its files and logs (default: <home>/target/demo).")
    Path workDir;

    @Option(names = "--timeout", defaultValue = "180", description = "Seconds to wait for the catalog (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = this.home.toAbsolutePath().normalize();
        Path work = workDir != null ? workDir : home.resolve("target/demo");
        Files.createDirectories(work);
        List<Band> bands = List.of(Band.clash("F606W"), Band.clash("F160W"));
        try (DemoStack stack = DemoStack.start(home, work, DemoStack.Ports.defaults(), Demo::say)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            FieldSimulator.Field field = stack.feed("demo-field", seed, galaxies, bands);
            say("dropped " + field.frames().size() + " simulated frames (" + galaxies + " galaxies, bands "
                    + String.join(", ", bands.stream().map(Band::name).toList()) + ") into " + work.resolve("ingest/inbox"));
            int expected = galaxies * bands.size();
            JsonNode catalog = stack.awaitCatalog(expected, Duration.ofSeconds(timeoutSeconds),
                    n -> say(String.format(Locale.ROOT, "catalog: %d/%d classifications", n, expected)));
            System.out.println();
            System.out.print(table(catalog, field));
            System.out.println();
            printUrls(stack, catalog);
            if (!once) {
                say("running; press Ctrl-C to stop");
                new CountDownLatch(1).await();
            }
        }
        return 0;
    }

    static String table(JsonNode galaxies, FieldSimulator.Field field) {
        Map<String, Integer> truth = new HashMap<>();
        field.truth().forEach(t -> truth.put(t.id(), t.trueClass()));
        List<JsonNode> rows = new ArrayList<>();
        galaxies.forEach(rows::add);
        rows.sort(Comparator.comparing(g -> g.get("sourceId").asText()));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-5s %-16s %10s %9s %-6s %-15s %5s %5s %5s %5s %5s  %s%n",
                "id", "source", "ra", "dec", "band", "label", "p_sph", "p_dsk", "p_irr", "p_ps", "p_unc", "simulated as"));
        for (JsonNode g : rows) {
            Integer cls = truth.get(g.get("sourceId").asText());
            for (JsonNode b : g.get("bands")) {
                JsonNode p = b.get("probabilities");
                out.append(String.format(Locale.ROOT, "%-5d %-16s %10.5f %9.5f %-6s %-15s %5.2f %5.2f %5.2f %5.2f %5.2f  %s%n",
                        g.get("id").asLong(), g.get("sourceId").asText(), g.get("ra").asDouble(), g.get("dec").asDouble(),
                        b.get("band").asText(), b.get("label").asText(), p.get("spheroid").asDouble(),
                        p.get("disk").asDouble(), p.get("irregular").asDouble(), p.get("pointSource").asDouble(),
                        p.get("unclassifiable").asDouble(), cls == null ? "?" : CLASS_NAMES[cls]));
            }
        }
        return out.toString();
    }

    private static void printUrls(DemoStack stack, JsonNode catalog) {
        JsonNode first = catalog.get(0);
        String url = stack.catalogUrl();
        System.out.println("Catalog API (JSON):");
        System.out.println("  " + url + "/galaxies?sort=-id               newest galaxies first (sort=magnitude: brightest)");
        System.out.printf(Locale.ROOT, "  %s/galaxies?ra=%.5f&dec=%.5f&radius=0.005   cone search (degrees)%n", url,
                first.get("ra").asDouble(), first.get("dec").asDouble());
        System.out.println("  " + url + "/galaxies/" + first.get("id").asLong() + "                     one galaxy, all bands");
        System.out.println("  " + url + "/galaxies/" + first.get("id").asLong() + "/stamp/F160W.png       its F160W stamp");
        System.out.println("  " + url + "/scs?RA=150.1&DEC=2.2&SR=0.01    IVOA cone search (VOTable, for TOPCAT/pyvo)");
        System.out.println("  " + url + "/gallery.html                   gallery of stamps and probabilities");
        System.out.println("  " + url + "/q/swagger-ui                   OpenAPI / Swagger UI");
        System.out.println("Kafka: " + stack.kafkaBootstrap() + "  e.g. kcat -b " + stack.kafkaBootstrap()
                + " -t morpho.classifications.v1 -C -e");
        System.out.println("Logs:  " + stack.workDir().resolve("logs"));
    }

    private static void say(String message) {
        System.out.println("[morpho] " + message);
    }
}
