package io.github.klaviyosync.gateway.testsupport;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The application's own member-sync engine, for a test that drives engines of its own. Pausing its
 * scheduled job stops only its ticks: a sync it started before still ends, and the freed slot is
 * claimed again (at once, or up to {@code gateway.sync.quiet-claim-spacing} later), which would take
 * the test's due lists; so would a tick already under way when the pause came (on a cold start its
 * claim may reach PostgreSQL long after it began). {@link #pauseQuiet()} returns once none of its
 * ticks, claims or syncs is in flight and it began no claim over twice that spacing.
 */
@ApplicationScoped
public class ApplicationEngine {

    private static final String JOB = "member-sync";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Scheduler scheduler;
    private final ListSyncDispatcher dispatcher;
    private final LeaseOwner owner;
    private final MeterRegistry registry;
    private final Duration settle;

    ApplicationEngine(Scheduler scheduler, ListSyncDispatcher dispatcher, LeaseOwner owner, MeterRegistry registry,
            GatewayConfig config) {
        this.scheduler = scheduler;
        this.dispatcher = dispatcher;
        this.owner = owner;
        this.registry = registry;
        this.settle = config.sync().quietClaimSpacing().multipliedBy(2);
    }

    /** Pauses the engine's ticks, then waits until it neither syncs nor claims. */
    public void pauseQuiet() {
        scheduler.pause(JOB);
        Eventually.until(WAIT, "the application's engine is quiet", this::quietOverTheSettle);
    }

    public void resume() {
        scheduler.resume(JOB);
    }

    /** The claims of due lists made so far for {@code owner} on this instance (gateway_sync_claims_total). */
    public double claimsOf(String owner) {
        return registry.find("gateway.sync.claims").tag("owner", owner).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private boolean quietOverTheSettle() {
        double claimsBefore = claimsOf(owner.id());
        if (dispatcher.inFlight(owner.id()) > 0) {
            return false;
        }
        Eventually.pause(settle);
        return dispatcher.inFlight(owner.id()) == 0 && claimsOf(owner.id()) == claimsBefore;
    }
}
