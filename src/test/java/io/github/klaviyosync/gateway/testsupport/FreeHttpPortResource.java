package io.github.klaviyosync.gateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Picks a free HTTP test port before the application starts, so configuration can name it: the
 * test profile points {@code gateway.klaviyo.base-url} at the simulator on the application's own
 * port ({@code http://localhost:${quarkus.http.test-port}/klaviyo-sim}).
 */
public class FreeHttpPortResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Integer port;

    @Override
    public synchronized Map<String, String> start() {
        if (port == null) {
            port = freePort();
        }
        return Map.of("quarkus.http.test-port", Integer.toString(port));
    }

    @Override
    public void stop() {
        // Nothing to release: the port was only looked up.
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the HTTP test server", e);
        }
    }
}
