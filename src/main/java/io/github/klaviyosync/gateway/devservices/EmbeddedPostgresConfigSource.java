package io.github.klaviyosync.gateway.devservices;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Dev mode's default database: when {@code gateway.dev.embedded-postgres} is true (the dev profile
 * sets it) and no datasource URL is configured, starts {@link EmbeddedPostgresServer} once per JVM
 * and supplies its URLs at a low ordinal, so any configured URL still wins. The prod profile never
 * sets the switch; tests get their database from a test resource instead.
 */
public class EmbeddedPostgresConfigSource implements ConfigSourceFactory {

    static final String SWITCH = "gateway.dev.embedded-postgres";
    /**
     * Survives dev mode's class loaders across live reloads: the server is started only once. A
     * system property is also configuration, so it stays outside the {@code gateway} prefix, where
     * GatewayConfig's validation would refuse an unknown name.
     */
    static final String STARTED_PORT = "klaviyo-sync-gateway.embedded-postgres.started-port";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!"true".equals(value(context, SWITCH)) || value(context, "quarkus.datasource.reactive.url") != null) {
            return List.of();
        }
        String port = System.getProperty(STARTED_PORT);
        if (port == null) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.startFresh();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
            port = Integer.toString(server.port());
            System.setProperty(STARTED_PORT, port);
        }
        String hostAndDb = "localhost:" + port + "/" + EmbeddedPostgresServer.DATABASE;
        return List.of(new MapBackedConfigSource("embedded-postgres", Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + hostAndDb,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostAndDb,
                "quarkus.datasource.username", EmbeddedPostgresServer.USER), 50) {
        });
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }
}
