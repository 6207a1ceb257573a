package io.github.klaviyosync.gateway.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.DemoProfile;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The demo connects its shop through the gateway's API, keeps it changing, and finds it again after a reload. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class DemoModeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DemoMode demo;

    @Test
    void connectsItsShopLikeAUserAndFeedsBothPaths() {
        UUID accountId = connectedAccount();
        Map<String, Object> account = TestDatabase.row("select name, status, klaviyo_account_id from account where id = ?", accountId);
        assertEquals(DemoProfile.ACCOUNT_NAME, account.get("name"));
        assertEquals("active", account.get("status"));
        assertEquals("DEMO01", account.get("klaviyo_account_id"), "connected through POST /api/accounts, which asks Klaviyo");

        Eventually.until(WAIT, "the seeded lists synced", () -> count("""
                select count(*) from klaviyo_list where account_id = ? and status = 'active' and member_count > 0
                """, accountId) >= 4);
        Eventually.until(WAIT, "members arriving by flow webhook", () -> count(
                "select count(*) from list_membership where account_id = ? and source = 'webhook'", accountId) > 0);
        Eventually.until(WAIT, "members arriving by the poll after the backfill", () -> count("""
                select count(*) from sync_run where account_id = ? and trigger = 'schedule' and profiles_added > 0
                """, accountId) > 0);
        Eventually.until(WAIT, "the push to a list Klaviyo does not have yet failed", () -> count("""
                select count(*) from webhook_event where account_id = ? and status = 'failed' and payload like '%DmLate%'
                """, accountId) == 1);
    }

    @Test
    void theStatusSaysItIsADemo() {
        given().auth().oauth2("test-token-for-the-test-suite").when().get("/api/status")
                .then().statusCode(200).body("demo", equalTo(true)).body("memberSyncIntervalSeconds", equalTo(10));
    }

    @Test
    void seedsPeopleWithMixedPhonesAndConsent() {
        UUID accountId = connectedAccount();
        Eventually.until(WAIT, "the backfill", () -> count("select count(*) from subscriber where account_id = ?", accountId) > 3000);

        assertTrue(count("select count(*) from subscriber where account_id = ? and phone_raw like '+1415%' and phone_e164 = phone_raw",
                accountId) > 1000, "valid numbers in E.164");
        assertTrue(count("select count(*) from subscriber where account_id = ? and phone_raw like '(415) %' and phone_e164 like '+1415%'",
                accountId) > 100, "national numbers, normalized");
        assertTrue(count("select count(*) from subscriber where account_id = ? and phone_invalid and phone_e164 is null",
                accountId) > 50, "text that is no number");
        assertTrue(count("select count(*) from subscriber where account_id = ? and phone_raw is null", accountId) > 50, "no phone");
        for (String consent : new String[] {"SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"}) {
            assertTrue(count("select count(*) from subscriber where account_id = ? and sms_consent = '" + consent + "'", accountId) > 50,
                    consent);
        }
    }

    @Test
    void findsItsAccountAgainAfterAReloadAndGivesARefusedKeyBack() {
        UUID accountId = connectedAccount();
        TestDatabase.execute("update account set status = 'auth_failed', status_reason = 'refused in a test' where id = ?", accountId);

        demo.forgetAccount();

        Eventually.until(WAIT, "connected again", () -> accountId.toString().equals(demo.accountId()));
        assertEquals("active", TestDatabase.row("select status from account where id = ?", accountId).get("status"));
        assertEquals(1, count("select count(*) from account where name = ? and status <> 'deleted'", DemoProfile.ACCOUNT_NAME),
                "the same account, not a second one");
    }

    private UUID connectedAccount() {
        Eventually.until(WAIT, "the demo connected its account", () -> demo.accountId() != null);
        return UUID.fromString(demo.accountId());
    }

    private static long count(String sql, Object... args) {
        return ((Number) TestDatabase.row(sql, args).values().iterator().next()).longValue();
    }
}
