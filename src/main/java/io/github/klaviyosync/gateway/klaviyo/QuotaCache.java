package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLease;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * This instance's local cache of the shared Klaviyo budget ({@link QuotaLedger}): every call waits
 * here for a permit of its account's tier. Permits come in slices leased from the ledger, one round
 * trip for what the waiting calls and the recent pace need for {@code slice-ttl}, so most calls wait
 * for no database at all. Waiting is a timer or a pending lease, never a blocked thread. Slices are
 * kept per holder (this instance, or a sync's lease owner), account and tier; a slice unused for
 * {@code idle-eviction} is forgotten, so memory follows the active accounts.
 */
@ApplicationScoped
public class QuotaCache {

    private static final Logger LOG = Logger.getLogger(QuotaCache.class);

    private final QuotaLedger ledger;
    private final Timers timers;
    private final Clock clock;
    private final QuotaSettings settings;
    private final Map<SliceKey, QuotaSlice> slices = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();
    private final AtomicLong leases = new AtomicLong();
    private volatile String instanceHolder = "instance";

    @Inject
    QuotaCache(GatewayConfig config, QuotaLedger ledger, Timers timers) {
        this(config.klaviyo(), ledger, timers, Clock.systemUTC());
    }

    QuotaCache(GatewayConfig.Klaviyo config, QuotaLedger ledger, Timers timers, Clock clock) {
        this.ledger = ledger;
        this.timers = timers;
        this.clock = clock;
        this.settings = QuotaSettings.of(config);
    }

    private record SliceKey(String holder, String budgetKey, RateTier tier) {
    }

    /** Names this instance's own slices as its lease owner does, so a sync and a webhook look-up share one. */
    public void nameInstance(String holder) {
        this.instanceHolder = holder;
    }

    /** Completes when a call of {@code operation} for the account may go, its permit spent. */
    Uni<Void> acquire(KlaviyoCredentials credentials, KlaviyoOperation operation) {
        sweepIdle();
        QuotaSlice slice = slice(credentials.holder(), credentials.accountKey(), operation.tier());
        CallPriority priority = credentials.priority();
        return Uni.createFrom().emitter(emitter -> {
            QuotaWaiter waiter = new QuotaWaiter(priority, emitter, Vertx.currentContext());
            emitter.onTermination(() -> slice.cancel(waiter));
            carryOut(slice, slice.acquire(waiter, clock.millis()));
        });
    }

    /** Klaviyo's {@code RateLimit-*} headers of an answer (-1 where absent). */
    void observe(KlaviyoCredentials credentials, KlaviyoOperation operation, int limit, int remaining, int resetSeconds) {
        if (limit < 0 && remaining < 0) {
            return;
        }
        QuotaSlice slice = slice(credentials.holder(), credentials.accountKey(), operation.tier());
        carryOut(slice, slice.observe(limit, remaining, resetSeconds, clock.millis()));
    }

    /** A 429: the account's tier pauses for {@code pauseMillis} on every instance; {@code windowSpent} ends its window's budget too. */
    void throttled(KlaviyoCredentials credentials, KlaviyoOperation operation, long pauseMillis, boolean windowSpent) {
        QuotaSlice slice = slice(credentials.holder(), credentials.accountKey(), operation.tier());
        carryOut(slice, slice.throttled(pauseMillis, windowSpent, clock.millis()));
    }

    /** How long a call of {@code operation} for the account would wait now on this instance; counts nothing. */
    public long millisUntilFree(String accountKey, KlaviyoOperation operation) {
        QuotaSlice slice = slices.get(new SliceKey(instanceHolder, accountKey, operation.tier()));
        return slice == null ? 0 : slice.millisUntilFree(clock.millis());
    }

    /** Slices held now (holder, account and tier). */
    public int trackedSlices() {
        return slices.size();
    }

    /** Leases sent to the shared budget since start: with the calls made, the cost of a permit in round trips. */
    public long leasesSent() {
        return leases.get();
    }

    /** Leases sent for one account by the slices this instance holds for it now (every holder and tier). */
    public long leasesSent(String accountKey) {
        return slices.values().stream()
                .filter(slice -> slice.budgetKey().equals(accountKey))
                .mapToLong(QuotaSlice::leasesSent)
                .sum();
    }

    /**
     * The instance stops: every slice gives its permits in hand back to the shared budget (four
     * leases at a time), so that the other instances may spend them in this window instead of the
     * window losing them. Returns how many permits went back.
     */
    public Uni<Integer> giveBack() {
        long now = clock.millis();
        List<QuotaLease> returns = slices.values().stream()
                .map(slice -> slice.giveBack(now))
                .filter(Objects::nonNull)
                .toList();
        return Multi.createFrom().iterable(returns)
                .onItem().transformToUni(lease -> ledger.lease(lease).replaceWith(lease.returned()))
                .merge(4)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    private QuotaSlice slice(String holder, String accountKey, RateTier tier) {
        SliceKey key = new SliceKey(holder == null ? instanceHolder : holder, accountKey, tier);
        return slices.computeIfAbsent(key, ignored -> new QuotaSlice(accountKey, tier, settings, clock.millis()));
    }

    private void carryOut(QuotaSlice slice, QuotaSlice.Effects effects) {
        effects.released.forEach(QuotaWaiter::release);
        effects.failed.forEach(waiter -> waiter.fail(new KlaviyoUnavailableException(
                "the account's Klaviyo budget could not be read from the database", 0, List.of(), effects.failure)));
        if (effects.lease != null) {
            send(slice, effects.lease);
        }
        if (effects.wakeAfter >= 0) {
            timers.sleep(effects.wakeAfter)
                    .subscribe().with(ignored -> carryOut(slice, slice.wake(clock.millis())));
        }
        if (effects.pauseMillis >= 0) {
            report(slice, effects);
        }
    }

    private void send(QuotaSlice slice, QuotaLease lease) {
        long sentAt = clock.millis();
        leases.incrementAndGet();
        slice.leaseSent();
        Uni.createFrom().deferred(() -> ledger.lease(lease))
                .subscribe().with(
                        grant -> carryOut(slice, slice.granted(lease, grant, sentAt, clock.millis())),
                        failure -> carryOut(slice, slice.leaseFailed(failure)));
    }

    private void report(QuotaSlice slice, QuotaSlice.Effects effects) {
        QuotaLedger.QuotaLimits limits = slice.limits(CallPriority.LOOKUP);
        Uni.createFrom().deferred(() -> ledger.pause(slice.budgetKey(), slice.tier(), limits, effects.pauseMillis,
                        effects.throttled, effects.windowSpent))
                .subscribe().with(
                        ignored -> { },
                        failure -> LOG.warnf("a Klaviyo pause of account %s could not be shared with the other instances: %s",
                                slice.budgetKey(), failure.getClass().getSimpleName()));
    }

    private void sweepIdle() {
        long now = clock.millis();
        long idle = settings.idleMillis();
        long last = lastSweep.get();
        if (now - last < idle / 2 || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        slices.values().removeIf(slice -> slice.idleSince(now, idle));
    }
}
