package io.github.klaviyosync.gateway.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/** Waits for what the gateway does in the background (scheduler ticks, appliers). */
public final class Eventually {

    private Eventually() {
    }

    /** Polls until {@code condition} holds, failing with {@code what} when it still does not after {@code within}. */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause(Duration.ofMillis(50));
        }
        Assertions.assertTrue(condition.getAsBoolean(), "not within " + within + ": " + what);
    }

    /**
     * With less than {@code margin} left of the clock's minute (the quota's window), sleeps into the
     * next, so that what a test writes and reads of a window stays in one.
     */
    public static void awayFromTheMinutesEnd(Duration margin) {
        long left = 60_000 - System.currentTimeMillis() % 60_000;
        if (left < margin.toMillis()) {
            pause(Duration.ofMillis(left + 50));
        }
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
