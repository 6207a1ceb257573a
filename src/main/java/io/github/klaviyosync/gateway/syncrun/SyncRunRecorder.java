package io.github.klaviyosync.gateway.syncrun;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Records every sync as a {@link SyncRun}: opened when the sync starts, closed with its outcome.
 * Page progress is added by the page commit itself, in the page's transaction.
 */
@ApplicationScoped
public class SyncRunRecorder {

    /** Longest error text kept on a run; Klaviyo's details are short, stack traces are never stored. */
    private static final int MAX_ERROR_LENGTH = 1000;

    private final SyncRunRepository runs;
    private final MeterRegistry metrics;

    SyncRunRecorder(SyncRunRepository runs, MeterRegistry metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    /** The started run of one sync. */
    public record StartedRun(long id, Instant startedAt) {
    }

    /**
     * Opens a run. The caller holds the lease, so a run of the same list (or discovery of the same
     * account) still marked running was cut short by a stopped instance: it is closed as failed.
     */
    @WithTransaction
    public Uni<StartedRun> start(UUID accountId, Long listId, SyncKind kind, SyncTrigger trigger, boolean full, String owner) {
        return closeInterrupted(accountId, listId, kind)
                .chain(() -> open(accountId, listId, kind, trigger, full, owner));
    }

    private Uni<Integer> closeInterrupted(UUID accountId, Long listId, SyncKind kind) {
        String close = "status = ?1, finishedAt = ?2, error = 'interrupted: the instance running it stopped'"
                + " where accountId = ?3 and kind = ?4 and status = ?5 and ";
        Uni<Integer> closed = listId == null
                ? runs.update(close + "listId is null",
                        SyncStatus.FAILED, Instant.now(), accountId, kind, SyncStatus.RUNNING)
                : runs.update(close + "listId = ?6",
                        SyncStatus.FAILED, Instant.now(), accountId, kind, SyncStatus.RUNNING, listId);
        return closed.invoke(count -> metrics.counter("gateway_sync_runs_total", "kind", kind.wire(), "status", "failed")
                .increment(count));
    }

    private Uni<StartedRun> open(UUID accountId, Long listId, SyncKind kind, SyncTrigger trigger, boolean full, String owner) {
        SyncRun run = new SyncRun();
        run.accountId = accountId;
        run.listId = listId;
        run.kind = kind;
        run.trigger = trigger;
        run.fullSync = full;
        run.owner = owner;
        run.startedAt = Instant.now();
        return runs.persist(run)
                .map(saved -> new StartedRun(saved.id, saved.startedAt));
    }

    @WithTransaction
    public Uni<Void> succeed(long runId, int removed) {
        return runs.findById(runId)
                .invoke(run -> {
                    run.status = SyncStatus.SUCCEEDED;
                    run.finishedAt = Instant.now();
                    run.profilesRemoved += removed;
                    count(run);
                })
                .replaceWithVoid();
    }

    @WithTransaction
    public Uni<Void> fail(long runId, String error) {
        return runs.findById(runId)
                .invoke(run -> {
                    run.status = SyncStatus.FAILED;
                    run.finishedAt = Instant.now();
                    run.error = truncate(error);
                    count(run);
                })
                .replaceWithVoid();
    }

    /** Discovery progress: one more page of lists seen, some of them new. */
    @WithTransaction
    public Uni<Void> addDiscoveryPage(long runId, int listsSeen, int listsAdded) {
        return runs.update("pages = pages + 1, listsSeen = listsSeen + ?1, listsAdded = listsAdded + ?2 where id = ?3",
                        listsSeen, listsAdded, runId)
                .replaceWithVoid();
    }

    private void count(SyncRun run) {
        metrics.counter("gateway_sync_runs_total", "kind", run.kind.wire(), "status", run.status.wire()).increment();
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
