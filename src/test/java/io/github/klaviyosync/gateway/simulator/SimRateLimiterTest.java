package io.github.klaviyosync.gateway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Klaviyo's fixed windows, per operation or per tier, the other tools' share and the window counters, on a clock of our own. */
class SimRateLimiterTest {

    /** The start of a steady (minute) window, far from the epoch. */
    private static final long T0 = 29_000_000L * 60_000L;

    private final SimCounters counters = new SimCounters();
    private SimRateLimiter.Windows windows = SimRateLimiter.Windows.KLAVIYO;
    private final SimRateLimiter limiter = new SimRateLimiter(() -> windows, counters);

    private SimRateLimiter.Decision check(SimOperation operation, long at) {
        return limiter.check(operation, operation.tier(), at);
    }

    /** 750 requests over 40 seconds, 3 operations of the 75/s, 750/min tier taking turns; then the 751st. */
    private SimRateLimiter.Decision sevenHundredFiftyThenOneMore() {
        SimOperation[] turns = {SimOperation.GET_LISTS, SimOperation.GET_PROFILES, SimOperation.GET_PROFILE};
        for (int i = 0; i < 750; i++) {
            assertTrue(check(turns[i % 3], T0 + i * 53L).allowed(), "request " + i);
        }
        return check(SimOperation.GET_PROFILES_FOR_LIST, T0 + 40_000);
    }

    @Test
    void perTierTheOperationsOfOneTierShareOneBucket() {
        limiter.countPerTier(true);

        SimRateLimiter.Decision refused = sevenHundredFiftyThenOneMore();

        assertFalse(refused.allowed());
        assertEquals(20, refused.retryAfterSeconds(), "the minute window ends in 20 seconds");
        assertEquals(0, refused.steadyRemaining());
        assertTrue(check(SimOperation.GET_ACCOUNTS, T0 + 40_000).allowed(), "another tier has its own bucket");
        assertTrue(check(SimOperation.GET_LISTS, T0 + 60_000).allowed(), "the next minute starts empty");
    }

    @Test
    void perOperationEachOperationHasItsOwnWindows() {
        SimRateLimiter.Decision fourth = sevenHundredFiftyThenOneMore();

        assertTrue(fourth.allowed());
        assertEquals(749, fourth.steadyRemaining());
        assertEquals(750, fourth.steadyLimit());
        assertEquals(20, fourth.steadyResetSeconds());
    }

    @Test
    void theBurstWindowRefusesTheSeventySixthRequestOfASecond() {
        limiter.countPerTier(true);
        for (int i = 0; i < 75; i++) {
            assertTrue(check(i % 2 == 0 ? SimOperation.GET_LISTS : SimOperation.GET_PROFILES, T0 + 500 + i).allowed());
        }

        SimRateLimiter.Decision refused = check(SimOperation.GET_LIST, T0 + 900);

        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals(750 - 76, refused.steadyRemaining(), "the refused request counts too");
        assertTrue(check(SimOperation.GET_LIST, T0 + 1_000).allowed(), "the next second starts empty");
    }

    @Test
    void shortenedWindowsAreAlignedToTheClockAndResetAsKlaviyosDo() {
        windows = new SimRateLimiter.Windows(100, 2_000);
        limiter.setLimits(null, 3);

        assertTrue(check(SimOperation.GET_LISTS, T0 + 100).allowed());
        assertTrue(check(SimOperation.GET_LISTS, T0 + 300).allowed());
        assertTrue(check(SimOperation.GET_LISTS, T0 + 500).allowed());
        SimRateLimiter.Decision refused = check(SimOperation.GET_LISTS, T0 + 700);
        SimRateLimiter.Decision next = check(SimOperation.GET_LISTS, T0 + 2_000);

        assertFalse(refused.allowed());
        assertEquals(2, refused.retryAfterSeconds(), "1.3 s to the window's end, in whole seconds");
        assertTrue(next.allowed());
        assertEquals(Map.of(Instant.ofEpochMilli(T0), 4L, Instant.ofEpochMilli(T0 + 2_000), 1L), counters.requestsPerMinuteWindow());
    }

    @Test
    void otherToolsSpendTheQuotaEvenlyInTheGatewaysWindows() {
        limiter.countPerTier(true);
        limiter.setLimits(1_000, 300);
        limiter.otherTools(400, SimOperation.GET_PROFILES, T0);

        // By T0 + 30 s the other tools sent one request every 150 ms: 201 of them.
        SimRateLimiter.Decision first = check(SimOperation.GET_LISTS, T0 + 30_000);
        int allowed = first.allowed() ? 1 : 0;
        for (int i = 1; i < 100; i++) {
            allowed += check(SimOperation.GET_PROFILES_FOR_LIST, T0 + 30_000).allowed() ? 1 : 0;
        }
        limiter.catchUp(T0 + 59_999);

        assertEquals(300 - 201 - 1, first.steadyRemaining());
        assertEquals(99, allowed, "the gateway gets what the other tools left");
        assertEquals(400, counters.otherToolsRequests());
        assertEquals(199, counters.otherToolsThrottled(), "the rest of the minute, the other tools are refused");
        assertEquals(100, counters.mostRequestsInAMinuteWindow(), "only the gateway's requests are in its counters");
        limiter.catchUp(T0 + 60_000);
        assertEquals(401, counters.otherToolsRequests());
        assertEquals(199, counters.otherToolsThrottled(), "a new minute, a new quota");
        limiter.otherTools(0, SimOperation.GET_PROFILES, T0 + 61_000);
        limiter.catchUp(T0 + 120_000);
        assertEquals(407, counters.otherToolsRequests(), "stopped at T0 + 61 s");
    }

    @Test
    void theGatewaysRequestsAreCountedPerMinuteWindowAndPerTier() {
        for (int i = 0; i < 5; i++) {
            check(SimOperation.GET_PROFILES, T0 + i * 1_000L);
        }
        check(SimOperation.GET_ACCOUNTS, T0 + 10_000);
        check(SimOperation.GET_LISTS, T0 + 60_000);
        check(SimOperation.GET_LISTS, T0 + 180_500);

        assertEquals(Map.of(Instant.ofEpochMilli(T0), 6L, Instant.ofEpochMilli(T0 + 60_000), 1L,
                Instant.ofEpochMilli(T0 + 180_000), 1L), counters.requestsPerMinuteWindow());
        assertEquals(Map.of(Instant.ofEpochMilli(T0), 5L, Instant.ofEpochMilli(T0 + 60_000), 1L,
                Instant.ofEpochMilli(T0 + 180_000), 1L), counters.requestsPerMinuteWindow("get_lists"));
        assertEquals(Map.of(Instant.ofEpochMilli(T0), 1L), counters.requestsPerMinuteWindow("get_accounts"));
        assertEquals(6, counters.mostRequestsInAMinuteWindow());
        assertEquals(5, counters.mostRequestsInAMinuteWindow("get_profiles"));
    }

    @Test
    void someParametersMoveARequestToASlowerTier() {
        assertEquals(new SimRateLimiter.Tier(1, 15), SimOperation.GET_LIST.tier(name -> "additional-fields[list]".equals(name) ? "profile_count" : null));
        assertEquals(new SimRateLimiter.Tier(75, 750), SimOperation.GET_LIST.tier(name -> null));
        assertEquals(new SimRateLimiter.Tier(10, 150), SimOperation.GET_PROFILES.tier(
                name -> "additional-fields[profile]".equals(name) ? "subscriptions,predictive_analytics" : null));
        assertEquals(new SimRateLimiter.Tier(1, 15), SimOperation.GET_PROFILE.tier(name -> "include".equals(name) ? "lists" : null));
        assertEquals(new SimRateLimiter.Tier(3, 60), SimOperation.GET_LIST_IDS_FOR_PROFILE.tier(name -> null));

        limiter.countPerTier(true);
        SimRateLimiter.Tier profileCount = new SimRateLimiter.Tier(1, 15);
        assertTrue(check(SimOperation.GET_ACCOUNTS, T0).allowed());
        assertFalse(limiter.check(SimOperation.GET_LIST, profileCount, T0 + 10).allowed(), "one bucket with get_accounts: 1/s");
        assertTrue(check(SimOperation.GET_LIST, T0 + 20).allowed(), "without profile_count, the 75/s tier");
    }
}
