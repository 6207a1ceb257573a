package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.micrometer.core.instrument.Counter;
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
import org.junit.jupiter.api.Test;

/**
 * A sync that ends frees its slot at once: the owner claims the next due list then, not at its next
 * tick. One tick (the scheduler paused) syncs more lists of one account than the account's safety
 * bound lets run at once, by the claims that ended syncs made, which gateway_sync_claims_total counts.
 */
@QuarkusTest
class SlotRefillTest {

    private static final int LISTS = 12;

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Inject
    MeterRegistry registry;

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
            double claimsBefore = claims("refill-engine");
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("refill-engine"));

            Eventually.until(Duration.ofSeconds(30), "every list synced after one tick", () -> synced(accountId) == LISTS);
            Eventually.until(Duration.ofSeconds(10), "the syncs end", () -> dispatcher.running("refill-engine") == 0);
            // The tick claimed 8 at most (the account's bound): the others came by claims of ended syncs.
            double claims = claims("refill-engine") - claimsBefore;
            assertTrue(claims >= 2, claims + " claims counted for " + LISTS + " syncs");
        } finally {
            scheduler.resume("member-sync");
        }
    }

    private double claims(String owner) {
        return registry.find("gateway.sync.claims").tag("owner", owner).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static long synced(UUID accountId) {
        return (long) row("select count(*) as n from klaviyo_list where account_id = ? and last_synced_at is not null",
                accountId).get("n");
    }
}
