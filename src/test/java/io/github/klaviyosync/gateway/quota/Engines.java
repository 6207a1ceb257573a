package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gateway instances in one JVM: each owner ticks the dispatcher on a thread of its own and, since a
 * sync spends under its lease owner's name, draws on the shared budget through a local slice of its
 * own, as a replica does. The application's own scheduler is paused by the caller.
 */
final class Engines implements AutoCloseable {

    private final ListSyncDispatcher dispatcher;
    private final List<String> owners = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<CompletableFuture<Void>> loops = new ArrayList<>();

    Engines(ListSyncDispatcher dispatcher, String... owners) {
        this.dispatcher = dispatcher;
        this.owners.addAll(List.of(owners));
    }

    Engines start(Duration tick) {
        for (String owner : owners) {
            loops.add(CompletableFuture.runAsync(() -> tickUntilStopped(owner, tick)));
        }
        return this;
    }

    /** Stops ticking and waits for the syncs under way to end. */
    @Override
    public void close() {
        stop.set(true);
        loops.forEach(CompletableFuture::join);
        Eventually.until(Duration.ofSeconds(60), "the engines' syncs end",
                () -> owners.stream().allMatch(owner -> dispatcher.running(owner) == 0));
    }

    private void tickUntilStopped(String owner, Duration tick) {
        while (!stop.get()) {
            try {
                VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(owner));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            Eventually.pause(tick);
        }
    }
}
