package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.member.MemberChangeRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Deletes changes older than {@code gateway.changes.retention} (a backfill of 100,000 members records
 * 100,000 of them), in bounded batches, each its own transaction, until a batch comes back short.
 * Every instance runs it; two at once delete different rows or wait for each other's batch.
 */
@ApplicationScoped
public class ChangeRetentionJob {

    private final MemberChangeRepository changes;
    private final Pool pool;
    private final GatewayConfig.Changes config;

    ChangeRetentionJob(MemberChangeRepository changes, Pool pool, GatewayConfig config) {
        this.changes = changes;
        this.pool = pool;
        this.config = config.changes();
    }

    @Scheduled(identity = "change-retention", every = "${gateway.changes.cleanup-interval}", delayed = "${gateway.changes.cleanup-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpired() {
        return deleteOlderThan(Instant.now().minus(config.retention()));
    }

    /** Batch after batch until one comes back short. */
    Uni<Void> deleteOlderThan(Instant before) {
        return pool.withTransaction(connection -> changes.deleteExpired(connection, before, config.cleanupBatchSize()))
                .chain(deleted -> deleted < config.cleanupBatchSize() ? Uni.createFrom().voidItem() : deleteOlderThan(before));
    }
}
