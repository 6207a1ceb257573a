package io.github.klaviyosync.gateway.klaviyo;

/**
 * The pace of one operation for one Klaviyo account: sliding burst (1 s) and steady (60 s) counts
 * under limits that start at the tier's and adapt to what Klaviyo says. A {@code RateLimit-Limit}
 * header lowers the steady limit (and the burst limit in proportion); a 429 lowers the limit of
 * the window it most likely hit to just under what was sent in it (multiplicative decrease,
 * bounded by half), and each quiet recovery interval raises both by one (additive increase), but
 * not back to a limit that drew a 429 within the last ten intervals, so probing costs few 429s.
 * Thread-safe; a few hundred bytes.
 */
final class OperationPace {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;
    /** Recovery intervals during which a limit that drew a 429 is not tried again. */
    private static final int FAILED_LIMIT_MEMORY = 10;

    private final int tierBurst;
    private final int tierSteady;
    private final long recoveryMillis;
    private final SlidingWindowCounter burstCounts = new SlidingWindowCounter(SECOND, 10);
    private final SlidingWindowCounter steadyCounts = new SlidingWindowCounter(MINUTE, 20);

    private int burstLimit;
    private int steadyLimit;
    /** The steady limit Klaviyo announced last; additive increase never goes above it. */
    private int announcedSteady;
    /** The limits that last drew a 429, and until when additive increase stays below them. */
    private int failedBurst = Integer.MAX_VALUE;
    private int failedSteady = Integer.MAX_VALUE;
    private long failedUntil;
    private long blockedUntil;
    private long lastChange;
    private long lastUsed;

    OperationPace(int tierBurst, int tierSteady, long recoveryMillis, long nowMillis) {
        this.tierBurst = Math.max(1, tierBurst);
        this.tierSteady = Math.max(1, tierSteady);
        this.recoveryMillis = recoveryMillis;
        this.burstLimit = this.tierBurst;
        this.steadyLimit = this.tierSteady;
        this.announcedSteady = this.tierSteady;
        this.lastChange = nowMillis;
        this.lastUsed = nowMillis;
    }

    /** The milliseconds a request would wait now before it may go (0: at once); counts nothing. */
    synchronized long millisUntilFree(long now) {
        recover(now);
        if (now < blockedUntil) {
            return blockedUntil - now;
        }
        return Math.max(0, Math.max(burstCounts.millisUntilBelow(now, burstLimit),
                steadyCounts.millisUntilBelow(now, steadyLimit)));
    }

    /** Counts a request and returns 0 when it may go now, else the milliseconds to wait first. */
    synchronized long reserve(long now) {
        lastUsed = now;
        long wait = millisUntilFree(now);
        if (wait == 0) {
            burstCounts.add(now);
            steadyCounts.add(now);
        }
        return wait;
    }

    /** Klaviyo's view of the steady window, from the {@code RateLimit-*} headers of an answer. */
    synchronized void onRateLimitHeaders(long now, int limit, int remaining, int resetSeconds) {
        if (limit > 0) {
            announcedSteady = Math.min(tierSteady, limit);
            if (steadyLimit > announcedSteady) {
                steadyLimit = announcedSteady;
                int proportionalBurst = (int) Math.ceil((double) tierBurst * announcedSteady / tierSteady);
                burstLimit = Math.max(1, Math.min(burstLimit, proportionalBurst));
                lastChange = now;
            }
        }
        if (remaining == 0 && resetSeconds > 0) {
            blockedUntil = Math.max(blockedUntil, now + resetSeconds * SECOND);
        }
    }

    /**
     * A 429: holds every call of this operation until {@code pauseMillis} from now and lowers the
     * limit of the window that was hit. With {@code Retry-After}, more than a second means the steady
     * window; without it, a lone request in the last second means the steady window too.
     */
    synchronized void onThrottled(long now, long retryAfterMillis, long pauseMillis) {
        int sentLastSecond = burstCounts.count(now);
        boolean steadyHit = retryAfterMillis >= 0 ? retryAfterMillis > SECOND : sentLastSecond <= 1;
        if (steadyHit) {
            failedSteady = steadyLimit;
            steadyLimit = decrease(steadyLimit, steadyCounts.count(now));
        } else {
            failedBurst = burstLimit;
            burstLimit = decrease(burstLimit, sentLastSecond);
        }
        failedUntil = now + FAILED_LIMIT_MEMORY * recoveryMillis;
        blockedUntil = Math.max(blockedUntil, now + pauseMillis);
        lastChange = now;
    }

    /** True when nothing is pending and the state could be rebuilt from the tier's limits. */
    synchronized boolean idleSince(long now, long idleMillis) {
        return now - lastUsed >= idleMillis && now >= blockedUntil;
    }

    synchronized int burstLimit() {
        return burstLimit;
    }

    synchronized int steadyLimit() {
        return steadyLimit;
    }

    private void recover(long now) {
        if (now - lastChange < recoveryMillis) {
            return;
        }
        boolean remembersFailure = now < failedUntil;
        int burstCap = remembersFailure ? Math.min(tierBurst, failedBurst - 1) : tierBurst;
        int steadyCap = remembersFailure ? Math.min(announcedSteady, failedSteady - 1) : announcedSteady;
        if (burstLimit < burstCap || steadyLimit < steadyCap) {
            burstLimit = Math.max(burstLimit, Math.min(burstCap, burstLimit + 1));
            steadyLimit = Math.max(steadyLimit, Math.min(steadyCap, steadyLimit + 1));
            lastChange = now;
        }
    }

    /** Just under what was sent when the limit was hit, but never below half the current limit. */
    private static int decrease(int limit, int sent) {
        return Math.max(1, Math.min(limit - 1, Math.max(limit / 2, sent - 1)));
    }
}
