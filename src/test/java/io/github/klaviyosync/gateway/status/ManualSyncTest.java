package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ManualSyncTest {

    @Inject
    SecretBox secretBox;

    ApiFixtures fixtures;

    @Inject
    ApplicationEngine applicationEngine;

    @BeforeEach
    void setUp() {
        fixtures = new ApiFixtures(secretBox);
        // The requests are what is tested here: the engine, which would take the lists they make due
        // (and find their fixture keys refused), waits.
        applicationEngine.pauseQuiet();
    }

    @AfterEach
    void resumeTheEngine() {
        applicationEngine.resume();
    }

    private static RequestSpecification api() {
        return given().auth().oauth2(ApiFixtures.TOKEN);
    }

    private static String syncPath(UUID accountId, String listId) {
        return "/api/accounts/" + accountId + "/lists/" + listId + "/sync";
    }

    @Test
    void makesTheListDueNowWithTriggerManual() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        Instant before = Instant.now().minusSeconds(1);

        api().when().post(syncPath(account.id(), listId))
                .then().statusCode(202).body("listId", equalTo(listId)).body("full", equalTo(false));

        Map<String, Object> row = TestDatabase.row(
                "select pending_trigger, pending_full, next_sync_at, last_manual_at from klaviyo_list where id = ?", list);
        assertEquals("manual", row.get("pending_trigger"));
        assertEquals(false, row.get("pending_full"));
        Instant due = (Instant) row.get("next_sync_at");
        assertTrue(due.isAfter(before) && !due.isAfter(Instant.now()), "due now, was " + due);
        assertEquals(due, row.get("last_manual_at"));
    }

    @Test
    void aFullSyncRequestIsKeptUntilTheEngineTakesIt() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        api().queryParam("full", "true").when().post(syncPath(account.id(), listId))
                .then().statusCode(202).body("full", equalTo(true));
        assertEquals(true, TestDatabase.row("select pending_full from klaviyo_list where id = ?", list).get("pending_full"));

        // A plain request after the cooldown does not cancel the removal check still owed.
        TestDatabase.execute("update klaviyo_list set last_manual_at = now() - interval '1 hour' where id = ?", list);
        api().queryParam("full", "false").when().post(syncPath(account.id(), listId))
                .then().statusCode(202).body("full", equalTo(true));
        assertEquals(true, TestDatabase.row("select pending_full from klaviyo_list where id = ?", list).get("pending_full"));
    }

    @Test
    void answers429WithRetryAfterInsideTheCooldown() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        api().when().post(syncPath(account.id(), listId)).then().statusCode(202);

        String retryAfter = api().when().post(syncPath(account.id(), listId))
                .then().statusCode(429).contentType("application/problem+json")
                .body("status", equalTo(429))
                .extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 59 && seconds <= 60, "about the whole 60 s cooldown, was " + seconds);

        TestDatabase.execute("update klaviyo_list set last_manual_at = now() - interval '50 seconds' where id = ?", list);
        int rest = Integer.parseInt(api().when().post(syncPath(account.id(), listId))
                .then().statusCode(429).extract().header("Retry-After"));
        assertTrue(rest >= 9 && rest <= 10, "the rest of the cooldown rounded up, was " + rest);

        TestDatabase.execute("update klaviyo_list set last_manual_at = now() - interval '61 seconds' where id = ?", list);
        api().when().post(syncPath(account.id(), listId)).then().statusCode(202);
    }

    @Test
    void answers409WhileTheListsSyncRuns() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        fixtures.run(account.id(), list, "running", Instant.now());
        TestDatabase.execute("update klaviyo_list set lease_owner = 'node-1', lease_until = now() + interval '2 minutes'"
                + " where id = ?", list);

        api().when().post(syncPath(account.id(), listId))
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("running"));
        assertEquals(null, TestDatabase.row("select pending_trigger from klaviyo_list where id = ?", list).get("pending_trigger"));
    }

    @Test
    void aRunLeftRunningByACrashedInstanceDoesNotBlock() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        fixtures.run(account.id(), list, "running", Instant.now().minusSeconds(3600));
        TestDatabase.execute("update klaviyo_list set lease_owner = 'node-gone', lease_until = now() - interval '1 minute'"
                + " where id = ?", list);

        api().when().post(syncPath(account.id(), listId)).then().statusCode(202);
    }

    @Test
    void concurrentRequestsPassTheCooldownOnce() throws Exception {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        fixtures.list(account.id(), listId);
        String path = syncPath(account.id(), listId);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                requests.add(() -> api().when().post(path).then().extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(requests)) {
                statuses.add(status.get());
            }
            assertEquals(1, statuses.stream().filter(status -> status == 202).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter(status -> status == 429).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesUnknownListsAccountsThatCannotSyncAndBadFlags() {
        FixtureAccount account = fixtures.account();
        api().when().post(syncPath(account.id(), "NoSuchList")).then().statusCode(404).contentType("application/problem+json");
        api().when().post(syncPath(UUID.randomUUID(), "NoSuchList")).then().statusCode(404);

        FixtureAccount failing = fixtures.account("auth_failed");
        String failingList = fixtures.newListId();
        fixtures.list(failing.id(), failingList);
        api().when().post(syncPath(failing.id(), failingList)).then().statusCode(409);

        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        api().queryParam("full", "yes").when().post(syncPath(account.id(), listId)).then().statusCode(400);
        TestDatabase.execute("update klaviyo_list set status = 'deleted' where id = ?", list);
        api().when().post(syncPath(account.id(), listId)).then().statusCode(409).body("detail", containsString("deleted"));
    }
}
