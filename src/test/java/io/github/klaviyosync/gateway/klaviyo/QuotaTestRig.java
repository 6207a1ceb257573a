package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaGrant;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLease;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLimits;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link QuotaCache} on a clock and timers the test moves by hand, over a ledger the test scripts:
 * no thread sleeps and no database. Windows of 60 s and 1 s, share 0.5 of Klaviyo's tiers.
 */
final class QuotaTestRig {

    /** The database's clock starts at a window's start, 10 s ahead of the local one. */
    static final long DB_START = Instant.parse("2026-11-28T03:00:00Z").toEpochMilli();
    static final long SKEW = 10_000;

    final ManualClock clock = new ManualClock(DB_START - SKEW);
    final ManualTimers timers = new ManualTimers(clock);
    final ScriptedLedger ledger = new ScriptedLedger(clock);
    final QuotaCache cache = new QuotaCache(config(), ledger, timers, clock);

    static KlaviyoCredentials account(String key, CallPriority priority) {
        return new KlaviyoCredentials(key, "label-" + key, "pk_test", priority, null);
    }

    /** Subscribes to an acquire and tells whether it was released (or failed). */
    Acquired acquire(KlaviyoCredentials credentials, KlaviyoOperation operation) {
        Acquired acquired = new Acquired(credentials.priority());
        cache.acquire(credentials, operation).subscribe().with(ignored -> acquired.released = true,
                failure -> acquired.failure = failure);
        return acquired;
    }

    /** Moves the clock and fires the timers that came due. */
    void advance(long millis) {
        clock.advance(millis);
        timers.fireDue();
    }

    static final class Acquired {
        final CallPriority priority;
        volatile boolean released;
        volatile Throwable failure;

        Acquired(CallPriority priority) {
            this.priority = priority;
        }
    }

    static final class ManualClock extends Clock {
        private long now;

        ManualClock(long start) {
            this.now = start;
        }

        synchronized void advance(long millis) {
            now += millis;
        }

        @Override
        public synchronized long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Timers that fire when the test moves the clock past them. */
    static final class ManualTimers extends Timers {
        private final ManualClock clock;
        private final List<long[]> due = new ArrayList<>();
        private final List<UniEmitter<? super Void>> emitters = new ArrayList<>();

        ManualTimers(ManualClock clock) {
            super(null);
            this.clock = clock;
        }

        @Override
        public Uni<Void> sleep(long millis) {
            return Uni.createFrom().emitter(emitter -> {
                synchronized (this) {
                    due.add(new long[] {clock.millis() + Math.max(0, millis)});
                    emitters.add(emitter);
                }
            });
        }

        synchronized List<Long> pending() {
            return due.stream().map(at -> at[0] - clock.millis()).toList();
        }

        void fireDue() {
            while (true) {
                UniEmitter<? super Void> next = null;
                synchronized (this) {
                    for (int i = 0; i < due.size(); i++) {
                        if (due.get(i)[0] <= clock.millis()) {
                            due.remove(i);
                            next = emitters.remove(i);
                            break;
                        }
                    }
                }
                if (next == null) {
                    return;
                }
                next.complete(null);
            }
        }
    }

    /**
     * A ledger answering with what the test says: by default everything asked, in the window the
     * database clock is in, with a window's use counted here; after {@link #hold()} every answer
     * waits for {@link #answer}.
     */
    static final class ScriptedLedger implements QuotaLedger {
        private final ManualClock clock;
        final List<QuotaLease> leases = new ArrayList<>();
        final List<long[]> pauses = new ArrayList<>();
        final List<Boolean> pausesThrottled = new ArrayList<>();
        Function<QuotaLease, QuotaGrant> rule = this::grantAll;
        private boolean holding;
        private final List<UniEmitter<? super QuotaGrant>> held = new ArrayList<>();
        private final List<QuotaLease> heldLeases = new ArrayList<>();
        final AtomicReference<RuntimeException> failWith = new AtomicReference<>();
        /** What the budget of the account "a" has leased in the window; other budgets count in {@link #others}. */
        int windowUsed;
        private final java.util.Map<String, Integer> others = new java.util.HashMap<>();
        long pausedUntil;

        ScriptedLedger(ManualClock clock) {
            this.clock = clock;
        }

        long dbNow() {
            return clock.millis() + SKEW;
        }

        long windowStart() {
            return windowStartAt(dbNow());
        }

        private static long windowStartAt(long dbNow) {
            return dbNow - Math.floorMod(dbNow, 60_000L);
        }

        QuotaGrant grant(QuotaLease lease, int granted) {
            return grant(lease, granted, dbNow());
        }

        /** A grant whose statement read the database's clock at {@code now}. */
        QuotaGrant grant(QuotaLease lease, int granted, long now) {
            int used;
            if (lease.budgetKey().equals("a") && lease.tier() == RateTier.L) {
                windowUsed += granted;
                used = windowUsed;
            } else {
                used = others.merge(lease.budgetKey() + " " + lease.tier(), granted, Integer::sum);
            }
            return new QuotaGrant(granted, now, windowStartAt(now), used, lease.limits().perWindow(),
                    now - Math.floorMod(now, 1_000L), granted, pausedUntil);
        }

        private QuotaGrant grantAll(QuotaLease lease) {
            return grant(lease, lease.want());
        }

        void hold() {
            holding = true;
        }

        /** Answers the oldest held lease with {@code granted} permits, as read now (the lease waited on its way there). */
        void answer(int granted) {
            answerReadAt(granted, dbNow());
        }

        /** Answers the oldest held lease with {@code granted} permits, as read at {@code dbNow} (the answer waited on its way back). */
        void answerReadAt(int granted, long dbNow) {
            UniEmitter<? super QuotaGrant> emitter;
            QuotaLease lease;
            synchronized (this) {
                emitter = held.remove(0);
                lease = heldLeases.remove(0);
            }
            emitter.complete(grant(lease, granted, dbNow));
        }

        @Override
        public synchronized Uni<QuotaGrant> lease(QuotaLease lease) {
            leases.add(lease);
            if (failWith.get() != null) {
                return Uni.createFrom().failure(failWith.get());
            }
            if (holding) {
                return Uni.createFrom().emitter(emitter -> {
                    synchronized (this) {
                        held.add(emitter);
                        heldLeases.add(lease);
                    }
                });
            }
            return Uni.createFrom().item(rule.apply(lease));
        }

        @Override
        public synchronized Uni<Void> pause(String budgetKey, RateTier tier, QuotaLimits limits, long pauseMillis,
                boolean throttled, boolean windowSpent) {
            pauses.add(new long[] {pauseMillis});
            pausesThrottled.add(throttled);
            return Uni.createFrom().voidItem();
        }

        QuotaLease lastLease() {
            return leases.get(leases.size() - 1);
        }
    }

    static GatewayConfig.Klaviyo config() {
        GatewayConfig.RateLimits limits = new GatewayConfig.RateLimits() {
            public int xsBurstPerSecond() { return 1; }
            public int xsSteadyPerMinute() { return 15; }
            public int sBurstPerSecond() { return 3; }
            public int sSteadyPerMinute() { return 60; }
            public int lBurstPerSecond() { return 75; }
            public int lSteadyPerMinute() { return 700; }
        };
        GatewayConfig.Quota quota = new GatewayConfig.Quota() {
            public Duration steadyWindow() { return Duration.ofSeconds(60); }
            public Duration burstWindow() { return Duration.ofSeconds(1); }
            public Duration sliceTtl() { return Duration.ofSeconds(5); }
            public Duration windowGuard() { return Duration.ofMillis(250); }
            public double headroom() { return 0.05; }
            public double recovery() { return 0.1; }
            public double lookupLead() { return 0.25; }
            public double syncLead() { return 0.17; }
            public double sweepLead() { return 0.08; }
            public double bulkLead() { return 0.03; }
            public Duration idleEviction() { return Duration.ofMinutes(10); }
            public Duration rowRetention() { return Duration.ofDays(1); }
        };
        return new GatewayConfig.Klaviyo() {
            public String baseUrl() { return "https://a.klaviyo.com"; }
            public String revision() { return "2026-07-15"; }
            public Duration connectTimeout() { return Duration.ofSeconds(5); }
            public Duration readTimeout() { return Duration.ofSeconds(30); }
            public int maxAttempts() { return 6; }
            public int keyCheckMaxAttempts() { return 2; }
            public Duration backoffInitial() { return Duration.ofMillis(500); }
            public Duration backoffMax() { return Duration.ofSeconds(60); }
            public double quotaShare() { return 0.5; }
            public GatewayConfig.RateLimits rateLimits() { return limits; }
            public GatewayConfig.Quota quota() { return quota; }
        };
    }
}
