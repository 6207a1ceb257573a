package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.Failures;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Starts apply passes: on the schedule, and at once when the intake commits, so a push is applied
 * within a second rather than at the next tick. One pass runs at a time per instance; a wake-up
 * during a pass makes another pass follow it, so no commit waits for the next tick.
 */
@ApplicationScoped
public class ApplierWakeUp {

    /** The scheduled job's identity; pausing it (Scheduler#pause) pauses wake-ups too. */
    public static final String JOB = "webhook-applier";

    private static final Logger LOG = Logger.getLogger(ApplierWakeUp.class);

    private final WebhookApplier applier;
    private final Scheduler scheduler;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    ApplierWakeUp(WebhookApplier applier, Scheduler scheduler) {
        this.applier = applier;
        this.scheduler = scheduler;
    }

    /** A pass now, or right after the one running. Returns at once. */
    public void wakeUp() {
        if (scheduler.isPaused(JOB)) {
            return;
        }
        wanted.set(true);
        if (running.compareAndSet(false, true)) {
            runPasses();
        }
    }

    private void runPasses() {
        wanted.set(false);
        applier.applyDue()
                .subscribe().with(applied -> passEnded(), this::passFailed);
    }

    private void passFailed(Throwable failure) {
        LOG.warnf("webhook apply pass stopped: %s", Failures.describe(failure));
        passEnded();
    }

    private void passEnded() {
        running.set(false);
        // A wake-up that came while the pass ran (and saw it running) is served now.
        if (wanted.get() && running.compareAndSet(false, true)) {
            runPasses();
        }
    }

    /** The scheduled tick: a pass unless one is running. */
    Uni<Void> tick() {
        wakeUp();
        return Uni.createFrom().voidItem();
    }
}
