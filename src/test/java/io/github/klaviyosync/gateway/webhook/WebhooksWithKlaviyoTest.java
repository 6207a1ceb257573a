package io.github.klaviyosync.gateway.webhook;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Webhooks whose application needs Klaviyo (the simulator): unknown lists, unseen profiles, pushed ids that are not Klaviyo's. */
@QuarkusTest
class WebhooksWithKlaviyoTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TestAccounts accounts;

    @Test
    void aPushToAnUnknownListCreatesItWithKlaviyosNameAndTheEngineBackfillsItsMembers() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = account.klaviyo().createList("Holiday popup");
        List<String> members = account.klaviyo().addMembers(listId, 4, Instant.now().minus(1, ChronoUnit.DAYS));

        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, members.get(2), "", "")).then().statusCode(202);

        Eventually.until(WAIT, "every member of the list is backfilled", () -> members.equals(memberIds(account.id(), listId)));
        Map<String, Object> list = listStatus(account.id(), listId);
        assertEquals("Holiday popup", list.get("name"));
        assertEquals("webhook", list.get("discoveredVia"));
        assertEquals(4, list.get("memberCount"));
        assertEquals(1, TestDatabase.count("""
                select count(*) from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and r.trigger = 'webhook' and r.status = 'succeeded'""",
                account.id(), listId), "the backfill ran as the webhook's");
    }

    @Test
    void aConsentEventForAnUnseenProfileStoresTheProfileFromKlaviyoFirst() {
        TestAccount account = WebhookFixtures.account(accounts);
        String email = TestSecrets.email();
        String phone = TestSecrets.phone();
        String profileId = account.klaviyo().addProfile(SimProfile.sms(phone).email(email).names("Grace", "Hopper")
                .smsConsent(SimProfile.UNSUBSCRIBED).consentAt(Instant.now().minus(1, ChronoUnit.DAYS)));
        Instant subscribedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        WebhookRequests.system(account, WebhookFixtures.consentEvent("ev-" + UUID.randomUUID(),
                "event:klaviyo.subscribed_to_sms_marketing", profileId, subscribedAt)).then().statusCode(202);

        Eventually.until(WAIT, "the profile is stored", () -> TestDatabase.count(
                "select count(*) from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId) == 1);
        Eventually.until(WAIT, "the event applied", () -> "applied".equals(TestDatabase.value(
                "select status from webhook_event where account_id = ?", account.id())));
        Map<String, Object> stored = TestDatabase.row("""
                select email, phone_e164, first_name, sms_consent, sms_consent_at from subscriber
                 where account_id = ? and klaviyo_profile_id = ?""", account.id(), profileId);
        assertEquals(email, stored.get("email"));
        assertEquals(phone, stored.get("phone_e164"));
        assertEquals("Grace", stored.get("first_name"));
        assertEquals("SUBSCRIBED", stored.get("sms_consent"), "the event is newer than Klaviyo's stored consent");
        assertEquals(subscribedAt, stored.get("sms_consent_at"));
    }

    @Test
    void aPushedSixCharacterIdIsKlaviyosIdAndThePollConfirmsThePushedPerson() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String email = TestSecrets.email();
        // An older profile keeps its 6-character id, which {{ person.KlaviyoID }} renders.
        account.klaviyo().addProfile("AbC123", SimProfile.sms(TestSecrets.phone()).email(email), Instant.now().minusSeconds(60));
        account.klaviyo().addMember(listId, "AbC123", Instant.now());
        // Not polled until the test asks: a poll in between would confirm the pushed person early.
        TestDatabase.execute("update klaviyo_list set next_sync_at = 'infinity' where account_id = ?", account.id());

        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, "AbC123", email, "")).then().statusCode(202);

        Eventually.until(WAIT, "the push applied", () -> "applied".equals(TestDatabase.value(
                "select status from webhook_event where account_id = ?", account.id())));
        assertEquals(List.of("AbC123"), memberIds(account.id(), listId), "stored under the pushed id, without asking Klaviyo");
        assertEquals(true, TestDatabase.value("select pushed from subscriber where account_id = ?", account.id()));
        assertEquals(0, account.klaviyo().counters().requests("get_profile") + account.klaviyo().counters().requests("get_profiles"));

        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ?", account.id());
        Eventually.until(WAIT, "the poll reads the member", () -> Boolean.FALSE.equals(TestDatabase.value(
                "select pushed from subscriber where account_id = ?", account.id())));
        assertEquals(List.of("AbC123"), TestDatabase.rows("select klaviyo_profile_id from subscriber where account_id = ?",
                account.id()).stream().map(row -> row.get("klaviyo_profile_id")).toList(), "one person, the same id");
        assertEquals("SUBSCRIBED", TestDatabase.value("select sms_consent from subscriber where account_id = ?", account.id()),
                "Klaviyo's consent replaced the push's none");
    }

    @Test
    void aPushNeverChangesTheContactDataOrConsentOfAPersonKlaviyosApiGave() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String email = TestSecrets.email();
        String phone = TestSecrets.phone();
        String profileId = account.klaviyo().addMember(listId, SimProfile.sms(phone).email(email), Instant.now().minusSeconds(60));
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ?", account.id());
        Eventually.until(WAIT, "the poll stores the member", () -> memberIds(account.id(), listId).contains(profileId));

        // Anyone with the flow token could try to point the subscriber at another number.
        String otherPhone = TestSecrets.phone();
        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, TestSecrets.email(), otherPhone))
                .then().statusCode(202);

        Eventually.until(WAIT, "the push applied", () -> "applied".equals(TestDatabase.value(
                "select status from webhook_event where account_id = ?", account.id())));
        Map<String, Object> stored = TestDatabase.row("""
                select email, phone_e164, sms_consent, pushed from subscriber where account_id = ? and klaviyo_profile_id = ?""",
                account.id(), profileId);
        assertEquals(email, stored.get("email"));
        assertEquals(phone, stored.get("phone_e164"));
        assertEquals("SUBSCRIBED", stored.get("sms_consent"));
        assertEquals(false, stored.get("pushed"));
    }

    @Test
    void aFlowPushMakesTheMemberVisibleThroughTheStatusApiWithinASecond() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();

        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, "", "")).then().statusCode(202);

        Eventually.until(Duration.ofSeconds(1), "the member is listed by the members endpoint",
                () -> memberIds(account.id(), listId).contains(profileId));
        assertEquals("webhook", given().auth().oauth2("test-token-for-the-test-suite")
                .get("/api/accounts/{id}/lists/{listId}/members", account.id(), listId)
                .then().statusCode(200).extract().path("data[0].source"));
    }

    @Test
    void oneMerchantsSlowKlaviyoDoesNotHoldUpAnotherMerchantsPush() {
        // Merchant A's push names a list the gateway does not know: applying it waits on Klaviyo, slow here.
        TestAccount slow = WebhookFixtures.account(accounts);
        String unknownList = slow.klaviyo().createList("Slow shop's popup");
        slow.klaviyo().faults().latency(Duration.ofSeconds(4));
        WebhookRequests.flow(slow, WebhookFixtures.flowBody(unknownList, WebhookFixtures.profileId(), "", "")).then().statusCode(202);
        Eventually.until(WAIT, "the slow merchant's push is being applied", () -> TestDatabase.count(
                "select count(*) from webhook_claim where account_id = ?", slow.id()) == 1);

        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();
        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, "", "")).then().statusCode(202);

        Eventually.until(Duration.ofSeconds(2), "the other merchant's member is listed",
                () -> memberIds(account.id(), listId).contains(profileId));
        assertEquals("received", TestDatabase.value("select status from webhook_event where account_id = ?", slow.id()),
                "meanwhile the slow merchant's push still waits on Klaviyo");
        slow.klaviyo().faults().clear();
        Eventually.until(WAIT, "the slow merchant's push is applied in the end", () -> "applied".equals(
                TestDatabase.value("select status from webhook_event where account_id = ?", slow.id())));
    }

    private static List<Object> memberIds(UUID accountId, String listId) {
        var response = given().auth().oauth2("test-token-for-the-test-suite")
                .get("/api/accounts/{id}/lists/{listId}/members", accountId, listId);
        return response.statusCode() == 404 ? List.of()
                : response.then().statusCode(200).extract().jsonPath().getList("data.profileId");
    }

    private static Map<String, Object> listStatus(UUID accountId, String listId) {
        JsonPath lists = given().auth().oauth2("test-token-for-the-test-suite").get("/api/accounts/{id}/lists", accountId)
                .then().statusCode(200).extract().jsonPath();
        return lists.getMap("find { it.listId == '" + listId + "' }");
    }
}
