package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.registeredWithLists;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.syncedLists;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.sync.SyncTestSupport.Seeded;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
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
        Seeded seeded = registeredWithLists(accounts, LISTS, 3);
        UUID accountId = seeded.accountId();
        applicationEngine.pauseQuiet();
        try {
            accounts.addLists(accountId, seeded.listIds(), null);
            double claimsBefore = applicationEngine.claimsOf("refill-engine");
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("refill-engine"));

            Eventually.until(Duration.ofSeconds(30), "every list synced after one tick", () -> syncedLists(accountId) == LISTS);
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
        Seeded seeded = registeredWithLists(accounts, lists, 1);
        UUID accountId = seeded.accountId();
        applicationEngine.pauseQuiet();
        try {
            accounts.addLists(accountId, seeded.listIds(), null);
            double claimsBefore = applicationEngine.claimsOf("quiet-engine");
            long start = System.nanoTime();
            // One account's lists: the account's bound (8) is under the free slots (16), so every claim
            // comes back short and the lists that wait are claimed by ended syncs, spaced.
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("quiet-engine"));

            Eventually.until(Duration.ofSeconds(60), "every list synced after one tick", () -> syncedLists(accountId) == lists);
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
}
