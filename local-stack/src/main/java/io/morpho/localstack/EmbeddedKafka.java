package io.morpho.localstack;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import io.morpho.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) on loopback, either inside this
 * JVM ({@link #start}) or as a child JVM that a fault test can kill ({@link #startChildProcess}).
 * Creates the morpho topics on start.
 */
public final class EmbeddedKafka implements AutoCloseable {
    static final String READY = "MORPHO-KAFKA-READY ";

    private final KafkaRaftServer server;
    private final Process process;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, Process process, Path dataDir, boolean ownsDataDir, String bootstrap) {
        this.server = server;
        this.process = process;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.bootstrapServers = bootstrap;
    }

    /** Starts in this JVM on a free port with a temporary log directory. */
    public static EmbeddedKafka start() {
        return start(0, null);
    }

    /**
     * Starts in this JVM. {@code port} 0 picks a free one; a null {@code dataDir} uses a temporary directory
     * that is deleted on close (a given one is kept, so a restart finds its data again).
     */
    public static EmbeddedKafka start(int port, Path dataDir) {
        quietLoggers();
        boolean owns = dataDir == null;
        try {
            Path dir = owns ? Files.createTempDirectory("morpho-kafka") : Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Properties props = brokerProperties(dir, brokerPort, controllerPort);
            format(dir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            createMorphoTopics(bootstrap);
            return new EmbeddedKafka(server, null, dir, owns, bootstrap);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Kafka", e);
        }
    }

    /** Starts a broker in a child JVM (same class path) and waits until it serves. */
    public static EmbeddedKafka startChildProcess(int port, Path dataDir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                EmbeddedKafka.class.getName(), String.valueOf(port)));
        if (dataDir != null) {
            command.add(dataDir.toString());
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                if (line.startsWith(READY)) {
                    String bootstrap = line.substring(READY.length()).trim();
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "kafka-child-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new EmbeddedKafka(null, process, dataDir, false, bootstrap);
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("child Kafka exited before serving:\n" + seen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child Kafka", e);
        }
    }

    /** Child-process entry point: {@code EmbeddedKafka <port> [dataDir]}; runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Path dir = args.length > 1 ? Path.of(args[1]) : null;
        EmbeddedKafka kafka = start(port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        System.out.println(READY + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The child process, for fault tests that kill the broker; null when in-JVM. */
    public Process process() {
        return process;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
        if (process != null) {
            ChildProcesses.stop(process, Duration.ofSeconds(20));
        }
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    /** The topics of the pipeline; models is compacted (latest announcement per model name). */
    static List<NewTopic> morphoTopics() {
        return List.of(
                new NewTopic(Topics.CUTOUTS, 4, (short) 1),
                new NewTopic(Topics.CLASSIFICATIONS, 4, (short) 1),
                new NewTopic(Topics.MODELS, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(Topics.DEAD_LETTER, 1, (short) 1));
    }

    private static void createMorphoTopics(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("embedded Kafka did not come up within 60 s");
                }
                Thread.sleep(100);
            }
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = morphoTopics().stream().filter(t -> !existing.contains(t.name()))
                    .collect(Collectors.toList());
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create morpho topics", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("embedded Kafka did not answer", e);
        }
    }

    private static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private static void format(Path dir, Properties props) throws IOException {
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "morpho embedded Kafka");
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString(), "--ignore-formatted"}, discard);
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + rc);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void quietLoggers() {
        for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
            java.util.logging.Logger.getLogger(name).setLevel(java.util.logging.Level.WARNING);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
