package io.github.klaviyosync.gateway.klaviyo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pacing arithmetic on a simulated clock: limits held in every fixed window, and adaptation. */
class OperationPaceTest {

    private static final long RECOVERY = 60_000;

    /** Sends as fast as the pace allows from {@code start} for {@code millis}; returns send times. */
    private static long[] sendGreedily(OperationPace pace, long start, long millis) {
        long now = start;
        long[] sent = new long[100_000];
        int count = 0;
        Random random = new Random(7);
        while (now < start + millis) {
            long wait = pace.reserve(now);
            if (wait == 0) {
                sent[count++] = now;
                now += random.nextInt(3);
            } else {
                now += wait;
            }
        }
        return java.util.Arrays.copyOf(sent, count);
    }

    private static int busiestFixedWindow(long[] times, long windowMillis, long offset) {
        Map<Long, Integer> counts = new HashMap<>();
        for (long time : times) {
            counts.merge(Math.floorDiv(time + offset, windowMillis), 1, Integer::sum);
        }
        return counts.values().stream().max(Integer::compare).orElse(0);
    }

    @Test
    void noFixedWindowWhereverItStartsSeesMoreThanTheLimits() {
        OperationPace pace = new OperationPace(5, 60, RECOVERY, 0);

        long[] sent = sendGreedily(pace, 0, 5 * 60_000);

        for (long offset = 0; offset < 1_000; offset += 37) {
            assertThat(busiestFixedWindow(sent, 1_000, offset), lessThanOrEqualTo(5));
        }
        for (long offset = 0; offset < 60_000; offset += 1_300) {
            assertThat(busiestFixedWindow(sent, 60_000, offset), lessThanOrEqualTo(60));
        }
        // ...and it uses most of what it is allowed: at least 55 a minute.
        assertThat(sent.length, greaterThan(5 * 55));
    }

    @Test
    void aRateLimitHeaderLowersTheSteadyLimitAndTheBurstInProportion() {
        OperationPace pace = new OperationPace(75, 750, RECOVERY, 0);

        pace.onRateLimitHeaders(10, 60, 59, 50);

        assertEquals(60, pace.steadyLimit());
        assertEquals(6, pace.burstLimit());
    }

    @Test
    void noRemainingRequestsHoldsCallsUntilTheWindowResets() {
        OperationPace pace = new OperationPace(75, 750, RECOVERY, 0);

        pace.onRateLimitHeaders(1_000, 750, 0, 12);

        assertEquals(12_000, pace.reserve(1_000));
        assertEquals(0, pace.reserve(13_000));
    }

    @Test
    void a429InTheBurstWindowLowersTheBurstToJustUnderWhatWasSent() {
        OperationPace pace = new OperationPace(10, 750, RECOVERY, 0);
        for (int i = 0; i < 8; i++) {
            assertEquals(0, pace.reserve(100 + i));
        }

        pace.onThrottled(200, 1_000, 1_000);

        assertEquals(7, pace.burstLimit());
        assertEquals(750, pace.steadyLimit());
        assertEquals(1_000, pace.reserve(200));
    }

    @Test
    void a429WithALongRetryAfterLowersTheSteadyLimit() {
        OperationPace pace = new OperationPace(75, 750, RECOVERY, 0);
        for (int i = 0; i < 40; i++) {
            pace.reserve(i * 100L);
        }

        pace.onThrottled(4_000, 30_000, 30_000);

        assertEquals(375, pace.steadyLimit());
        assertEquals(75, pace.burstLimit());
        assertEquals(30_000, pace.reserve(4_000));
    }

    @Test
    void aLone429WithoutRetryAfterIsTakenForTheSteadyWindow() {
        OperationPace pace = new OperationPace(75, 100, RECOVERY, 0);
        for (int i = 0; i < 90; i++) {
            pace.reserve(i * 500L);
        }

        pace.onThrottled(46_000, -1, 700);

        assertEquals(89, pace.steadyLimit());
        assertEquals(75, pace.burstLimit());
    }

    @Test
    void limitsRecoverOneStepPerQuietInterval() {
        OperationPace pace = new OperationPace(10, 750, RECOVERY, 0);
        for (int i = 0; i < 6; i++) {
            pace.reserve(i);
        }
        pace.onThrottled(10, 1_000, 1_000);
        assertEquals(5, pace.burstLimit());

        pace.reserve(10 + RECOVERY / 2);
        assertEquals(5, pace.burstLimit());
        pace.reserve(10 + RECOVERY);
        assertEquals(6, pace.burstLimit());
        pace.reserve(10 + 2 * RECOVERY);
        assertEquals(7, pace.burstLimit());
    }

    @Test
    void aLimitThatDrewA429IsNotTriedAgainForTenIntervals() {
        OperationPace pace = new OperationPace(6, 750, RECOVERY, 0);
        for (int i = 0; i < 6; i++) {
            pace.reserve(i);
        }
        pace.onThrottled(10, 1_000, 1_000);
        assertEquals(5, pace.burstLimit());

        for (int interval = 1; interval < 10; interval++) {
            pace.reserve(10 + interval * RECOVERY);
            assertEquals(5, pace.burstLimit());
        }
        pace.reserve(10 + 10 * RECOVERY);
        assertEquals(6, pace.burstLimit());
    }

    @Test
    void millisUntilFreeSaysWhatReserveWouldWaitAndCountsNothing() {
        OperationPace pace = new OperationPace(1, 15, RECOVERY, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, pace.millisUntilFree(0), "asking counts no request");
        }
        assertEquals(0, pace.reserve(0));

        long untilFree = pace.millisUntilFree(100);
        assertThat(untilFree, greaterThan(0L));
        assertEquals(untilFree, pace.reserve(100));
        assertEquals(0, pace.reserve(100 + untilFree));
    }
}
