package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A sync that ends frees its slot: the owner claims the next due list within the refill delay, not at
 * its next tick. One tick (the scheduler paused) syncs more lists of one account than the account's
 * safety bound lets run at once. The slots that come free within one delay share one claim.
 */
@QuarkusTest
class SlotRefillTest {

    private static final int LISTS = 12;
    private static final int ACCOUNTS = 4;

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "gateway.sync.refill-delay")
    Duration refillDelay;

    @Test
    void aFinishedSyncFreesItsSlotAtOnceSoOneTickSyncsEveryDueList() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < LISTS; i++) {
            String listId = klaviyo.createList("Form " + i);
            klaviyo.addMembers(listId, 3, Instant.parse("2026-11-01T00:00:00Z"));
            lists.add(listId);
        }
        UUID accountId = accounts.register(klaviyo, null, null, false);
        scheduler.pause("member-sync");
        try {
            accounts.addLists(accountId, lists, null);
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("refill-engine"));

            Eventually.until(Duration.ofSeconds(30), "every list synced after one tick", () -> synced(accountId) == LISTS);
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running("refill-engine") == 0);
        } finally {
            scheduler.resume("member-sync");
        }
    }

    @Test
    void theSlotsThatComeFreeWithinTheRefillDelayShareOneClaim() throws Throwable {
        List<UUID> accountIds = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            SimulatedAccount klaviyo = accounts.klaviyoAccount();
            List<String> lists = new ArrayList<>();
            for (int i = 0; i < LISTS; i++) {
                String listId = klaviyo.createList("Form " + i);
                klaviyo.addMembers(listId, 3, Instant.parse("2026-11-01T00:00:00Z"));
                lists.add(listId);
            }
            accountIds.add(accounts.register(klaviyo, null, null, false));
            accounts.addLists(accountIds.get(a), lists, null);
            // Syncs of unequal length, as with Klaviyo's own latency: they end one after the other.
            klaviyo.faults().latency(Duration.ofMillis(40L * (a + 1)));
        }
        String owner = "shared-claims-engine";
        scheduler.pause("member-sync");
        try {
            long started = System.nanoTime();
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(owner));
            for (UUID accountId : accountIds) {
                Eventually.until(Duration.ofSeconds(60), "every list synced after one tick", () -> synced(accountId) == LISTS);
            }
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running(owner) == 0);
            long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();

            // The tick, then one claim per refill delay at most, each of which a claim under way may
            // defer to just after it; one claim per ended sync would be 1 + 48.
            double claims = registry.get("gateway.sync.claims").tag("owner", owner).counter().count();
            long bound = 2 + 2 * (elapsed / refillDelay.toMillis() + 1);
            assertTrue(claims >= 2, "the tick and a refill claimed: " + claims);
            assertTrue(claims <= bound,
                    (long) claims + " claims for " + ACCOUNTS * LISTS + " syncs in " + elapsed + " ms, at most " + bound);
        } finally {
            scheduler.resume("member-sync");
        }
    }

    private static long synced(UUID accountId) {
        return (long) row("select count(*) as n from klaviyo_list where account_id = ? and last_synced_at is not null",
                accountId).get("n");
    }
}
