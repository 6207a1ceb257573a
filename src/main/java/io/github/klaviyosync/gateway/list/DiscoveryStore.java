package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.SqlParameters;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Discovery's writes: claiming due accounts across instances (once each, with a lease), recording
 * the lists Klaviyo lists (new ones due at once: that is their backfill), marking the ones it no
 * longer lists as deleted, and handing the account back with its next discovery time.
 */
@ApplicationScoped
public class DiscoveryStore {

    private static final String CLAIM = """
            with picked as (
                select id from account
                 where status = 'active'
                   and next_discovery_at <= now()
                   and (discovery_lease_until is null or discovery_lease_until <= now())
                 order by next_discovery_at
                 limit :limit
                 for update skip locked
            )
            update account a
               set discovery_lease_owner = :owner,
                   discovery_lease_until = now() + make_interval(secs => :leaseSeconds)
              from picked p
             where a.id = p.id
            returning a.id, a.api_key_enc, a.discovery_trigger, a.last_discovery_at, a.next_discovery_at, a.klaviyo_account_id
            """;

    private static final String UPSERT_LISTS = """
            with v as (
                select * from jsonb_to_recordset(cast(cast(:lists as text) as jsonb)) as x(id text, name text)
            ), saved as (
                insert into klaviyo_list as l (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, pending_trigger)
                select :account, id, name, 'discovery', now(), :trigger from v
                on conflict (account_id, klaviyo_list_id) do update set
                    name = excluded.name,
                    status = 'active',
                    updated_at = now()
                returning (l.xmax = 0) as inserted
            )
            select count(*) from saved where inserted
            """;

    private static final String MARK_MISSING_DELETED = """
            update klaviyo_list
               set status = 'deleted', lease_owner = null, lease_until = null, updated_at = now()
             where account_id = :account
               and status = 'active'
               and klaviyo_list_id not in (select jsonb_array_elements_text(cast(cast(:ids as text) as jsonb)))
            """;

    private static final String COMPLETE = """
            update account
               set last_discovery_at = now(),
                   next_discovery_at = case when next_discovery_at > :dueAt then next_discovery_at else :next end,
                   discovery_trigger = case when next_discovery_at > :dueAt then discovery_trigger else null end,
                   discovery_lease_owner = null,
                   discovery_lease_until = null
             where id = :account and discovery_lease_owner = :owner
            """;

    private static final String RELEASE_FAILED = """
            update account
               set next_discovery_at = case when next_discovery_at > :dueAt then next_discovery_at else :retryAt end,
                   discovery_lease_owner = null,
                   discovery_lease_until = null
             where id = :account and discovery_lease_owner = :owner
            """;

    private final SqlParameters parameters;

    DiscoveryStore(SqlParameters parameters) {
        this.parameters = parameters;
    }

    @WithTransaction
    public Uni<List<DiscoveryLease>> claim(String owner, int limit, Duration lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, Object[].class)
                        .setParameter("owner", owner)
                        .setParameter("limit", limit)
                        .setParameter("leaseSeconds", SqlParameters.seconds(lease))
                        .getResultList())
                .map(rows -> rows.stream().map(row -> toLease(row, owner)).toList());
    }

    /** Records a page of Klaviyo's lists; returns how many were new. */
    @WithTransaction
    public Uni<Integer> saveLists(DiscoveryLease lease, List<ListItem> lists) {
        List<Map<String, String>> rows = lists.stream()
                .map(list -> Map.of("id", list.id(), "name", list.name() == null ? list.id() : list.name()))
                .toList();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(UPSERT_LISTS, Long.class)
                        .setParameter("lists", parameters.json(rows))
                        .setParameter("account", lease.accountId())
                        .setParameter("trigger", lease.trigger().wire())
                        .getSingleResult())
                .map(Rows::intValue);
    }

    /**
     * Ends a complete discovery: lists Klaviyo did not list are deleted; with a nightly discovery,
     * every list owes a removal check with its next sync; the account is due again at {@code next}.
     */
    @WithTransaction
    public Uni<Void> complete(DiscoveryLease lease, Collection<String> listedIds, boolean nightly, Instant next) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(MARK_MISSING_DELETED)
                        .setParameter("account", lease.accountId())
                        .setParameter("ids", parameters.json(listedIds))
                        .executeUpdate()
                        .chain(() -> nightly ? oweRemovalChecks(session, lease) : Uni.createFrom().item(0))
                        .chain(() -> session.createNativeQuery(COMPLETE)
                                .setParameter("account", lease.accountId())
                                .setParameter("owner", lease.owner())
                                .setParameter("dueAt", lease.dueAt())
                                .setParameter("next", next)
                                .executeUpdate()))
                .replaceWithVoid();
    }

    @WithTransaction
    public Uni<Void> releaseFailed(DiscoveryLease lease, Instant retryAt) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELEASE_FAILED)
                        .setParameter("account", lease.accountId())
                        .setParameter("owner", lease.owner())
                        .setParameter("dueAt", lease.dueAt())
                        .setParameter("retryAt", retryAt)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static Uni<Integer> oweRemovalChecks(org.hibernate.reactive.mutiny.Mutiny.Session session, DiscoveryLease lease) {
        return session.createNativeQuery("update klaviyo_list set pending_full = true where account_id = :account and status = 'active'")
                .setParameter("account", lease.accountId())
                .executeUpdate();
    }

    private static DiscoveryLease toLease(Object[] row, String owner) {
        String trigger = (String) row[2];
        SyncTrigger resolved = trigger != null ? SyncTrigger.fromWire(trigger)
                : row[3] == null ? SyncTrigger.CONNECT : SyncTrigger.SCHEDULE;
        return new DiscoveryLease(Rows.uuid(row[0]), (byte[]) row[1], (String) row[5], resolved, Rows.instant(row[4]), owner);
    }

}
