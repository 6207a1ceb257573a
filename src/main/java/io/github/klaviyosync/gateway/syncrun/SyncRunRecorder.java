package io.github.klaviyosync.gateway.syncrun;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Records every sync as a {@link SyncRun}: opened when the sync starts, closed with its outcome.
 * Page progress is added by the page commit itself, in the page's transaction.
 */
@ApplicationScoped
public class SyncRunRecorder {

    /** Longest error text kept on a run; Klaviyo's details are short, stack traces are never stored. */
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final String INTERRUPTED = "interrupted: the instance running it stopped";

    private final SyncRunRepository runs;
    private final MeterRegistry metrics;

    SyncRunRecorder(SyncRunRepository runs, MeterRegistry metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    /** The started run of one sync. */
    public record StartedRun(long id, SyncKind kind, Instant startedAt) {
    }

    /**
     * Opens a run. The caller holds the lease, so a run of the same list (or discovery of the same
     * account) still marked running was cut short by a stopped instance: it is closed as failed.
     */
    @WithTransaction
    public Uni<StartedRun> start(UUID accountId, Long listId, SyncKind kind, SyncTrigger trigger, boolean full, String owner) {
        return runs.closeInterrupted(accountId, listId, kind, INTERRUPTED, now())
                .invoke(closed -> count(kind, SyncStatus.FAILED, closed))
                .chain(() -> open(accountId, listId, kind, trigger, full, owner));
    }

    private Uni<StartedRun> open(UUID accountId, Long listId, SyncKind kind, SyncTrigger trigger, boolean full, String owner) {
        SyncRun run = new SyncRun();
        run.accountId = accountId;
        run.listId = listId;
        run.kind = kind;
        run.trigger = trigger;
        run.fullSync = full;
        run.owner = owner;
        run.startedAt = now();
        return runs.persist(run)
                .map(saved -> new StartedRun(saved.id, kind, saved.startedAt));
    }

    @WithTransaction
    public Uni<Void> succeed(StartedRun run, int removed) {
        return finish(run, SyncStatus.SUCCEEDED, null, removed);
    }

    @WithTransaction
    public Uni<Void> fail(StartedRun run, String error) {
        return finish(run, SyncStatus.FAILED, truncate(error), 0);
    }

    /** Discovery progress: one more page of lists seen, some of them new. */
    @WithTransaction
    public Uni<Void> addDiscoveryPage(long runId, int listsSeen, int listsAdded) {
        return runs.addDiscoveryPage(runId, listsSeen, listsAdded).replaceWithVoid();
    }

    /** A long backfill learned its list's size from Klaviyo: its ETA can be told. */
    @WithTransaction
    public Uni<Void> expectProfiles(long runId, int profiles) {
        return runs.expectProfiles(runId, profiles).replaceWithVoid();
    }

    private Uni<Void> finish(StartedRun run, SyncStatus status, String error, int removed) {
        return runs.finish(run.id(), status, error, removed, now())
                .invoke(finished -> count(run.kind(), status, finished ? 1 : 0))
                .replaceWithVoid();
    }

    private void count(SyncKind kind, SyncStatus status, int runs) {
        if (runs > 0) {
            metrics.counter("gateway_sync_runs_total", "kind", kind.wire(), "status", status.wire()).increment(runs);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
