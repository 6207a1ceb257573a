package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Drops the budgets of accounts (and key checks) that nobody used for {@code gateway.klaviyo.quota.row-retention}. */
@ApplicationScoped
class QuotaCleanupJob {

    private static final Logger LOG = Logger.getLogger(QuotaCleanupJob.class);

    private final QuotaRepository quotas;
    private final Pool pool;
    private final GatewayConfig.Quota config;

    QuotaCleanupJob(QuotaRepository quotas, Pool pool, GatewayConfig config) {
        this.quotas = quotas;
        this.pool = pool;
        this.config = config.klaviyo().quota();
    }

    @Scheduled(identity = "quota-cleanup", every = "${gateway.klaviyo.quota.idle-eviction}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> cleanUp() {
        return pool.withConnection(connection -> quotas.deleteIdle(connection, config.rowRetention()))
                .invoke(deleted -> LOG.debugf("%d idle Klaviyo budgets dropped", deleted))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("idle Klaviyo budgets not dropped: %s", failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }
}
