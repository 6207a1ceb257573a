package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.count;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.value;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The freshness numbers with the application's own schedule, nothing driven by the test: a member
 * interval of 4 s (the profile sweeps' too) and a list-check interval of 3 s. The bounds leave a few
 * seconds for the sweep or the backfill itself on a busy machine.
 */
@QuarkusTest
@TestProfile(ShortIntervalProfile.class)
class FreshnessTest {

    /** What one sweep or one small backfill takes at most here, the scheduler's tick included. */
    private static final Duration ONE_RUN = Duration.ofSeconds(8);
    private static final Duration SETUP = Duration.ofSeconds(60);

    @Inject
    TestAccounts accounts;

    @Test
    void aConsentChangeOfAMemberStoredLongAgoIsServedWithinOneMemberIntervalAndOneSweepWithoutAWebhook() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Texts");
        String member = klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), Instant.now().minus(120, ChronoUnit.DAYS));
        klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), Instant.now().minus(1, ChronoUnit.DAYS));
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(SETUP, "the backfill", () -> activeMembers(accountId, listId) == 2);
        Eventually.until(SETUP, "the first sweep", () -> value("select last_checked_at from profile_sweep where account_id = ?",
                accountId) != null);

        Instant changed = Instant.now();
        klaviyo.changeSmsConsent(member, "UNSUBSCRIBED");

        Duration bound = Duration.ofSeconds(ShortIntervalProfile.MEMBER_INTERVAL_SECONDS).plus(ONE_RUN);
        Eventually.until(bound, "the change served", () -> "UNSUBSCRIBED".equals(smsConsent(accountId, listId, member)));
        assertEquals(0, count("select count(*) from webhook_event where account_id = ?", accountId), "no webhook");
        assertTrue(count("select count(*) from sync_run where account_id = ? and kind = 'profiles' and profiles_changed = 1"
                + " and started_at > ?", accountId, changed) == 1, "a sweep brought it");
    }

    @Test
    void aListCreatedInKlaviyoIsListedAndBackfilledWithinTheListCheckIntervalAndOneBackfill() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.createList("Welcome");
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(SETUP, "the first discovery", () -> value("select last_list_check_at from list_discovery where account_id = ?",
                accountId) != null);

        String created = klaviyo.createList("Flash sale");
        klaviyo.addMembers(created, 5, Instant.now().minus(10, ChronoUnit.MINUTES));

        Duration bound = Duration.ofSeconds(ShortIntervalProfile.LIST_CHECK_INTERVAL_SECONDS).plus(ONE_RUN);
        Eventually.until(bound, "the new list listed and backfilled", () -> listed(accountId, created) && activeMembers(accountId, created) == 5);
        assertEquals(1, count("select count(*) from sync_run where account_id = ? and kind = 'discovery'", accountId),
                "found by a list check, not a discovery");
    }

    private static String smsConsent(UUID accountId, String listId, String profileId) {
        List<Map<String, Object>> members = given().auth().oauth2(ApiFixtures.TOKEN)
                .get("/api/accounts/" + accountId + "/lists/" + listId + "/members")
                .then().statusCode(200).extract().jsonPath().getList("data");
        return members.stream()
                .filter(member -> profileId.equals(member.get("profileId")))
                .map(member -> (String) member.get("smsConsent"))
                .findFirst().orElseThrow();
    }

    private static boolean listed(UUID accountId, String klaviyoListId) {
        List<String> ids = given().auth().oauth2(ApiFixtures.TOKEN).get("/api/accounts/" + accountId + "/lists")
                .then().statusCode(200).extract().jsonPath().getList("listId");
        return ids.contains(klaviyoListId);
    }
}
