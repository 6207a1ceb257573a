package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.Failures;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Starts apply passes: on the schedule, and at once when the intake commits, so a push is applied
 * within a second rather than at the next tick. A wake-up starts a pass while fewer than
 * {@code gateway.webhook.apply-passes} run (each claims only accounts no other pass holds, so a pass
 * held up by one merchant's slow Klaviyo does not hold up another's pushes); past that, it makes
 * another pass follow the first that ends, so no commit waits for the next tick.
 */
@ApplicationScoped
public class ApplierWakeUp {

    /** The scheduled job's identity; pausing it (Scheduler#pause) pauses wake-ups too. */
    public static final String JOB = "webhook-applier";

    private static final Logger LOG = Logger.getLogger(ApplierWakeUp.class);

    private final WebhookApplier applier;
    private final Scheduler scheduler;
    private final int maxPasses;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean wanted = new AtomicBoolean();

    ApplierWakeUp(WebhookApplier applier, Scheduler scheduler, GatewayConfig config) {
        this.applier = applier;
        this.scheduler = scheduler;
        this.maxPasses = config.webhook().applyPasses();
    }

    /** A pass now, or right after the one running. Returns at once. */
    public void wakeUp() {
        if (scheduler.isPaused(JOB)) {
            return;
        }
        wanted.set(true);
        if (startPass()) {
            runPasses();
        }
    }

    /** Takes a pass's place if one is free. */
    private boolean startPass() {
        int now = running.get();
        while (now < maxPasses) {
            if (running.compareAndSet(now, now + 1)) {
                return true;
            }
            now = running.get();
        }
        return false;
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
        running.decrementAndGet();
        // A wake-up that came while every place was taken is served now.
        if (wanted.get() && startPass()) {
            runPasses();
        }
    }

    /** The scheduled tick: a pass unless one is running. */
    Uni<Void> tick() {
        wakeUp();
        return Uni.createFrom().voidItem();
    }
}
