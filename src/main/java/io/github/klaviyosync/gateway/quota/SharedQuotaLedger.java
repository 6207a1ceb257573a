package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.klaviyo.QuotaLedger;
import io.github.klaviyosync.gateway.klaviyo.RateTier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The client's shared budget, kept in PostgreSQL: one statement per lease or pause, on a pooled
 * connection of its own (never a caller's transaction: a lease must not wait for a page commit).
 */
@ApplicationScoped
class SharedQuotaLedger implements QuotaLedger {

    private final QuotaRepository quotas;
    private final Pool pool;

    SharedQuotaLedger(QuotaRepository quotas, Pool pool) {
        this.quotas = quotas;
        this.pool = pool;
    }

    @Override
    public Uni<QuotaGrant> lease(QuotaLease lease) {
        return pool.withConnection(connection -> quotas.lease(connection, lease)
                .onItem().ifNull().switchTo(() -> firstLease(connection, lease)));
    }

    @Override
    public Uni<Void> pause(String budgetKey, RateTier tier, QuotaLimits limits, long pauseMillis, boolean throttled,
            boolean windowSpent) {
        return pool.withConnection(connection -> quotas.pause(connection, budgetKey, tier, limits, pauseMillis, throttled,
                windowSpent));
    }

    private Uni<QuotaGrant> firstLease(SqlConnection connection, QuotaLease lease) {
        return quotas.create(connection, lease.budgetKey(), lease.tier(), lease.limits().perWindow())
                .chain(() -> quotas.lease(connection, lease));
    }
}
