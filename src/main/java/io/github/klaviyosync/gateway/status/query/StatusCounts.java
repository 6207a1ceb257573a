package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.list.ListStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * The gateway at a glance, over accounts that are not deleted, without counting rows: people and
 * webhook events by status are summed from the {@code account_count} table that triggers keep
 * (migration V7), memberships from the lists' {@code member_count} (V2). This class owns
 * {@code account_count}: the triggers append change rows, {@link #compact()} folds them.
 */
@ApplicationScoped
public class StatusCounts {

    /*
     * One round trip, no scan of people, memberships or events: the accounts (a few thousand rows at
     * most), their lists (one row each) and their count rows (a handful each, plus the changes since
     * the last folding).
     */
    static final String COUNTS = """
            with visible as (
                select id from account where status <> $1
            ), lists as (
                select count(*) filter (where l.status = $2) as lists,
                       min(l.last_synced_at) filter (where l.status = $2) as oldest_sync,
                       coalesce(sum(l.member_count), 0) as memberships
                  from klaviyo_list l join visible v on v.id = l.account_id
            ), counted as (
                select coalesce(sum(c.delta) filter (where c.item = 'subscribers'), 0) as subscribers,
                       coalesce(sum(c.delta) filter (where c.item <> 'subscribers'), 0) as events,
                       coalesce(sum(c.delta) filter (where c.item = 'events_applied'), 0) as applied,
                       coalesce(sum(c.delta) filter (where c.item = 'events_failed'), 0) as failed
                  from account_count c join visible v on v.id = c.account_id
            )
            select (select count(*) from visible) as accounts,
                   (select max(d.last_discovery_at) from list_discovery d join visible v on v.id = d.account_id) as last_discovery,
                   lists.lists, lists.oldest_sync, lists.memberships,
                   counted.subscribers, counted.events, counted.applied, counted.failed
              from lists, counted""";

    /*
     * Folding (a data-modifying CTE, one statement): every change row becomes part of one row per
     * account and item. Rows appended meanwhile by other transactions are not seen and stay for the
     * next folding; rows of accounts that are gone are dropped. Replicas may fold at once: a row is
     * deleted, hence summed, by one of them only.
     */
    static final String COMPACT = """
            with folded as (
                delete from account_count returning account_id, item, delta
            )
            insert into account_count (account_id, item, delta)
            select f.account_id, f.item, sum(f.delta)
              from folded f
             where exists (select 1 from account a where a.id = f.account_id)
             group by f.account_id, f.item
            having sum(f.delta) <> 0""";

    /** Purge of a deleted account, once its people and events are gone: its count rows (a bounded batch). */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from account_count where ctid = any(array(
                select ctid from account_count where account_id = $1 limit $2))""";

    /** What {@code GET /api/status} shows. */
    public record Counts(long accounts, Instant lastDiscoveryAt, long lists, Instant oldestListSyncAt, long subscribers,
            long memberships, long webhooksReceived, long webhooksApplied, long webhooksFailed) {
    }

    private final Pool pool;

    StatusCounts(Pool pool) {
        this.pool = pool;
    }

    public Uni<Counts> counts() {
        return pool.preparedQuery(COUNTS)
                .execute(Tuple.of(AccountStatus.DELETED.wire(), ListStatus.ACTIVE.wire()))
                .map(rows -> counts(Rows.single(rows)));
    }

    /** Folds the change rows; returns how many rows are left. */
    public Uni<Integer> compact() {
        return pool.withTransaction(connection -> connection.preparedQuery(COMPACT).execute())
                .map(rows -> rows.rowCount());
    }

    /** Deletes up to {@code batch} of the account's count rows, in the caller's transaction; returns how many. */
    public Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    private static Counts counts(Row row) {
        return new Counts(row.getLong("accounts"), Rows.instant(row, "last_discovery"), row.getLong("lists"),
                Rows.instant(row, "oldest_sync"), row.getLong("subscribers"), row.getLong("memberships"),
                row.getLong("events"), row.getLong("applied"), row.getLong("failed"));
    }
}
