package io.github.klaviyosync.gateway.simulator;

import java.util.EnumMap;
import java.util.Map;

/**
 * Klaviyo's rate limiting for one account: per operation, a fixed 1-second (burst) and a fixed
 * 1-minute (steady) window aligned to the clock; a request over either is refused (and, like any
 * request, counted). Limits are the operation's tier unless a test set its own.
 */
final class SimRateLimiter {

    /** Whether a request may go; for refusals, seconds until the window that refused it resets. */
    record Decision(boolean allowed, int steadyLimit, int steadyRemaining, int steadyResetSeconds, int retryAfterSeconds) {
    }

    private static final class Windows {
        long second = Long.MIN_VALUE;
        int inSecond;
        long minute = Long.MIN_VALUE;
        int inMinute;
    }

    private final Map<SimOperation, Windows> windows = new EnumMap<>(SimOperation.class);
    private Integer burstOverride;
    private Integer steadyOverride;

    synchronized void setLimits(Integer burstPerSecond, Integer steadyPerMinute) {
        this.burstOverride = burstPerSecond;
        this.steadyOverride = steadyPerMinute;
    }

    synchronized Decision check(SimOperation operation, long nowMillis) {
        int burst = burstOverride != null ? burstOverride : operation.burstPerSecond();
        int steady = steadyOverride != null ? steadyOverride : operation.steadyPerMinute();
        Windows w = windows.computeIfAbsent(operation, ignored -> new Windows());
        long second = nowMillis / 1_000;
        long minute = nowMillis / 60_000;
        if (w.second != second) {
            w.second = second;
            w.inSecond = 0;
        }
        if (w.minute != minute) {
            w.minute = minute;
            w.inMinute = 0;
        }
        w.inSecond++;
        w.inMinute++;
        int minuteReset = (int) Math.max(1, Math.ceil(((minute + 1) * 60_000 - nowMillis) / 1_000.0));
        if (w.inMinute > steady) {
            return new Decision(false, steady, 0, minuteReset, minuteReset);
        }
        if (w.inSecond > burst) {
            return new Decision(false, steady, steady - w.inMinute, minuteReset, 1);
        }
        return new Decision(true, steady, steady - w.inMinute, minuteReset, 0);
    }
}
