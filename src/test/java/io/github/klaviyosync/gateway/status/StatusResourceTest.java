package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counts are over the whole shared database, so each test compares before and after its own rows. */
@QuarkusTest
class StatusResourceTest {

    @Inject
    SecretBox secretBox;

    ApiFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ApiFixtures(secretBox);
    }

    private static JsonPath status() {
        return given().auth().oauth2(ApiFixtures.TOKEN).when().get("/api/status")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void countsWhatVisibleAccountsHold() {
        JsonPath before = status();
        FixtureAccount account = fixtures.account();
        long list = fixtures.list(account.id(), fixtures.newListId());
        long deletedList = fixtures.list(account.id(), fixtures.newListId());
        TestDatabase.execute("update klaviyo_list set status = 'deleted' where id = ?", deletedList);
        long on = fixtures.subscriber(account.id(), "SUBSCRIBED");
        long left = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, on, account.id(), Instant.now(), null);
        fixtures.membership(list, left, account.id(), Instant.now(), Instant.now());
        fixtures.webhookEvent(account.id(), "received");
        fixtures.webhookEvent(account.id(), "applied");
        fixtures.webhookEvent(account.id(), "applied");
        fixtures.webhookEvent(account.id(), "failed");

        JsonPath after = status();
        assertEquals(1, after.getLong("accounts") - before.getLong("accounts"));
        assertEquals(1, after.getLong("lists") - before.getLong("lists"), "deleted lists are not counted");
        assertEquals(2, after.getLong("subscribers") - before.getLong("subscribers"));
        assertEquals(1, after.getLong("memberships") - before.getLong("memberships"), "removed members are not counted");
        assertEquals(4, after.getLong("webhooks.received") - before.getLong("webhooks.received"));
        assertEquals(2, after.getLong("webhooks.applied") - before.getLong("webhooks.applied"));
        assertEquals(1, after.getLong("webhooks.failed") - before.getLong("webhooks.failed"));
    }

    @Test
    void leavesDeletedAccountsOut() {
        FixtureAccount account = fixtures.account();
        long list = fixtures.list(account.id(), fixtures.newListId());
        long subscriber = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, subscriber, account.id(), Instant.now(), null);
        fixtures.webhookEvent(account.id(), "failed");
        JsonPath before = status();

        given().auth().oauth2(ApiFixtures.TOKEN).when().delete("/api/accounts/" + account.id()).then().statusCode(204);

        JsonPath after = status();
        assertEquals(-1, after.getLong("accounts") - before.getLong("accounts"));
        assertEquals(-1, after.getLong("lists") - before.getLong("lists"));
        assertEquals(-1, after.getLong("subscribers") - before.getLong("subscribers"));
        assertEquals(-1, after.getLong("memberships") - before.getLong("memberships"));
        assertEquals(-1, after.getLong("webhooks.failed") - before.getLong("webhooks.failed"));
    }

    @Test
    void showsTheLatestDiscoveryAndTheOldestListSync() {
        FixtureAccount account = fixtures.account();
        Instant future = Instant.parse("2999-01-01T00:00:00Z");
        TestDatabase.execute("update list_discovery set last_discovery_at = ? where account_id = ?", future, account.id());
        long list = fixtures.list(account.id(), fixtures.newListId());
        Instant ancient = Instant.parse("1971-01-01T00:00:00Z");
        TestDatabase.execute("update klaviyo_list set last_synced_at = ? where id = ?", ancient, list);

        JsonPath status = status();
        assertEquals("2999-01-01T00:00:00Z", status.getString("lastDiscoveryAt"));
        assertEquals("1971-01-01T00:00:00Z", status.getString("oldestListSyncAt"));

        // Gone with the account, so later tests see ordinary values again.
        TestDatabase.execute("delete from account where id = ?", account.id());
        JsonPath later = status();
        assertFalse("2999-01-01T00:00:00Z".equals(later.getString("lastDiscoveryAt")));
        assertNotNull(later.get("webhooks"));
    }

    @Test
    void saysWhetherTheDemoRunsAndHowOftenListsAreSynced() {
        JsonPath status = status();
        assertEquals(false, status.getBoolean("demo"), "the test profile does not run the demo");
        assertEquals(15 * 60, status.getLong("memberSyncIntervalSeconds"), "GATEWAY_SYNC_MEMBER_INTERVAL's default, 15m");
    }
}
