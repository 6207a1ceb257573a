package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.status.query.StatusCounts;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps the status counts' change rows few: folds them every {@code gateway.storage.counts-compaction-interval}. */
@ApplicationScoped
public class StatusCountsCompactionJob {

    private final StatusCounts counts;

    StatusCountsCompactionJob(StatusCounts counts) {
        this.counts = counts;
    }

    @Scheduled(identity = "status-counts-compaction", every = "${gateway.storage.counts-compaction-interval}",
            delayed = "${gateway.storage.counts-compaction-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> compact() {
        return counts.compact().replaceWithVoid();
    }
}
