package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.registeredWithLists;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.syncedLists;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.sync.SyncTestSupport.Seeded;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An instance whose every slot is busy claims ahead: the lists it claims beyond its free slots wait in
 * its queue, and ended syncs' slots are filled from there, so it claims once per several ended syncs,
 * not once per one or two. A queued list that waited a whole tick is given back for any instance.
 * Two slots and a queue of six, so that syncs end one at a time, as in an instance that runs full
 * for long (with 16 slots started together, their syncs end in bunches that share claims anyway).
 */
@QuarkusTest
@TestProfile(ClaimAheadTest.TwoSlots.class)
class ClaimAheadTest {

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    ApplicationEngine applicationEngine;

    @Inject
    GatewayConfig config;

    @Test
    void aBusyInstanceFillsTheSlotsOfEndedSyncsFromItsQueue() throws Throwable {
        // Two accounts whose Klaviyo answers at different speeds, so that their syncs end apart.
        List<Seeded> seeded = List.of(registeredWithLists(accounts, 20, 1), registeredWithLists(accounts, 20, 1));
        seeded.get(0).klaviyo().faults().latency(Duration.ofMillis(20));
        seeded.get(1).klaviyo().faults().latency(Duration.ofMillis(55));
        applicationEngine.pauseQuiet();
        try {
            seeded.forEach(account -> accounts.addLists(account.accountId(), account.listIds(), null));
            double claimsBefore = applicationEngine.claimsOf("ahead-engine");
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("ahead-engine"));

            Eventually.until(Duration.ofSeconds(60), "every list synced after one tick", () -> synced(seeded) == 40);
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running("ahead-engine") == 0);
            // Without the queue, each ended sync claimed for its slot while lists waited: about 40 claims.
            // With it, one per three ended syncs (the queue down to half), and the tail's spaced claims.
            double claims = applicationEngine.claimsOf("ahead-engine") - claimsBefore;
            assertTrue(claims >= 4 && claims <= 22, claims + " claims for 40 syncs");
            assertEquals(0, dispatcher.queued("ahead-engine"));
        } finally {
            seeded.forEach(account -> account.klaviyo().faults().clear());
            applicationEngine.resume();
        }
    }

    @Test
    void aQueuedListThatWaitedATickIsGivenBackForAnyInstanceToClaim() throws Throwable {
        // Lists of an account whose Klaviyo answers in 2 s: both slots stay busy for seconds.
        Seeded seeded = registeredWithLists(accounts, 12, 1);
        seeded.klaviyo().faults().latency(Duration.ofSeconds(2));
        applicationEngine.pauseQuiet();
        try {
            accounts.addLists(seeded.accountId(), seeded.listIds(), null);
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("aging-engine")); // 2 start
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("aging-engine")); // 6 queued
            assertEquals(2, dispatcher.running("aging-engine"));
            assertEquals(6, dispatcher.queued("aging-engine"));
            Set<Object> claimedFirst = leaseTokens("aging-engine");
            assertEquals(8, claimedFirst.size());

            Eventually.pause(config.sync().tick().plusMillis(100));
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("aging-engine"));

            // The running syncs keep their claims; the queued ones were given back, then claimed anew.
            Set<Object> claimedNow = leaseTokens("aging-engine");
            assertEquals(8, claimedNow.size());
            claimedNow.retainAll(claimedFirst);
            assertEquals(2, claimedNow.size());
            assertEquals(6, dispatcher.queued("aging-engine"));

            seeded.klaviyo().faults().clear();
            Eventually.until(Duration.ofSeconds(60), "every list synced", () -> syncedLists(seeded.accountId()) == 12);
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running("aging-engine") == 0);
        } finally {
            seeded.klaviyo().faults().clear();
            applicationEngine.resume();
        }
    }

    /** Two slots an instance, six lists claimed ahead. */
    public static class TwoSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.sync.max-concurrent-lists", "2",
                    "gateway.sync.claim-ahead", "6");
        }
    }

    private static long synced(List<Seeded> seeded) {
        return seeded.stream()
                .mapToLong(account -> syncedLists(account.accountId()))
                .sum();
    }

    private static Set<Object> leaseTokens(String owner) {
        Set<Object> tokens = new HashSet<>();
        rows("select lease_token from klaviyo_list where lease_owner = ?", owner)
                .forEach(row -> tokens.add(row.get("lease_token")));
        return tokens;
    }
}
