package io.github.klaviyosync.gateway.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The governor holds state only for accounts that made calls lately. */
class RateGovernorMemoryTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T03:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static GatewayConfig.Klaviyo config() {
        GatewayConfig.RateLimits limits = new GatewayConfig.RateLimits() {
            public int xsBurstPerSecond() { return 1; }
            public int xsSteadyPerMinute() { return 15; }
            public int sBurstPerSecond() { return 3; }
            public int sSteadyPerMinute() { return 60; }
            public int lBurstPerSecond() { return 75; }
            public int lSteadyPerMinute() { return 750; }
        };
        return new GatewayConfig.Klaviyo() {
            public String baseUrl() { return "https://a.klaviyo.com"; }
            public String revision() { return "2026-07-15"; }
            public Duration connectTimeout() { return Duration.ofSeconds(5); }
            public Duration readTimeout() { return Duration.ofSeconds(30); }
            public int maxAttempts() { return 6; }
            public Duration backoffInitial() { return Duration.ofMillis(500); }
            public Duration backoffMax() { return Duration.ofSeconds(60); }
            public GatewayConfig.RateLimits rateLimits() { return limits; }
            public Duration rateRecoveryInterval() { return Duration.ofSeconds(60); }
            public Duration governorIdleEviction() { return Duration.ofMinutes(10); }
        };
    }

    @Test
    void accountsIdleLongerThanTheEvictionTimeAreForgotten() {
        ManualClock clock = new ManualClock();
        RateGovernor governor = new RateGovernor(config(), null, clock);
        for (int i = 0; i < 1_000; i++) {
            governor.acquire("account-" + i, KlaviyoOperation.GET_PROFILES_FOR_LIST).await().indefinitely();
        }
        assertEquals(1_000, governor.trackedAccounts());

        clock.advance(Duration.ofMinutes(6));
        governor.acquire("busy", KlaviyoOperation.GET_LISTS).await().indefinitely();
        assertEquals(1_001, governor.trackedAccounts());

        clock.advance(Duration.ofMinutes(5));
        governor.acquire("busy", KlaviyoOperation.GET_LISTS).await().indefinitely();
        assertEquals(1, governor.trackedAccounts());
    }

    @Test
    void eachOperationOfAnAccountStartsAtItsTiersLimits() {
        RateGovernor governor = new RateGovernor(config(), null, new ManualClock());

        assertEquals(1, governor.currentLimits("a", KlaviyoOperation.GET_ACCOUNTS)[0]);
        assertEquals(15, governor.currentLimits("a", KlaviyoOperation.GET_ACCOUNTS)[1]);
        assertEquals(3, governor.currentLimits("a", KlaviyoOperation.GET_LIST_IDS_FOR_PROFILE)[0]);
        assertEquals(750, governor.currentLimits("a", KlaviyoOperation.GET_PROFILES_FOR_LIST)[1]);
    }
}
