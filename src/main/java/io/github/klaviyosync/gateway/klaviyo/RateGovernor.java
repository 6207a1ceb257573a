package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces this instance's calls per Klaviyo account and operation, so that they stay under the
 * operation tier's burst and steady limits instead of discovering them by 429s (see
 * {@link OperationPace}). Waiting is a timer, never a blocked thread. Accounts that make no calls
 * for {@code gateway.klaviyo.governor-idle-eviction} are forgotten, so memory follows the active
 * accounts, not all of them.
 */
@ApplicationScoped
public class RateGovernor {

    private final GatewayConfig.Klaviyo config;
    private final Timers timers;
    private final Clock clock;
    private final Map<String, Map<KlaviyoOperation, OperationPace>> accounts = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();

    @Inject
    RateGovernor(GatewayConfig config, Timers timers) {
        this(config.klaviyo(), timers, Clock.systemUTC());
    }

    RateGovernor(GatewayConfig.Klaviyo config, Timers timers, Clock clock) {
        this.config = config;
        this.timers = timers;
        this.clock = clock;
    }

    /** Completes when a call of {@code operation} for the account may go, the call counted. */
    Uni<Void> acquire(String accountKey, KlaviyoOperation operation) {
        sweepIdleAccounts();
        OperationPace pace = pace(accountKey, operation);
        return Uni.createFrom().deferred(() -> waitFor(pace));
    }

    /** How long a call of {@code operation} for the account would wait now before it may go; counts nothing. */
    public long millisUntilFree(String accountKey, KlaviyoOperation operation) {
        return pace(accountKey, operation).millisUntilFree(clock.millis());
    }

    void onRateLimitHeaders(String accountKey, KlaviyoOperation operation, int limit, int remaining, int reset) {
        pace(accountKey, operation).onRateLimitHeaders(clock.millis(), limit, remaining, reset);
    }

    /** A 429: the account's calls of this operation wait {@code pauseMillis}, and go slower after. */
    void onThrottled(String accountKey, KlaviyoOperation operation, long retryAfterMillis, long pauseMillis) {
        pace(accountKey, operation).onThrottled(clock.millis(), retryAfterMillis, pauseMillis);
    }

    /** The current limits {burst per second, steady per minute} of an account's operation. */
    public int[] currentLimits(String accountKey, KlaviyoOperation operation) {
        OperationPace pace = pace(accountKey, operation);
        return new int[] {pace.burstLimit(), pace.steadyLimit()};
    }

    /** Accounts whose pacing state is held now. */
    public int trackedAccounts() {
        return accounts.size();
    }

    private Uni<Void> waitFor(OperationPace pace) {
        long wait = pace.reserve(clock.millis());
        if (wait <= 0) {
            return Uni.createFrom().voidItem();
        }
        return timers.sleep(wait)
                .chain(() -> waitFor(pace));
    }

    private OperationPace pace(String accountKey, KlaviyoOperation operation) {
        Map<KlaviyoOperation, OperationPace> paces =
                accounts.computeIfAbsent(accountKey, key -> new EnumMap<>(KlaviyoOperation.class));
        synchronized (paces) {
            return paces.computeIfAbsent(operation, this::newPace);
        }
    }

    private OperationPace newPace(KlaviyoOperation operation) {
        return new OperationPace(
                operation.burstPerSecond(config.rateLimits()),
                operation.steadyPerMinute(config.rateLimits()),
                config.rateRecoveryInterval().toMillis(),
                clock.millis());
    }

    private void sweepIdleAccounts() {
        long now = clock.millis();
        long idle = config.governorIdleEviction().toMillis();
        long last = lastSweep.get();
        if (now - last < idle / 2 || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        accounts.entrySet().removeIf(entry -> allIdle(entry.getValue(), now, idle));
    }

    private static boolean allIdle(Map<KlaviyoOperation, OperationPace> paces, long now, long idle) {
        synchronized (paces) {
            return paces.values().stream().allMatch(pace -> pace.idleSince(now, idle));
        }
    }
}
