package io.github.klaviyosync.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    Changes changes();

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

        /**
         * Per-account request limits of Klaviyo's rate-limit tiers, from {@code x-klaviyo-ratelimit}
         * in Klaviyo's OpenAPI spec. The governor paces each operation under its tier's limits and
         * lowers them further when Klaviyo's {@code RateLimit-*} headers or 429s say so.
         */
        RateLimits rateLimits();

        /**
         * After a 429 lowered an operation's pace, how long without another 429 before the pace
         * is raised one step again (additive increase).
         */
        @WithDefault("60s")
        Duration rateRecoveryInterval();

        /** How long the governor keeps the pacing state of an account that makes no calls. */
        @WithDefault("10m")
        Duration governorIdleEviction();
    }

    /** Klaviyo's rate-limit tiers (requests per account and operation). */
    interface RateLimits {
        /** Tier XS: {@code GET /api/accounts}. */
        @WithDefault("1")
        int xsBurstPerSecond();

        /** Tier XS, steady window. */
        @WithDefault("15")
        int xsSteadyPerMinute();

        /** Tier S: {@code GET /api/profiles/{id}/relationships/lists}. */
        @WithDefault("3")
        int sBurstPerSecond();

        /** Tier S, steady window. */
        @WithDefault("60")
        int sSteadyPerMinute();

        /** Tier L: lists, one list, list members and member ids, one profile. */
        @WithDefault("75")
        int lBurstPerSecond();

        /** Tier L, steady window. */
        @WithDefault("750")
        int lSteadyPerMinute();
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

        /** Members per page of {@code GET .../members} when the caller gives no {@code limit}. */
        @WithDefault("100")
        int membersPageSize();

        /** Runs answered by {@code GET .../runs} when the caller gives no {@code limit}. */
        @WithDefault("50")
        int runsPageSize();

        /** Intervals answered by {@code GET .../members-added} when the caller gives no {@code intervals}. */
        @WithDefault("24")
        int membersAddedIntervals();

        /** Largest {@code limit} any list call accepts. */
        @WithDefault("500")
        int maxPageSize();

        /** {@code Retry-After} of the 503 answered while the database is unreachable. */
        @WithDefault("5s")
        Duration unavailableRetryAfter();

        /**
         * Longest wait for Klaviyo's pace that checking a new API key may take (Klaviyo allows 15
         * key checks a minute per account); beyond it the request is answered 429 with Retry-After.
         */
        @WithDefault("10s")
        Duration keyCheckMaxWait();

        /** How often the per-list and per-account gauges are refreshed from the database. */
        @WithDefault("30s")
        Duration metricsRefresh();
    }

    /** Encryption of the secrets the gateway stores. */
    interface Crypto {
        /**
         * Base64 of 32 random bytes: the AES-256-GCM key for stored Klaviyo API keys and webhook
         * secrets; required in prod ({@code GATEWAY_CRYPTO_KEY}).
         */
        String key();

        /**
         * Earlier keys, comma-separated base64 ({@code GATEWAY_CRYPTO_OLD_KEYS}, optional): values sealed
         * under them are still read, and rewritten under {@link #key()} by a background pass. A key is
         * rotated by making the new one {@code GATEWAY_CRYPTO_KEY} and moving the old one here.
         */
        Optional<List<String>> oldKeys();

        /**
         * How often each instance looks for stored secrets not sealed under the current key in the
         * current format and seals them again; the first look is this long after start-up.
         */
        @WithDefault("10m")
        Duration rewriteInterval();

        /** Accounts whose secrets that pass reads and rewrites in one transaction. */
        @WithDefault("100")
        int rewriteBatchSize();
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

        /** How often an instance looks for stored events to apply (a commit also wakes it at once). */
        @WithDefault("1s")
        Duration applyInterval();

        /** Events one instance claims at a time. */
        @WithDefault("100")
        int applyBatchSize();

        /** Accounts whose claimed events one instance applies at once (each account's in order). */
        @WithDefault("4")
        int applyConcurrency();

        /** How long claimed events stay with the instance that claimed them, Klaviyo calls included. */
        @WithDefault("5m")
        Duration claimLease();

        /** Wait before the second attempt to apply an event; doubled for each further attempt. */
        @WithDefault("2s")
        Duration applyBackoffInitial();

        /** Upper bound of the wait between two attempts. */
        @WithDefault("5m")
        Duration applyBackoffMax();

        /** {@code Retry-After} sent with a 503 while the database is unreachable. */
        @WithDefault("5s")
        Duration retryAfter();

        /** Most events written to the inbox in one transaction (requests arriving together share one). */
        @WithDefault("256")
        int inboxMaxBatch();

        /** Inbox transactions in flight at once; further requests join the next one. */
        @WithDefault("2")
        int inboxMaxConcurrentWrites();

        /**
         * Accounts whose webhook credentials one instance keeps in memory (the inbox insert re-checks
         * them, so a stale copy is never trusted); when full, the cache starts afresh.
         */
        @WithDefault("10000")
        int accountCacheSize();

        /** Least time between two reads of one account after its cached copy refused a request (a failed signature). */
        @WithDefault("5s")
        Duration rereadAfterRefusal();

        /**
         * Reads a second, per instance, of the accounts webhooks name that the instance has not cached:
         * the ids asked for meanwhile wait for the next read, which takes them all in one query. A
         * flood of made-up account ids thus costs no more reads than this.
         */
        @WithDefault("4")
        int accountReadsPerSecond();

        /** Requests waiting for the inbox at most; beyond, a request is answered 503 with Retry-After at once. */
        @WithDefault("5000")
        int inboxMaxWaitingRequests();

        /** Bytes of events waiting for the inbox at most; beyond, a request is answered 503 with Retry-After at once. */
        @WithDefault("67108864")
        long inboxMaxWaitingBytes();

        /** Longest wait for the inbox; a request that waited longer is answered 503 with Retry-After (Klaviyo retries). */
        @WithDefault("5s")
        Duration inboxMaxWait();
    }

    /** The change feed ({@code GET /api/changes} and its stream). */
    interface Changes {
        /** How long changes are kept; a cursor older than that is answered 410 ({@code GATEWAY_CHANGES_RETENTION}). */
        @WithDefault("7d")
        Duration retention();

        /** How often each instance deletes changes older than the retention. */
        @WithDefault("10m")
        Duration cleanupInterval();

        /** Changes deleted per transaction by that clean-up. */
        @WithDefault("10000")
        int cleanupBatchSize();

        /** Changes per page of {@code GET /api/changes} when the caller gives no {@code limit}. */
        @WithDefault("100")
        int pageSize();

        /** Largest {@code limit} of {@code GET /api/changes}; also the page the stream reads at a time. */
        @WithDefault("1000")
        int maxPageSize();

        /** How often an open stream gets a heartbeat (an SSE comment), so proxies keep it open. */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * How often the stream reads new changes without being woken (writers notify it through
         * PostgreSQL's LISTEN/NOTIFY; this read catches a notification lost with a connection).
         */
        @WithDefault("5s")
        Duration safetyPoll();

        /**
         * First wait before the stream reads again when committed changes wait behind an older
         * transaction still in flight; doubled while they wait, up to {@link #safetyPoll()}.
         */
        @WithDefault("20ms")
        Duration blockedRetry();

        /** Events written to one stream and not yet sent at most; a consumer that slow is disconnected, to resume by Last-Event-ID. */
        @WithDefault("10000")
        int maxPendingEvents();
    }

    /** Switches that only the dev profile turns on. */
    interface Dev {
        /** Start a real PostgreSQL from a Maven artifact when no datasource URL is configured. */
        @WithDefault("false")
        boolean embeddedPostgres();

        /** Run the Klaviyo simulator with a seeded demo account that keeps changing. */
        @WithDefault("false")
        boolean demo();

        /** Demo mode: how often new members join the simulated lists (some also pushed as flow webhooks). */
        @WithDefault("3s")
        Duration demoStep();

        /** Demo mode: how often a new list appears in the simulated account. */
        @WithDefault("75s")
        Duration demoNewListEvery();
    }
}
