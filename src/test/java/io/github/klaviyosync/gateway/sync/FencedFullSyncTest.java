package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.addSmsMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.list;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.requestFullSync;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every write of a full sync (its pages, which stamp who Klaviyo lists, its removal marking, its
 * completion) is fenced by its own claim: a sync that stalled past its lease, while another engine
 * claimed the list and did the full sync, writes nothing more, so nobody Klaviyo still has is marked
 * gone. The engines are driven here tick by tick; the scheduled engine is paused.
 */
@QuarkusTest
class FencedFullSyncTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    ApplicationEngine applicationEngine;

    @BeforeEach
    void pauseTheEngine() {
        applicationEngine.pauseQuiet();
    }

    @AfterEach
    void resumeTheEngine() {
        applicationEngine.resume();
    }

    @Test
    void aFullSyncThatLostItsClaimWhileStalledMarksNobodyKlaviyoStillHasAsGone() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Nightly");
        addSmsMembers(klaviyo, listId, 250, Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS), false);
        UUID accountId = storedList(klaviyo, listId);
        tickUntil("engine-a", () -> activeMembers(accountId, listId) == 250, "the backfill");

        // Engine A starts the nightly full sync; every answer takes a second: it stalls between pages.
        klaviyo.faults().latency(Duration.ofSeconds(1));
        requestFullSync(accountId, listId);
        tick("engine-a");
        Eventually.until(WAIT, "engine A committed its first page", () -> fullRuns(accountId).stream()
                .anyMatch(run -> ((Number) run.get("pages")).intValue() >= 1));
        // A's lease runs out during its stall, and engine B claims the list and does the full sync.
        execute("update klaviyo_list set lease_until = now() - interval '1 second' where account_id = ?", accountId);
        tick("engine-b");

        Eventually.until(WAIT, "both syncs ended", () -> fullRuns(accountId).size() == 2
                && fullRuns(accountId).stream().noneMatch(run -> "running".equals(run.get("status"))));
        List<Map<String, Object>> runs = fullRuns(accountId);
        assertEquals("failed", runs.get(0).get("status"), "A records no success: " + runs.get(0));
        assertEquals("succeeded", runs.get(1).get("status"), "B carries the full sync on");
        assertEquals(250L, activeMembers(accountId, listId), "nobody Klaviyo lists is marked gone");
        assertEquals(250, list(accountId, listId).get("member_count"));
        assertEquals(0, runs.get(1).get("profiles_removed"));
    }

    @Test
    void aFullSyncWalksEveryMemberWithTheirConsentBringsBackThoseKlaviyoListsAndMarksThoseItDoesNot() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Restored");
        List<String> members = addSmsMembers(klaviyo, listId, 120,
                Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS), false);
        UUID accountId = storedList(klaviyo, listId);
        tickUntil("engine-a", () -> activeMembers(accountId, listId) == 120, "the backfill");
        // Marked gone by a mistake of the past; Klaviyo still lists them. Another left Klaviyo's list.
        execute("""
                update list_membership set removed_at = now() - interval '1 hour'
                 where subscriber_id in (select id from subscriber where account_id = ? and klaviyo_profile_id = any(?))""",
                accountId, members.subList(0, 3).toArray(String[]::new));
        klaviyo.removeMember(listId, members.get(100));
        // A change Klaviyo made without moving the profile's `updated` (a sweep by `updated` misses it).
        klaviyo.changeConsentKeepingUpdated(members.get(50), "UNSUBSCRIBED", null);
        long idWalks = klaviyo.counters().requests("get_profile_ids_for_list");

        requestFullSync(accountId, listId);
        tickUntil("engine-a", () -> fullRuns(accountId).stream().anyMatch(run -> "succeeded".equals(run.get("status"))),
                "the full sync");

        assertEquals(119L, activeMembers(accountId, listId));
        assertEquals(119, list(accountId, listId).get("member_count"));
        for (String restored : members.subList(0, 3)) {
            assertNull(removedAt(accountId, restored), restored + " is back");
        }
        assertTrue(removedAt(accountId, members.get(100)) != null, "who left is marked gone");
        assertEquals("UNSUBSCRIBED", TestDatabase.value(
                "select sms_consent from subscriber where account_id = ? and klaviyo_profile_id = ?", accountId, members.get(50)),
                "the full walk reads every member's consent");
        assertEquals(idWalks, klaviyo.counters().requests("get_profile_ids_for_list"), "the member pages, not an id walk");
    }

    /**
     * Who left is marked in the transaction that completes the full sync: when the completion fails
     * (here a trigger refuses it once), nobody is marked gone, the list still owes its full sync, and
     * the next one marks them.
     */
    @Test
    void aFullSyncWhoseCompletionFailsMarksNobodyGone() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Completion fails");
        List<String> members = addSmsMembers(klaviyo, listId, 20,
                Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS), false);
        UUID accountId = storedList(klaviyo, listId);
        tickUntil("engine-a", () -> activeMembers(accountId, listId) == 20, "the backfill");
        klaviyo.removeMember(listId, members.get(7));
        execute("""
                create function test_refuse_full_completion() returns trigger language plpgsql as $$
                begin
                    if new.account_id = '%s' and old.full_scan_run is not null and new.full_scan_run is null then
                        raise exception 'the test refuses this completion';
                    end if;
                    return new;
                end $$""".formatted(accountId));
        execute("create trigger test_refuse_full_completion before update on klaviyo_list"
                + " for each row execute function test_refuse_full_completion()");
        try {
            requestFullSync(accountId, listId);
            tickUntil("engine-a", () -> fullRuns(accountId).stream().anyMatch(run -> "failed".equals(run.get("status"))),
                    "the full sync whose completion fails");
            assertNull(removedAt(accountId, members.get(7)), "nobody marked gone without the completion");
            assertEquals(true, list(accountId, listId).get("pending_full"), "the full sync is still owed");
        } finally {
            execute("drop trigger test_refuse_full_completion on klaviyo_list");
            execute("drop function test_refuse_full_completion()");
        }

        execute("update klaviyo_list set next_sync_at = now() where account_id = ?", accountId);
        tickUntil("engine-a", () -> fullRuns(accountId).stream().anyMatch(run -> "succeeded".equals(run.get("status"))),
                "the next full sync");
        assertTrue(removedAt(accountId, members.get(7)) != null, "who left is marked gone with the completion");
        assertEquals(19L, activeMembers(accountId, listId));
    }

    /** An account whose discovery is never due, with {@code listId} known to the gateway and due now. */
    private UUID storedList(SimulatedAccount klaviyo, String listId) {
        UUID accountId = accounts.register(klaviyo, null, null, false);
        execute("insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via) values (?, ?, 'n', 'discovery')",
                accountId, listId);
        return accountId;
    }

    private void tick(String owner) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(owner));
    }

    private void tickUntil(String owner, java.util.function.BooleanSupplier done, String what) throws Throwable {
        Instant deadline = Instant.now().plus(WAIT);
        while (!done.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "not within " + WAIT + ": " + what);
            tick(owner);
            Eventually.pause(Duration.ofMillis(50));
        }
    }

    private static List<Map<String, Object>> fullRuns(UUID accountId) {
        return rows("select status, pages, error, profiles_removed from sync_run where account_id = ? and full_sync order by id",
                accountId);
    }

    private static Object removedAt(UUID accountId, String profileId) {
        return TestDatabase.value("""
                select m.removed_at from list_membership m join subscriber s on s.id = m.subscriber_id
                 where s.account_id = ? and s.klaviyo_profile_id = ?""", accountId, profileId);
    }
}
