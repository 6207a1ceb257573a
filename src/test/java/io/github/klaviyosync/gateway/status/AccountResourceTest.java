package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AccountResourceTest {

    @Inject
    SecretBox secretBox;

    ApiFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ApiFixtures(secretBox);
    }

    private static RequestSpecification api() {
        return given().auth().oauth2(ApiFixtures.TOKEN);
    }

    @Test
    void showsAnAccountWithItsWebhookUrlsAndNoSecret() {
        FixtureAccount account = fixtures.account();
        Response response = api().when().get("/api/accounts/" + account.id());
        response.then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(account.id().toString()))
                .body("klaviyoAccountId", equalTo(account.klaviyoAccountId()))
                .body("status", equalTo("active"))
                .body("createdAt", notNullValue())
                .body("webhooks.systemUrl", equalTo("/webhooks/klaviyo/" + account.id()))
                .body("webhooks.flowUrl", equalTo("/webhooks/klaviyo/" + account.id() + "/flow"))
                .body("webhooks.flowToken", nullValue())
                .body("webhooks.systemWebhooksEnabled", equalTo(true));
        String body = response.asString();
        assertTrue(!body.contains(account.apiKey()) && !body.contains(account.webhookSecret())
                && !body.contains(account.flowToken()) && !body.contains(TestSecrets.MARKER), body);
        assertTrue(!body.contains("apiKey") && !body.contains("Sealed") && !body.contains("Hash"), body);
    }

    @Test
    void showsTheAccountsKlaviyoBudgetOfEveryInstanceAndItsBackfillsEta() {
        FixtureAccount account = fixtures.account();
        api().when().get("/api/accounts/" + account.id()).then().statusCode(200)
                .body("quota.share", equalTo(0.5f))
                .body("quota.tiers", org.hamcrest.Matchers.empty());
        // As the instances leave it: 120 leased in the minute under way, 340 in the last one, two 429s.
        // Read within the same clock minute, or the minute under way would be the last one.
        Eventually.awayFromTheMinutesEnd(Duration.ofSeconds(10));
        TestDatabase.execute("""
                with clock as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms)
                insert into klaviyo_quota (budget_key, tier, budget, window_start_ms, granted, last_window_start_ms,
                                           last_granted, throttled)
                select ?, 'l', 350, now_ms - mod(now_ms, 60000), 120, now_ms - mod(now_ms, 60000) - 60000, 340, 2
                  from clock""", account.id().toString());
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        long run = fixtures.run(account.id(), list, "running", Instant.now());
        TestDatabase.execute("update sync_run set pages = 120, profiles_seen = 12000, expected_profiles = 100000 where id = ?", run);

        for (String path : new String[] {"quota", "find { it.id == '" + account.id() + "' }.quota"}) {
            Response response = path.equals("quota") ? api().get("/api/accounts/" + account.id()) : api().get("/api/accounts");
            response.then().statusCode(200)
                    .body(path + ".tiers[0].tier", equalTo("l"))
                    .body(path + ".tiers[0].limitPerMinute", equalTo(700))
                    .body(path + ".tiers[0].budgetPerMinute", equalTo(350))
                    .body(path + ".tiers[0].requestsThisMinute", equalTo(120))
                    .body(path + ".tiers[0].requestsLastMinute", equalTo(340))
                    .body(path + ".tiers[0].shareInUse", equalTo(0.486f))
                    .body(path + ".tiers[0].throttled", equalTo(2))
                    .body(path + ".backfills[0].listId", equalTo(listId))
                    .body(path + ".backfills[0].pagesDone", equalTo(120))
                    .body(path + ".backfills[0].pagesLeft", equalTo(880))
                    // 880 pages at 350 a minute, the account's only backfill.
                    .body(path + ".backfills[0].etaSeconds", equalTo(151));
        }
    }

    /** Sleeps into the next clock minute when less than ten seconds of this one are left. */
    @Test
    void showsWhenTheAccountsMembersAndListsWereLastCheckedAndWhyTheLastListCheckFailed() {
        FixtureAccount fresh = fixtures.account();
        api().when().get("/api/accounts/" + fresh.id()).then().statusCode(200)
                .body("profilesCheckedAt", nullValue())
                .body("listsCheckedAt", nullValue())
                .body("listsCheckError", nullValue());

        FixtureAccount account = fixtures.account();
        Instant swept = Instant.parse("2026-11-28T03:15:00.123456Z");
        Instant checked = Instant.parse("2026-11-28T03:20:00Z");
        TestDatabase.execute("update profile_sweep set last_checked_at = ? where account_id = ?", swept, account.id());
        TestDatabase.execute("update list_discovery set last_list_check_at = ?, list_check_error = ? where account_id = ?",
                checked, "get_lists answered 500", account.id());

        api().when().get("/api/accounts/" + account.id()).then().statusCode(200)
                .body("profilesCheckedAt", equalTo("2026-11-28T03:15:00.123456Z"))
                .body("listsCheckedAt", equalTo("2026-11-28T03:20:00Z"))
                .body("listsCheckError", equalTo("get_lists answered 500"));
        Map<String, Object> listed = api().when().get("/api/accounts").then().statusCode(200).extract().jsonPath()
                .getMap("find { it.id == '" + account.id() + "' }");
        assertEquals(List.of("2026-11-28T03:15:00.123456Z", "2026-11-28T03:20:00Z"),
                List.of(listed.get("profilesCheckedAt"), listed.get("listsCheckedAt")));
        api().contentType(ContentType.JSON).body(Map.of("name", "Renamed")).when().patch("/api/accounts/" + account.id())
                .then().statusCode(200)
                .body("profilesCheckedAt", equalTo("2026-11-28T03:15:00.123456Z"));
        api().when().post("/api/accounts/" + account.id() + "/flow-token").then().statusCode(200)
                .body("listsCheckedAt", equalTo("2026-11-28T03:20:00Z"))
                .body("webhooks.flowToken", notNullValue());
    }

    @Test
    void answers404ForAnUnknownOrMalformedAccountId() {
        api().when().get("/api/accounts/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found")).body("detail", containsString("no account"));
        api().when().get("/api/accounts/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listsAccountsWithoutDeletedOnesUnlessAsked() {
        FixtureAccount active = fixtures.account();
        FixtureAccount failing = fixtures.account("auth_failed");
        FixtureAccount deleted = fixtures.account("deleted");
        api().when().get("/api/accounts").then().statusCode(200)
                .body("id", hasItem(active.id().toString()))
                .body("id", hasItem(failing.id().toString()))
                .body("id", not(hasItem(deleted.id().toString())))
                .body("webhooks.flowToken", not(hasItem(notNullValue())));
        api().queryParam("includeDeleted", "true").when().get("/api/accounts").then().statusCode(200)
                .body("id", hasItem(deleted.id().toString()));
        api().queryParam("includeDeleted", "maybe").when().get("/api/accounts").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void replacesTheFlowTokenAndShowsTheNewOneOnce() {
        FixtureAccount account = fixtures.account();
        String token = api().when().post("/api/accounts/" + account.id() + "/flow-token")
                .then().statusCode(200)
                .body("id", equalTo(account.id().toString()))
                .body("webhooks.flowToken", notNullValue())
                .extract().path("webhooks.flowToken");
        TestSecrets.remember(token);
        assertNotEquals(account.flowToken(), token);
        String storedHash = (String) TestDatabase.row("select flow_token_hash from account where id = ?", account.id())
                .get("flow_token_hash");
        assertEquals(Tokens.hash(token), storedHash);
        assertTrue(!Tokens.matchesHash(account.flowToken(), storedHash), "the old token must stop working");
        api().when().get("/api/accounts/" + account.id()).then().body("webhooks.flowToken", nullValue());
    }

    @Test
    void renamesAnAccountAndKeepsWhatWasNotGiven() {
        FixtureAccount account = fixtures.account();
        api().contentType(ContentType.JSON).body("{\"name\":\"Renamed shop\"}")
                .when().patch("/api/accounts/" + account.id())
                .then().statusCode(200).body("name", equalTo("Renamed shop")).body("status", equalTo("active"));
        Map<String, Object> row = TestDatabase.row("select name, api_key_enc from account where id = ?", account.id());
        assertEquals("Renamed shop", row.get("name"));
        assertEquals(account.apiKey(), secretBox.open((byte[]) row.get("api_key_enc"), SecretField.API_KEY, account.id()));
    }

    @Test
    void replacesTheWebhookSecretSealedUnderTheAccountId() {
        FixtureAccount account = fixtures.account();
        String newSecret = TestSecrets.secret("whsec");
        api().contentType(ContentType.JSON).body(Map.of("webhookSecret", newSecret))
                .when().patch("/api/accounts/" + account.id())
                .then().statusCode(200).body(not(containsString(newSecret)));
        byte[] sealed = (byte[]) TestDatabase.row("select webhook_secret_enc from account where id = ?", account.id())
                .get("webhook_secret_enc");
        assertEquals(newSecret, secretBox.open(sealed, SecretField.WEBHOOK_SECRET, account.id()));
    }

    @Test
    void refusesAWebhookSecretShorterThan16CharactersOnConnectAndOnPatch() {
        FixtureAccount account = fixtures.account();
        String fifteen = TestSecrets.remember("s_" + TestSecrets.MARKER + "_abcd");
        String sixteen = TestSecrets.remember("ws_" + TestSecrets.MARKER + "_abcd");
        assertEquals(15, fifteen.length());

        api().contentType(ContentType.JSON).body(Map.of("webhookSecret", fifteen))
                .when().patch("/api/accounts/" + account.id())
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("field 'webhookSecret' must have at least 16 characters"))
                .body(not(containsString(fifteen)));
        assertEquals(account.webhookSecret(), storedWebhookSecret(account.id()), "the old secret stays");
        String name = "Short secret " + UUID.randomUUID();
        api().contentType(ContentType.JSON).body(Map.of("name", name, "apiKey", TestSecrets.apiKey(), "webhookSecret", fifteen))
                .when().post("/api/accounts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("field 'webhookSecret' must have at least 16 characters"));
        assertEquals(0, TestDatabase.count("select count(*) from account where name = ?", name));

        api().contentType(ContentType.JSON).body(Map.of("webhookSecret", sixteen))
                .when().patch("/api/accounts/" + account.id())
                .then().statusCode(200);
        assertEquals(sixteen, storedWebhookSecret(account.id()));
    }

    private String storedWebhookSecret(UUID accountId) {
        byte[] sealed = (byte[]) TestDatabase.value("select webhook_secret_enc from account where id = ?", accountId);
        return secretBox.open(sealed, SecretField.WEBHOOK_SECRET, accountId);
    }

    @Test
    void refusesAPatchWithoutFieldsOrWithBadOnes() {
        FixtureAccount account = fixtures.account();
        String path = "/api/accounts/" + account.id();
        api().contentType(ContentType.JSON).body("{}").when().patch(path)
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("at least one"));
        api().contentType(ContentType.JSON).body("{\"name\":\"  \"}").when().patch(path).then().statusCode(400);
        api().contentType(ContentType.JSON).body("{\"name\":\"Sh\\u0000op\"}").when().patch(path)
                .then().statusCode(400).body("detail", containsString("control characters"));
        api().contentType(ContentType.JSON).body("{\"name\":\"Shop\\nline\"}").when().patch(path)
                .then().statusCode(400).body("detail", containsString("control characters"));
        api().contentType(ContentType.JSON).body("{\"name\":{\"first\":1}}").when().patch(path)
                .then().statusCode(400).body("detail", equalTo("field 'name' is missing or has the wrong type"));
        api().contentType(ContentType.JSON).body("{\"name\": \"unterminated").when().patch(path)
                .then().statusCode(400).body("detail", equalTo("the body is not valid JSON"));
        api().contentType(ContentType.JSON).when().patch(path).then().statusCode(400);
        api().contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().patch("/api/accounts/" + UUID.randomUUID())
                .then().statusCode(404);
        FixtureAccount deleted = fixtures.account("deleted");
        api().contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().patch("/api/accounts/" + deleted.id())
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void refusesAConnectWithoutNameOrKeyBeforeAskingKlaviyo() {
        api().contentType(ContentType.JSON).body("{\"name\":\"Shop\"}").when().post("/api/accounts")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("apiKey"));
        api().contentType(ContentType.JSON).body(Map.of("apiKey", TestSecrets.apiKey())).when().post("/api/accounts")
                .then().statusCode(400).body("detail", containsString("name"));
        String key = TestSecrets.apiKey();
        api().contentType(ContentType.JSON).body(Map.of("name", "Shop", "apiKey", " " + key)).when().post("/api/accounts")
                .then().statusCode(400).body(not(containsString(key)));
    }

    @Test
    void refusesAKeyThatIsNotAPrivateKeyBeforeAskingKlaviyo() {
        // Klaviyo would refuse them too (a 422), after a call counted against the account's rate limit.
        String publicKey = "Ab12Cd";
        api().contentType(ContentType.JSON).body(Map.of("name", "Shop", "apiKey", publicKey)).when().post("/api/accounts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("private API key")).body(not(containsString(publicKey)));
        FixtureAccount account = fixtures.account();
        api().contentType(ContentType.JSON).body("{\"apiKey\":12}").when().patch("/api/accounts/" + account.id())
                .then().statusCode(400).body("detail", containsString("pk_"));
    }

    @Test
    void makesDiscoveryDueNow() {
        FixtureAccount account = fixtures.account();
        Instant before = Instant.now().minusSeconds(1);
        api().when().post("/api/accounts/" + account.id() + "/discover")
                .then().statusCode(202).body("accountId", equalTo(account.id().toString())).body("requestedAt", notNullValue());
        Map<String, Object> row = TestDatabase.row("select next_discovery_at, trigger from list_discovery where account_id = ?",
                account.id());
        Instant due = (Instant) row.get("next_discovery_at");
        assertTrue(due != null && due.isAfter(before) && !due.isAfter(Instant.now()), "due now, was " + due);
        assertEquals("manual", row.get("trigger"), "the engine records the run as manual");
    }

    @Test
    void refusesDiscoveryOfAnAccountThatCannotCallKlaviyo() {
        FixtureAccount failing = fixtures.account("auth_failed");
        api().when().post("/api/accounts/" + failing.id() + "/discover")
                .then().statusCode(409).body("detail", containsString("PATCH"));
        api().when().post("/api/accounts/" + UUID.randomUUID() + "/discover").then().statusCode(404);
    }

    @Test
    void deletingStopsSyncingAndKeepsTheData() {
        FixtureAccount account = fixtures.account();
        long list = fixtures.list(account.id(), fixtures.newListId());
        TestDatabase.execute("update klaviyo_list set lease_owner = 'node-1', lease_until = now() + interval '1 minute',"
                + " pending_trigger = 'manual' where id = ?", list);
        api().when().delete("/api/accounts/" + account.id()).then().statusCode(204);

        Map<String, Object> stored = TestDatabase.row("select status from account where id = ?", account.id());
        assertEquals("deleted", stored.get("status"));
        assertEquals(0, TestDatabase.count("select count(*) from list_discovery where account_id = ?", account.id()),
                "no discovery is due for it any more");
        Map<String, Object> listRow = TestDatabase.row("select lease_owner, pending_trigger, account_active from klaviyo_list where id = ?",
                list);
        assertNull(listRow.get("lease_owner"));
        assertNull(listRow.get("pending_trigger"));
        assertEquals(false, listRow.get("account_active"), "out of the index of due lists that claims read");
        api().when().get("/api/accounts/" + account.id()).then().statusCode(200).body("status", equalTo("deleted"));
        api().when().get("/api/accounts/" + account.id() + "/lists").then().statusCode(200).body("size()", equalTo(1));
        api().when().post("/api/accounts/" + account.id() + "/flow-token").then().statusCode(409);
        api().when().delete("/api/accounts/" + account.id()).then().statusCode(204);
    }

    @Test
    void purgingAnswersAtOnceAndDeletesTheAccountWithAllItsDataInTheBackground() {
        FixtureAccount account = fixtures.account();
        long list = fixtures.list(account.id(), fixtures.newListId());
        long subscriber = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, subscriber, account.id(), Instant.now(), null);
        fixtures.run(account.id(), list, "succeeded", Instant.now());
        fixtures.webhookEvent(account.id(), "failed");

        api().queryParam("purge", "true").when().delete("/api/accounts/" + account.id()).then().statusCode(204);

        api().when().get("/api/accounts/" + account.id()).then().statusCode(404);
        api().when().get("/api/accounts/" + account.id() + "/lists").then().statusCode(404);
        api().queryParam("includeDeleted", "true").when().get("/api/accounts").then().statusCode(200)
                .body("id", not(hasItem(account.id().toString())));
        api().when().delete("/api/accounts/" + account.id()).then().statusCode(404);
        Eventually.until(Duration.ofSeconds(30), "the purge removes the account row",
                () -> TestDatabase.count("select count(*) from account where id = ?", account.id()) == 0);
        for (String table : new String[] {"klaviyo_list where account_id", "subscriber where account_id",
                "list_membership where account_id", "sync_run where account_id", "webhook_event where account_id",
                "list_discovery where account_id"}) {
            assertEquals(0L, TestDatabase.row("select count(*) as n from " + table + " = ?", account.id()).get("n"), table);
        }
        api().queryParam("purge", "yes").when().delete("/api/accounts/" + UUID.randomUUID()).then().statusCode(400);
    }
}
