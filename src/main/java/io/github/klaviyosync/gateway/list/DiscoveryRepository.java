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
import java.util.List;
import java.util.UUID;

/** The {@code list_discovery} table: each account's discovery schedule and its lease across replicas. */
@ApplicationScoped
public class DiscoveryRepository implements PanacheRepositoryBase<DiscoveryState, UUID> {

    /*
     * Claim (SKIP LOCKED, ON CONFLICT): active accounts whose discovery is due and free, or that have
     * no row yet (never discovered: trigger connect). The account rows are the ones locked, since a
     * missing row cannot be; NO KEY UPDATE leaves inserts referencing the account (webhooks) unblocked.
     */
    static final String CLAIM = """
            with due as (
                select a.id
                  from account a
                  left join list_discovery d on d.account_id = a.id
                 where a.status = $4
                   and (d.account_id is null
                        or d.next_discovery_at <= now() and (d.lease_until is null or d.lease_until <= now()))
                 order by d.next_discovery_at nulls first
                 limit $2
                 for no key update of a skip locked
            )
            insert into list_discovery as d (account_id, trigger, lease_owner, lease_until)
            select id, $5::text, $1::text, now() + make_interval(secs => $3) from due
            on conflict (account_id) do update set
                lease_owner = excluded.lease_owner,
                lease_until = excluded.lease_until
             where d.next_discovery_at <= now() and (d.lease_until is null or d.lease_until <= now())
            returning d.account_id, d.trigger, d.last_discovery_at, d.next_discovery_at,
                      (select a.api_key_enc from account a where a.id = d.account_id) as api_key_enc,
                      (select a.klaviyo_account_id from account a where a.id = d.account_id) as klaviyo_account_id""";

    /** Completion (CASE on the row's own values): a "discover now" that arrived meanwhile stays due. */
    static final String COMPLETE = """
            update list_discovery
               set last_discovery_at = now(),
                   next_discovery_at = case when next_discovery_at > $3 then next_discovery_at else $4 end,
                   trigger = case when next_discovery_at > $3 then trigger else null end,
                   lease_owner = null,
                   lease_until = null
             where account_id = $1 and lease_owner = $2""";

    /** Release after a failure (CASE on the row's own values): due again after a retry delay unless asked for sooner. */
    static final String RELEASE_FAILED = """
            update list_discovery
               set next_discovery_at = case when next_discovery_at > $3 then next_discovery_at else $4 end,
                   lease_owner = null,
                   lease_until = null
             where account_id = $1 and lease_owner = $2""";

    /** Handover (a bulk conditional update): the owner's discoveries are given back, due as they stand. */
    static final String RELEASE_OWNED = """
            update list_discovery set lease_owner = null, lease_until = null where lease_owner = $1""";

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

    Uni<Integer> complete(SqlConnection connection, DiscoveryLease lease, Instant next) {
        return connection.preparedQuery(COMPLETE)
                .execute(Tuple.of(lease.accountId(), lease.owner(), Rows.timestamp(lease.dueAt()), Rows.timestamp(next)))
                .map(rows -> rows.rowCount());
    }

    Uni<Integer> releaseFailed(SqlConnection connection, DiscoveryLease lease, Instant retryAt) {
        return connection.preparedQuery(RELEASE_FAILED)
                .execute(Tuple.of(lease.accountId(), lease.owner(), Rows.timestamp(lease.dueAt()), Rows.timestamp(retryAt)))
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
        return new DiscoveryLease(row.getUUID("account_id"), row.getBuffer("api_key_enc").getBytes(),
                row.getString("klaviyo_account_id"), resolved,
                Rows.instant(row, "next_discovery_at"), owner);
    }
}
