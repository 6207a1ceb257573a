package io.github.klaviyosync.gateway.syncrun;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Deletes finished runs older than {@code gateway.sync.run-retention}: a list synced every 15
 * minutes makes 96 runs a day. Deletes in bounded batches, each its own transaction, so no
 * statement holds locks for long, and as many batches as there are old runs.
 */
@ApplicationScoped
public class SyncRunCleanupJob {

    private static final int BATCH = 5000;

    private final SyncRunRepository runs;
    private final Pool pool;
    private final GatewayConfig.Sync config;

    SyncRunCleanupJob(SyncRunRepository runs, Pool pool, GatewayConfig config) {
        this.runs = runs;
        this.pool = pool;
        this.config = config.sync();
    }

    @Scheduled(identity = "sync-run-cleanup", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteOldRuns() {
        return deleteOlderThan(Instant.now().minus(config.runRetention()));
    }

    /** Batch after batch until one comes back short: 50,000 lists make 4.8 million runs a day. */
    private Uni<Void> deleteOlderThan(Instant before) {
        return pool.withTransaction(connection -> runs.deleteFinishedBefore(connection, before, BATCH))
                .chain(deleted -> deleted < BATCH ? Uni.createFrom().voidItem() : deleteOlderThan(before));
    }
}
