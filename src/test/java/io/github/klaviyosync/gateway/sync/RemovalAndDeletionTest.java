package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.addSmsMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.list;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.makeDue;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.requestFullSync;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.runs;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.EngineWitness;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RemovalAndDeletionTest {

    @Inject
    TestAccounts accounts;

    @Test
    void aFullSyncMarksMembersWhoLeftAndARejoinMakesThemActiveAgain() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Newsletter");
        Instant joined = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> members = addSmsMembers(klaviyo, listId, 250, joined, false);
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(60), "the backfill", () -> activeMembers(accountId, listId) == 250);

        List<String> leaving = members.subList(10, 15);
        leaving.forEach(profileId -> klaviyo.removeMember(listId, profileId));
        requestFullSync(accountId, listId);
        Eventually.until(Duration.ofSeconds(60), "the full sync", () -> (long) row("""
                select count(*) as n from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and r.full_sync and r.status = 'succeeded'""", accountId).get("n") == 1);

        assertEquals(245, activeMembers(accountId, listId));
        assertEquals(245, list(accountId, listId).get("member_count"));
        assertEquals(5, row("""
                select r.profiles_removed from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and r.full_sync""", accountId).get("profiles_removed"));
        for (String profileId : leaving) {
            assertTrue(removedAt(accountId, listId, profileId) != null, profileId + " is marked removed");
        }
        assertEquals(false, list(accountId, listId).get("pending_full"), "the removal check is done");

        String rejoining = leaving.get(0);
        klaviyo.addMember(listId, rejoining, Instant.now());
        makeDue(accountId, listId);
        Eventually.until(Duration.ofSeconds(60), "the rejoin is seen", () -> activeMembers(accountId, listId) == 246);
        assertNull(removedAt(accountId, listId, rejoining));
        Eventually.until(Duration.ofSeconds(10), "the count follows",
                () -> Integer.valueOf(246).equals(list(accountId, listId).get("member_count")));
    }

    @Test
    void aListDeletedInKlaviyoBecomesDeletedAndIsNoLongerSynced() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String kept = klaviyo.createList("Kept");
        String dropped = klaviyo.createList("Dropped");
        String vanished = klaviyo.createList("Vanished");
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(60), "three backfills",
                () -> runs(accountId, kept, "succeeded") + runs(accountId, dropped, "succeeded")
                        + runs(accountId, vanished, "succeeded") == 3);

        klaviyo.deleteList(dropped);
        makeDue(accountId, dropped);
        Eventually.until(Duration.ofSeconds(60), "a 404 marks the list deleted",
                () -> "deleted".equals(list(accountId, dropped).get("status")));

        klaviyo.deleteList(vanished);
        execute("update list_discovery set next_discovery_at = now(), trigger = 'manual' where account_id = ?", accountId);
        Eventually.until(Duration.ofSeconds(60), "discovery marks the unlisted list deleted",
                () -> "deleted".equals(list(accountId, vanished).get("status")));
        assertEquals("active", list(accountId, kept).get("status"));

        long requests = klaviyo.counters().requestsForList(dropped);
        execute("update klaviyo_list set next_sync_at = now() where account_id = ?", accountId);
        Eventually.until(Duration.ofSeconds(30), "the kept list is synced again", () -> runs(accountId, kept, "succeeded") == 2);
        assertEquals(requests, klaviyo.counters().requestsForList(dropped), "a deleted list is not synced");
    }

    @Test
    void aRevokedKeyMarksTheAccountAuthFailedWithoutARetryStorm() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Welcome");
        addSmsMembers(klaviyo, listId, 5, Instant.now().minus(1, ChronoUnit.HOURS), false);
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(60), "the backfill", () -> activeMembers(accountId, listId) == 5);

        klaviyo.revokeKey();
        long before = klaviyo.counters().requests();
        makeDue(accountId, listId);
        Eventually.until(Duration.ofSeconds(60), "the account is auth_failed",
                () -> "auth_failed".equals(row("select status from account where id = ?", accountId).get("status")));
        assertEquals(1, runs(accountId, listId, "failed"));
        assertTrue(String.valueOf(row("""
                select r.error from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and r.status = 'failed'""", accountId).get("error")).contains("API key"));

        long afterFailure = klaviyo.counters().requests();
        assertTrue(afterFailure - before <= 1, "one refused call, no retries: " + (afterFailure - before));
        makeDue(accountId, listId);
        EngineWitness.awaitAClaim(accounts);
        assertEquals(afterFailure, klaviyo.counters().requests(), "an auth_failed account's lists are skipped");
    }

    private static Object removedAt(UUID accountId, String listId, String profileId) {
        return row("""
                select m.removed_at from list_membership m
                  join klaviyo_list l on l.id = m.list_id
                  join subscriber s on s.id = m.subscriber_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and s.klaviyo_profile_id = ?""",
                accountId, listId, profileId).get("removed_at");
    }
}
