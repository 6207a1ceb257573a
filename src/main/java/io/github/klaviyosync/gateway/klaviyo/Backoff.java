package io.github.klaviyosync.gateway.klaviyo;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Klaviyo's own SDKs' back-off: {@code initial × 1.5^attempt} with ±50% jitter, capped. Used when a
 * 429 carries no {@code Retry-After} and between retries of transient failures.
 */
final class Backoff {

    private static final double FACTOR = 1.5;

    private final long initialMillis;
    private final long maxMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The wait before retry number {@code retry} (0 for the first retry). */
    long delayMillis(int retry) {
        double base = Math.min(maxMillis, initialMillis * Math.pow(FACTOR, retry));
        double jittered = base * (0.5 + ThreadLocalRandom.current().nextDouble());
        return Math.min(maxMillis, Math.round(jittered));
    }
}
