package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads and set-ups the shared-budget scenarios share. */
final class ScenarioSupport {

    static final Logger LOG = Logger.getLogger("quota.scenarios");

    private ScenarioSupport() {
    }

    /** A simulated account enforcing tier L's limits (at the scenarios' scale) per tier, with Retry-After. */
    static SimulatedAccount limited(SimulatedAccount account) {
        account.setRateLimits(QuotaScale.BURST_LIMIT, QuotaScale.STEADY_LIMIT, true);
        account.countRateLimitsPerTier(true);
        return account;
    }

    static void scaleSimulator(KlaviyoSimulator simulator) {
        simulator.setRateLimitWindows(QuotaScale.BURST_WINDOW, QuotaScale.STEADY_WINDOW);
    }

    static void restoreSimulator(KlaviyoSimulator simulator) {
        simulator.setRateLimitWindows(Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Members on the account's lists now. */
    static long stored(UUID accountId) {
        return TestDatabase.count("""
                select count(*) from list_membership m join klaviyo_list l on l.id = m.list_id
                 where l.account_id = ? and m.removed_at is null""", accountId);
    }

    /** An operation of Klaviyo's tier L (lists, members, profiles), whose windows the scenarios count. */
    static final String TIER_L = "get_profiles_for_list";
    /** An operation of the tier XS, which a long backfill's one question for its list's size uses. */
    static final String TIER_XS = "get_accounts";

    /**
     * The gateway's requests of the tier of {@code operationId} per fixed steady window, in the windows
     * that lie wholly within [from, to].
     */
    static List<Long> wholeWindows(SimulatedAccount account, String operationId, long fromMillis, long toMillis) {
        long window = QuotaScale.STEADY_WINDOW.toMillis();
        List<Long> counts = new ArrayList<>();
        SortedMap<java.time.Instant, Long> windows = account.counters().requestsPerMinuteWindow(operationId);
        for (Map.Entry<java.time.Instant, Long> entry : windows.entrySet()) {
            long start = entry.getKey().toEpochMilli();
            if (start >= fromMillis && start + window <= toMillis) {
                counts.add(entry.getValue());
            }
        }
        return counts;
    }

    /** The gateway's requests of the tier of {@code operationId} in every fixed steady window. */
    static List<Long> windows(SimulatedAccount account, String operationId) {
        return new ArrayList<>(account.counters().requestsPerMinuteWindow(operationId).values());
    }

    /** The lists' gateway accounts go, with everything of theirs, so later tests never sync them. */
    static void delete(Collection<UUID> accounts) {
        accounts.forEach(id -> TestDatabase.execute("delete from account where id = ?", id));
    }

    static double percentile(List<Long> values, double percentile) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
