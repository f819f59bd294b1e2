package io.morpho.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 server on loopback from zonky's embedded binaries, with a {@code morpho} database.
 * Works as root (zonky runs initdb under {@code unshare -U}).
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final String DATABASE = "morpho";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final int port;
    private final Path dataDir;
    private final boolean temporary;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

    private EmbeddedPostgres(int port, Path dataDir, boolean temporary) {
        this.port = port;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * Starts on a free port (0) or the given one; a null {@code dataDir} is a temporary directory removed by
     * {@link #close}. Either way the server can be stopped and started again on the same port with the same data
     * ({@link #stop}, {@link #restart}), which is how fault tests take the database away from a service.
     */
    public static EmbeddedPostgres start(int port, Path dataDir) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("morpho-pg") : dataDir;
            EmbeddedPostgres pg = new EmbeddedPostgres(port == 0 ? freePort() : port, dir, temporary);
            pg.restart();
            pg.createDatabase();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    public static EmbeddedPostgres start() {
        return start(0, null);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the server (again) on its port with its data directory. */
    public synchronized void restart() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL on port " + port, e);
        }
    }

    /** Stops the server (fast shutdown: clients are disconnected); the data stays for {@link #restart}. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    private void createDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() {
        stop();
        if (temporary) {
            try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + dataDir, e);
            }
        }
    }
}
