package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.EngineWitness;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the status API asks of the sync engine, carried out by the engine against the simulator. */
@QuarkusTest
class EngineRequestsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TestAccounts accounts;

    private static RequestSpecification api() {
        return given().auth().oauth2(ApiFixtures.TOKEN);
    }

    @Test
    void discoverNowRunsADiscoveryWithTriggerManualThatFindsANewList() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.createList("First");
        UUID id = accounts.register(klaviyo);
        Eventually.until(WAIT, "the connect discovery", () -> runs(id, "discovery", "connect") == 1);
        String later = klaviyo.createList("Created later");

        api().post("/api/accounts/" + id + "/discover").then().statusCode(202);

        Eventually.until(WAIT, "a manual discovery run", () -> runs(id, "discovery", "manual") == 1);
        Eventually.until(WAIT, "the new list is known", () -> api().get("/api/accounts/" + id + "/lists")
                .then().extract().jsonPath().getList("listId").contains(later));
        assertEquals(1, runs(id, "discovery", "connect"), "no other discovery ran");
    }

    @Test
    void aFullSyncNowRunsWithTriggerManualAndMarksMembersWhoLeft() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Newsletter");
        List<String> members = klaviyo.addMembers(listId, 5, Instant.now().minus(1, ChronoUnit.DAYS));
        UUID id = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> activeMembers(id, listId).size() == 5);
        klaviyo.removeMember(listId, members.get(1));
        klaviyo.removeMember(listId, members.get(3));

        api().queryParam("full", "true").post(syncPath(id, listId)).then().statusCode(202);

        Eventually.until(WAIT, "the manual run", () -> runs(id, "members", "manual") == 1
                && "succeeded".equals(TestDatabase.value(
                        "select status from sync_run where account_id = ? and trigger = 'manual'", id)));
        assertEquals(List.of(members.get(0), members.get(2), members.get(4)), activeMembers(id, listId));
        JsonPath all = api().queryParam("includeRemoved", "true").get(membersPath(id, listId)).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(members, all.getList("data.profileId"));
        List<Object> removedAt = all.getList("data.removedAt");
        assertTrue(removedAt.get(1) != null && removedAt.get(3) != null, removedAt.toString());
        assertEquals(3, api().get("/api/accounts/" + id + "/lists").then().extract().jsonPath().getInt("memberCount[0]"));
    }

    @Test
    void syncNowAnswers409WhileTheEngineIsSyncingTheList() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Busy");
        klaviyo.addMembers(listId, 1, Instant.now().minus(1, ChronoUnit.DAYS));
        UUID id = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> activeMembers(id, listId).size() == 1);
        // Three slow pages: the next sync is in flight for several seconds.
        klaviyo.addMembers(listId, 250, Instant.now().minus(1, ChronoUnit.HOURS));
        klaviyo.faults().latency(Duration.ofMillis(1500));
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ?", id);
        // The list's member sync only: the account's discovery or profile sweep, as slow, may run beside it.
        Eventually.until(WAIT, "the sync is running", () -> runningMemberSyncs(id, listId) == 1);

        api().post(syncPath(id, listId)).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("running"));

        klaviyo.faults().latency(Duration.ZERO);
        Eventually.until(WAIT, "the sync ends", () -> activeMembers(id, listId).size() == 251);
        Eventually.until(WAIT, "its run is closed", () -> runningMemberSyncs(id, listId) == 0);
        api().post(syncPath(id, listId)).then().statusCode(202);
    }

    private static long runningMemberSyncs(UUID accountId, String klaviyoListId) {
        return TestDatabase.count("""
                select count(*) from sync_run r join klaviyo_list l on l.id = r.list_id
                 where r.account_id = ? and l.klaviyo_list_id = ? and r.kind = 'members' and r.status = 'running'""",
                accountId, klaviyoListId);
    }

    @Test
    void deletingAnAccountStopsItsSyncInFlightAndAllLaterOnesAndPurgeRemovesItsRows() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Leaving");
        klaviyo.addMembers(listId, 1, Instant.now().minus(1, ChronoUnit.DAYS));
        UUID id = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> activeMembers(id, listId).size() == 1);
        klaviyo.addMembers(listId, 600, Instant.now().minus(1, ChronoUnit.HOURS));
        klaviyo.faults().latency(Duration.ofMillis(700));
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ?", id);
        Eventually.until(WAIT, "a page of the sync is committed", () -> TestDatabase.count(
                "select count(*) from sync_run where account_id = ? and status = 'running' and pages > 0", id) == 1);

        api().delete("/api/accounts/" + id).then().statusCode(204);
        long atDelete = klaviyo.counters().requests();

        // The page in flight may still be fetched; its commit is refused, and the sync ends there.
        Eventually.until(WAIT, "the sync in flight ends", () -> TestDatabase.count(
                "select count(*) from sync_run where account_id = ? and status = 'running'", id) == 0);
        long settled = klaviyo.counters().requests();
        assertTrue(settled - atDelete <= 1, "at most the request in flight: " + (settled - atDelete));
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ?", id);
        TestDatabase.execute("""
                insert into list_discovery (account_id, next_discovery_at) values (?, now())
                on conflict (account_id) do update set next_discovery_at = now()""", id);
        EngineWitness.awaitAClaim(accounts);
        assertEquals(settled, klaviyo.counters().requests(), "no request for a deleted account");
        assertTrue(TestDatabase.count("select count(*) from list_membership where account_id = ?", id) < 601,
                "the sync in flight did not finish");

        api().queryParam("purge", "true").delete("/api/accounts/" + id).then().statusCode(204);
        api().get("/api/accounts/" + id).then().statusCode(404);
        Eventually.until(WAIT, "the purge", () -> TestDatabase.count("select count(*) from account where id = ?", id) == 0);
        for (String table : List.of("klaviyo_list", "subscriber", "list_membership", "sync_run", "webhook_event")) {
            assertEquals(0, TestDatabase.count("select count(*) from " + table + " where account_id = ?", id), table);
        }
    }

    private static String syncPath(UUID id, String listId) {
        return "/api/accounts/" + id + "/lists/" + listId + "/sync";
    }

    private static String membersPath(UUID id, String listId) {
        return "/api/accounts/" + id + "/lists/" + listId + "/members";
    }

    /** Profile ids of the list's members now, as the members endpoint pages them (joined order); none while the list is unknown. */
    private static List<Object> activeMembers(UUID id, String listId) {
        var response = api().queryParam("limit", "500").get(membersPath(id, listId));
        if (response.statusCode() == 404) {
            return List.of();
        }
        return response.then().statusCode(200).extract().jsonPath().getList("data.profileId");
    }

    /** Runs of the account of a kind and trigger, as the runs endpoint shows them. */
    private static long runs(UUID id, String kind, String trigger) {
        List<Map<String, Object>> runs = api().queryParam("limit", "200").get("/api/accounts/" + id + "/runs")
                .then().statusCode(200).extract().jsonPath().getList("");
        return runs.stream().filter(run -> kind.equals(run.get("kind")) && trigger.equals(run.get("trigger"))).count();
    }
}
