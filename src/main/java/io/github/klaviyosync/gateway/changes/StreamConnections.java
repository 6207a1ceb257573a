package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.config.DatasourceUrls;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The stream's two connections to the application's database, whatever the number of consumers: one
 * that LISTENs for the writers' notifications, and a pool of one that every read of the stream
 * shares (the live reads and the catch-up of consumers behind). Each is named in
 * {@code pg_stat_activity}, so an operator can see what holds them.
 */
@ApplicationScoped
class StreamConnections {

    static final String LISTENER_NAME = "klaviyo-sync-gateway-changes-listen";
    static final String READER_NAME = "klaviyo-sync-gateway-changes-read";

    private static final String VERTX_REACTIVE_PREFIX = "vertx-reactive:";

    private final Vertx vertx;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;

    StreamConnections(Vertx vertx, DatasourceUrls urls,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.url = urls.reactiveUrl();
        this.user = user;
        this.password = password;
    }

    /** The LISTEN connection (connected by the caller, which also sets how it reconnects). */
    PgSubscriber listener() {
        return PgSubscriber.subscriber(vertx, options(LISTENER_NAME));
    }

    /** The pool of one connection that the stream's reads share. */
    io.vertx.mutiny.sqlclient.Pool reader() {
        var pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1).setName(READER_NAME))
                .connectingTo(options(READER_NAME))
                .using(vertx)
                .build();
        return io.vertx.mutiny.sqlclient.Pool.newInstance(pool);
    }

    private PgConnectOptions options(String applicationName) {
        String uri = url.startsWith(VERTX_REACTIVE_PREFIX) ? url.substring(VERTX_REACTIVE_PREFIX.length()) : url;
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        options.addProperty("application_name", applicationName);
        return options;
    }
}
