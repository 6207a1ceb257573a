package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.apply.WebhookClaimRepository.Claimed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Who applies which stored event, across instances. A pass claims a batch of due events by claiming
 * their accounts for a lease, so Klaviyo calls made while applying them hold no transaction, and
 * gives each account back once it wrote the account's events. Claimers take turns and skip accounts
 * with a live claim, so one account's events are never split between two passes and stay in arrival
 * order. Each call is its own transaction.
 */
@ApplicationScoped
public class EventClaims {

    /** Arbitrary key of the advisory lock that serialises claimers. */
    private static final long CLAIM_LOCK = 0x5747484b_434c4149L;

    private final WebhookEventRepository events;
    private final WebhookClaimRepository accountClaims;
    private final Pool pool;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration backoffInitial;
    private final Duration backoffMax;

    EventClaims(WebhookEventRepository events, WebhookClaimRepository accountClaims, Pool pool, GatewayConfig config) {
        this.events = events;
        this.accountClaims = accountClaims;
        this.pool = pool;
        this.lease = config.webhook().claimLease();
        this.maxAttempts = config.webhook().maxApplyAttempts();
        this.backoffInitial = config.webhook().applyBackoffInitial();
        this.backoffMax = config.webhook().applyBackoffMax();
    }

    /** Claims up to {@code limit} due events for {@code pass}, in id order. */
    public Uni<List<Claimed>> claim(String pass, int limit) {
        return pool.withTransaction(connection -> accountClaims.claim(connection, CLAIM_LOCK, pass, lease, limit))
                .map(claimed -> claimed.stream().sorted(Comparator.comparingLong(Claimed::id)).toList());
    }

    /**
     * Records a failed attempt and gives the event back: due again after a back-off that doubles with
     * each attempt, or {@code failed} after the last one. Returns whether the event is now failed.
     */
    public Uni<Boolean> releaseFailed(String pass, long eventId, String error) {
        return pool.withTransaction(connection -> events.releaseFailed(connection, pass, eventId, error, maxAttempts,
                backoffInitial, backoffMax));
    }

    /** The pass wrote the account's events of its batch: the account's later events are free for any pass. */
    public Uni<Boolean> release(String pass, UUID accountId) {
        return pool.withConnection(connection -> accountClaims.release(connection, pass, accountId));
    }

    /**
     * Gives back, untouched, the accounts of passes that ended abruptly (a database outage) or that a
     * handover stopped; returns how many.
     */
    public Uni<Integer> releasePasses(List<String> passes) {
        return pool.withConnection(connection -> accountClaims.releasePasses(connection, passes));
    }
}
