package io.github.klaviyosync.gateway.quota;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.Map;

/**
 * The scale of the shared-budget scenarios: Klaviyo's windows divided by {@link #TIME} and every
 * count (limits, members, lists) by {@link #COUNT}, so that a scenario keeps its ratios (demand to
 * budget, members to pages) and runs in seconds. {@code -Dquota.scale=full} runs them as the issue
 * states them (minutes long: bench/quota-scenarios.sh); the default is time /20, counts /10.
 */
final class QuotaScale {

    static final boolean FULL = "full".equals(System.getProperty("quota.scale"));
    static final int TIME = FULL ? 1 : 20;
    static final int COUNT = FULL ? 1 : 10;

    /** Klaviyo's tier L, and the simulator's limits in the scenarios: 75 a second, 700 a minute, scaled. */
    static final int BURST_LIMIT = 75 / COUNT;
    static final int STEADY_LIMIT = 700 / COUNT;
    static final Duration STEADY_WINDOW = Duration.ofMillis(60_000 / TIME);
    static final Duration BURST_WINDOW = Duration.ofMillis(1_000 / TIME);
    /** The member interval of the scenarios: Klaviyo's minute. */
    static final Duration INTERVAL = STEADY_WINDOW;
    /** How often each engine ticks: the production default (5 s) at full scale; scaled runs tick every 100 ms. */
    static final Duration TICK = FULL ? Duration.ofSeconds(5) : Duration.ofMillis(100);

    private QuotaScale() {
    }

    /**
     * A bound on how late a sync may end, scaled: a sync's own work (a claim, a few database round
     * trips and a request) takes the same time at any scale, up to 1.6 s measured on a two-core test
     * machine shared with other builds (load average 8 to 10), so scaled runs allow it 2 s on top,
     * still less than the scaled interval (3 s): a list is never synced past its next due time.
     */
    static Duration lateness(Duration full) {
        return FULL ? full : time(full).plusSeconds(2);
    }

    static int count(int full) {
        return Math.max(1, full / COUNT);
    }

    static Duration time(Duration full) {
        return full.dividedBy(TIME);
    }

    /** The gateway configured at this scale; everything else as in production. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.klaviyo.quota.steady-window", STEADY_WINDOW.toMillis() + "ms",
                    "gateway.klaviyo.quota.burst-window", BURST_WINDOW.toMillis() + "ms",
                    "gateway.klaviyo.quota.slice-ttl", time(Duration.ofSeconds(5)).toMillis() + "ms",
                    // 250 ms at full scale; scaled, 100 ms: a loaded test machine may take that long from permit to request.
                    "gateway.klaviyo.quota.window-guard", (FULL ? 250 : 100) + "ms",
                    "gateway.klaviyo.rate-limits.l-burst-per-second", Integer.toString(BURST_LIMIT),
                    "gateway.klaviyo.rate-limits.l-steady-per-minute", Integer.toString(STEADY_LIMIT),
                    "gateway.sync.member-interval", INTERVAL.toMillis() + "ms",
                    "gateway.sync.max-concurrent-lists", "3");
        }
    }
}
