package io.github.klaviyosync.gateway.testsupport;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one real PostgreSQL for the whole test run (global: every Quarkus test uses it) on a free
 * port, and hands its URLs to the application. Tests that simulate an outage stop and start it
 * through {@link #server()}.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedPostgresServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = EmbeddedPostgresServer.startFresh();
        }
        return Map.of(
                "quarkus.datasource.reactive.url", server.reactiveUrl(),
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", EmbeddedPostgresServer.USER);
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server, for outage tests and for tests that read the database directly. */
    public static EmbeddedPostgresServer server() {
        return server;
    }
}
