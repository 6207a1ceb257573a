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

    Handover handover();

    Storage storage();

    Changes changes();

    Database database();

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

        /**
         * Attempts of a key check ({@code GET /api/accounts}), the first included: a connect or a key
         * replacement waits for it, and answers 503 with {@code Retry-After} soon rather than holding
         * its caller through every retry at the key-check tier's few calls a minute.
         */
        @WithDefault("2")
        int keyCheckMaxAttempts();

        /** First back-off after a 429 without {@code Retry-After} or a transient error. */
        @WithDefault("500ms")
        Duration backoffInitial();

        /** Upper bound of one back-off. */
        @WithDefault("60s")
        Duration backoffMax();

        /**
         * The share (0 &lt; s &lt;= 1) of each account's Klaviyo rate limits that the gateway spends,
         * all instances together ({@code GATEWAY_KLAVIYO_QUOTA_SHARE}); the rest is left to the
         * merchant's other private-key integrations, which draw on the same quota.
         */
        @WithDefault("0.5")
        double quotaShare();

        /**
         * Per-account request limits of Klaviyo's rate-limit tiers. The gateway's budget of a tier is
         * {@link #quotaShare()} of them, lowered further when Klaviyo's {@code RateLimit-*} headers
         * or 429s say that the account has less left.
         */
        RateLimits rateLimits();

        /** How the budget is shared by the instances (through the database) and spent by each. */
        Quota quota();
    }

    /**
     * The shared budget: each instance leases small slices of an account's budget in the current
     * fixed window from the database (whose clock every instance reads) and spends them locally.
     */
    interface Quota {
        /** Klaviyo's steady window; the budget's windows start at its multiples on the database clock. Only tests shorten it. */
        @WithDefault("60s")
        Duration steadyWindow();

        /** Klaviyo's burst window, aligned the same way. Only tests shorten it. */
        @WithDefault("1s")
        Duration burstWindow();

        /**
         * How long a leased slice may be spent. An instance leases what its waiting calls and its
         * recent pace need for this long, and returns what it did not spend with its next lease.
         */
        @WithDefault("5s")
        Duration sliceTtl();

        /**
         * No call starts on a window's budget in the last this-long of the window, so that none
         * reaches Klaviyo in the next window and is counted there twice.
         */
        @WithDefault("250ms")
        Duration windowGuard();

        /**
         * Of the limit Klaviyo announces ({@code RateLimit-Limit}), the share kept free beyond what
         * the merchant's other tools are projected to spend in the window (their pace so far).
         */
        @WithDefault("0.05")
        double headroom();

        /**
         * A window's budget lowered by Klaviyo (a 429, the headers) carries into the next window
         * raised by this share of the full budget, until it is whole again or Klaviyo lowers it.
         */
        @WithDefault("0.1")
        double recovery();

        /**
         * How far ahead of an even pace through the window (as a share of the window) webhook
         * look-ups may draw the budget; the highest priority.
         */
        @WithDefault("0.25")
        double lookupLead();

        /** The same for incremental member syncs. */
        @WithDefault("0.17")
        double syncLead();

        /** The same for profile sweeps, list checks and discovery. */
        @WithDefault("0.08")
        double sweepLead();

        /**
         * The same for backfills and nightly full syncs, the lowest priority: they get what the
         * others leave, and never more than this ahead of the even pace.
         */
        @WithDefault("0.03")
        double bulkLead();

        /** How long an instance keeps the local state of an account's budget that it does not use. */
        @WithDefault("10m")
        Duration idleEviction();

        /** How long the database keeps an account's budget row (and its count of 429s) after its last use. */
        @WithDefault("1d")
        Duration rowRetention();
    }

    /**
     * Klaviyo's rate-limit tiers (requests per account, every operation of a tier together, per burst
     * and per steady window).
     */
    interface RateLimits {
        /** Tier XS: {@code GET /api/accounts}, a list with its profile count. */
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

        /** Tier L: lists, one list, list members and member ids, profiles. */
        @WithDefault("75")
        int lBurstPerSecond();

        /** Tier L, steady window: the spec says 750, Klaviyo's rate-limit guide 700; the lower is budgeted. */
        @WithDefault("700")
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

        /**
         * How often each account is asked for the lists created or renamed since the last check
         * ({@code GET /api/lists} with {@code greater-than(updated,...)}): one request when none
         * changed. New lists are backfilled at once; the nightly discovery still walks every list, for
         * deletions and as the backstop.
         */
        @WithDefault("5m")
        Duration listCheckInterval();

        /**
         * How far before its checkpoint a profile sweep or a list check asks Klaviyo again: Klaviyo's
         * filters compare whole seconds, and a change may show up in its answers a little after its
         * {@code updated}. What is read twice changes nothing.
         */
        @WithDefault("1m")
        Duration checkOverlap();

        /**
         * Profile sweeps (every account's profiles changed since the last sweep, once per member
         * interval; usually one request) one instance claims per tick: with the default tick of 5 s
         * and interval of 15 minutes, one instance sweeps up to 8 × 180 = 1,440 accounts an interval.
         * Sweeps rank below member syncs: while this instance's member syncs take every slot or lists
         * wait, it runs at most one sweep at a time.
         */
        @WithDefault("8")
        int sweepsPerTick();

        /** Profile sweeps one instance runs at once. */
        @WithDefault("8")
        int maxConcurrentSweeps();

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

        /**
         * Accounts whose discovery or list check one instance claims per tick. List checks come every
         * list-check interval for every account (a request each), so with the default tick of 5 s
         * one instance checks up to 32 accounts in 5 s, 1,920 in 5 minutes.
         */
        @WithDefault("32")
        int discoveriesPerTick();

        /** How long a claimed discovery or list check stays with its instance; each page renews it. */
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

        /**
         * Least time between two claims of due lists by one instance while its last claim found fewer
         * than it had free slots (nothing more was due or claimable): a sync that ends then waits this
         * long for its slot to be claimed again, with the other slots freed meanwhile, instead of
         * ranking every due list for each of them. While claims come back full, slots are claimed at
         * once. A list due meanwhile starts this much later at most, on a member interval of minutes.
         */
        @WithDefault("250ms")
        Duration quietClaimSpacing();

        /**
         * Lists an instance claims beyond its free slots while its claims fill every free slot (lists
         * wait): they wait in a queue of the instance and start as syncs end, so a busy instance claims
         * again only once the queue is down to half, not once per one or two ended syncs. A list that
         * waited a whole {@code tick} in the queue is given back for any instance to claim. 0 claims
         * for the free slots only.
         */
        @WithDefault("16")
        int claimAhead();

        /**
         * Safety bound: lists of one Klaviyo account synced at once, all instances together. The
         * account's Klaviyo budget sets the pace below it (syncs wait for it, most urgent first);
         * the bound only keeps one account from taking every slot of every instance.
         */
        @WithDefault("8")
        int maxConcurrentListsPerAccount();

        /**
         * A backfill asks Klaviyo for its list's size (a call of the slowest tier) once it has fetched
         * this many pages, so the status API can tell its ETA; shorter ones end before one matters.
         */
        @WithDefault("10")
        int backfillEtaPages();

        /**
         * The most member pages one commit of a sync holds. Pages are fetched while the previous
         * commit runs; those that arrived meanwhile are committed together in one statement with the
         * last one's checkpoint, so a long backfill commits less often (each commit has a fixed cost in
         * the database). When Klaviyo fails a page, the pages fetched before it are committed first; a
         * handover stops after the commit in flight, dropping at most this many pages fetched ahead,
         * which the next sync fetches again from the checkpoint. 1 commits every page on its own.
         */
        @WithDefault("8")
        int pagesPerCommit();

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

        /**
         * Most events one claim takes while a backlog lasts: a pass whose claim came back full claims
         * twice as many next time, up to this, so the claim, the planning reads and the transaction of
         * a batch are shared by more events; a claim that is not full ends the pass.
         */
        @WithDefault("800")
        int applyBatchMaxSize();

        /** Accounts whose claimed events one instance applies at once (each account's in order). */
        @WithDefault("4")
        int applyConcurrency();

        /**
         * Apply passes one instance runs at once: a wake-up while every pass waits (on one merchant's
         * slow Klaviyo, say) starts another, which claims what the others do not hold.
         */
        @WithDefault("4")
        int applyPasses();

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

        /**
         * How long applied events are kept, counted from their receipt; the inbox drops a system event
         * delivered again only while its first copy is kept, so this stays above Klaviyo's 24 hours of retries.
         */
        @WithDefault("7d")
        Duration retention();

        /** How long failed events are kept (for a look and a replay), counted from their receipt. */
        @WithDefault("30d")
        Duration failedRetention();
    }

    /** What an instance does on SIGTERM before it exits. */
    interface Handover {
        /**
         * Longest wait for its running syncs, discoveries and apply passes to stop at their next commit;
         * then their leases and claims are released even if one still runs (its next commit is fenced off).
         */
        @WithDefault("10s")
        Duration stopWait();

        /** Longest wait for the releases themselves, after the stop. */
        @WithDefault("3s")
        Duration releaseTimeout();

        /**
         * How long before the end of the shutdown delay ({@code quarkus.shutdown.delay}) every new
         * request starts being answered 503 with {@code Retry-After}, so that a client still sending
         * learns to retry elsewhere before the port closes instead of meeting a closed connection.
         */
        @WithDefault("1s")
        Duration refusalPeriod();
    }

    /** Keeping the database's size bounded: old rows, purged accounts, and the counts of the status API. */
    interface Storage {
        /** How often webhook events past their retention are deleted. */
        @WithDefault("1h")
        Duration cleanupInterval();

        /** How long after the start the first of those clean-ups runs. */
        @WithDefault("5m")
        Duration firstCleanupAfter();

        /**
         * How often each instance looks for accounts whose purge is unfinished (a purge request starts
         * one at once; this resumes one an instance left when it stopped).
         */
        @WithDefault("1m")
        Duration purgeInterval();

        /** Rows deleted in one transaction by the cleanup and the purge, so no statement holds locks for long. */
        @WithDefault("5000")
        int deleteBatchSize();

        /** How often the counts' change rows are folded into one row per account and count. */
        @WithDefault("10s")
        Duration countsCompactionInterval();
    }

    /** How the gateway uses its PostgreSQL connections. */
    interface Database {
        /**
         * The longest statement (characters of SQL) each connection keeps prepared; longer ones are
         * parsed and planned on every execution. The Vert.x client's own limit, 2,048, leaves out the
         * page commits of member syncs and sweeps.
         */
        @WithDefault("16384")
        int statementCacheSqlLimit();
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

        /**
         * How often an open stream gets a heartbeat (an SSE comment with the stream's position as its
         * id), so proxies keep it open.
         */
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
