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

/** The gateway at a glance, over accounts that are not deleted; five queries, one after another in one session. */
@ApplicationScoped
@WithSession
public class StatusCounts {

    private static final String OF_VISIBLE_ACCOUNTS = " in (select a.id from Account a where a.status <> :deleted)";
    private static final String ACCOUNTS = "select count(a), max(a.lastDiscoveryAt) from Account a where a.status <> :deleted";
    private static final String LISTS = "select count(l), min(l.lastSyncedAt) from KlaviyoList l where l.status = :active"
            + " and l.accountId" + OF_VISIBLE_ACCOUNTS;
    private static final String SUBSCRIBERS = "select count(s) from Subscriber s where s.accountId" + OF_VISIBLE_ACCOUNTS;
    private static final String MEMBERSHIPS = "select count(m) from ListMembership m where m.removedAt is null and m.accountId"
            + OF_VISIBLE_ACCOUNTS;
    private static final String WEBHOOKS = "select w.status, count(w) from WebhookEvent w where w.accountId"
            + OF_VISIBLE_ACCOUNTS + " group by w.status";

    /** What {@code GET /api/status} shows. */
    public static final class Counts {
        public long accounts;
        public long lists;
        public long subscribers;
        public long memberships;
        public long webhooksReceived;
        public long webhooksApplied;
        public long webhooksFailed;
        public Instant lastDiscoveryAt;
        public Instant oldestListSyncAt;
    }

    public Uni<Counts> counts() {
        Counts counts = new Counts();
        return Panache.getSession()
                .call(session -> query(session, Object[].class, ACCOUNTS)
                        .getSingleResult()
                        .invoke(row -> {
                            counts.accounts = (Long) row[0];
                            counts.lastDiscoveryAt = (Instant) row[1];
                        }))
                .call(session -> query(session, Object[].class, LISTS)
                        .setParameter("active", ListStatus.ACTIVE)
                        .getSingleResult()
                        .invoke(row -> {
                            counts.lists = (Long) row[0];
                            counts.oldestListSyncAt = (Instant) row[1];
                        }))
                .call(session -> query(session, Long.class, SUBSCRIBERS)
                        .getSingleResult()
                        .invoke(found -> counts.subscribers = found))
                .call(session -> query(session, Long.class, MEMBERSHIPS)
                        .getSingleResult()
                        .invoke(found -> counts.memberships = found))
                .call(session -> query(session, Object[].class, WEBHOOKS)
                        .getResultList()
                        .invoke(rows -> addWebhooks(counts, rows)))
                .map(session -> counts);
    }

    private static void addWebhooks(Counts counts, List<Object[]> rows) {
        for (Object[] row : rows) {
            long found = (Long) row[1];
            counts.webhooksReceived += found;
            if (row[0] == WebhookStatus.APPLIED) {
                counts.webhooksApplied = found;
            } else if (row[0] == WebhookStatus.FAILED) {
                counts.webhooksFailed = found;
            }
        }
    }

    /** A query over the accounts that are not deleted. */
    private static <T> Mutiny.SelectionQuery<T> query(Mutiny.Session session, Class<T> type, String hql) {
        return session.createSelectionQuery(hql, type).setParameter("deleted", AccountStatus.DELETED);
    }
}
