package io.github.klaviyosync.gateway.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Klaviyo's rate limiting for one account: a fixed burst window (1 second) and a fixed steady window
 * (1 minute), both aligned to the clock; a request over either limit is refused (and, like any
 * request, counted). Windows are kept per operation, or, with {@link #countPerTier}, per Klaviyo
 * tier: every operation with the same limits shares one bucket. Limits are the request's tier unless
 * a test set its own. The merchant's other tools can spend part of the same quota: their requests,
 * spread evenly over each steady window, are counted in the windows at their own times, lazily (each
 * check and each read of the counters first catches up with them), so no thread is needed.
 */
final class SimRateLimiter {

    /** The lengths of the fixed windows; Klaviyo's are 1 second and 1 minute, a test may shorten both. */
    record Windows(long burstMillis, long steadyMillis) {
        static final Windows KLAVIYO = new Windows(1_000, 60_000);

        Windows {
            if (burstMillis <= 0 || steadyMillis <= 0) {
                throw new IllegalArgumentException("rate-limit windows must be positive");
            }
        }

        long steadyWindowStart(long nowMillis) {
            return Math.floorDiv(nowMillis, steadyMillis) * steadyMillis;
        }
    }

    /** A Klaviyo rate-limit tier: requests per burst window and per steady window. */
    record Tier(int burst, int steady) {
        String key() {
            return burst + "/s " + steady + "/m";
        }
    }

    /** Whether a request may go; seconds until the steady window resets, and for refusals until the refusing one does. */
    record Decision(boolean allowed, int steadyLimit, int steadyRemaining, int steadyResetSeconds, int retryAfterSeconds) {
    }

    private static final class Bucket {
        long second = Long.MIN_VALUE;
        int inSecond;
        long minute = Long.MIN_VALUE;
        int inMinute;
    }

    private final Supplier<Windows> windows;
    private final SimCounters counters;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private Integer burstOverride;
    private Integer steadyOverride;
    private boolean perTier;
    private int otherToolsPerWindow;
    private SimOperation otherToolsOperation = SimOperation.GET_PROFILES;
    private long otherToolsStartMillis;
    private long otherToolsSent;

    SimRateLimiter(Supplier<Windows> windows, SimCounters counters) {
        this.windows = windows;
        this.counters = counters;
    }

    synchronized void setLimits(Integer burstPerSecond, Integer steadyPerMinute) {
        this.burstOverride = burstPerSecond;
        this.steadyOverride = steadyPerMinute;
    }

    synchronized void countPerTier(boolean perTier) {
        this.perTier = perTier;
        buckets.clear();
    }

    /** From {@code nowMillis} on, the other tools send {@code perWindow} requests of {@code operation} per steady window. */
    synchronized void otherTools(int perWindow, SimOperation operation, long nowMillis) {
        catchUp(nowMillis);
        this.otherToolsPerWindow = Math.max(0, perWindow);
        this.otherToolsOperation = operation;
        this.otherToolsStartMillis = nowMillis;
        this.otherToolsSent = 0;
    }

    /** Counts a request of the gateway and decides it. */
    synchronized Decision check(SimOperation operation, Tier tier, long nowMillis) {
        catchUp(nowMillis);
        Windows lengths = windows.get();
        counters.counted(lengths.steadyWindowStart(nowMillis), tier.key());
        return take(operation, tier, nowMillis, lengths);
    }

    /** Counts every request the other tools sent up to {@code nowMillis}, each at its own time. */
    synchronized void catchUp(long nowMillis) {
        if (otherToolsPerWindow <= 0) {
            return;
        }
        Windows lengths = windows.get();
        double interval = (double) lengths.steadyMillis() / otherToolsPerWindow;
        while (true) {
            long at = otherToolsStartMillis + (long) (otherToolsSent * interval);
            if (at > nowMillis) {
                return;
            }
            Decision decision = take(otherToolsOperation, otherToolsOperation.tier(), at, lengths);
            counters.otherToolsRequest(decision.allowed());
            otherToolsSent++;
        }
    }

    private Decision take(SimOperation operation, Tier tier, long nowMillis, Windows lengths) {
        int burst = burstOverride != null ? burstOverride : tier.burst();
        int steady = steadyOverride != null ? steadyOverride : tier.steady();
        String key = perTier ? tier.key() : operation.operationId() + " " + tier.key();
        Bucket bucket = buckets.computeIfAbsent(key, ignored -> new Bucket());
        long second = Math.floorDiv(nowMillis, lengths.burstMillis());
        long minute = Math.floorDiv(nowMillis, lengths.steadyMillis());
        // A request that lost a race to the lock by a millisecond counts in the newer window.
        if (second > bucket.second) {
            bucket.second = second;
            bucket.inSecond = 0;
        }
        if (minute > bucket.minute) {
            bucket.minute = minute;
            bucket.inMinute = 0;
        }
        bucket.inSecond++;
        bucket.inMinute++;
        int minuteReset = secondsUntil((bucket.minute + 1) * lengths.steadyMillis(), nowMillis);
        if (bucket.inMinute > steady) {
            return new Decision(false, steady, 0, minuteReset, minuteReset);
        }
        if (bucket.inSecond > burst) {
            int secondReset = secondsUntil((bucket.second + 1) * lengths.burstMillis(), nowMillis);
            return new Decision(false, steady, steady - bucket.inMinute, minuteReset, secondReset);
        }
        return new Decision(true, steady, steady - bucket.inMinute, minuteReset, 0);
    }

    /** Whole seconds until {@code endMillis}, at least 1 (as {@code Retry-After} and {@code RateLimit-Reset} are written). */
    private static int secondsUntil(long endMillis, long nowMillis) {
        return (int) Math.max(1, Math.ceil((endMillis - nowMillis) / 1_000.0));
    }
}
