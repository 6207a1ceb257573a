package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two packaged gateways on one database, as two Kubernetes replicas: each list is synced once per
 * interval (by one of them: the simulator sees one request per list and sync), and when one is
 * killed the other takes its lists over once their leases expire.
 */
class TwoReplicasIT {

    private static final int LISTS = 20;
    private static final Duration INTERVAL = Duration.ofSeconds(8);
    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final Duration TICK = Duration.ofSeconds(1);
    /** How late a due sync may start: a tick, and the time a loaded machine takes to claim it. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Duration KLAVIYO_LATENCY = Duration.ofMillis(250);
    /**
     * Two syncs at once per replica, each at least {@link #KLAVIYO_LATENCY} long: one replica cannot
     * take the 20 lists due in an interval before the other's next tick, so both take part by design,
     * not by how their ticks happen to fall.
     */
    private static final Map<String, String> ENGINE = Map.of(
            "GATEWAY_SYNC_MAX_CONCURRENT_LISTS", "2",
            "GATEWAY_SYNC_TICK", "1s",
            "GATEWAY_SYNC_LEASE_DURATION", "4s",
            "GATEWAY_SYNC_MEMBER_INTERVAL", "8s");

    @Test
    void eachListIsSyncedOncePerIntervalAndTheSurvivorTakesOverAKilledReplicasLists() throws Exception {
        try (ChaosRig rig = new ChaosRig()) {
            SimulatedAccount klaviyo = rig.simulator.createAccount();
            List<String> listIds = new ArrayList<>();
            for (int i = 0; i < LISTS; i++) {
                String listId = klaviyo.createList("Replicated " + i);
                klaviyo.addMembers(listId, 20, Instant.parse("2026-01-01T00:00:00Z"));
                listIds.add(listId);
            }
            klaviyo.faults().latency(KLAVIYO_LATENCY);
            ChaosRig.Gateway first = rig.startGateway(ENGINE);
            ChaosRig.Gateway second = rig.startGateway(ENGINE);
            rig.connect(first, "{\"name\":\"Replicated\",\"apiKey\":\"" + klaviyo.apiKey() + "\"}");
            ChaosRig.await("every list is backfilled", Duration.ofSeconds(60),
                    () -> rig.count("select count(distinct list_id) from sync_run where kind = 'members' and status = 'succeeded'") == LISTS);

            Map<String, Long> requestsBefore = requestsPerList(klaviyo, listIds);
            Instant windowStart = Instant.now();
            Thread.sleep(INTERVAL.multipliedBy(2).toMillis());
            Map<String, Long> requestsAfter = requestsPerList(klaviyo, listIds);
            Instant windowEnd = Instant.now();

            for (String listId : listIds) {
                long runs = rig.count("select count(*) from sync_run r join klaviyo_list l on l.id = r.list_id"
                        + " where l.klaviyo_list_id = ? and r.kind = 'members' and r.started_at > ? and r.started_at <= ?",
                        listId, Timestamp.from(windowStart), Timestamp.from(windowEnd));
                long requests = requestsAfter.get(listId) - requestsBefore.get(listId);
                assertTrue(runs >= 1 && runs <= 3, "list " + listId + " was synced " + runs + " times in two intervals");
                assertTrue(Math.abs(requests - runs) <= 1, "list " + listId + ": " + requests + " requests for " + runs
                        + " syncs (one page each; a sync at the window's edge may count on one side only)");
            }
            assertStartsOncePerInterval(rig);
            // Two slots each and a slow Klaviyo: the lists due in an interval outlast a tick of either.
            ChaosRig.await("both replicas synced lists", INTERVAL.multipliedBy(2),
                    () -> rig.count("select count(distinct owner) from sync_run where kind = 'members'") == 2);

            first.app().kill();
            Instant killedAt = Instant.now();
            Duration takeOver = INTERVAL.plus(LEASE).plus(SLACK).plus(SLACK);
            ChaosRig.await("the survivor syncs every list after the kill", takeOver.plus(SLACK),
                    () -> rig.count("select count(distinct list_id) from sync_run where kind = 'members' and started_at > ?",
                            Timestamp.from(killedAt.plus(LEASE))) == LISTS);
            assertStartsOncePerInterval(rig);
            second.app().close();
        }
    }

    /**
     * No two syncs of a list overlap, and each starts one interval after the previous one (a tick and a
     * lease late at most); after a run that did not succeed (the killed replica's, closed as interrupted by
     * the survivor), as soon as its lease lapsed. That lease was renewed at the last tick, which may have
     * come before the run started (a list claimed ahead waits in its replica's queue until a slot frees),
     * so it may lapse a tick less than a lease after the run's start.
     */
    private static void assertStartsOncePerInterval(ChaosRig rig) {
        Map<Long, Run> previous = new HashMap<>();
        for (Object[] row : rig.rows("select r.list_id, r.started_at, r.status from sync_run r"
                + " where r.kind = 'members' order by r.list_id, r.started_at")) {
            long listId = ((Number) row[0]).longValue();
            Instant started = ((Timestamp) row[1]).toInstant();
            Run before = previous.put(listId, new Run(started, "succeeded".equals(row[2])));
            if (before != null) {
                Duration gap = Duration.between(before.started(), started);
                Duration earliest = before.succeeded() ? INTERVAL : LEASE.minus(TICK);
                assertTrue(gap.compareTo(earliest.minusMillis(50)) >= 0, "list " + listId + " synced again after " + gap);
                assertTrue(gap.compareTo(INTERVAL.plus(TICK).plus(LEASE).plus(SLACK).plus(SLACK)) <= 0,
                        "list " + listId + " waited " + gap + " between syncs");
            }
        }
    }

    /** A list's sync run as the check reads it. */
    private record Run(Instant started, boolean succeeded) {
    }

    private static Map<String, Long> requestsPerList(SimulatedAccount klaviyo, List<String> listIds) {
        Map<String, Long> requests = new HashMap<>();
        listIds.forEach(listId -> requests.put(listId, klaviyo.counters().requestsForList(listId)));
        return requests;
    }
}
