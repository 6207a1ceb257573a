package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.count;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.member.ProfileSweepDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The member-sync and profile-sweep parts of the handover on SIGTERM, driven for engines of the
 * test's own (the application's are paused): the owner's running sync (sweep) stops right after the
 * page it is committing, nothing more is fetched or claimed, and its claim is released due at once
 * with its page cursor kept, so another instance resumes there at its next tick.
 */
@QuarkusTest
class HandoverTest {

    private static final String OWNER = "engine-handing-over";
    private static final String SWEEPER = "sweeper-handing-over";
    private static final String APPLICATION_SWEEPS = "profile-sweep";

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    ProfileSweepDispatcher sweeps;

    @Inject
    Scheduler scheduler;

    @Inject
    ApplicationEngine applicationEngine;

    @Test
    void aHandedOverOwnerStopsAfterThePageItCommitsAndReleasesItsLeaseDueAtOnce() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Handed over");
        klaviyo.addMembers(listId, 2_000, Instant.parse("2026-01-01T00:00:00Z"));
        klaviyo.faults().latency(Duration.ofMillis(150));
        UUID accountId = accounts.register(klaviyo, null, null, false);
        // Quiet first: a claim of the application's engine would sync the list instead of the test's.
        applicationEngine.pauseQuiet();
        execute("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, pending_trigger)
                values (?, ?, 'Handed over', 'discovery', now(), 'connect')""", accountId, listId);
        try {
            Eventually.until(Duration.ofSeconds(30), "the list is claimed", () -> listClaimedAfterATick(OWNER, accountId));
            Eventually.until(Duration.ofSeconds(30), "two pages are committed", () -> pages(accountId) >= 2);

            int released = VertxContextSupport.subscribeAndAwait(() -> dispatcher.handOver(OWNER, Duration.ofSeconds(10)));
            long requestsAtRelease = klaviyo.counters().requestsForList(listId);

            assertEquals(0, dispatcher.running(OWNER), "the sync ended before the release");
            assertEquals(0, released, "the stopped sync gave its lease back itself");
            Map<String, Object> run = row("select status, pages, error from sync_run where account_id = ?", accountId);
            assertEquals("failed", run.get("status"));
            assertTrue(((String) run.get("error")).startsWith("stopped after a committed page"), (String) run.get("error"));
            long committed = ((Number) run.get("pages")).longValue();
            assertTrue(requestsAtRelease - committed >= 0 && requestsAtRelease - committed <= 1,
                    "every page fetched was committed, but the one fetched while the last commit ran: "
                            + requestsAtRelease + " fetched, " + committed + " committed");
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
            applicationEngine.resume();
        }
    }

    /** A sync waiting for a page (a slow Klaviyo, a spent budget) stops at once, without it, within any wait. */
    @Test
    void aHandedOverOwnerWaitingForAPageStopsAtOnceWithoutIt() throws Throwable {
        String owner = "engine-handing-over-while-waiting";
        SlowKlaviyo klaviyo = slowKlaviyo();
        UUID accountId = accounts.register(klaviyo.account(), null, null, false);
        // Paused first: a sync of the application's engine would hold the list for the page's minute.
        applicationEngine.pauseQuiet();
        try {
            syncAwaitingItsFirstPage(owner, klaviyo, accountId);

            int released = VertxContextSupport.subscribeAndAwait(() -> dispatcher.handOver(owner, Duration.ofSeconds(5)));

            assertEquals(0, dispatcher.running(owner), "the sync ended without waiting for its page");
            assertEquals(0, released, "the stopped sync gave its lease back itself");
            Map<String, Object> run = row("select status, pages, error from sync_run where account_id = ?", accountId);
            assertEquals("failed", run.get("status"));
            assertEquals(0, ((Number) run.get("pages")).intValue());
            assertTrue(((String) run.get("error")).contains("handed"), (String) run.get("error"));
            Map<String, Object> list = row("select lease_owner, next_sync_at <= now() as due from klaviyo_list where account_id = ?",
                    accountId);
            assertNull(list.get("lease_owner"), "the lease is released");
            assertEquals(true, list.get("due"), "due at once");
        } finally {
            klaviyo.account().faults().latency(Duration.ZERO);
            execute("update klaviyo_list set next_sync_at = ? where account_id = ?", OffsetDateTime.now().plusYears(1), accountId);
            applicationEngine.resume();
        }
    }

    /**
     * A tick under way counts as in flight until it ends, renewals and claim included: a handover
     * waits for it, and so does {@link ApplicationEngine#pauseQuiet()}, which a tick of the
     * application's engine slipping past once let a test's list be taken.
     */
    @Test
    void aTickUnderWayIsInFlightUntilItEnds() throws Throwable {
        String owner = "engine-ticking";
        SlowKlaviyo klaviyo = slowKlaviyo();
        UUID accountId = accounts.register(klaviyo.account(), null, null, false);
        applicationEngine.pauseQuiet();
        try (Connection locker = TestDatabase.connect()) {
            syncAwaitingItsFirstPage(owner, klaviyo, accountId);
            assertEquals(1, dispatcher.inFlight(owner), "the sync alone");

            // The tick's renewal of the list's lease waits on this row lock.
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("select 1 from klaviyo_list where account_id = ? for update")) {
                lock.setObject(1, accountId);
                lock.executeQuery().close();
            }
            CompletableFuture<Integer> tick = CompletableFuture.supplyAsync(tickOf(owner));
            Eventually.until(Duration.ofSeconds(10), "the tick is in flight beside the sync", () -> dispatcher.inFlight(owner) == 2);
            assertFalse(tick.isDone(), "the tick waits for the lock");

            locker.rollback();
            tick.get(10, TimeUnit.SECONDS);
            assertEquals(1, dispatcher.inFlight(owner), "the tick ended; the sync goes on");
        } finally {
            klaviyo.account().faults().latency(Duration.ZERO);
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.handOver(owner, Duration.ofSeconds(5)));
            execute("update klaviyo_list set next_sync_at = ? where account_id = ?", OffsetDateTime.now().plusYears(1), accountId);
            applicationEngine.resume();
        }
    }

    @Test
    void aHandedOverSweeperStopsAfterThePageItCommitsAndReleasesTheSweepDueAtOnce() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Swept");
        klaviyo.addMembers(listId, 2_000, Instant.parse("2026-01-01T00:00:00Z"));
        klaviyo.faults().latency(Duration.ofMillis(150));
        UUID accountId = accounts.register(klaviyo, null, null, false);
        scheduler.pause(APPLICATION_SWEEPS);
        try {
            // Due only once the application's sweeper is paused, so only the test's sweeper claims it.
            execute("update profile_sweep set next_sweep_at = now() where account_id = ?", accountId);
            Eventually.until(Duration.ofSeconds(30), "the account's sweep is claimed", () -> claimedAfterATick(SWEEPER, accountId));
            Eventually.until(Duration.ofSeconds(30), "two pages are swept", () -> sweptPages(accountId) >= 2);

            VertxContextSupport.subscribeAndAwait(() -> sweeps.handOver(SWEEPER, Duration.ofSeconds(10)));
            long requestsAtRelease = klaviyo.counters().requests();

            assertEquals(0, sweeps.running(SWEEPER), "the sweeps ended before the release");
            Map<String, Object> run = row("select status, pages, error from sync_run where account_id = ? and kind = 'profiles'",
                    accountId);
            assertEquals("failed", run.get("status"));
            assertTrue(((String) run.get("error")).startsWith("stopped after a committed page"), (String) run.get("error"));
            assertTrue(((Number) run.get("pages")).longValue() < 20, "the sweep stopped early: " + run.get("pages") + " of 20 pages");
            Map<String, Object> sweep = row("select lease_owner, lease_token, page_cursor, next_sweep_at <= now() as due"
                    + " from profile_sweep where account_id = ?", accountId);
            assertNull(sweep.get("lease_owner"), "the claim is released");
            assertNull(sweep.get("lease_token"), "no page commit of the stopped sweep holds any more");
            assertEquals(true, sweep.get("due"), "due at once");
            assertNotNull(sweep.get("page_cursor"), "the next page is where another instance resumes");

            assertEquals(0, VertxContextSupport.subscribeAndAwait(() -> sweeps.tick(SWEEPER)), "a handed-over sweeper claims nothing");
            Eventually.pause(Duration.ofMillis(500));
            assertEquals(requestsAtRelease, klaviyo.counters().requests(), "nothing fetched after the release");
        } finally {
            execute("update profile_sweep set next_sweep_at = ? where account_id = ?", OffsetDateTime.now().plusYears(1), accountId);
            scheduler.resume(APPLICATION_SWEEPS);
        }
    }

    /** A sweep waiting for a page stops at once too. */
    @Test
    void aHandedOverSweeperWaitingForAPageStopsAtOnceWithoutIt() throws Throwable {
        String sweeper = "sweeper-handing-over-while-waiting";
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.addMembers(klaviyo.createList("Swept while waiting"), 200, Instant.parse("2026-01-01T00:00:00Z"));
        klaviyo.faults().latency(Duration.ofSeconds(60));
        UUID accountId = accounts.register(klaviyo, null, null, false);
        scheduler.pause(APPLICATION_SWEEPS);
        try {
            execute("update profile_sweep set next_sweep_at = now() where account_id = ?", accountId);
            Eventually.until(Duration.ofSeconds(30), "the account's sweep is claimed", () -> claimedAfterATick(sweeper, accountId));
            Eventually.until(Duration.ofSeconds(10), "the sweep awaits its first page",
                    () -> klaviyo.counters().requests("get_profiles") == 1);

            VertxContextSupport.subscribeAndAwait(() -> sweeps.handOver(sweeper, Duration.ofSeconds(5)));

            assertEquals(0, sweeps.running(sweeper), "the sweep ended without waiting for its page");
            Map<String, Object> run = row("select status, error from sync_run where account_id = ? and kind = 'profiles'", accountId);
            assertEquals("failed", run.get("status"));
            assertTrue(((String) run.get("error")).startsWith("stopped after a committed page"), (String) run.get("error"));
            Map<String, Object> sweep = row("select lease_owner, next_sweep_at <= now() as due from profile_sweep where account_id = ?",
                    accountId);
            assertNull(sweep.get("lease_owner"), "the claim is released");
            assertEquals(true, sweep.get("due"), "due at once");
        } finally {
            klaviyo.faults().latency(Duration.ZERO);
            execute("update profile_sweep set next_sweep_at = ? where account_id = ?", OffsetDateTime.now().plusYears(1), accountId);
            scheduler.resume(APPLICATION_SWEEPS);
        }
    }

    /** A Klaviyo account that answers after a minute, and its one list of 200 members. */
    private record SlowKlaviyo(SimulatedAccount account, String listId) {
    }

    private SlowKlaviyo slowKlaviyo() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Slow");
        klaviyo.addMembers(listId, 200, Instant.parse("2026-01-01T00:00:00Z"));
        klaviyo.faults().latency(Duration.ofSeconds(60));
        return new SlowKlaviyo(klaviyo, listId);
    }

    /** The list, due now, claimed by {@code owner}, whose sync then awaits its first page. */
    private void syncAwaitingItsFirstPage(String owner, SlowKlaviyo klaviyo, UUID accountId) {
        execute("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, pending_trigger)
                values (?, ?, 'Slow', 'discovery', now(), 'connect')""", accountId, klaviyo.listId());
        Eventually.until(Duration.ofSeconds(30), "the list is claimed", () -> listClaimedAfterATick(owner, accountId));
        Eventually.until(Duration.ofSeconds(10), "the sync awaits its first page",
                () -> klaviyo.account().counters().requests("get_profiles_for_list") == 1);
    }

    private Supplier<Integer> tickOf(String owner) {
        return () -> {
            try {
                return VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(owner));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Lets the test's engine claim (other tests' due lists too) until it holds this account's list. */
    private boolean listClaimedAfterATick(String owner, UUID accountId) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(owner));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return count("select count(*) from klaviyo_list where account_id = ? and lease_owner = ?", accountId, owner) == 1;
    }

    /** Lets the test's sweeper claim (other accounts' due sweeps too, a few a tick) until it holds this account's. */
    private boolean claimedAfterATick(String sweeper, UUID accountId) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> sweeps.tick(sweeper));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return count("select count(*) from profile_sweep where account_id = ? and lease_owner = ?", accountId, sweeper) == 1;
    }

    private static long sweptPages(UUID accountId) {
        Object pages = row("select coalesce(max(pages), 0) as n from sync_run where account_id = ? and kind = 'profiles'",
                accountId).get("n");
        return ((Number) pages).longValue();
    }

    private static long pages(UUID accountId) {
        Object pages = row("select coalesce(max(pages), 0) as n from sync_run where account_id = ? and kind = 'members'",
                accountId).get("n");
        return ((Number) pages).longValue();
    }
}
