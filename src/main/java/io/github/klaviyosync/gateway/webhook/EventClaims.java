package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.SqlParameters;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Who applies which stored event, across instances. A pass claims a batch of due events for a
 * lease ({@code claimed_by}/{@code claimed_until}), so Klaviyo calls made while applying them hold
 * no transaction. Claims are taken one claimer at a time (a transaction-scoped advisory lock) and
 * skip accounts with a live claim, so one account's events are never split between two passes and
 * stay in arrival order; {@code FOR UPDATE SKIP LOCKED} steps over rows another transaction is writing.
 * The accounts with a live claim are found once per claim, through a small partial index (a check
 * per candidate row grew with the square of an account's backlog: seconds per claim under load).
 */
@ApplicationScoped
public class EventClaims {

    /** Arbitrary key of the advisory lock that serialises claimers. */
    private static final long CLAIM_LOCK = 0x5747484b_434c4149L;

    private static final String LOCK = "select 1 from pg_advisory_xact_lock(?1)";

    private static final String CLAIM = """
            update webhook_event e set claimed_by = ?1, claimed_until = now() + make_interval(secs => ?2)
            where e.id in (
                select c.id from webhook_event c
                where c.status = 'received' and c.next_attempt_at <= now()
                  and (c.claimed_until is null or c.claimed_until < now())
                  and c.account_id not in (select o.account_id from webhook_event o
                                           where o.status = 'received' and o.claimed_until >= now())
                order by c.id
                limit ?3
                for update skip locked)
            returning e.id, e.account_id, e.kind""";

    private static final String RELEASE_FAILED = """
            update webhook_event set attempts = attempts + 1, error = ?1, claimed_by = null, claimed_until = null,
                status = case when attempts + 1 >= ?2 then 'failed' else 'received' end,
                next_attempt_at = now() + make_interval(secs => least(?3, ?4 * power(2, attempts)))
            where id = ?5 and claimed_by = ?6 and status = 'received'
            returning status""";

    private static final String RELEASE_PASSES = """
            update webhook_event set claimed_by = null, claimed_until = null
            where claimed_by = any(?1) and status = 'received'""";

    private static final String RESET = """
            update webhook_event set status = 'received', attempts = 0, next_attempt_at = now(), error = null,
                claimed_by = null, claimed_until = null
            where id = ?1 and account_id = ?2""";

    private final Duration lease;
    private final int maxAttempts;
    private final Duration backoffInitial;
    private final Duration backoffMax;

    EventClaims(GatewayConfig config) {
        this.lease = config.webhook().claimLease();
        this.maxAttempts = config.webhook().maxApplyAttempts();
        this.backoffInitial = config.webhook().applyBackoffInitial();
        this.backoffMax = config.webhook().applyBackoffMax();
    }

    /** Claims up to {@code limit} due events for {@code pass}, oldest first. */
    @WithTransaction
    public Uni<List<ClaimedEvent>> claim(String pass, int limit) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(LOCK, Integer.class)
                        .setParameter(1, CLAIM_LOCK)
                        .getSingleResult()
                        .chain(locked -> session.createNativeQuery(CLAIM, Object[].class)
                                .setParameter(1, pass)
                                .setParameter(2, SqlParameters.seconds(lease))
                                .setParameter(3, limit)
                                .getResultList()))
                .map(rows -> rows.stream()
                        .map(row -> new ClaimedEvent(Rows.longValue(row[0]), Rows.uuid(row[1]), WebhookKind.fromWire((String) row[2])))
                        .sorted(Comparator.comparingLong(ClaimedEvent::id))
                        .toList());
    }

    /**
     * Records a failed attempt and gives the event back: due again after a back-off that doubles with
     * each attempt, or {@code failed} after the last one. Returns whether the event is now failed.
     */
    @WithTransaction
    public Uni<Boolean> releaseFailed(String pass, long eventId, String error) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELEASE_FAILED, String.class)
                        .setParameter(1, error)
                        .setParameter(2, maxAttempts)
                        .setParameter(3, SqlParameters.seconds(backoffMax))
                        .setParameter(4, SqlParameters.seconds(backoffInitial))
                        .setParameter(5, eventId)
                        .setParameter(6, pass)
                        .getSingleResultOrNull())
                .map(WebhookStatus.FAILED.wire()::equals);
    }

    /** Gives back, untouched, what passes that ended abruptly (a database outage) still hold. */
    @WithTransaction
    public Uni<Integer> releasePasses(List<String> passes) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELEASE_PASSES)
                        .setParameter(1, passes.toArray(String[]::new))
                        .executeUpdate());
    }

    /** Replay: the event is due now, as if just received; false when the account has no such event. */
    @WithTransaction
    public Uni<Boolean> reset(UUID accountId, long eventId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RESET)
                        .setParameter(1, eventId)
                        .setParameter(2, accountId)
                        .executeUpdate())
                .map(updated -> updated > 0);
    }

}
