package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes stored webhook events past their retention, counted from their receipt: applied ones after
 * {@code gateway.webhook.retention}, failed ones after {@code gateway.webhook.failed-retention};
 * received ones (still to be applied) stay. Deleted accounts' events go by the same rule. A system
 * event delivered again is dropped as a duplicate only while its first copy is kept, which is why the
 * retention stays above Klaviyo's 24 hours of retries. Deletes in bounded batches, each its own
 * transaction, as many as there are old events.
 */
@ApplicationScoped
public class WebhookRetentionJob {

    private static final Logger LOG = Logger.getLogger(WebhookRetentionJob.class);

    private final WebhookEventRepository events;
    private final Pool pool;
    private final GatewayConfig.Webhook config;
    private final int batch;

    WebhookRetentionJob(WebhookEventRepository events, Pool pool, GatewayConfig config) {
        this.events = events;
        this.pool = pool;
        this.config = config.webhook();
        this.batch = config.storage().deleteBatchSize();
    }

    @Scheduled(identity = "webhook-retention", every = "${gateway.storage.cleanup-interval}",
            delayed = "${gateway.storage.first-cleanup-after}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpired() {
        Instant now = Instant.now();
        return deleteExpired(WebhookStatus.APPLIED, config.retention(), now, batch)
                .chain(() -> deleteExpired(WebhookStatus.FAILED, config.failedRetention(), now, batch))
                .replaceWithVoid();
    }

    /** Every event of {@code status} received more than {@code retention} before {@code now}; returns how many went. */
    Uni<Long> deleteExpired(WebhookStatus status, Duration retention, Instant now, int batchSize) {
        Instant before = now.minus(retention);
        return deleteBatches(status, before, batchSize, 0)
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("deleted %d %s webhook events received before %s", deleted, status.wire(), before);
                    }
                });
    }

    /** Batch after batch until one comes back short. */
    private Uni<Long> deleteBatches(WebhookStatus status, Instant before, int batchSize, long deletedSoFar) {
        return pool.withTransaction(connection -> events.deleteExpired(connection, status, before, batchSize))
                .chain(deleted -> deleted < batchSize
                        ? Uni.createFrom().item(deletedSoFar + deleted)
                        : deleteBatches(status, before, batchSize, deletedSoFar + deleted));
    }
}
