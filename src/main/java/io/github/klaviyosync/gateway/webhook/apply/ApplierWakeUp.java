package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.Failures;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Starts apply passes: on the schedule, and at once when the intake commits, so a push is applied
 * within a second rather than at the next tick. A wake-up starts a pass while fewer than
 * {@code gateway.webhook.apply-passes} run (each claims only accounts no other pass holds, so a pass
 * held up by one merchant's slow Klaviyo does not hold up another's pushes); past that, it makes
 * another pass follow the first that ends, so no commit waits for the next tick. A commit of an
 * account a running pass holds starts no pass (it could claim nothing of that account's, and under a
 * steady stream of commits such passes took turns claiming nothing, each reading the backlog): that
 * pass claims again once its batch is written ({@link PassHolding}); so do the running passes when a
 * pass found nothing to apply (it was woken before the holder's claim was known).
 */
@ApplicationScoped
public class ApplierWakeUp {

    /** The scheduled job's identity; pausing it (Scheduler#pause) pauses wake-ups too. */
    public static final String JOB = "webhook-applier";

    private static final Logger LOG = Logger.getLogger(ApplierWakeUp.class);

    private final Passes passes;
    private final BooleanSupplier paused;
    private final int maxPasses;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean wanted = new AtomicBoolean();
    /** Passes ended so far: an empty pass during which another ended may have found that one's accounts held. */
    private final AtomicLong ended = new AtomicLong();

    /** The applier's side, as the wake-up drives it (WebhookApplier; a seam for the unit test). */
    interface Passes {

        /** Runs a pass; the item is the ids of the events it applied. */
        Uni<List<Long>> applyDue();

        /** A running pass writing the account's events takes its commit (and hands it on when done); false when none does. */
        boolean takeCommit(UUID accountId);

        /** Every running pass claims again once its batch is written; false when none runs. */
        boolean takeCommits();

        /** What to call when a pass has written an account whose commit it took. */
        void onTakenCommitsReleased(Runnable wakeUp);
    }

    @Inject
    ApplierWakeUp(WebhookApplier applier, Scheduler scheduler, GatewayConfig config) {
        this(applier, () -> scheduler.isPaused(JOB), config.webhook().applyPasses());
    }

    ApplierWakeUp(Passes passes, BooleanSupplier paused, int maxPasses) {
        this.passes = passes;
        this.paused = paused;
        this.maxPasses = maxPasses;
        passes.onTakenCommitsReleased(() -> wakeUp(null));
    }

    /** Events of the account were stored: a pass now, or right after one running. Returns at once. */
    public void wakeUp(UUID accountId) {
        if (paused.getAsBoolean()) {
            return;
        }
        if (accountId != null && passes.takeCommit(accountId)) {
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
        long endedBefore = ended.get();
        passes.applyDue()
                .subscribe().with(applied -> passEnded(applied.isEmpty(), endedBefore), failure -> passFailed(failure, endedBefore));
    }

    private void passFailed(Throwable failure, long endedBefore) {
        LOG.warnf("webhook apply pass stopped: %s", Failures.describe(failure));
        passEnded(false, endedBefore);
    }

    /**
     * A pass that applied nothing may have been woken for an account another pass had just claimed:
     * a running pass then claims again; when the others ended meanwhile, another pass follows.
     */
    private void passEnded(boolean appliedNothing, long endedBefore) {
        boolean othersEnded = ended.getAndIncrement() != endedBefore;
        running.decrementAndGet();
        if (paused.getAsBoolean()) {
            return;
        }
        if (appliedNothing && passes.takeCommits()) {
            return;
        }
        if (appliedNothing && othersEnded) {
            wanted.set(true);
        }
        // A wake-up that came while every place was taken is served now.
        if (wanted.get() && startPass()) {
            runPasses();
        }
    }

    /** The scheduled tick: a pass unless every place is taken. */
    Uni<Void> tick() {
        wakeUp(null);
        return Uni.createFrom().voidItem();
    }
}
