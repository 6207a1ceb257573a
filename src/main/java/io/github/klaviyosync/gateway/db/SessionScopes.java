package io.github.klaviyosync.gateway.db;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs independent pieces of work side by side without sharing a reactive session. Panache keeps
 * its session on the Vert.x duplicated context, so two syncs started from one scheduler tick would
 * share one session; each gets a fresh duplicated context here instead.
 */
@ApplicationScoped
public class SessionScopes {

    private final Vertx vertx;

    SessionScopes(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Subscribes to {@code work} on a new duplicated context of its own, created at subscription. */
    public <T> Uni<T> isolated(Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            // Panache only opens sessions on a context flagged safe (used by this work alone). The flag's
            // setter is internal to quarkus-vertx (checked against Quarkus 3.33.2 by SessionScopesTest):
            // Quarkus's public VertxContextSupport runs work on the caller's duplicated context when
            // there is one, which is the sharing this class exists to avoid.
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> Uni.createFrom().<T>deferred(work)
                    .subscribe()
                    .with(emitter::complete, emitter::fail));
        });
    }
}
