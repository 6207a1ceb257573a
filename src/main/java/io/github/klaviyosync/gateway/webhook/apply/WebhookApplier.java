package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.DatabaseOutage;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.handover.HandoverStep;
import io.github.klaviyosync.gateway.handover.InFlight;
import io.github.klaviyosync.gateway.webhook.Failures;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.WebhookMetrics;
import io.github.klaviyosync.gateway.webhook.apply.WebhookClaimRepository.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Applies stored events off the request path. A pass claims due events in batches until none are
 * left; each account's events are applied one after another in arrival order (accounts side by
 * side, each on a context and session of its own): runs of flow pushes in batches, anything else
 * planned outside and written inside its own transaction. A failed attempt is recorded with a
 * back-off; the last one marks the event failed. On shutdown a pass applies nothing more after the
 * event (or batch) it is writing, and the claims this instance still holds are released.
 */
@ApplicationScoped
public class WebhookApplier implements HandoverStep, ApplierWakeUp.Passes {

    private static final Logger LOG = Logger.getLogger(WebhookApplier.class);
    private static final long NOT_APPLIED = -1L;

    private final EventClaims claims;
    private final EventPlanner planner;
    private final PushBatchPlanner batchPlanner;
    private final EventWriter writer;
    private final WebhookMetrics metrics;
    private final SessionScopes scopes;
    private final int batchSize;
    private final int maxBatchSize;
    private final int concurrency;
    /** Passes that ended with claims they could not give back (the database went away): released next time. */
    private final Set<String> abandonedPasses = ConcurrentHashMap.newKeySet();
    /** Passes running now; a handover releases what they still hold. */
    private final Set<String> runningPasses = ConcurrentHashMap.newKeySet();
    /** What each running pass holds, and the commits it is to claim next. */
    private final Map<String, PassHolding> holdings = new ConcurrentHashMap<>();
    private final InFlight passes = new InFlight();
    private volatile boolean handingOver;
    private volatile Runnable commitsReleased = () -> { };

    WebhookApplier(EventClaims claims, EventPlanner planner, PushBatchPlanner batchPlanner, EventWriter writer,
            WebhookMetrics metrics, SessionScopes scopes, GatewayConfig config) {
        this.claims = claims;
        this.planner = planner;
        this.batchPlanner = batchPlanner;
        this.writer = writer;
        this.metrics = metrics;
        this.scopes = scopes;
        this.batchSize = config.webhook().applyBatchSize();
        this.maxBatchSize = Math.max(batchSize, config.webhook().applyBatchMaxSize());
        this.concurrency = config.webhook().applyConcurrency();
    }

    /** Applies every due event; the item is the ids of the events this pass applied. */
    @Override
    public Uni<List<Long>> applyDue() {
        if (handingOver) {
            return Uni.createFrom().item(List.of());
        }
        String pass = UUID.randomUUID().toString();
        PassHolding holding = new PassHolding();
        runningPasses.add(pass);
        holdings.put(pass, holding);
        return passes.track(() -> scopes.isolated(() -> releaseAbandoned()
                                .chain(() -> drain(pass, holding, batchSize, List.of())))
                        .onFailure().invoke(failure -> abandonedPasses.add(pass)))
                .onTermination().invoke(() -> passEnded(pass));
    }

    /**
     * Events of the account were committed: true when a running pass is writing the account's events,
     * and wakes the applier once it has; false when the commit needs a pass of its own.
     */
    @Override
    public boolean takeCommit(UUID accountId) {
        for (PassHolding holding : holdings.values()) {
            if (holding.takeCommit(accountId)) {
                return true;
            }
        }
        return false;
    }

    /** Every running pass claims again once its batch is written; false when none will. */
    @Override
    public boolean takeCommits() {
        boolean taken = false;
        for (PassHolding holding : holdings.values()) {
            taken |= holding.takeCommit(null);
        }
        return taken;
    }

    @Override
    public void onTakenCommitsReleased(Runnable wakeUp) {
        commitsReleased = wakeUp;
    }

    /** A pass that a handover stopped may still hold accounts whose events it skipped: they are released with the others. */
    private void passEnded(String pass) {
        if (handingOver) {
            abandonedPasses.add(pass);
        }
        holdings.remove(pass);
        runningPasses.remove(pass);
    }

    /**
     * No pass starts or claims any more, running ones stop after the event or batch they are writing
     * (waiting at most {@code wait}), then every claim this instance's passes still hold is given back
     * untouched, so another instance applies those events at its next pass.
     */
    @Override
    public Uni<Void> handOver(Duration wait) {
        handingOver = true;
        return passes.idle(wait)
                .chain(() -> {
                    List<String> holding = new ArrayList<>(abandonedPasses);
                    holding.addAll(runningPasses);
                    return holding.isEmpty() ? Uni.createFrom().item(0) : claims.releasePasses(holding);
                })
                .invoke(released -> LOG.infof("apply passes handed over: %d account claims released", released))
                .onFailure().invoke(failure -> LOG.warnf("releasing the account claims failed: %s; they expire instead",
                        Failures.describe(failure)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> releaseAbandoned() {
        if (abandonedPasses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> passes = List.copyOf(abandonedPasses);
        return claims.releasePasses(passes)
                .invoke(() -> passes.forEach(abandonedPasses::remove))
                .replaceWithVoid();
    }

    /**
     * Claims and applies until a claim is not full and no commit of the accounts it held came
     * meanwhile; each full claim doubles the next (a backlog).
     */
    private Uni<List<Long>> drain(String pass, PassHolding holding, int limit, List<Long> appliedSoFar) {
        holding.claiming();
        return claims.claim(pass, limit)
                .onFailure().invoke(() -> claimKnown(holding, Set.of()))
                .invoke(batch -> claimKnown(holding, Set.copyOf(batch.stream().map(Claimed::accountId).toList())))
                .chain(batch -> applyBatch(pass, holding, batch)
                        .chain(applied -> {
                            List<Long> all = new ArrayList<>(appliedSoFar);
                            all.addAll(applied);
                            boolean full = batch.size() >= limit;
                            return handingOver || !holding.claimAgain(full)
                                    ? Uni.createFrom().item(all)
                                    : drain(pass, holding, full ? Math.min(2 * limit, maxBatchSize) : batchSize, all);
                        }));
    }

    private Uni<List<Long>> applyBatch(String pass, PassHolding holding, List<Claimed> batch) {
        return Multi.createFrom().iterable(byAccount(batch))
                .onItem().transformToUni(events -> applyAccount(pass, holding, events))
                .merge(concurrency)
                .onItem().<Long>disjoint()
                .collect().asList();
    }

    /** One account's events of the batch, then the account's claim given back. */
    private Uni<List<Long>> applyAccount(String pass, PassHolding holding, List<Claimed> events) {
        UUID accountId = events.get(0).accountId();
        return scopes.isolated(() -> applyInOrder(pass, events)
                        .call(() -> claims.release(pass, accountId)))
                .onTermination().invoke(() -> released(holding, accountId));
    }

    /** The pass holds these accounts now: commits of others taken during its claim are for another pass. */
    private void claimKnown(PassHolding holding, Set<UUID> claimed) {
        if (holding.holds(claimed)) {
            commitsReleased.run();
        }
    }

    /** The account's events of the batch are written: what was committed meanwhile is for another pass to claim. */
    private void released(PassHolding holding, UUID accountId) {
        if (holding.released(accountId)) {
            commitsReleased.run();
        }
    }

    /** One account's events in arrival order; the item is the ids of those this pass applied. */
    private Uni<List<Long>> applyInOrder(String pass, List<Claimed> events) {
        return Multi.createFrom().iterable(runs(events))
                .onItem().transformToUniAndConcatenate(run -> run.get(0).kind() == WebhookKind.FLOW
                        ? applyFlowRun(pass, run)
                        : applyEach(pass, run))
                .onItem().<Long>disjoint()
                .collect().asList();
    }

    private Uni<List<Long>> applyFlowRun(String pass, List<Claimed> run) {
        return batchPlanner.plan(run.get(0).accountId(), run)
                .onItem().transformToMulti(steps -> Multi.createFrom().iterable(steps))
                .onItem().transformToUniAndConcatenate(step -> step.batch() != null
                        ? applyFlowBatch(pass, step.batch())
                        : applyEach(pass, List.of(step.single())))
                .onItem().<Long>disjoint()
                .collect().asList();
    }

    /**
     * A failing batch (not a lost database) is applied again one push at a time, so a bad push fails
     * alone; a failing batch of one is a failed attempt of its push.
     */
    private Uni<List<Long>> applyFlowBatch(String pass, List<PlannedPush> batch) {
        if (handingOver) {
            return Uni.createFrom().item(List.of());
        }
        return writer.writePushes(pass, batch)
                .map(this::batchApplied)
                .onFailure(failure -> !DatabaseOutage.isCausedBy(failure))
                .recoverWithUni(failure -> batchFailed(pass, batch, failure));
    }

    private Uni<List<Long>> batchFailed(String pass, List<PlannedPush> batch, Throwable failure) {
        if (batch.size() == 1) {
            return attemptFailed(pass, batch.get(0).event(), failure).replaceWith(List.of());
        }
        LOG.infof("a batch of %d flow pushes failed; applying them one by one: %s", batch.size(), Failures.describe(failure));
        return applyEach(pass, batch.stream().map(PlannedPush::event).toList());
    }

    private List<Long> batchApplied(List<PlannedPush> applied) {
        Instant now = Instant.now();
        applied.forEach(push -> metrics.applied(WebhookKind.FLOW, push.member().receivedAt(), now));
        return applied.stream().map(push -> push.event().id()).toList();
    }

    /** Events one after another, each planned and written on its own; the ids of those this pass applied. */
    private Uni<List<Long>> applyEach(String pass, List<Claimed> events) {
        return Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(event -> applyOne(pass, event))
                .select().where(id -> id >= 0)
                .collect().asList();
    }

    /** The event's id once applied, else {@link #NOT_APPLIED}. */
    private Uni<Long> applyOne(String pass, Claimed claimed) {
        if (handingOver) {
            return Uni.createFrom().item(NOT_APPLIED);
        }
        return planner.plan(claimed.id())
                .chain(plan -> writer.write(pass, plan)
                        .invoke(applied -> countApplied(plan, applied)))
                .map(applied -> applied ? claimed.id() : NOT_APPLIED)
                .onFailure().recoverWithUni(failure -> attemptFailed(pass, claimed, failure));
    }

    private void countApplied(EventPlan plan, boolean applied) {
        if (applied) {
            metrics.applied(plan.kind(), plan.receivedAt(), Instant.now());
        }
    }

    private Uni<Long> attemptFailed(String pass, Claimed claimed, Throwable failure) {
        if (DatabaseOutage.isCausedBy(failure)) {
            // The database is gone: nothing to record; the pass ends and its claims are given back later.
            return Uni.createFrom().failure(failure);
        }
        String error = Failures.describe(failure);
        return claims.releaseFailed(pass, claimed.id(), error)
                .invoke(failed -> countFailure(claimed, failed, error))
                .replaceWith(NOT_APPLIED);
    }

    private void countFailure(Claimed claimed, boolean failed, String error) {
        WebhookKind kind = claimed.kind();
        if (failed) {
            metrics.failed(kind);
            LOG.warnf("webhook event %d of account %s failed for good: %s", claimed.id(), claimed.accountId(), error);
        } else {
            metrics.retried(kind);
            LOG.infof("webhook event %d of account %s will be retried: %s", claimed.id(), claimed.accountId(), error);
        }
    }

    /** Consecutive events of one kind (flow pushes together, system events together), in order. */
    private static List<List<Claimed>> runs(List<Claimed> events) {
        List<List<Claimed>> runs = new ArrayList<>();
        for (Claimed event : events) {
            List<Claimed> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.get(0).kind() == event.kind()) {
                last.add(event);
            } else {
                runs.add(new ArrayList<>(List.of(event)));
            }
        }
        return runs;
    }

    /** The batch grouped by account, each group in id order (the batch is sorted by id). */
    private static List<List<Claimed>> byAccount(List<Claimed> batch) {
        Map<UUID, List<Claimed>> groups = new LinkedHashMap<>();
        batch.forEach(event -> groups.computeIfAbsent(event.accountId(), id -> new ArrayList<>()).add(event));
        return List.copyOf(groups.values());
    }
}
