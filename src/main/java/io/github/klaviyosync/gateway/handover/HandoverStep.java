package io.github.klaviyosync.gateway.handover;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * One kind of work this instance holds across replicas (list syncs, discoveries, apply passes),
 * handed over when the instance stops. Implemented by the package that owns the leases or claims.
 */
public interface HandoverStep {

    /**
     * Stops claiming, lets the running work stop at its next commit (waiting at most {@code wait}),
     * then releases in the database what this instance still holds. Never fails.
     */
    Uni<Void> handOver(Duration wait);
}
