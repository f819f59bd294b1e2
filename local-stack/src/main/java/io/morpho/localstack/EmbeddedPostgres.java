package io.morpho.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts on a free port (0) or the given one; a null {@code dataDir} is temporary and cleaned. */
    public static EmbeddedPostgres start(int port, Path dataDir) {
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100");
            if (port != 0) {
                builder.setPort(port);
            }
            if (dataDir != null) {
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres pg = new EmbeddedPostgres(builder.start());
            pg.createDatabase();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    public static EmbeddedPostgres start() {
        return start(0, null);
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
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
