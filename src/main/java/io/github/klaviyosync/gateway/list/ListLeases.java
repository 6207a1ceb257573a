package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.SqlParameters;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Leases on lists in Postgres, so that several gateway instances on one database never sync one
 * list at once, never skip one, and take over a list whose instance died once its lease expires.
 * A lease is renewed while its sync runs ({@link #renew}) and released when it ends.
 */
@ApplicationScoped
public class ListLeases {

    /*
     * Due lists of active accounts, most urgent first, at most perAccount per account counting the
     * leases the account's lists already hold on every instance; round-robin across accounts, so one
     * account's backlog never starves the others. The due and lease conditions are repeated on the
     * locked row so that, after waiting for a concurrent claimer, Postgres re-checks them.
     */
    private static final String CLAIM = """
            with busy as (
                select account_id, count(*) as leased
                  from klaviyo_list
                 where status = 'active' and lease_until > now()
                 group by account_id
            ), candidates as (
                select l.id, l.account_id,
                       row_number() over (partition by l.account_id
                                          order by (l.pending_trigger is null), l.next_sync_at, l.id) as account_rank
                  from klaviyo_list l
                  join account a on a.id = l.account_id and a.status = 'active'
                 where l.status = 'active'
                   and l.next_sync_at <= now()
                   and (l.lease_until is null or l.lease_until <= now())
            ), picked as (
                select l.id
                  from klaviyo_list l
                  join candidates c on c.id = l.id
                  left join busy b on b.account_id = c.account_id
                 where c.account_rank + coalesce(b.leased, 0) <= :perAccount
                   and l.status = 'active'
                   and l.next_sync_at <= now()
                   and (l.lease_until is null or l.lease_until <= now())
                 order by c.account_rank, (l.pending_trigger is null), l.next_sync_at
                 limit :limit
                 for update of l skip locked
            )
            update klaviyo_list l
               set lease_owner = :owner,
                   lease_until = now() + make_interval(secs => :leaseSeconds),
                   updated_at = now()
              from picked p, account a
             where l.id = p.id and a.id = l.account_id
            returning l.id, l.account_id, l.klaviyo_list_id, l.member_cursor, l.page_cursor,
                      l.pending_trigger, l.pending_full, l.next_sync_at, a.api_key_enc, a.klaviyo_account_id
            """;

    /*
     * A request that arrived while the sync ran moved next_sync_at past the value it was claimed at:
     * that request stays pending and the list stays due. Otherwise the next sync is one interval
     * after this one started, so no member waits longer than an interval.
     */
    private static final String COMPLETE = """
            update klaviyo_list
               set lease_owner = null,
                   lease_until = null,
                   page_cursor = null,
                   last_synced_at = now(),
                   next_sync_at = case when next_sync_at > :dueAt then next_sync_at
                                       else cast(:startedAt as timestamptz) + make_interval(secs => :intervalSeconds) end,
                   pending_trigger = case when next_sync_at > :dueAt then pending_trigger else null end,
                   pending_full = case when next_sync_at > :dueAt then pending_full
                                       else pending_full and not :didFull end,
                   last_full_sync_at = case when :didFull then now() else last_full_sync_at end,
                   updated_at = now()
             where id = :id and lease_owner = :owner
            """;

    private static final String RELEASE_FAILED = """
            update klaviyo_list
               set lease_owner = null,
                   lease_until = null,
                   next_sync_at = case when next_sync_at > :dueAt then next_sync_at
                                       else now() + make_interval(secs => :retrySeconds) end,
                   updated_at = now()
             where id = :id and lease_owner = :owner
            """;

    @WithTransaction
    public Uni<List<ListLease>> claim(String owner, int limit, int perAccount, Duration lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, Object[].class)
                        .setParameter("owner", owner)
                        .setParameter("limit", limit)
                        .setParameter("perAccount", perAccount)
                        .setParameter("leaseSeconds", SqlParameters.seconds(lease))
                        .getResultList())
                .map(rows -> rows.stream().map(row -> toLease(row, owner)).toList());
    }

    /** Extends every lease the owner holds; returns how many it still holds. */
    @WithTransaction
    public Uni<Integer> renew(String owner, Duration lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "update klaviyo_list set lease_until = now() + make_interval(secs => :leaseSeconds)"
                                        + " where lease_owner = :owner and lease_until > now()")
                        .setParameter("owner", owner)
                        .setParameter("leaseSeconds", SqlParameters.seconds(lease))
                        .executeUpdate());
    }

    /** The sync ended well: the list is up to date as of now and due again one interval after {@code startedAt}. */
    @WithTransaction
    public Uni<Boolean> complete(ListLease lease, Instant startedAt, Duration interval, boolean didFull) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(COMPLETE)
                        .setParameter("id", lease.listId())
                        .setParameter("owner", lease.owner())
                        .setParameter("dueAt", lease.dueAt())
                        .setParameter("startedAt", startedAt)
                        .setParameter("intervalSeconds", SqlParameters.seconds(interval))
                        .setParameter("didFull", didFull)
                        .executeUpdate())
                .map(updated -> updated == 1);
    }

    /** The sync failed: the list keeps its cursors (the next sync resumes there) and is retried after {@code retry}. */
    @WithTransaction
    public Uni<Void> releaseFailed(ListLease lease, Duration retry) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELEASE_FAILED)
                        .setParameter("id", lease.listId())
                        .setParameter("owner", lease.owner())
                        .setParameter("dueAt", lease.dueAt())
                        .setParameter("retrySeconds", SqlParameters.seconds(retry))
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Klaviyo no longer has the list (404): it is kept, marked deleted, and no longer synced. */
    @WithTransaction
    public Uni<Void> markDeleted(ListLease lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                update klaviyo_list
                                   set status = 'deleted', lease_owner = null, lease_until = null, updated_at = now()
                                 where id = :id
                                """)
                        .setParameter("id", lease.listId())
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static ListLease toLease(Object[] row, String owner) {
        return new ListLease(
                Rows.longValue(row[0]),
                Rows.uuid(row[1]),
                (String) row[2],
                Rows.instant(row[3]),
                (String) row[4],
                row[5] == null ? SyncTrigger.SCHEDULE : SyncTrigger.fromWire((String) row[5]),
                Rows.bool(row[6]),
                Rows.instant(row[7]),
                (byte[]) row[8],
                (String) row[9],
                owner);
    }

}
