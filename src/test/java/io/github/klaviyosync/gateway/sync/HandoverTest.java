package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The member-sync part of the handover on SIGTERM, driven for an engine of the test's own (the
 * application's engine is paused): the owner's running sync stops right after the page it is
 * committing, nothing more is fetched or claimed, and its lease is released with the list due at
 * once and its page cursor kept, so another instance resumes there at its next tick.
 */
@QuarkusTest
class HandoverTest {

    private static final String OWNER = "engine-handing-over";
    private static final String APPLICATION_ENGINE = "member-sync";

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Test
    void aHandedOverOwnerStopsAfterThePageItCommitsAndReleasesItsLeaseDueAtOnce() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Handed over");
        klaviyo.addMembers(listId, 2_000, Instant.parse("2026-01-01T00:00:00Z"));
        klaviyo.faults().latency(Duration.ofMillis(150));
        UUID accountId = accounts.register(klaviyo, null, null, false);
        execute("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, pending_trigger)
                values (?, ?, 'Handed over', 'discovery', now(), 'connect')""", accountId, listId);
        scheduler.pause(APPLICATION_ENGINE);
        try {
            assertEquals(1, VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(OWNER)));
            Eventually.until(Duration.ofSeconds(30), "two pages are committed", () -> pages(accountId) >= 2);

            int released = VertxContextSupport.subscribeAndAwait(() -> dispatcher.handOver(OWNER, Duration.ofSeconds(10)));
            long requestsAtRelease = klaviyo.counters().requestsForList(listId);

            assertEquals(0, dispatcher.running(OWNER), "the sync ended before the release");
            assertEquals(0, released, "the stopped sync gave its lease back itself");
            Map<String, Object> run = row("select status, pages, error from sync_run where account_id = ?", accountId);
            assertEquals("failed", run.get("status"));
            assertTrue(((String) run.get("error")).startsWith("stopped after a committed page"), (String) run.get("error"));
            assertEquals(requestsAtRelease, ((Number) run.get("pages")).longValue(), "every page fetched was committed");
            assertTrue(requestsAtRelease < 20, "the sync stopped early: " + requestsAtRelease + " of 20 pages");
            Map<String, Object> list = row("select lease_owner, page_cursor, next_sync_at <= now() as due from klaviyo_list"
                    + " where account_id = ?", accountId);
            assertNull(list.get("lease_owner"), "the lease is released");
            assertEquals(true, list.get("due"), "due at once");
            assertNotNull(list.get("page_cursor"), "the next page is where another instance resumes");

            assertEquals(0, VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(OWNER)), "a handed-over owner claims nothing");
            Eventually.pause(Duration.ofMillis(500));
            assertEquals(requestsAtRelease, klaviyo.counters().requestsForList(listId), "nothing fetched after the release");
        } finally {
            execute("update klaviyo_list set next_sync_at = ? where account_id = ?", OffsetDateTime.now().plusYears(1), accountId);
            scheduler.resume(APPLICATION_ENGINE);
        }
    }

    private static long pages(UUID accountId) {
        Object pages = row("select coalesce(max(pages), 0) as n from sync_run where account_id = ?", accountId).get("n");
        return ((Number) pages).longValue();
    }
}
