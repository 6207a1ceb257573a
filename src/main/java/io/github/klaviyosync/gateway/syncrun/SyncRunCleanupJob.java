package io.github.klaviyosync.gateway.syncrun;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
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

    private final GatewayConfig.Sync config;

    SyncRunCleanupJob(GatewayConfig config) {
        this.config = config.sync();
    }

    @Scheduled(identity = "sync-run-cleanup", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteOldRuns() {
        return deleteOlderThan(Instant.now().minus(config.runRetention()));
    }

    /** Batch after batch until one comes back short: 50,000 lists make 4.8 million runs a day. */
    private Uni<Void> deleteOlderThan(Instant before) {
        return deleteBatch(before)
                .chain(deleted -> deleted < BATCH ? Uni.createFrom().voidItem() : deleteOlderThan(before));
    }

    private Uni<Integer> deleteBatch(Instant before) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                delete from sync_run where id in (
                                    select id from sync_run
                                     where started_at < :before and status <> 'running'
                                     limit :batch)
                                """)
                        .setParameter("before", before)
                        .setParameter("batch", BATCH)
                        .executeUpdate()));
    }
}
