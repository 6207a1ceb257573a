package io.github.klaviyosync.gateway.handover;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Pieces of work running on this instance, counted, so that a handover can wait until none runs. */
public final class InFlight {

    private final AtomicInteger running = new AtomicInteger();
    private final List<CompletableFuture<Void>> idleWaiters = new CopyOnWriteArrayList<>();

    /** {@code work}, counted from its subscription to its end. */
    public <T> Uni<T> track(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
                    running.incrementAndGet();
                    return work.get();
                })
                .onTermination().invoke(() -> {
                    running.decrementAndGet();
                    signalIfIdle();
                });
    }

    /** Completes once nothing runs, or after {@code wait}; the item says which. */
    public Uni<Boolean> idle(Duration wait) {
        return Uni.createFrom().completionStage(this::whenIdle)
                .replaceWith(true)
                .ifNoItem().after(wait).recoverWithItem(false);
    }

    public int running() {
        return running.get();
    }

    private CompletableFuture<Void> whenIdle() {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        idleWaiters.add(idle);
        signalIfIdle();
        return idle;
    }

    private void signalIfIdle() {
        if (running.get() == 0) {
            idleWaiters.forEach(waiter -> {
                waiter.complete(null);
                idleWaiters.remove(waiter);
            });
        }
    }
}
