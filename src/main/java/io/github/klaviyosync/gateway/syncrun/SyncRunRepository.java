package io.github.klaviyosync.gateway.syncrun;

import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The {@code sync_run} table: every write of a run goes through here, but for the page progress a
 * member page or a profile sweep's page adds in its own commit (member's
 * {@code MembershipRepository.COMMIT_PAGE} and {@code SubscriberRepository.SWEEP_PAGE}).
 */
@ApplicationScoped
public class SyncRunRepository implements PanacheRepository<SyncRun> {

    /** Old finished runs, a bounded batch at a time: Panache cannot limit a delete. */
    static final String DELETE_FINISHED_BATCH = """
            delete from sync_run where id in (
                select id from sync_run where started_at < $1 and status <> $2 limit $3)""";

    /** Purge of a deleted account (a bounded batch): its runs, before its lists. */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from sync_run where id in (select id from sync_run where account_id = $1 limit $2)""";

    /** Whether a run of the list is recorded as running (it may be a crashed one: check the list's lease too). */
    @WithSession
    public Uni<Boolean> hasRunning(long listId) {
        return count("listId = ?1 and status = ?2", listId, SyncStatus.RUNNING).map(running -> running > 0);
    }

    @WithSession
    public Uni<List<SyncRun>> recentForAccount(UUID accountId, int limit) {
        return find("accountId = ?1 order by startedAt desc, id desc", accountId).page(0, limit).list();
    }

    @WithSession
    public Uni<List<SyncRun>> recentForList(UUID accountId, long listId, int limit) {
        return find("accountId = ?1 and listId = ?2 order by startedAt desc, id desc", accountId, listId)
                .page(0, limit)
                .list();
    }

    /** Closes as failed the account's runs of {@code kind} (of one list, or without one) still marked running. */
    Uni<Integer> closeInterrupted(UUID accountId, Long listId, SyncKind kind, String error, Instant now) {
        String close = "status = ?1, finishedAt = ?2, error = ?3 where accountId = ?4 and kind = ?5 and status = ?6 and ";
        return listId == null
                ? update(close + "listId is null", SyncStatus.FAILED, now, error, accountId, kind, SyncStatus.RUNNING)
                : update(close + "listId = ?7", SyncStatus.FAILED, now, error, accountId, kind, SyncStatus.RUNNING, listId);
    }

    /** Ends a running run; false when it was no longer running. */
    Uni<Boolean> finish(long runId, SyncStatus status, String error, int removed, Instant now) {
        return update("status = ?1, finishedAt = ?2, error = ?3, profilesRemoved = profilesRemoved + ?4"
                        + " where id = ?5 and status = ?6", status, now, error, removed, runId, SyncStatus.RUNNING)
                .map(updated -> updated > 0);
    }

    /** Discovery progress: one more page of lists seen, some of them new. */
    Uni<Integer> addDiscoveryPage(long runId, int listsSeen, int listsAdded) {
        return update("pages = pages + 1, listsSeen = listsSeen + ?1, listsAdded = listsAdded + ?2 where id = ?3",
                listsSeen, listsAdded, runId);
    }

    /** Deletes up to {@code batch} of the account's runs; returns how many. */
    Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    /** A backfill's list size as Klaviyo gave it, on its run while it runs. */
    Uni<Integer> expectProfiles(long runId, int profiles) {
        return update("expectedProfiles = ?1 where id = ?2 and status = ?3", profiles, runId, SyncStatus.RUNNING);
    }

    /** Deletes up to {@code batch} finished runs started before {@code before}; returns how many. */
    Uni<Integer> deleteFinishedBefore(SqlConnection connection, Instant before, int batch) {
        return connection.preparedQuery(DELETE_FINISHED_BATCH)
                .execute(Tuple.of(Rows.timestamp(before), SyncStatus.RUNNING.wire(), batch))
                .map(rows -> rows.rowCount());
    }
}
