package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.EngineWitness;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connecting an account and replacing its key, against the Klaviyo simulator. */
@QuarkusTest
class ConnectAccountTest {

    private static final Duration SYNC_WAIT = Duration.ofSeconds(60);

    @Inject
    TestAccounts accounts;

    @Inject
    SecretBox secretBox;

    @Inject
    KlaviyoClient klaviyoClient;

    @Inject
    KlaviyoSimulator simulator;

    private static RequestSpecification api() {
        return given().auth().oauth2(ApiFixtures.TOKEN);
    }

    @Test
    void connectsAnAcceptedKeyShowsTheFlowTokenOnceAndDiscoversAndBackfillsItsListsAtOnce() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String spring = klaviyo.createList("Spring popup");
        String footer = klaviyo.createList("Footer form");
        klaviyo.addMembers(spring, 3, Instant.now().minus(2, ChronoUnit.DAYS));
        klaviyo.addMembers(footer, 2, Instant.now().minus(1, ChronoUnit.DAYS));

        Response connected = connect("Spring shop", klaviyo.apiKey(), TestSecrets.secret("whsec"));
        connected.then().statusCode(201)
                .header("Location", containsString("/api/accounts/"))
                .body("klaviyoAccountId", equalTo(klaviyo.klaviyoAccountId()))
                .body("status", equalTo("active"))
                .body("webhooks.flowToken", notNullValue())
                .body("webhooks.systemWebhooksEnabled", equalTo(true));
        String id = connected.path("id");
        TestSecrets.remember(connected.path("webhooks.flowToken"));
        assertFalse(connected.asString().contains(klaviyo.apiKey()), "the key is never shown");
        api().get("/api/accounts/" + id).then().statusCode(200).body("webhooks.flowToken", nullValue());

        Eventually.until(SYNC_WAIT, "both lists discovered and backfilled", () -> {
            JsonPath lists = api().get("/api/accounts/" + id + "/lists").then().statusCode(200).extract().jsonPath();
            return lists.getList("listId").size() == 2 && !lists.getList("lastSyncedAt").contains(null);
        });
        JsonPath lists = api().get("/api/accounts/" + id + "/lists").then().extract().jsonPath();
        assertEquals(Map.of(spring, 3, footer, 2), Map.of(
                lists.getString("listId[0]"), lists.getInt("memberCount[0]"),
                lists.getString("listId[1]"), lists.getInt("memberCount[1]")));
        assertEquals(List.of("discovery", "discovery"), lists.getList("discoveredVia"));
        assertEquals(klaviyo.memberIds(spring), api().get("/api/accounts/" + id + "/lists/" + spring + "/members")
                .then().statusCode(200).extract().jsonPath().getList("data.profileId"));

        // The account's profile sweeps (kind profiles, on their own schedule) are not the connect's runs.
        JsonPath runs = api().get("/api/accounts/" + id + "/runs").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> connectRuns = runs.<Map<String, Object>>getList("").stream()
                .filter(run -> !"profiles".equals(run.get("kind")))
                .toList();
        assertEquals(3, connectRuns.size(), "one discovery and two backfills");
        assertEquals(List.of("connect", "connect", "connect"), connectRuns.stream().map(run -> run.get("trigger")).toList());
        assertEquals(List.of("succeeded", "succeeded", "succeeded"), connectRuns.stream().map(run -> run.get("status")).toList());
    }

    @Test
    void refusesARevokedOrUnknownKeyWith422AndKlaviyosReasonAndStoresNothing() {
        SimulatedAccount revoked = accounts.klaviyoAccount();
        revoked.revokeKey();
        String unknownKey = TestSecrets.apiKey();

        for (String key : List.of(revoked.apiKey(), unknownKey)) {
            String name = "Refused " + UUID.randomUUID();
            Response refused = connect(name, key, null);
            refused.then().statusCode(422).contentType("application/problem+json")
                    .body("status", equalTo(422))
                    .body("detail", containsString("Incorrect authentication credentials."))
                    .body(not(containsString(key)));
            assertEquals(0, TestDatabase.count("select count(*) from account where name = ?", name));
        }
    }

    @Test
    void refusesAKeyWhoseKlaviyoAccountIdCannotBeReadWith422AndStoresNothing() {
        SimulatedAccount nameless = simulator.createAccount(TestSecrets.apiKey(), "", "Shop without an id");
        String name = "Nameless " + UUID.randomUUID();

        connect(name, nameless.apiKey(), null).then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("does not say which Klaviyo account"))
                .body(not(containsString(nameless.apiKey())));

        assertEquals(0, TestDatabase.count("select count(*) from account where name = ?", name));
    }

    @Test
    void aSecondConnectOfTheSameKlaviyoAccountIs409() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String first = connect("First connect", klaviyo.apiKey(), null).then().statusCode(201).extract().path("id");

        connect("Second connect", klaviyo.apiKey(), null).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already connected"));
        api().when().delete("/api/accounts/" + first).then().statusCode(204);
        connect("Connect after the delete", klaviyo.apiKey(), null).then().statusCode(201);

        assertEquals(2, TestDatabase.count("select count(*) from account where klaviyo_account_id = ?", klaviyo.klaviyoAccountId()));
    }

    @Test
    void twoConnectsOfTheSameKlaviyoAccountAtOnceStoreOneAndAnswerTheOther409() throws Exception {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        try (Connection other = TestDatabase.connect()) {
            // Another connect, its insert done but not committed: the API's read does not see it yet.
            other.setAutoCommit(false);
            UUID otherId = UUID.randomUUID();
            try (PreparedStatement insert = other.prepareStatement(
                    "insert into account (id, name, klaviyo_account_id, api_key_enc, status) values (?, ?, ?, ?, 'active')")) {
                insert.setObject(1, otherId);
                insert.setString(2, "Connected at the same time");
                insert.setString(3, klaviyo.klaviyoAccountId());
                insert.setBytes(4, secretBox.seal(klaviyo.apiKey(), SecretField.API_KEY, otherId));
                insert.executeUpdate();
            }
            String name = "Racing connect " + UUID.randomUUID();
            CompletableFuture<Response> racing = CompletableFuture.supplyAsync(() -> connect(name, klaviyo.apiKey(), null));
            Eventually.until(SYNC_WAIT, "the API's insert waits for the other one (or is answered)",
                    () -> racing.isDone() || TestDatabase.count("""
                            select count(*) from pg_stat_activity
                             where wait_event_type = 'Lock' and query ilike 'insert into account%'""") > 0);
            other.commit();

            racing.get(60, TimeUnit.SECONDS).then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("already connected"));
            assertEquals(0, TestDatabase.count("select count(*) from account where name = ?", name));
        }
        assertEquals(1, TestDatabase.count("select count(*) from account where klaviyo_account_id = ?", klaviyo.klaviyoAccountId()));
    }

    @Test
    void answers503WithRetryAfterWhileKlaviyoIsUnavailable() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.faults().unavailable(100);
        String name = "Unlucky " + UUID.randomUUID();

        long requestsBefore = klaviyo.counters().requests();
        connect(name, klaviyo.apiKey(), null)
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("retry later"));

        assertEquals(0, TestDatabase.count("select count(*) from account where name = ?", name));
        assertEquals(2, klaviyo.counters().requests() - requestsBefore,
                "the connect gave up after gateway.klaviyo.key-check-max-attempts, not after every retry of a sync's call");
        klaviyo.faults().clear();
        connect(name, klaviyo.apiKey(), null).then().statusCode(201);
    }

    @Test
    void aNewKeyMakesAnAuthFailedAccountActiveAgainAndItsListsAreSyncedAgain() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Welcome");
        klaviyo.addMembers(listId, 2, Instant.now().minus(1, ChronoUnit.HOURS));
        UUID id = UUID.fromString(connect("Rotating shop", klaviyo.apiKey(), null).then().statusCode(201)
                .extract().path("id"));
        Eventually.until(SYNC_WAIT, "the backfill", () -> memberCount(id, listId) == 2);

        // The stored key stops working (the merchant revoked it in Klaviyo and made a new one).
        TestDatabase.execute("update account set api_key_enc = ? where id = ?",
                secretBox.seal(TestSecrets.apiKey(), SecretField.API_KEY, id), id);
        dueNow(id, listId);
        Eventually.until(SYNC_WAIT, "the account is auth_failed",
                () -> "auth_failed".equals(api().get("/api/accounts/" + id).path("status")));
        assertTrue(klaviyoClient.isStopped(id.toString()));
        assertEquals(false, accountActiveOfLists(id), "its lists left the index of due lists that claims read");
        klaviyo.addMembers(listId, 1, Instant.now());
        dueNow(id, listId);
        EngineWitness.awaitAClaim(accounts);
        assertEquals(2, memberCount(id, listId), "an auth_failed account's lists are not synced");

        api().contentType(ContentType.JSON).body(Map.of("apiKey", klaviyo.apiKey()))
                .when().patch("/api/accounts/" + id)
                .then().statusCode(200).body("status", equalTo("active")).body(not(containsString(klaviyo.apiKey())));

        assertFalse(klaviyoClient.isStopped(id.toString()), "the client calls Klaviyo for it again");
        assertEquals(true, accountActiveOfLists(id), "its lists are back in the index of due lists");
        dueNow(id, listId);
        Eventually.until(SYNC_WAIT, "the new member is synced with the new key", () -> memberCount(id, listId) == 3);
        assertEquals(klaviyo.apiKey(), secretBox.open((byte[]) TestDatabase.value(
                "select api_key_enc from account where id = ?", id), SecretField.API_KEY, id));
    }

    @Test
    void aKeyOfAnotherKlaviyoAccountOrARefusedKeyIsRefusedWith422AndTheAccountKeepsSyncing() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Loyal");
        klaviyo.addMembers(listId, 1, Instant.now().minus(1, ChronoUnit.HOURS));
        UUID id = UUID.fromString(connect("Steady shop", klaviyo.apiKey(), null).then().statusCode(201)
                .extract().path("id"));
        Eventually.until(SYNC_WAIT, "the backfill", () -> memberCount(id, listId) == 1);
        SimulatedAccount other = accounts.klaviyoAccount();
        SimulatedAccount revoked = accounts.klaviyoAccount();
        revoked.revokeKey();

        api().contentType(ContentType.JSON).body(Map.of("apiKey", other.apiKey()))
                .when().patch("/api/accounts/" + id)
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("another Klaviyo account"))
                .body(not(containsString(other.apiKey())));
        api().contentType(ContentType.JSON).body(Map.of("apiKey", revoked.apiKey()))
                .when().patch("/api/accounts/" + id)
                .then().statusCode(422).body("detail", containsString("Incorrect authentication credentials."));

        // A refused replacement leaves the stored key, which still works, and the account as it was.
        assertEquals(klaviyo.apiKey(), secretBox.open((byte[]) TestDatabase.value(
                "select api_key_enc from account where id = ?", id), SecretField.API_KEY, id));
        assertFalse(klaviyoClient.isStopped(id.toString()));
        klaviyo.addMembers(listId, 1, Instant.now());
        dueNow(id, listId);
        Eventually.until(SYNC_WAIT, "the account still syncs", () -> memberCount(id, listId) == 2);
        assertEquals("active", api().get("/api/accounts/" + id).path("status"));
    }

    static Response connect(String name, String apiKey, String webhookSecret) {
        Map<String, String> body = webhookSecret == null
                ? Map.of("name", name, "apiKey", apiKey)
                : Map.of("name", name, "apiKey", apiKey, "webhookSecret", webhookSecret);
        return api().contentType(ContentType.JSON).body(body).when().post("/api/accounts");
    }

    private static int memberCount(UUID accountId, String listId) {
        Object count = TestDatabase.value("select member_count from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                accountId, listId);
        return count == null ? -1 : ((Number) count).intValue();
    }

    /** Whether any of the account's lists is flagged as one of an active account. */
    private static Object accountActiveOfLists(UUID accountId) {
        return TestDatabase.value("select bool_or(account_active) from klaviyo_list where account_id = ?", accountId);
    }

    private static void dueNow(UUID accountId, String listId) {
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ? and klaviyo_list_id = ?",
                accountId, listId);
    }
}
