package io.github.klaviyosync.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * Everything the gateway itself reads from configuration (prefix {@code gateway}); each value is
 * also an environment variable ({@code gateway.sync.member-interval} is
 * {@code GATEWAY_SYNC_MEMBER_INTERVAL}). The prod profile reads the required ones from their
 * environment variables, so a missing one stops the start-up with its name.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    Klaviyo klaviyo();

    Sync sync();

    Api api();

    Crypto crypto();

    Webhook webhook();

    Dev dev();

    /** How the gateway talks to Klaviyo. */
    interface Klaviyo {
        /** Klaviyo API base URL, without a trailing {@code /api}. */
        @WithDefault("https://a.klaviyo.com")
        String baseUrl();

        /** The {@code revision} header sent on every call. */
        @WithDefault("2026-07-15")
        String revision();

        /** Longest wait for a TCP connection to Klaviyo. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest wait for Klaviyo's answer once connected. */
        @WithDefault("30s")
        Duration readTimeout();

        /** Attempts per call, the first included, before a transient failure is given up. */
        @WithDefault("6")
        int maxAttempts();

        /** First back-off after a 429 without {@code Retry-After} or a transient error. */
        @WithDefault("500ms")
        Duration backoffInitial();

        /** Upper bound of one back-off. */
        @WithDefault("60s")
        Duration backoffMax();
    }

    /** When lists and their members are synced. */
    interface Sync {
        /** How often each known list's new members are fetched. */
        @WithDefault("15m")
        Duration memberInterval();

        /** When new lists are discovered (Quartz cron, UTC). */
        @WithDefault("0 0 3 * * ?")
        String discoveryCron();

        /** Least time between two manual syncs of one list. */
        @WithDefault("60s")
        Duration manualCooldown();

        /** How often an instance looks for due lists. */
        @WithDefault("5s")
        Duration tick();

        /**
         * How long a claimed list stays with its instance without renewal (renewed every tick while
         * the sync runs); after a crash, its list is taken over this long after the last renewal.
         */
        @WithDefault("30s")
        Duration leaseDuration();

        /** How long a claimed discovery stays with its instance (discoveries are short; not renewed). */
        @WithDefault("10m")
        Duration discoveryLeaseDuration();

        /** How long after a failed sync its list is tried again (it resumes where it stopped). */
        @WithDefault("30s")
        Duration failureRetry();

        /** How long after a failed discovery it is tried again. */
        @WithDefault("5m")
        Duration discoveryRetry();

        /** How long sync runs are kept. */
        @WithDefault("7d")
        Duration runRetention();

        /** Lists synced at once by one instance. */
        @WithDefault("16")
        int maxConcurrentLists();

        /** Lists of one Klaviyo account synced at once by one instance. */
        @WithDefault("2")
        int maxConcurrentListsPerAccount();

        /** Region assumed for phone numbers written without a country code (ISO 3166 alpha-2). */
        @WithDefault("US")
        String defaultPhoneRegion();
    }

    /** The status and admin API. */
    interface Api {
        /** Bearer tokens accepted on {@code /api/*}; required in prod ({@code GATEWAY_API_TOKENS}). */
        List<String> tokens();
    }

    /** Encryption of the secrets the gateway stores. */
    interface Crypto {
        /**
         * Base64 of 32 random bytes: the AES-256-GCM key for stored Klaviyo API keys and webhook
         * secrets; required in prod ({@code GATEWAY_CRYPTO_KEY}).
         */
        String key();
    }

    /** Webhook intake. */
    interface Webhook {
        /** Largest distance between a system webhook's {@code Klaviyo-Timestamp} and now. */
        @WithDefault("5m")
        Duration tolerance();

        /** Largest accepted webhook body. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** Attempts to apply one stored event before it is marked failed. */
        @WithDefault("5")
        int maxApplyAttempts();
    }

    /** Switches that only the dev profile turns on. */
    interface Dev {
        /** Start a real PostgreSQL from a Maven artifact when no datasource URL is configured. */
        @WithDefault("false")
        boolean embeddedPostgres();

        /** Run the Klaviyo simulator with a seeded demo account that keeps changing. */
        @WithDefault("false")
        boolean demo();
    }
}
