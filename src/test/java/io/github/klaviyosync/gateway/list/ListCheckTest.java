package io.github.klaviyosync.gateway.list;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.count;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.value;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * List checks against the simulator: the application's own discovery job is paused and each test
 * drives discoveries and checks itself, as the job would; backfills run on the application's own
 * member syncs.
 */
@QuarkusTest
class ListCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OWNER = "list-check-test";
    private static final DateTimeFormatter FILTER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    @Inject
    TestAccounts accounts;

    @Inject
    ListDiscoveryService discovery;

    @Inject
    Scheduler scheduler;

    @BeforeEach
    void pauseTheApplicationsDiscoveries() {
        scheduler.pause("list-discovery");
    }

    @AfterEach
    void resumeTheApplicationsDiscoveries() {
        scheduler.resume("list-discovery");
    }

    @Test
    void aListCreatedInKlaviyoIsListedAndBackfilledWithinTheCheckIntervalAndOneBackfillAndARenameShows() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String existing = klaviyo.createList("Welcome");
        klaviyo.addMembers(existing, 2, Instant.now().minus(1, ChronoUnit.DAYS));
        UUID accountId = accounts.register(klaviyo);
        discoverUntil(accountId, "the first discovery", () -> value("select last_discovery_at from list_discovery where account_id = ?",
                accountId) != null);
        Map<String, Object> discovered = row("select * from list_discovery where account_id = ?", accountId);
        Instant discoveryStart = (Instant) value("select started_at from sync_run where account_id = ? and kind = 'discovery'", accountId);
        assertEquals(discoveryStart, discovered.get("last_list_check_at"), "a discovery counts as a list check");
        assertEquals(discoveryStart.plus(5, ChronoUnit.MINUTES), discovered.get("next_list_check_at"), "the next one is due in 5 minutes");

        String created = klaviyo.createList("Spring pop-up");
        klaviyo.addMembers(created, 3, Instant.now().minus(1, ChronoUnit.HOURS));
        klaviyo.renameList(existing, "Welcome (SMS)");
        long listRequests = klaviyo.counters().requests("get_lists");
        long discoveries = count("select count(*) from sync_run where account_id = ? and kind = 'discovery'", accountId);

        // Five minutes later: the check is due.
        execute("update list_discovery set next_list_check_at = now() where account_id = ?", accountId);
        discoverUntil(accountId, "the list check", () -> listCount(accountId) == 2);

        assertEquals(1, klaviyo.counters().requests("get_lists") - listRequests, "one request");
        assertThat(lastListsRequest(klaviyo),
                containsString("filter=greater-than(updated," + FILTER_TIME.format(discoveryStart.minusSeconds(60)) + ")"));
        assertEquals(discoveries, count("select count(*) from sync_run where account_id = ? and kind = 'discovery'", accountId),
                "a check is not a discovery");
        Map<String, Object> found = row("select * from klaviyo_list where account_id = ? and klaviyo_list_id = ?", accountId, created);
        assertEquals("discovery", found.get("discovered_via"));
        assertEquals("Spring pop-up", found.get("name"));
        assertEquals("Welcome (SMS)", value("select name from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                accountId, existing));
        Map<String, Object> checked = row("select * from list_discovery where account_id = ?", accountId);
        assertTrue(((Instant) checked.get("last_list_check_at")).isAfter(discoveryStart));
        assertEquals(((Instant) checked.get("last_list_check_at")).plus(5, ChronoUnit.MINUTES), checked.get("next_list_check_at"));
        assertNull(checked.get("list_check_error"));

        // Its backfill, by the member syncs, at once.
        Eventually.until(WAIT, "the new list's backfill", () -> members(accountId, created) == 3);
        List<Map<String, Object>> lists = given().auth().oauth2(ApiFixtures.TOKEN)
                .get("/api/accounts/" + accountId + "/lists").then().statusCode(200).extract().jsonPath().getList("");
        assertEquals(List.of("Spring pop-up", "Welcome (SMS)"), lists.stream().map(list -> list.get("name")).toList());
    }

    @Test
    void aFailedCheckIsKeptWithItsReasonAndRetriedAnIntervalLaterWhenItClears() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.createList("Only");
        // No profile sweep, and the backfill over before the fault: the one failure is the check's.
        UUID accountId = accounts.register(klaviyo, null, null, false);
        execute("update list_discovery set next_discovery_at = now() where account_id = ?", accountId);
        discoverUntil(accountId, "the first discovery", () -> value("select last_discovery_at from list_discovery where account_id = ?",
                accountId) != null);
        Eventually.until(WAIT, "the backfill", () -> count("""
                select count(*) from sync_run where account_id = ? and kind = 'members' and status = 'succeeded'""", accountId) == 1);
        Instant checkedAt = (Instant) value("select last_list_check_at from list_discovery where account_id = ?", accountId);
        klaviyo.faults().failures(1, 500);

        execute("update list_discovery set next_list_check_at = now() where account_id = ?", accountId);
        discoverUntil(accountId, "the failed check", () -> value("select list_check_error from list_discovery where account_id = ?",
                accountId) != null);

        Map<String, Object> failed = row("select * from list_discovery where account_id = ?", accountId);
        assertThat((String) failed.get("list_check_error"), containsString("get_lists answered 500"));
        assertEquals(checkedAt, failed.get("last_list_check_at"), "the lists are as fresh as the last check that worked");
        Duration retryIn = Duration.between(Instant.now(), (Instant) failed.get("next_list_check_at"));
        assertTrue(retryIn.compareTo(Duration.ofMinutes(4)) > 0 && retryIn.compareTo(Duration.ofMinutes(5)) <= 0, "retried in " + retryIn);

        execute("update list_discovery set next_list_check_at = now() where account_id = ?", accountId);
        discoverUntil(accountId, "a check that works", () -> value("select list_check_error from list_discovery where account_id = ?",
                accountId) == null);
        assertTrue(((Instant) value("select last_list_check_at from list_discovery where account_id = ?", accountId)).isAfter(checkedAt));
    }

    @Test
    void anAccountNeverDiscoveredIsNotChecked() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        UUID accountId = accounts.register(klaviyo, null, null, false);
        execute("update list_discovery set last_discovery_at = now() where account_id = ?", accountId);
        SimulatedAccount other = accounts.klaviyoAccount();
        UUID otherId = accounts.register(other);

        discoverUntil(otherId, "another account's discovery", () -> value("select last_discovery_at from list_discovery where account_id = ?",
                otherId) != null);

        assertEquals(0, klaviyo.counters().requests("get_lists"));
        assertNull(value("select next_list_check_at from list_discovery where account_id = ?", accountId));
    }

    /** Claims and runs due discoveries and checks under the test's owner, as the job does each tick, until {@code done}. */
    /**
     * A walk whose lease lapsed while the account was claimed again (by this instance or another)
     * writes nothing more: not its pages, not its completion, not the lists it would mark deleted.
     * The owner's name alone could not tell the two claims apart.
     */
    @Test
    void aDiscoveryWhoseClaimWasTakenAgainWritesNothing() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String list = klaviyo.createList("Welcome");
        UUID accountId = accounts.register(klaviyo, null, null, false);
        execute("update list_discovery set next_discovery_at = now() where account_id = ?", accountId);
        discoverUntil(accountId, "the first discovery", () -> value("select last_discovery_at from list_discovery where account_id = ?",
                accountId) != null);

        execute("update list_discovery set next_discovery_at = now() where account_id = ?", accountId);
        DiscoveryLease stale = claimed(accountId);
        execute("update list_discovery set lease_until = now() - interval '1 second' where account_id = ?", accountId);
        DiscoveryLease current = claimed(accountId);
        klaviyo.renameList(list, "Welcome (renamed)");
        klaviyo.createList("Spring pop-up");

        VertxContextSupport.subscribeAndAwait(() -> discovery.discover(stale));

        Map<String, Object> run = row("select status, error from sync_run where account_id = ? and kind = 'discovery'"
                + " order by started_at desc limit 1", accountId);
        assertEquals("failed", run.get("status"));
        assertThat((String) run.get("error"), containsString("was lost"));
        assertEquals("Welcome", value("select name from klaviyo_list where account_id = ? and klaviyo_list_id = ?", accountId, list),
                "the stale walk's page was not saved");
        assertEquals(1L, listCount(accountId), "nor its new list");
        assertEquals(current.token(), value("select lease_token from list_discovery where account_id = ?", accountId),
                "the current claim stands");

        VertxContextSupport.subscribeAndAwait(() -> discovery.discover(current));
        assertEquals("Welcome (renamed)", value("select name from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                accountId, list));
        assertEquals(2L, listCount(accountId));
        assertEquals("succeeded", value("select status from sync_run where account_id = ? and kind = 'discovery'"
                + " order by started_at desc limit 1", accountId));
    }

    /** Claims until this account's discovery is claimed, running the other accounts' claims as the job would. */
    private DiscoveryLease claimed(UUID accountId) throws Throwable {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<DiscoveryLease> leases = VertxContextSupport.subscribeAndAwait(() -> discovery.claim(OWNER, 50, Duration.ofMinutes(1)));
            DiscoveryLease found = null;
            for (DiscoveryLease lease : leases) {
                if (lease.accountId().equals(accountId)) {
                    found = lease;
                } else {
                    VertxContextSupport.subscribeAndAwait(() -> discovery.discover(lease));
                }
            }
            if (found != null) {
                return found;
            }
            Eventually.pause(Duration.ofMillis(50));
        }
        throw new AssertionError("account " + accountId + " was not claimed within " + WAIT);
    }

    private void discoverUntil(UUID accountId, String what, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                List<DiscoveryLease> leases = VertxContextSupport.subscribeAndAwait(() -> discovery.claim(OWNER, 50,
                        Duration.ofMinutes(1)));
                for (DiscoveryLease lease : leases) {
                    VertxContextSupport.subscribeAndAwait(() -> discovery.discover(lease));
                }
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            Eventually.pause(Duration.ofMillis(50));
        }
        assertTrue(done.getAsBoolean(), "not within " + WAIT + ": " + what + " of account " + accountId);
    }

    private static long listCount(UUID accountId) {
        return count("select count(*) from klaviyo_list where account_id = ?", accountId);
    }

    private static long members(UUID accountId, String klaviyoListId) {
        return count("""
                select count(*) from list_membership m join klaviyo_list l on l.id = m.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and m.removed_at is null""", accountId, klaviyoListId);
    }

    private static String lastListsRequest(SimulatedAccount klaviyo) {
        List<String> requests = klaviyo.counters().recentRequests().stream()
                .filter(request -> request.startsWith("get_lists "))
                .toList();
        return requests.get(requests.size() - 1);
    }
}
