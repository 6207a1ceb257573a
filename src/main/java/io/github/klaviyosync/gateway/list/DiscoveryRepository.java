package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The {@code list_discovery} table: each account's discovery and list-check schedule and their lease across replicas. */
@ApplicationScoped
public class DiscoveryRepository implements PanacheRepositoryBase<DiscoveryState, UUID> {

    /*
     * Claim (SKIP LOCKED, ON CONFLICT): active accounts whose discovery or list check is due and free,
     * or that have no row yet (never discovered: trigger connect). The account rows are the ones locked,
     * since a missing row cannot be; NO KEY UPDATE leaves inserts referencing the account (webhooks)
     * unblocked. `discovery_due` says which of the two the claim is for: a due discovery comes first
     * and counts as a list check. Each claim gets a new token, which fences its writes.
     */
    static final String CLAIM = """
            with due as (
                select a.id
                  from account a
                  left join list_discovery d on d.account_id = a.id
                 where a.status = $4
                   and (d.account_id is null
                        or (d.next_discovery_at <= now() or d.next_list_check_at <= now())
                           and (d.lease_until is null or d.lease_until <= now()))
                 order by least(d.next_discovery_at, d.next_list_check_at) nulls first
                 limit $2
                 for no key update of a skip locked
            )
            insert into list_discovery as d (account_id, trigger, lease_owner, lease_until, lease_token)
            select id, $5::text, $1::text, now() + make_interval(secs => $3), gen_random_uuid() from due
            on conflict (account_id) do update set
                lease_owner = excluded.lease_owner,
                lease_until = excluded.lease_until,
                lease_token = excluded.lease_token
             where (d.next_discovery_at <= now() or d.next_list_check_at <= now())
               and (d.lease_until is null or d.lease_until <= now())
            returning d.account_id, d.lease_token, d.trigger, d.last_discovery_at, d.next_discovery_at, d.last_list_check_at,
                      (d.next_discovery_at <= now() or d.last_list_check_at is null) as discovery_due,
                      (select a.api_key_enc from account a where a.id = d.account_id) as api_key_enc,
                      (select a.klaviyo_account_id from account a where a.id = d.account_id) as klaviyo_account_id""";

    /**
     * Completion (CASE on the row's own values): a "discover now" that arrived meanwhile stays due. The
     * discovery, which started at $5, counts as a list check: the next one is an interval after it.
     */
    static final String COMPLETE = """
            update list_discovery
               set last_discovery_at = now(),
                   next_discovery_at = case when next_discovery_at > $3 then next_discovery_at else $4 end,
                   trigger = case when next_discovery_at > $3 then trigger else null end,
                   last_list_check_at = greatest(last_list_check_at, $5),
                   next_list_check_at = $5::timestamptz + make_interval(secs => $6),
                   list_check_error = null,
                   lease_owner = null,
                   lease_until = null,
                   lease_token = null
             where account_id = $1 and lease_token = $2""";

    /** A list check that started at $3 succeeded: lists updated before it are known; the next is an interval after it. */
    static final String COMPLETE_CHECK = """
            update list_discovery
               set last_list_check_at = greatest(last_list_check_at, $3),
                   next_list_check_at = $3::timestamptz + make_interval(secs => $4),
                   list_check_error = null,
                   lease_owner = null,
                   lease_until = null,
                   lease_token = null
             where account_id = $1 and lease_token = $2""";

    /** A list check failed: why, kept for the operator until one succeeds; the next one is an interval later. */
    static final String RELEASE_CHECK_FAILED = """
            update list_discovery
               set next_list_check_at = now() + make_interval(secs => $3),
                   list_check_error = $4,
                   lease_owner = null,
                   lease_until = null,
                   lease_token = null
             where account_id = $1 and lease_token = $2""";

    /** Release after a failure (CASE on the row's own values): due again after a retry delay unless asked for sooner. */
    static final String RELEASE_FAILED = """
            update list_discovery
               set next_discovery_at = case when next_discovery_at > $3 then next_discovery_at else $4 end,
                   lease_owner = null,
                   lease_until = null,
                   lease_token = null
             where account_id = $1 and lease_token = $2""";

    /** Handover (a bulk conditional update): the owner's discoveries are given back, due as they stand. */
    static final String RELEASE_OWNED = """
            update list_discovery set lease_owner = null, lease_until = null, lease_token = null where lease_owner = $1""";

    /** Each page of a walk renews its claim first (zero rows: the claim is no longer this walk's, nothing is written). */
    static final String RENEW = """
            update list_discovery set lease_until = now() + make_interval(secs => $3) where account_id = $1 and lease_token = $2""";

    /** Purge of a deleted account: its discovery schedule. */
    static final String DELETE_OF_ACCOUNT = "delete from list_discovery where account_id = $1";

    /** "Discover now" (ON CONFLICT: the account may have no row yet). */
    static final String REQUEST = """
            insert into list_discovery as d (account_id, next_discovery_at, trigger) values ($1, $2, $3)
            on conflict (account_id) do update set next_discovery_at = excluded.next_discovery_at, trigger = excluded.trigger""";

    /** When any account's lists were last discovered. */
    @WithSession
    public Uni<Instant> lastDiscoveryOfVisibleAccounts() {
        return find("select max(d.lastDiscoveryAt) from DiscoveryState d, Account a where a.id = d.accountId and a.status <> ?1",
                        AccountStatus.DELETED)
                .project(Instant.class)
                .firstResult();
    }

    /** The discovery and list-check state of these accounts (those that have a row). */
    @WithSession
    public Uni<List<DiscoveryState>> findByAccounts(Collection<UUID> accountIds) {
        return accountIds.isEmpty() ? Uni.createFrom().item(List.of()) : list("accountId in ?1", accountIds);
    }

    Uni<List<DiscoveryLease>> claim(SqlConnection connection, String owner, int limit, Duration lease) {
        Tuple parameters = Tuple.of(owner, limit, Rows.seconds(lease), AccountStatus.ACTIVE.wire(), SyncTrigger.CONNECT.wire());
        return connection.preparedQuery(CLAIM)
                .execute(parameters)
                .map(rows -> {
                    List<DiscoveryLease> leases = new ArrayList<>();
                    rows.forEach(row -> leases.add(lease(row, owner)));
                    return leases;
                });
    }

    /** Renews the claim for another lease; fails with {@link DiscoveryLeaseLostException} when it is no longer the walk's. */
    Uni<Void> renew(SqlConnection connection, DiscoveryLease lease, Duration duration) {
        return connection.preparedQuery(RENEW)
                .execute(Tuple.of(lease.accountId(), lease.token(), Rows.seconds(duration)))
                .invoke(rows -> DiscoveryLeaseLostException.unlessOne(rows.rowCount(), lease))
                .replaceWithVoid();
    }

    Uni<Integer> complete(SqlConnection connection, DiscoveryLease lease, Instant next, Instant startedAt,
            Duration checkInterval) {
        Tuple parameters = Tuple.of(lease.accountId(), lease.token(), Rows.timestamp(lease.dueAt()), Rows.timestamp(next),
                Rows.timestamp(startedAt), Rows.seconds(checkInterval));
        return connection.preparedQuery(COMPLETE)
                .execute(parameters)
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> completeCheck(SqlConnection connection, DiscoveryLease lease, Instant startedAt, Duration interval) {
        return connection.preparedQuery(COMPLETE_CHECK)
                .execute(Tuple.of(lease.accountId(), lease.token(), Rows.timestamp(startedAt), Rows.seconds(interval)))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> releaseCheckFailed(SqlConnection connection, DiscoveryLease lease, Duration retry, String reason) {
        return connection.preparedQuery(RELEASE_CHECK_FAILED)
                .execute(Tuple.of(lease.accountId(), lease.token(), Rows.seconds(retry), reason))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> releaseFailed(SqlConnection connection, DiscoveryLease lease, Instant retryAt) {
        return connection.preparedQuery(RELEASE_FAILED)
                .execute(Tuple.of(lease.accountId(), lease.token(), Rows.timestamp(lease.dueAt()), Rows.timestamp(retryAt)))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> releaseOwned(SqlConnection connection, String owner) {
        return connection.preparedQuery(RELEASE_OWNED)
                .execute(Tuple.of(owner))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId) {
        return connection.preparedQuery(DELETE_OF_ACCOUNT)
                .execute(Tuple.of(accountId))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> request(SqlConnection connection, UUID accountId, Instant at, SyncTrigger trigger) {
        return connection.preparedQuery(REQUEST)
                .execute(Tuple.of(accountId, Rows.timestamp(at), trigger.wire()))
                .map(rows -> rows.rowCount());
    }

    private static DiscoveryLease lease(Row row, String owner) {
        String trigger = row.getString("trigger");
        SyncTrigger resolved = trigger != null ? WireValue.parse(SyncTrigger.class, trigger)
                : row.getValue("last_discovery_at") == null ? SyncTrigger.CONNECT : SyncTrigger.SCHEDULE;
        return new DiscoveryLease(row.getUUID("account_id"), row.getUUID("lease_token"), row.getBuffer("api_key_enc").getBytes(),
                row.getString("klaviyo_account_id"), resolved,
                Rows.instant(row, "next_discovery_at"), row.getBoolean("discovery_due"),
                Rows.instant(row, "last_list_check_at"), owner);
    }
}
