package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
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
 * account.addMembers(listId, 250, Instant.parse("2026-11-28T03:00:00Z"));
 * account.faults().unavailable(3);                // the next three requests answer 503
 * account.setRateLimits(5, 60, false);            // 5/s and 60/min, 429s without Retry-After
 * account.counters().requests("get_profiles_for_list");
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
        SimulatedAccount account = new SimulatedAccount(apiKey, klaviyoAccountId, organizationName, ids);
        accounts.put(apiKey, account);
        return account;
    }

    /**
     * Like {@link #createAccount(String, String, String)}, but the account draws its ids from its own
     * sequence started at {@code seed}: the same calls in the same order make the same list and
     * profile ids in any simulator (dev mode's demo re-seeds a fresh simulator after a live reload).
     */
    public SimulatedAccount createAccount(String apiKey, String klaviyoAccountId, String organizationName, long seed) {
        SimulatedAccount account = new SimulatedAccount(apiKey, klaviyoAccountId, organizationName, new SimIds(seed));
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
