package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a backfill, at the process level: the packaged gateway syncing a list is
 * killed at a random page and a new process is started on the same database. The full-size version
 * (100,000 members) is bench/chaos-kill-sync.sh.
 */
class KilledSyncIT {

    private static final int MEMBERS = 20_000;
    private static final int PAGES = MEMBERS / 100;
    /** The most pages one commit holds; a sync reads as many ahead of the commit in flight. */
    private static final int PAGES_PER_COMMIT = 8;
    /** Pages fetched but not committed when the process dies: those committing and those read ahead. */
    private static final int PAGES_IN_FLIGHT = 2 * PAGES_PER_COMMIT;
    /** The whole of Klaviyo's budget (share 1): this test is about a crash, not about pacing. */
    private static final Map<String, String> ENGINE = Map.of(
            "GATEWAY_SYNC_TICK", "1s",
            "GATEWAY_SYNC_LEASE_DURATION", "5s",
            "GATEWAY_KLAVIYO_QUOTA_SHARE", "1",
            "GATEWAY_SYNC_PAGES_PER_COMMIT", String.valueOf(PAGES_PER_COMMIT));

    @Test
    void aSyncKilledAtARandomPageResumesAfterItsLeaseAndStoresEveryMemberOnce() throws Exception {
        try (ChaosRig rig = new ChaosRig()) {
            SimulatedAccount klaviyo = rig.simulator.createAccount();
            String listId = klaviyo.createList("Killed mid-sync");
            klaviyo.addMembers(listId, MEMBERS, Instant.parse("2026-01-01T00:00:00Z"));
            klaviyo.faults().latency(Duration.ofMillis(10));

            ChaosRig.Gateway first = rig.startGateway(ENGINE);
            rig.connect(first, "{\"name\":\"Chaos\",\"apiKey\":\"" + klaviyo.apiKey() + "\"}");
            int killAtPage = ThreadLocalRandom.current().nextInt(20, PAGES - 40);
            ChaosRig.await("page " + killAtPage + " is committed", Duration.ofSeconds(90),
                    () -> rig.count("select coalesce(max(pages), 0) from sync_run where kind = 'members'") >= killAtPage);
            first.app().kill();
            Instant killedAt = Instant.now();
            long committed = rig.count("select pages from sync_run where kind = 'members'");
            assertTrue(committed < PAGES, "the sync was still running when killed");

            ChaosRig.Gateway second = rig.startGateway(ENGINE);
            Instant restartedAt = Instant.now();
            ChaosRig.await("the interrupted sync resumes", Duration.ofSeconds(60),
                    () -> rig.count("select count(*) from sync_run where kind = 'members' and started_at > ?",
                            Timestamp.from(killedAt)) > 0);
            Duration resumedAfter = Duration.between(restartedAt, Instant.now());
            ChaosRig.await("the resumed sync completes", Duration.ofSeconds(90),
                    () -> rig.count("select count(*) from sync_run where kind = 'members' and status = 'succeeded'") == 1);

            assertTrue(resumedAfter.compareTo(Duration.ofMinutes(1)) < 0, "resumed after " + resumedAfter);
            assertEquals(MEMBERS, rig.count("select count(*) from list_membership"));
            assertEquals(MEMBERS, rig.count("select count(distinct subscriber_id) from list_membership"));
            assertEquals(MEMBERS, rig.count("select count(*) from subscriber"));
            assertEquals(MEMBERS, rig.count("select member_count from klaviyo_list"));
            long resumedPages = rig.count("select pages from sync_run where kind = 'members' and status = 'succeeded'");
            assertEquals(PAGES, committed + resumedPages, "the resumed run committed exactly the pages the killed one had not");
            // The backfill's one question for its list's size (get_list, for its ETA) is not a page.
            long fetchedAgain = klaviyo.counters().requestsForList(listId) - klaviyo.counters().requests("get_list") - PAGES;
            assertTrue(fetchedAgain >= 0 && fetchedAgain <= PAGES_IN_FLIGHT,
                    fetchedAgain + " pages were fetched again (at most the " + PAGES_IN_FLIGHT + " in flight may be)");
            assertEquals(1, rig.count("select count(*) from sync_run where kind = 'members' and status = 'failed'"
                    + " and error like 'interrupted%'"), "the killed run is closed as interrupted");
            second.app().close();
        }
    }
}
