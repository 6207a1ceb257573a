package io.github.klaviyosync.gateway.handover;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lease owners of this process whose work is being handed over: they claim nothing more, and
 * their running syncs and discoveries stop after the page they are committing, or at once when they
 * are waiting for a page. Kept per owner, so a test can hand over one engine of its own without
 * stopping the application's.
 */
@ApplicationScoped
public class HandingOver {

    private final Set<String> owners = ConcurrentHashMap.newKeySet();
    /** Work waiting to hear of its owner's handover, each until it ends (a sync's page stream). */
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    public void begin(String owner) {
        owners.add(owner);
        waiters.stream()
                .filter(waiter -> waiter.owner().equals(owner))
                .forEach(waiter -> waiter.begun().run());
    }

    public boolean isHandingOver(String owner) {
        return owners.contains(owner);
    }

    /** An item when the owner's handover begins (at once if it has); cancelling it stops the waiting. */
    public Uni<Void> begun(String owner) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter(owner, () -> emitter.complete(null));
            waiters.add(waiter);
            emitter.onTermination(() -> waiters.remove(waiter));
            if (isHandingOver(owner)) {
                emitter.complete(null);
            }
        });
    }

    /** One subscriber of {@link #begun} (each has a callback of its own, so no two are equal). */
    private record Waiter(String owner, Runnable begun) {
    }
}
