package io.morpho.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.morpho.localstack.ChildProcesses;

/** One morpho service running from its packaged Quarkus jar in its own JVM, exactly as in production. */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static ServiceProcess start(String name, Path jar, int port, Map<String, String> env, Path logDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw -DskipTests install");
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            return new ServiceProcess(name, pb.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    /**
     * Waits until this JVM has bound its port (its log says so: another process answering on a port this one failed
     * to take must not pass for it) and {@code /q/health/ready} answers 200; fails early if the JVM dies.
     */
    void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        // Quarkus logs "Listening on: http://host:port" once its HTTP server has bound.
        java.util.regex.Pattern bound = java.util.regex.Pattern.compile("Listening on: "
                + java.util.regex.Pattern.quote(url()) + "(?!\\d)");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                if (logMatches(bound) && http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    private boolean logMatches(java.util.regex.Pattern pattern) throws IOException {
        return Files.exists(log) && pattern.matcher(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)).find();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name;
    }
}
