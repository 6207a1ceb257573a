package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.count;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.value;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The freshness numbers on the application's own schedule, nothing driven by the test: each test
 * checks that the schedule sets the next sweep or list check one interval after the last, lets that
 * interval pass (makes it due, as MemberIntervalTest does for member syncs) and waits for the
 * application's own jobs. The bound leaves a few seconds for the sweep or the backfill on a busy machine.
 */
@QuarkusTest
class FreshnessTest {

    /** What one sweep or one small backfill takes at most here, the scheduler's ticks included. */
    private static final Duration ONE_RUN = Duration.ofSeconds(8);
    private static final Duration SETUP = Duration.ofSeconds(60);

    @Inject
    TestAccounts accounts;

    @ConfigProperty(name = "gateway.sync.member-interval")
    Duration memberInterval;

    @ConfigProperty(name = "gateway.sync.list-check-interval")
    Duration listCheckInterval;

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
        Map<String, Object> sweep = row("select last_checked_at, next_sweep_at from profile_sweep where account_id = ?", accountId);
        assertEquals(((Instant) sweep.get("last_checked_at")).plus(memberInterval), sweep.get("next_sweep_at"),
                "the next sweep is one member interval after the last one started");

        Instant changed = Instant.now();
        klaviyo.changeSmsConsent(member, "UNSUBSCRIBED");
        execute("update profile_sweep set next_sweep_at = now() where account_id = ?", accountId);

        Eventually.until(ONE_RUN, "the change served", () -> "UNSUBSCRIBED".equals(smsConsent(accountId, listId, member)));
        assertEquals(0, count("select count(*) from webhook_event where account_id = ?", accountId), "no webhook");
        Eventually.until(ONE_RUN, "the sweep that brought it recorded", () -> count("""
                select count(*) from sync_run where account_id = ? and kind = 'profiles' and status = 'succeeded'
                   and profiles_changed = 1 and started_at > ?""", accountId, changed) == 1);
    }

    @Test
    void aListCreatedInKlaviyoIsListedAndBackfilledWithinTheListCheckIntervalAndOneBackfill() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.createList("Welcome");
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(SETUP, "the first discovery", () -> value("select last_list_check_at from list_discovery where account_id = ?",
                accountId) != null);
        Map<String, Object> check = row("select last_list_check_at, next_list_check_at from list_discovery where account_id = ?",
                accountId);
        assertEquals(((Instant) check.get("last_list_check_at")).plus(listCheckInterval), check.get("next_list_check_at"),
                "the next list check is one interval after the discovery started");

        String created = klaviyo.createList("Flash sale");
        klaviyo.addMembers(created, 5, Instant.now().minus(10, ChronoUnit.MINUTES));
        execute("update list_discovery set next_list_check_at = now() where account_id = ?", accountId);

        Eventually.until(ONE_RUN, "the new list listed and backfilled", () -> listed(accountId, created)
                && activeMembers(accountId, created) == 5);
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
