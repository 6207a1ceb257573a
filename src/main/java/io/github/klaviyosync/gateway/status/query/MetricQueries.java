package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.list.ListStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** What the gauges show, read in one go on their refresh schedule (never from a gauge's callback). */
@ApplicationScoped
@WithSession
public class MetricQueries {

    private static final String LIST_SYNCS = "select new " + ListSync.class.getName()
            + "(l.accountId, a.klaviyoAccountId, l.klaviyoListId, l.lastSyncedAt, l.discoveredAt)"
            + " from KlaviyoList l, Account a where a.id = l.accountId"
            + " and l.status = :active and a.status <> :deleted";
    private static final String ACCOUNT_FRESHNESS = "select new " + AccountFreshness.class.getName()
            + "(a.id, a.klaviyoAccountId, a.createdAt, p.lastCheckedAt, d.lastListCheckAt)"
            + " from Account a left join ProfileSweep p on p.accountId = a.id left join DiscoveryState d on d.accountId = a.id"
            + " where a.status <> :deleted";
    private static final String ACCOUNTS_BY_STATUS = "select new " + AccountsOfStatus.class.getName()
            + "(a.status, count(a)) from Account a group by a.status";

    /** How many accounts have one status. */
    public record AccountsOfStatus(AccountStatus status, long count) {
    }

    /** When a list was last synced successfully (null: never) and when it was found. */
    public record ListSync(UUID accountId, String klaviyoAccountId, String klaviyoListId, Instant lastSyncedAt, Instant discoveredAt) {
    }

    /** When an account's stored members were last swept and its lists last checked (null: never), and when it was connected. */
    public record AccountFreshness(UUID accountId, String klaviyoAccountId, Instant createdAt, Instant profilesCheckedAt,
            Instant listsCheckedAt) {
    }

    /** Accounts that are not deleted. */
    public Uni<List<AccountFreshness>> accountFreshness() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(ACCOUNT_FRESHNESS, AccountFreshness.class)
                        .setParameter("deleted", AccountStatus.DELETED)
                        .getResultList());
    }

    /** Active lists of accounts that are not deleted. */
    public Uni<List<ListSync>> listSyncs() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(LIST_SYNCS, ListSync.class)
                        .setParameter("active", ListStatus.ACTIVE)
                        .setParameter("deleted", AccountStatus.DELETED)
                        .getResultList());
    }

    public Uni<Map<AccountStatus, Long>> accountsByStatus() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(ACCOUNTS_BY_STATUS, AccountsOfStatus.class).getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(AccountsOfStatus::status, AccountsOfStatus::count)));
    }
}
