package io.github.klaviyosync.gateway.db;

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

    /** Subscribes to {@code work} on a new duplicated context of its own. */
    public <T> Uni<T> isolated(Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> work.get()
                .subscribe()
                .with(emitter::complete, emitter::fail)));
    }
}
