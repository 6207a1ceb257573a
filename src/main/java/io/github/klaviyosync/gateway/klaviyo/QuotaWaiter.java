package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;

/**
 * A call waiting for a permit: most urgent priority first, then first come. It is released on the
 * Vert.x context it waited on, so a caller holding a reactive session there keeps it.
 */
final class QuotaWaiter implements Comparable<QuotaWaiter> {

    final CallPriority priority;
    private final UniEmitter<? super Void> emitter;
    private final Context context;
    long sequence;

    QuotaWaiter(CallPriority priority, UniEmitter<? super Void> emitter, Context context) {
        this.priority = priority;
        this.emitter = emitter;
        this.context = context;
    }

    void release() {
        if (context == null) {
            emitter.complete(null);
        } else {
            context.runOnContext(ignored -> emitter.complete(null));
        }
    }

    void fail(Throwable failure) {
        if (context == null) {
            emitter.fail(failure);
        } else {
            context.runOnContext(ignored -> emitter.fail(failure));
        }
    }

    @Override
    public int compareTo(QuotaWaiter other) {
        int byPriority = priority.compareTo(other.priority);
        return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
    }
}
