package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.list.ListStatus;
import io.github.klaviyosync.gateway.webhook.WebhookStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The gateway at a glance, over accounts that are not deleted; one query after another in one session. */
@ApplicationScoped
@WithSession
public class StatusCounts {

    private static final String OF_VISIBLE_ACCOUNTS = " in (select a.id from Account a where a.status <> :deleted)";
    private static final String ACCOUNTS = "select count(a) from Account a where a.status <> :deleted";
    private static final String LAST_DISCOVERY = "select max(d.lastDiscoveryAt) from DiscoveryState d where d.accountId"
            + OF_VISIBLE_ACCOUNTS;
    private static final String LISTS = "select new " + Lists.class.getName() + "(count(l), min(l.lastSyncedAt))"
            + " from KlaviyoList l where l.status = :active and l.accountId" + OF_VISIBLE_ACCOUNTS;
    private static final String SUBSCRIBERS = "select count(s) from Subscriber s where s.accountId" + OF_VISIBLE_ACCOUNTS;
    private static final String MEMBERSHIPS = "select count(m) from ListMembership m where m.removedAt is null and m.accountId"
            + OF_VISIBLE_ACCOUNTS;
    private static final String WEBHOOKS = "select new " + EventsByStatus.class.getName() + "(w.status, count(w))"
            + " from WebhookEvent w where w.accountId" + OF_VISIBLE_ACCOUNTS + " group by w.status";

    /** What {@code GET /api/status} shows. */
    public record Counts(long accounts, Instant lastDiscoveryAt, long lists, Instant oldestListSyncAt, long subscribers,
            long memberships, long webhooksReceived, long webhooksApplied, long webhooksFailed) {
    }

    /** Active lists and the oldest last successful sync among them. */
    public record Lists(long count, Instant oldestSyncAt) {
    }

    /** Stored events of one status. */
    public record EventsByStatus(WebhookStatus status, long count) {
    }

    public Uni<Counts> counts() {
        Tally tally = new Tally();
        return Panache.getSession()
                .call(session -> single(session, Long.class, ACCOUNTS).invoke(found -> tally.accounts = found))
                .call(session -> single(session, Instant.class, LAST_DISCOVERY).invoke(found -> tally.lastDiscovery = found))
                .call(session -> lists(session).invoke(found -> tally.lists = found))
                .call(session -> single(session, Long.class, SUBSCRIBERS).invoke(found -> tally.subscribers = found))
                .call(session -> single(session, Long.class, MEMBERSHIPS).invoke(found -> tally.memberships = found))
                .call(session -> query(session, EventsByStatus.class, WEBHOOKS).getResultList().invoke(found -> tally.events = found))
                .map(session -> tally.counts());
    }

    private Uni<Lists> lists(Mutiny.Session session) {
        return query(session, Lists.class, LISTS)
                .setParameter("active", ListStatus.ACTIVE)
                .getSingleResult();
    }

    private static <T> Uni<T> single(Mutiny.Session session, Class<T> type, String hql) {
        return query(session, type, hql).getSingleResult();
    }

    /** The answers as they come in, one query after another. */
    private static final class Tally {
        long accounts;
        Instant lastDiscovery;
        Lists lists;
        long subscribers;
        long memberships;
        List<EventsByStatus> events;

        Counts counts() {
            return new Counts(accounts, lastDiscovery, lists.count(), lists.oldestSyncAt(), subscribers, memberships,
                    events.stream().mapToLong(EventsByStatus::count).sum(), count(WebhookStatus.APPLIED),
                    count(WebhookStatus.FAILED));
        }

        private long count(WebhookStatus status) {
            return events.stream().filter(event -> event.status() == status).mapToLong(EventsByStatus::count).sum();
        }
    }

    /** A query over the accounts that are not deleted. */
    private static <T> Mutiny.SelectionQuery<T> query(Mutiny.Session session, Class<T> type, String hql) {
        return session.createSelectionQuery(hql, type).setParameter("deleted", AccountStatus.DELETED);
    }
}
