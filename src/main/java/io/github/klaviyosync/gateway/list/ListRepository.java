package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code klaviyo_list} table: lists found by discovery or named by a push, their leases across
 * replicas, cursors and due times. Every write of the table is here, but for the page commit of a
 * member sync (member's {@code MembershipRepository.COMMIT_PAGE}: the cursor advances with the page)
 * and {@code member_count}, which the database keeps (triggers on {@code list_membership}).
 */
@ApplicationScoped
public class ListRepository implements PanacheRepository<KlaviyoList> {

    /** The lists a run of flow pushes names (hot path: every apply pass; an array of Klaviyo ids). */
    static final String IDS_BY_KLAVIYO_IDS = """
            select id, klaviyo_list_id from klaviyo_list where account_id = $1 and klaviyo_list_id = any($2::text[])""";

    /**
     * Rows past its limit that a claim ranks and may lock: the head rows that concurrent claims (each
     * at most an instance's free slots) hold at that moment are skipped, and those behind them taken.
     */
    static final int CLAIM_LOCK_MARGIN = 256;

    /**
     * Due lists a claim ranks at most, oldest first (and as many that a push or a request made due):
     * several times its limit and {@link #CLAIM_LOCK_MARGIN}, so that in a backlog a claim costs the
     * same as in the steady state instead of ranking every due list (with a million due, 2.9-3.4 s a
     * claim against 6-7 ms: docs/SCALING.md).
     */
    static final int CLAIM_WINDOW = 1024;

    /*
     * Claim (SKIP LOCKED): due lists of active accounts, most urgent first, at most $3 per account
     * counting the leases the account's lists already hold on every instance; round-robin across
     * accounts, so one account's backlog never starves the others.
     * - The window: only the oldest CLAIM_WINDOW due lists are ranked, read in next_sync_at order from
     *   the index of due lists (V18: lists of active accounts only), skipping those of accounts at their
     *   cap (else one large account held at its cap would fill the window at every claim) and those of
     *   the few accounts that are not active (in case a list's flag lags its account's status), plus the
     *   oldest CLAIM_WINDOW that a push or a request made due (V19's index): they rank first in their
     *   account but are the newest of a backlog. The ranking is the full one whenever fewer lists are
     *   due; in a backlog, an account whose oldest due list is younger than the window waits for the
     *   claims that take the older ones.
     * - Only the head of the ranking ($2 and a margin for rows that concurrent claims hold) is read
     *   again to be locked. The due and lease conditions are repeated on the locked row so that, after
     *   waiting for a concurrent claimer, Postgres re-checks them.
     * - The statuses are written into the statement, not bound: the partial indexes can serve a generic
     *   plan (which PostgreSQL may choose for a statement run this often) only when the statement
     *   itself says the status.
     */
    static final String CLAIM = """
            with busy as (
                select account_id, count(*) as leased
                  from klaviyo_list
                 where status = '%1$s' and lease_until > now()
                 group by account_id
            ), claimable as not materialized (
                select l.id, l.account_id, l.pending_trigger, l.next_sync_at
                  from klaviyo_list l
                 where l.status = '%1$s'
                   and l.account_active
                   and l.next_sync_at <= now()
                   and (l.lease_until is null or l.lease_until <= now())
                   and l.account_id not in (select a.id from account a where a.status <> '%2$s')
                   and l.account_id not in (select b.account_id from busy b where b.leased >= $3)
            ), windowed as (
                (select * from claimable order by next_sync_at limit %4$d)
                union
                (select * from claimable where pending_trigger is not null order by next_sync_at limit %4$d)
            ), candidates as (
                select w.id, w.account_id, w.pending_trigger, w.next_sync_at,
                       row_number() over (partition by w.account_id
                                          order by (w.pending_trigger is null), w.next_sync_at, w.id) as account_rank
                  from windowed w
            ), ranked as (
                select c.id, c.account_rank, c.pending_trigger, c.next_sync_at
                  from candidates c
                  left join busy b on b.account_id = c.account_id
                 where c.account_rank + coalesce(b.leased, 0) <= $3
                 order by c.account_rank, (c.pending_trigger is null), c.next_sync_at
                 limit $2 + %3$d
            ), picked as (
                select l.id
                  from klaviyo_list l
                  join ranked r on r.id = l.id
                 where l.status = '%1$s'
                   and l.next_sync_at <= now()
                   and (l.lease_until is null or l.lease_until <= now())
                 order by r.account_rank, (r.pending_trigger is null), r.next_sync_at
                 limit $2
                 for update of l skip locked
            )
            update klaviyo_list l
               set lease_owner = $1,
                   lease_token = gen_random_uuid(),
                   lease_until = now() + make_interval(secs => $4),
                   updated_at = now()
              from picked p, account a
             where l.id = p.id and a.id = l.account_id
            returning l.id, l.lease_token, l.account_id, l.klaviyo_list_id, l.member_cursor, l.page_cursor,
                      l.pending_trigger, l.pending_full, l.next_sync_at, l.full_scan_run, l.full_scan_started_at,
                      a.api_key_enc, a.klaviyo_account_id""".formatted(ListStatus.ACTIVE.wire(), AccountStatus.ACTIVE.wire(),
                    CLAIM_LOCK_MARGIN, CLAIM_WINDOW);

    /** Renewal of the leases of the claims a dispatcher's syncs still hold (an array of tokens). */
    static final String RENEW = """
            update klaviyo_list set lease_until = now() + make_interval(secs => $2)
             where lease_token = any($1::uuid[])""";

    /*
     * Completion (CASE on the row's own values): a request that arrived while the sync ran moved
     * next_sync_at past the value it was claimed at ($3): that request stays pending and the list stays
     * due. Otherwise the next sync is one interval after this one started, so no member waits longer.
     */
    static final String COMPLETE = """
            update klaviyo_list
               set lease_owner = null,
                   lease_until = null,
                   page_cursor = null,
                   last_synced_at = now(),
                   next_sync_at = case when next_sync_at > $3 then next_sync_at
                                       else $4::timestamptz + make_interval(secs => $5) end,
                   pending_trigger = case when next_sync_at > $3 then pending_trigger else null end,
                   pending_full = case when next_sync_at > $3 then pending_full
                                       else pending_full and not $6 end,
                   last_full_sync_at = case when $6 then now() else last_full_sync_at end,
                   full_scan_run = case when $6 then null else full_scan_run end,
                   full_scan_started_at = case when $6 then null else full_scan_started_at end,
                   lease_token = null,
                   updated_at = now()
             where id = $1 and lease_token = $2 and account_id = $7""";

    /** Release after a failure (CASE on the row's own values): due again after a retry delay unless asked for sooner. */
    static final String RELEASE_FAILED = """
            update klaviyo_list
               set lease_owner = null,
                   lease_until = null,
                   next_sync_at = case when next_sync_at > $3 then next_sync_at
                                       else now() + make_interval(secs => $4) end,
                   lease_token = null,
                   updated_at = now()
             where id = $1 and lease_token = $2 and account_id = $5""";

    /**
     * Handover (a bulk conditional update): every lease the owner holds is given back as it stands, so
     * the lists stay due and another instance claims them at its next tick, resuming at their cursors.
     */
    static final String RELEASE_OWNED = """
            update klaviyo_list set lease_owner = null, lease_until = null, lease_token = null, updated_at = now()
             where lease_owner = $1""";

    /**
     * Release of claims that waited too long in their instance's queue, never started (an array of
     * tokens): given back as they stand, like a handover, for any instance to claim.
     */
    static final String RELEASE_QUEUED = """
            update klaviyo_list set lease_owner = null, lease_until = null, lease_token = null, updated_at = now()
             where lease_token = any($1::uuid[])""";

    /** Purge of a deleted account (a bounded batch): its lists, once their memberships and runs are gone. */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from klaviyo_list where id in (select id from klaviyo_list where account_id = $1 limit $2)""";

    /**
     * A page of discovered lists (ON CONFLICT, unnest batch): new ones due at once, known ones renamed
     * and active; each follows its account's status, which may have changed while the walk ran (the
     * account deleted, or its key refused).
     */
    static final String SAVE_DISCOVERED = """
            with saved as (
                insert into klaviyo_list as l (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, pending_trigger,
                                               account_active)
                select $1::uuid, d.id, d.name, $3::text, now(), $4::text, (select a.status = $7 from account a where a.id = $1)
                  from unnest($2::text[], $5::text[]) as d(id, name)
                on conflict (account_id, klaviyo_list_id) do update set
                    name = excluded.name,
                    status = $6,
                    account_active = excluded.account_active,
                    updated_at = now()
                returning (l.xmax = 0) as inserted
            )
            select count(*) filter (where inserted) as added from saved""";

    /** Lists of the account that a complete discovery did not list (an array the query compares with). */
    static final String MARK_MISSING_DELETED = """
            update klaviyo_list
               set status = $3, lease_owner = null, lease_until = null, updated_at = now()
             where account_id = $1 and status = $4 and klaviyo_list_id <> all($2::text[])""";

    /** After a nightly discovery every active list owes a removal check with its next sync. */
    static final String OWE_FULL_SYNCS = """
            update klaviyo_list set pending_full = true where account_id = $1 and status = $2""";

    /*
     * Lists a push says something of that only a poll can confirm (an array of row ids): due now,
     * trigger webhook. A list being synced now is made due at now(), past the next_sync_at it was
     * claimed at, which is how its completion (COMPLETE) tells a request that came during the sync
     * from none: kept at that earlier time, the request was cleared with the sync that began before it.
     * (now() itself, not the later of the two: a leased list's next_sync_at may lie ahead, and the
     * request wants it due now.)
     */
    static final String REQUEST_POLL = """
            update klaviyo_list
               set next_sync_at = case when lease_until > now() then now() else least(next_sync_at, now()) end,
                   pending_trigger = coalesce(pending_trigger, $2),
                   updated_at = now()
             where id = any($1::bigint[]) and status = $3 and account_id = $4""";

    /** A list a push named before discovery found it (ON CONFLICT): due at once, which is its backfill. */
    static final String CREATE_PUSHED = """
            with created as (
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, pending_trigger, next_sync_at)
                values ($1, $2, $3, $4, $5, now())
                on conflict (account_id, klaviyo_list_id) do nothing
                returning id
            )
            select id from created
            union all
            select id from klaviyo_list where account_id = $1 and klaviyo_list_id = $2""";

    @WithSession
    public Uni<List<KlaviyoList>> listByAccount(UUID accountId) {
        return list("accountId = ?1 order by name, id", accountId);
    }

    /** The lists with these row ids (the ids of a page of runs, say). */
    @WithSession
    public Uni<List<KlaviyoList>> listByIds(Collection<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }

    @WithSession
    public Uni<KlaviyoList> findByKlaviyoId(UUID accountId, String klaviyoListId) {
        return find("accountId = ?1 and klaviyoListId = ?2", accountId, klaviyoListId).firstResult();
    }

    /** The ids of the account's lists with these Klaviyo ids (those the gateway knows), by Klaviyo's id; no ORM session. */
    public Uni<Map<String, Long>> idsByKlaviyoIds(SqlConnection connection, UUID accountId, Collection<String> klaviyoListIds) {
        if (klaviyoListIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery(IDS_BY_KLAVIYO_IDS)
                .execute(Tuple.of(accountId, klaviyoListIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Long> ids = new HashMap<>();
                    for (Row row : rows) {
                        ids.put(row.getString("klaviyo_list_id"), row.getLong("id"));
                    }
                    return ids;
                });
    }

    /** The list row locked until the transaction ends, so concurrent changes of its sync state queue up. */
    public Uni<KlaviyoList> findByKlaviyoIdForUpdate(UUID accountId, String klaviyoListId) {
        return find("accountId = ?1 and klaviyoListId = ?2", accountId, klaviyoListId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /**
     * Puts the account's lists in the index of due lists, or takes them out of it, as the account
     * becomes active or stops being so; returns how many lists changed.
     */
    Uni<Integer> followAccount(UUID accountId, boolean active) {
        return update("accountActive = ?1 where accountId = ?2 and accountActive <> ?1", active, accountId);
    }

    /** Frees the account's lists from any instance holding them and drops their pending requests. */
    Uni<Integer> releaseAll(UUID accountId) {
        return update("leaseOwner = null, leaseUntil = null, leaseToken = null, pendingTrigger = null, updatedAt = ?1"
                + " where accountId = ?2",
                Instant.now(), accountId);
    }

    /** Klaviyo no longer has the list (404): it is kept, marked deleted, and no longer synced. */
    Uni<Integer> markDeleted(ListLease lease) {
        return update("status = ?1, leaseOwner = null, leaseUntil = null, leaseToken = null, updatedAt = ?2"
                + " where id = ?3 and leaseToken = ?4", ListStatus.DELETED, Instant.now(), lease.listId(), lease.token());
    }

    Uni<List<ListLease>> claim(SqlConnection connection, String owner, int limit, int perAccount, Duration lease) {
        return connection.preparedQuery(CLAIM)
                .execute(Tuple.of(owner, limit, perAccount, Rows.seconds(lease)))
                .map(rows -> {
                    List<ListLease> leases = new ArrayList<>();
                    rows.forEach(row -> leases.add(lease(row, owner)));
                    return leases;
                });
    }

    Uni<Integer> renew(SqlConnection connection, Collection<UUID> tokens, Duration lease) {
        return connection.preparedQuery(RENEW)
                .execute(Tuple.of(tokens.toArray(UUID[]::new), Rows.seconds(lease)))
                .map(rows -> rows.rowCount());
    }

    Uni<Boolean> complete(SqlConnection connection, ListLease lease, Instant startedAt, Duration interval, boolean didFull) {
        Tuple parameters = Tuple.of(lease.listId(), lease.token(), Rows.timestamp(lease.dueAt()), Rows.timestamp(startedAt),
                Rows.seconds(interval), didFull)
                .addUUID(lease.accountId());
        return connection.preparedQuery(COMPLETE)
                .execute(parameters)
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Integer> releaseFailed(SqlConnection connection, ListLease lease, Duration retry) {
        return connection.preparedQuery(RELEASE_FAILED)
                .execute(Tuple.of(lease.listId(), lease.token(), Rows.timestamp(lease.dueAt()), Rows.seconds(retry), lease.accountId()))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> releaseOwned(SqlConnection connection, String owner) {
        return connection.preparedQuery(RELEASE_OWNED)
                .execute(Tuple.of(owner))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> releaseQueued(SqlConnection connection, Collection<UUID> tokens) {
        return connection.preparedQuery(RELEASE_QUEUED)
                .execute(Tuple.of((Object) tokens.toArray(UUID[]::new)))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    /** Records a page of Klaviyo's lists; returns how many were new. */
    Uni<Integer> saveDiscovered(SqlConnection connection, UUID accountId, SyncTrigger trigger, List<ListItem> lists) {
        Tuple parameters = Tuple.tuple()
                .addUUID(accountId)
                .addArrayOfString(Rows.column(lists, ListItem::id, String[]::new))
                .addString(DiscoveredVia.DISCOVERY.wire())
                .addString(trigger.wire())
                .addArrayOfString(Rows.column(lists, list -> list.name() == null ? list.id() : list.name(), String[]::new))
                .addString(ListStatus.ACTIVE.wire())
                .addString(AccountStatus.ACTIVE.wire());
        return connection.preparedQuery(SAVE_DISCOVERED)
                .execute(parameters)
                .map(rows -> Rows.single(rows).getLong("added").intValue());
    }

    Uni<Integer> markMissingDeleted(SqlConnection connection, UUID accountId, Collection<String> listedIds) {
        Tuple parameters = Tuple.of(accountId, listedIds.toArray(String[]::new), ListStatus.DELETED.wire(),
                ListStatus.ACTIVE.wire());
        return connection.preparedQuery(MARK_MISSING_DELETED)
                .execute(parameters)
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> oweFullSyncs(SqlConnection connection, UUID accountId) {
        return connection.preparedQuery(OWE_FULL_SYNCS)
                .execute(Tuple.of(accountId, ListStatus.ACTIVE.wire()))
                .map(rows -> rows.rowCount());
    }

    /**
     * The row id of the account's list {@code klaviyoListId}, created (due at once, trigger
     * {@code webhook}) when the gateway does not know it yet. Runs in the caller's transaction.
     */
    public Uni<Long> createPushed(SqlConnection connection, UUID accountId, String klaviyoListId, String name) {
        Tuple parameters = Tuple.of(accountId, klaviyoListId, name, DiscoveredVia.WEBHOOK.wire(), SyncTrigger.WEBHOOK.wire());
        return connection.preparedQuery(CREATE_PUSHED)
                .execute(parameters)
                .map(rows -> Rows.single(rows).getLong("id"));
    }

    /** Makes these lists of the account due now, to be polled (trigger {@code webhook}), in the caller's transaction. */
    public Uni<Integer> requestPoll(SqlConnection connection, UUID accountId, Collection<Long> listIds) {
        if (listIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection.preparedQuery(REQUEST_POLL)
                .execute(Tuple.of(listIds.toArray(Long[]::new), SyncTrigger.WEBHOOK.wire(), ListStatus.ACTIVE.wire(), accountId))
                .map(rows -> rows.rowCount());
    }

    private static ListLease lease(Row row, String owner) {
        String trigger = row.getString("pending_trigger");
        return new ListLease(
                row.getLong("id"),
                row.getUUID("lease_token"),
                row.getUUID("account_id"),
                row.getString("klaviyo_list_id"),
                Rows.instant(row, "member_cursor"),
                row.getString("page_cursor"),
                trigger == null ? SyncTrigger.SCHEDULE : WireValue.parse(SyncTrigger.class, trigger),
                row.getBoolean("pending_full"),
                Rows.instant(row, "next_sync_at"),
                row.getLong("full_scan_run"),
                Rows.instant(row, "full_scan_started_at"),
                row.getBuffer("api_key_enc").getBytes(),
                row.getString("klaviyo_account_id"),
                owner);
    }
}
