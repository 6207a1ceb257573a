package io.github.klaviyosync.gateway.webhook;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs work on a fresh, safe Vert.x duplicated context. Hibernate Reactive keeps the current
 * session in the context, so work that runs beside other work (another account's events, a pass
 * started by a request that has already been answered) gets a context, and so a session, of its own.
 */
final class SafeContexts {

    private SafeContexts() {
    }

    static <T> Uni<T> onNewContext(Vertx vertx, Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> Uni.createFrom().<T>deferred(work)
                    .subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
