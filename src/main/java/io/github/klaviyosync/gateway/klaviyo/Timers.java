package io.github.klaviyosync.gateway.klaviyo;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Waits on Vert.x timers: the wait holds no thread, and a wait that starts on a Vert.x context ends
 * on the same context, so callers that use a reactive session keep it.
 */
@ApplicationScoped
public class Timers {

    private final Vertx vertx;

    Timers(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Completes after {@code millis} (at once when not positive). */
    public Uni<Void> sleep(long millis) {
        if (millis <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(millis, ignored -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
