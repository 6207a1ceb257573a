package io.github.klaviyosync.gateway.handover;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs every {@link HandoverStep} once when the instance is told to stop: at the start of the
 * shutdown delay (SIGTERM; readiness is DOWN and requests are still answered meanwhile), or at the
 * shutdown itself where there is no delay (dev mode). The shutdown waits for the steps, bounded, so
 * the database pool is still open while they release; webhooks keep being answered throughout, with
 * 503 from shortly before the end of the delay ({@link StoppingGate}).
 */
@ApplicationScoped
public class Handover {

    private static final Logger LOG = Logger.getLogger(Handover.class);

    private final List<HandoverStep> steps;
    private final SessionScopes scopes;
    private final StoppingGate gate;
    private final GatewayConfig.Handover config;
    private final Duration shutdownDelay;
    private final AtomicReference<CompletableFuture<Void>> started = new AtomicReference<>();

    Handover(@All List<HandoverStep> steps, SessionScopes scopes, StoppingGate gate, GatewayConfig config,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
        this.steps = steps;
        this.scopes = scopes;
        this.gate = gate;
        this.config = config.handover();
        this.shutdownDelay = shutdownDelay.orElse(Duration.ZERO);
    }

    /** SIGTERM: the handover starts, and new requests are refused from the refusal period before the delay ends. */
    void onSigterm(@Observes ShutdownDelayInitiatedEvent event) {
        start();
        Duration untilRefusal = shutdownDelay.minus(config.refusalPeriod());
        if (untilRefusal.isNegative() || untilRefusal.isZero()) {
            gate.close();
            return;
        }
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(untilRefusal)
                .subscribe().with(ignored -> gate.close());
    }

    /** First among the shutdown's observers: the port is closing, the beans and the pool are about to. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        gate.close();
        Duration bound = config.stopWait().plus(config.releaseTimeout());
        try {
            start().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("the handover did not end within %s: %s; what it holds is taken over when its leases expire",
                    bound, e.getClass().getSimpleName());
        }
    }

    /** The handover, started on the first call; later calls return the same one. */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> handover = new CompletableFuture<>();
        if (!started.compareAndSet(null, handover)) {
            return started.get();
        }
        LOG.info("handing over: no new claims; running syncs stop after the pages they commit (at once when waiting for one), then leases and claims are released");
        List<Uni<Void>> all = steps.stream()
                .map(step -> scopes.isolated(() -> step.handOver(config.stopWait())))
                .toList();
        Uni<Void> every = all.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(all).andCollectFailures().replaceWithVoid();
        every.subscribe().with(
                done -> {
                    LOG.info("handed over: leases and claims released");
                    handover.complete(null);
                },
                failure -> {
                    LOG.warnf("the handover failed: %s", failure.getClass().getSimpleName());
                    handover.complete(null);
                });
        return handover;
    }
}
