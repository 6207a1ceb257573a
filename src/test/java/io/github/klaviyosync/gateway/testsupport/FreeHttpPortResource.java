package io.github.klaviyosync.gateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Picks free HTTP test ports before the application starts, so configuration can name them: the
 * main port (the test profile points {@code gateway.klaviyo.base-url} at the simulator on it,
 * {@code http://localhost:${quarkus.http.test-port}/klaviyo-sim}) and the management interface's
 * ({@code /q/*}, read through {@link Management}).
 */
public class FreeHttpPortResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Integer port;
    private static volatile Integer managementPort;

    @Override
    public synchronized Map<String, String> start() {
        if (port == null) {
            port = freePort();
            managementPort = freePort();
        }
        return Map.of("quarkus.http.test-port", Integer.toString(port),
                "quarkus.management.test-port", Integer.toString(managementPort));
    }

    @Override
    public void stop() {
        // Nothing to release: the ports were only looked up.
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for an HTTP test server", e);
        }
    }
}
