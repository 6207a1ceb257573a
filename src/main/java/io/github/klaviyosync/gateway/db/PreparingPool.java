package io.github.klaviyosync.gateway.db;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Creates the reactive pool as Quarkus configures it, but for the length of statement each connection
 * keeps prepared. The Vert.x client caches prepared statements only up to 2,048 characters of SQL
 * (an option Quarkus does not expose); longer ones, the hot data-modifying CTEs among them (a member
 * page, a sweep page, a batch of pushes), went to PostgreSQL unnamed: parsed, analysed and planned
 * again on every execution, with one more round trip to describe them first.
 */
@Singleton
@Unremovable // looked up by Quarkus's pool recorder, injected nowhere
public class PreparingPool implements PgPoolCreator {

    private final int sqlLimit;

    PreparingPool(GatewayConfig config) {
        this.sqlLimit = config.database().statementCacheSqlLimit();
    }

    @Override
    @SuppressWarnings("deprecation") // PgPool, not Pool: what Quarkus casts the created pool to.
    public Pool create(Input input) {
        List<PgConnectOptions> servers = input.pgConnectOptionsList().stream()
                .map(options -> new PgConnectOptions(options).setPreparedStatementCacheSqlLimit(sqlLimit))
                .toList();
        return PgPool.pool(input.vertx(), servers, input.poolOptions());
    }
}
