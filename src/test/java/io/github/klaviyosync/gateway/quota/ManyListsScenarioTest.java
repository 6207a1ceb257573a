package io.github.klaviyosync.gateway.quota;

import static io.github.klaviyosync.gateway.quota.QuotaScale.INTERVAL;
import static io.github.klaviyosync.gateway.quota.QuotaScale.STEADY_LIMIT;
import static io.github.klaviyosync.gateway.quota.QuotaScale.TICK;
import static io.github.klaviyosync.gateway.quota.QuotaScale.count;
import static io.github.klaviyosync.gateway.quota.QuotaScale.lateness;
import static io.github.klaviyosync.gateway.quota.ScenarioSupport.LOG;
import static io.github.klaviyosync.gateway.quota.ScenarioSupport.limited;
import static io.github.klaviyosync.gateway.quota.ScenarioSupport.percentile;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.klaviyo.QuotaCache;
import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merchant with many lists stays inside the interval: one account with 300 lists (scaled by
 * {@link QuotaScale}), a member interval of Klaviyo's minute, two instances, share 0.5. The lists'
 * due times are spread over the interval as a running gateway's are; after a first interval that
 * warms the instances up, each is synced once per interval, ending at most 10 s (scaled) after it
 * was due, for five intervals.
 */
@QuarkusTest
@TestProfile(QuotaScale.Profile.class)
class ManyListsScenarioTest {

    private static final int INTERVALS = 5;

    @Inject
    TestAccounts accounts;

    @Inject
    KlaviyoSimulator simulator;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    ApplicationEngine applicationEngine;

    @Inject
    QuotaCache quota;

    private UUID accountId;

    @BeforeEach
    void scale() {
        ScenarioSupport.scaleSimulator(simulator);
        applicationEngine.pauseQuiet();
    }

    @AfterEach
    void restore() {
        if (accountId != null) {
            ScenarioSupport.delete(List.of(accountId));
        }
        applicationEngine.resume();
        ScenarioSupport.restoreSimulator(simulator);
    }

    @Test
    void everyListIsSyncedOncePerIntervalWithinTenSecondsOfItsDueTime() {
        SimulatedAccount klaviyo = limited(accounts.klaviyoAccount());
        int lists = count(300);
        Instant cursor = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> listIds = new ArrayList<>();
        for (int i = 0; i < lists; i++) {
            String listId = klaviyo.createList("Form " + i);
            klaviyo.addMembers(listId, 1, cursor.plusSeconds(60));
            listIds.add(listId);
        }
        accountId = accounts.register(klaviyo, null, null, false);
        // Due one after the other over an interval from now on, each stored with its due time: stored
        // due now and spread after, a list could be claimed in between (by a dispatch still refilling
        // its slots from the test before), and its next sync would then come at the spread time.
        accounts.addLists(accountId, listIds, cursor, INTERVAL);
        long leasesBefore = quota.leasesSent();

        long started;
        try (Engines engines = new Engines(dispatcher, "replica-a", "replica-b").start(TICK)) {
            Eventually.until(INTERVAL.multipliedBy(3), "every list synced once (the warm-up)", () -> syncedAtLeast(1) == lists);
            started = System.currentTimeMillis();
            Eventually.until(INTERVAL.multipliedBy(INTERVALS + 2), "every list synced " + INTERVALS + " times more",
                    () -> syncedAtLeast(INTERVALS + 1) == lists);
        }
        long ended = System.currentTimeMillis();

        List<Long> lags = new ArrayList<>();
        for (String listId : listIds) {
            lags.addAll(lagsOf(listId));
        }
        List<Long> windows = ScenarioSupport.wholeWindows(klaviyo, ScenarioSupport.TIER_L, started, ended);
        long requests = klaviyo.counters().requests();
        LOG.infof("(b) %d lists, interval %d ms, %d intervals: lag p50 %.0f ms, p99 %.0f ms, max %.0f ms; requests per "
                        + "window %s; 429s %d; %.3f budget round trips a request", lists, INTERVAL.toMillis(), INTERVALS,
                percentile(lags, 0.5), percentile(lags, 0.99), percentile(lags, 1.0), windows,
                klaviyo.counters().throttledCount(), (double) (quota.leasesSent() - leasesBefore) / requests);
        assertThat(percentile(lags, 0.99), lessThanOrEqualTo((double) lateness(Duration.ofSeconds(10)).toMillis()));
        assertThat(windows, everyItem(lessThanOrEqualTo((long) STEADY_LIMIT / 2)));
        assertEquals(0, klaviyo.counters().throttledCount(), "429s");
    }

    private long syncedAtLeast(int runs) {
        return TestDatabase.count("""
                select count(*) from (select r.list_id from sync_run r join klaviyo_list l on l.id = r.list_id
                                       where l.account_id = ? and r.status = 'succeeded'
                                       group by r.list_id having count(*) >= ?) enough""", accountId, runs);
    }

    /** For each of the list's syncs after the warm-up: how long after it was due (an interval after the last one started) it ended. */
    private List<Long> lagsOf(String listId) {
        List<Map<String, Object>> runs = TestDatabase.rows("""
                select r.started_at, r.finished_at from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and r.status = 'succeeded' order by r.started_at""",
                accountId, listId);
        assertThat("syncs of list " + listId, runs.size(), greaterThanOrEqualTo(INTERVALS + 1));
        List<Long> lags = new ArrayList<>();
        for (int i = 1; i <= INTERVALS; i++) {
            Instant due = ((Instant) runs.get(i - 1).get("started_at")).plus(INTERVAL);
            Instant start = (Instant) runs.get(i).get("started_at");
            assertThat("sync " + i + " of list " + listId + " started before it was due", start.plusMillis(5),
                    greaterThanOrEqualTo(due));
            lags.add(Math.max(0, Duration.between(due, (Instant) runs.get(i).get("finished_at")).toMillis()));
        }
        return lags;
    }
}
