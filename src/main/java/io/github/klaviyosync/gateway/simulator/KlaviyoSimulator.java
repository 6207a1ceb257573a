package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A stateful, strict stand-in for Klaviyo's API, for tests, dev mode's demo and benchmarks. Holds
 * accounts (by API key) with their lists, profiles and members in memory; {@link #router} serves
 * Klaviyo's paths ({@code /api/...}) on any Vert.x server, {@link #adminRouter} an HTTP API to drive
 * it from another process. Thread-safe: tests change accounts while the gateway reads them.
 *
 * <pre>{@code
 * SimulatedAccount account = simulator.createAccount();
 * String listId = account.createList("SMS subscribers");
 * List<String> ids = account.addMembers(listId, 250, Instant.parse("2026-11-28T03:00:00Z"));
 * account.changeSmsConsent(ids.get(0), SimProfile.UNSUBSCRIBED);  // its updated moves to now
 * account.changeConsentKeepingUpdated(ids.get(1), SimProfile.UNSUBSCRIBED, null);  // updated stays
 * account.mergeProfiles(ids.get(2), ids.get(3));  // ids.get(3) answers 404 from now on
 * account.addProfile("AbC123", SimProfile.sms("+15005550006"), Instant.now());  // an older 6-character id
 * account.renameList(listId, "Texts");            // the list's updated moves
 * account.faults().unavailable(3);                // the next three requests answer 503
 * account.setRateLimits(5, 60, false);            // 5/s and 60/min, 429s without Retry-After
 * account.countRateLimitsPerTier(true);           // one bucket per Klaviyo tier, not per operation
 * account.otherToolsPerMinute(400);               // the merchant's other tools spend 400 a minute
 * simulator.setRateLimitWindows(Duration.ofMillis(100), Duration.ofSeconds(6));  // a "minute" of 6 s
 * account.counters().requests("get_profiles_for_list");
 * account.counters().mostRequestsInAMinuteWindow();
 * }</pre>
 */
public final class KlaviyoSimulator {

    private static final Logger LOG = Logger.getLogger(KlaviyoSimulator.class);
    private static final int KEPT_VIOLATIONS = 100;

    private final SimIds ids;
    private final Map<String, SimulatedAccount> accounts = new ConcurrentHashMap<>();
    private final AtomicInteger accountNumber = new AtomicInteger();
    private final Deque<String> violations = new ArrayDeque<>();
    private volatile ContractCheck contractCheck = ContractCheck.NONE;
    private volatile SimRateLimiter.Windows rateWindows = SimRateLimiter.Windows.KLAVIYO;

    /** A simulator whose ids and random faults follow {@code seed}. */
    public KlaviyoSimulator(long seed) {
        this.ids = new SimIds(seed);
    }

    public KlaviyoSimulator() {
        this(System.nanoTime());
    }

    /** A new account with a fresh random API key and Klaviyo account id. */
    public SimulatedAccount createAccount() {
        int number = accountNumber.incrementAndGet();
        return createAccount(ids.apiKey(), ids.shortId(), "Demo store " + number);
    }

    /** A new account reached with {@code apiKey}; an existing one with that key is replaced. */
    public SimulatedAccount createAccount(String apiKey, String klaviyoAccountId, String organizationName) {
        SimulatedAccount account = new SimulatedAccount(apiKey, klaviyoAccountId, organizationName, ids, this::rateWindows);
        accounts.put(apiKey, account);
        return account;
    }

    /**
     * Like {@link #createAccount(String, String, String)}, but the account draws its ids from its own
     * sequence started at {@code seed}: the same calls in the same order make the same list and
     * profile ids in any simulator (dev mode's demo re-seeds a fresh simulator after a live reload).
     */
    public SimulatedAccount createAccount(String apiKey, String klaviyoAccountId, String organizationName, long seed) {
        SimulatedAccount account = new SimulatedAccount(apiKey, klaviyoAccountId, organizationName, new SimIds(seed),
                this::rateWindows);
        accounts.put(apiKey, account);
        return account;
    }

    /** The account reached with {@code apiKey}, or null. */
    public SimulatedAccount account(String apiKey) {
        return accounts.get(apiKey);
    }

    public Collection<SimulatedAccount> accounts() {
        return List.copyOf(accounts.values());
    }

    /** Forgets every account (for the admin API; tests use fresh accounts instead). */
    public void reset() {
        accounts.clear();
        synchronized (violations) {
            violations.clear();
        }
    }

    /**
     * The lengths of every account's fixed rate-limit windows: Klaviyo's are 1 second (burst) and 60
     * seconds (steady); a test may shorten both to see several "minutes" in a few seconds. Limits
     * stay per window. Set it before the accounts' traffic starts.
     */
    public void setRateLimitWindows(Duration burst, Duration steady) {
        this.rateWindows = new SimRateLimiter.Windows(burst.toMillis(), steady.toMillis());
    }

    /** Installs the check every request and JSON answer must pass from now on. */
    public void setContractCheck(ContractCheck check) {
        this.contractCheck = check == null ? ContractCheck.NONE : check;
    }

    /** The last contract violations seen, oldest first (each also counted on its account). */
    public List<String> contractViolations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Klaviyo's API ({@code /api/...}) for mounting on a Vert.x router. */
    public Router router(Vertx vertx) {
        return new SimApiRoutes(this).router(vertx);
    }

    /** The admin API ({@code /accounts}, {@code /seed}, {@code /reset}...); see {@link SimAdminRoutes}. */
    public Router adminRouter(Vertx vertx) {
        return new SimAdminRoutes(this).router(vertx);
    }

    SimRateLimiter.Windows rateWindows() {
        return rateWindows;
    }

    ContractCheck contractCheck() {
        return contractCheck;
    }

    double draw() {
        return ids.nextDouble();
    }

    void recordViolation(SimulatedAccount account, String violation) {
        LOG.errorf("Klaviyo contract violation: %s", violation);
        if (account != null) {
            account.counters().violation();
        }
        synchronized (violations) {
            violations.addLast(violation);
            if (violations.size() > KEPT_VIOLATIONS) {
                violations.removeFirst();
            }
        }
    }
}
