package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A sync that ends frees its slot for a claim before the next tick: one tick (the scheduler paused)
 * syncs more lists of one account than the account's safety bound lets run at once, by the claims
 * that ended syncs made, which gateway_sync_claims_total counts. While claims come back short, ended
 * syncs share a claim at most every quiet-claim-spacing instead of each making one.
 */
@QuarkusTest
class SlotRefillTest {

    private static final int LISTS = 12;

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    ApplicationEngine applicationEngine;

    @Inject
    GatewayConfig config;

    @Test
    void aFinishedSyncFreesItsSlotAtOnceSoOneTickSyncsEveryDueList() throws Throwable {
        Seeded seeded = registeredWithLists(LISTS, 3);
        UUID accountId = seeded.accountId();
        applicationEngine.pauseQuiet();
        try {
            accounts.addLists(accountId, seeded.listIds(), null);
            double claimsBefore = applicationEngine.claimsOf("refill-engine");
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("refill-engine"));

            Eventually.until(Duration.ofSeconds(30), "every list synced after one tick", () -> synced(accountId) == LISTS);
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running("refill-engine") == 0);
            // The tick claimed 8 at most (the account's bound): the others came by claims of ended syncs.
            double claims = applicationEngine.claimsOf("refill-engine") - claimsBefore;
            assertTrue(claims >= 2, claims + " claims counted for " + LISTS + " syncs");
        } finally {
            applicationEngine.resume();
        }
    }

    @Test
    void whileClaimsComeBackShortEndedSyncsShareAClaimAtMostEverySpacing() throws Throwable {
        int lists = 40;
        Seeded seeded = registeredWithLists(lists, 1);
        UUID accountId = seeded.accountId();
        applicationEngine.pauseQuiet();
        try {
            accounts.addLists(accountId, seeded.listIds(), null);
            double claimsBefore = applicationEngine.claimsOf("quiet-engine");
            long start = System.nanoTime();
            // One account's lists: the account's bound (8) is under the free slots (16), so every claim
            // comes back short and the lists that wait are claimed by ended syncs, spaced.
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("quiet-engine"));

            Eventually.until(Duration.ofSeconds(60), "every list synced after one tick", () -> synced(accountId) == lists);
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running("quiet-engine") == 0);
            double claims = applicationEngine.claimsOf("quiet-engine") - claimsBefore;
            long spacingMillis = config.sync().quietClaimSpacing().toMillis();
            long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            // The tick's claim, then one per spacing at most (a timer may fire up to a millisecond early).
            double most = 2 + elapsedMillis / (spacingMillis - 1.0);
            assertTrue(claims >= 5 && claims <= most,
                    claims + " claims for " + lists + " syncs in " + elapsedMillis + " ms; at most " + most);
        } finally {
            applicationEngine.resume();
        }
    }

    /** An account registered in the gateway, and its lists in Klaviyo, not yet known to the gateway. */
    private record Seeded(UUID accountId, List<String> listIds) {
    }

    /** An account with {@code count} lists of {@code members} each in Klaviyo. */
    private Seeded registeredWithLists(int count, int members) {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        List<String> listIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String listId = klaviyo.createList("Form " + i);
            klaviyo.addMembers(listId, members, Instant.parse("2026-11-01T00:00:00Z"));
            listIds.add(listId);
        }
        return new Seeded(accounts.register(klaviyo, null, null, false), listIds);
    }

    private static long synced(UUID accountId) {
        return (long) row("select count(*) as n from klaviyo_list where account_id = ? and last_synced_at is not null",
                accountId).get("n");
    }
}
