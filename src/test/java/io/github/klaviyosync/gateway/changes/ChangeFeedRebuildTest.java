package io.github.klaviyosync.gateway.changes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.github.klaviyosync.gateway.webhook.WebhookRequests;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The feed's promise to the platform: a consumer that follows it from the beginning, applying each
 * change in order, ends with exactly the memberships (on the list or left) and the consent the gateway
 * stores, through a backfill, flow pushes, a full sync's removals, a consent change Klaviyo's API
 * reports and consent webhooks. Two consumers: one reading pages, one the live stream.
 */
@QuarkusTest
class ChangeFeedRebuildTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/api/changes/stream")
    URL stream;

    @Test
    void aConsumerFollowingTheFeedRebuildsTheStoredMembershipsAndConsent() {
        TestAccount account = WebhookFixtures.account(accounts);
        try (SseClient live = SseClient.open(URI.create(stream + "?accountId=" + account.id()), ApiFixtures.TOKEN, null)) {
            Eventually.until(WAIT, "the stream is open", () -> live.lastId() != null);

            // A backfill of two lists that share two people.
            Instant joined = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            String signups = account.klaviyo().createList("Signups");
            String vip = account.klaviyo().createList("VIP");
            List<String> people = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                people.add(account.klaviyo().addMember(signups, SimProfile.sms(TestSecrets.phone()).email(TestSecrets.email()),
                        joined.plusSeconds(i)));
            }
            account.klaviyo().addMember(vip, people.get(0), joined);
            account.klaviyo().addMember(vip, people.get(1), joined);
            String vipOnly = account.klaviyo().addMember(vip, SimProfile.sms(TestSecrets.phone()), joined);
            knownList(account, signups);
            knownList(account, vip);
            Eventually.until(WAIT, "the backfill", () -> activeMembers(account.id()) == 23);

            // Pushes: a newcomer (also on the list in Klaviyo), a member again (no change), a VIP onto Signups.
            String newcomer = account.klaviyo().addMember(signups, SimProfile.sms(TestSecrets.phone()), Instant.now());
            account.klaviyo().addMember(signups, vipOnly, Instant.now());
            for (String pushed : List.of(newcomer, people.get(3), vipOnly)) {
                WebhookRequests.flow(account, WebhookFixtures.flowBody(signups, pushed, "", "")).then().statusCode(202);
            }
            Eventually.until(WAIT, "the pushes applied", () -> applied(account.id()) == 3);

            // Three people leave Signups and one unsubscribes in Klaviyo; a full sync reads it all.
            List<String> leaving = List.of(people.get(5), people.get(6), people.get(1));
            leaving.forEach(profileId -> account.klaviyo().removeMember(signups, profileId));
            account.klaviyo().changeSmsConsent(people.get(7), SimProfile.UNSUBSCRIBED);
            TestDatabase.execute("""
                    update klaviyo_list set pending_trigger = 'manual', pending_full = true, next_sync_at = now()
                     where account_id = ? and klaviyo_list_id = ?""", account.id(), signups);
            Eventually.until(WAIT, "the full sync", () -> TestDatabase.count("""
                    select count(*) from sync_run r join klaviyo_list l on l.id = r.list_id
                     where l.account_id = ? and r.full_sync and r.status = 'succeeded'""", account.id()) == 1);

            // Consent webhooks.
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            WebhookRequests.system(account,
                    WebhookFixtures.consentEvent("ev-" + UUID.randomUUID(), "event:klaviyo.unsubscribed_from_sms_marketing", people.get(8), now),
                    WebhookFixtures.consentEvent("ev-" + UUID.randomUUID(), "event:klaviyo.unsubscribed_from_sms_marketing", people.get(0), now),
                    WebhookFixtures.consentEvent("ev-" + UUID.randomUUID(), "event:klaviyo.subscribed_to_email_marketing", vipOnly, now))
                    .then().statusCode(202);
            Eventually.until(WAIT, "the consent events applied", () -> applied(account.id()) == 6);

            Map<String, String> stored = stored(account.id());
            assertEquals(25, stored.size(), "23 backfilled, the newcomer, a VIP on Signups: " + stored);
            assertTrue(stored.get(signups + "/" + people.get(5)).startsWith("left"), "the removal is stored");

            List<JsonObject> paged = new ArrayList<>();
            String[] cursor = {null};
            Eventually.until(WAIT, "the pages rebuild what is stored", () -> {
                JsonPath page = page(account.id(), cursor[0]);
                page.getList("data", Map.class).forEach(change -> paged.add(new JsonObject(change)));
                cursor[0] = page.getString("next");
                return rebuild(paged).equals(stored);
            });
            Eventually.until(WAIT, "the stream rebuilds what is stored",
                    () -> rebuild(live.events().stream().map(event -> new JsonObject(event.data())).toList()).equals(stored));

            // One each: Klaviyo's unsubscribe and the pushed newcomer's first consent (both read by the full
            // sync), then the three webhooks; a push or a re-poll of unchanged people is none.
            assertEquals(sorted(List.of(people.get(7), newcomer, people.get(8), people.get(0), vipOnly)), sorted(consentChanges(paged)));
            assertEquals(paged.stream().map(change -> change.getString("id")).toList(),
                    live.events().stream().map(SseClient.Event::id).toList(), "the stream carries the pages' changes, in order");
        }
    }

    /** Applies the changes in order: a join puts the member on the list, a leave takes them off; every change carries consent. */
    private static Map<String, String> rebuild(List<JsonObject> changes) {
        Map<String, Boolean> onList = new TreeMap<>();
        Map<String, String> consent = new TreeMap<>();
        for (JsonObject change : changes) {
            String profile = change.getString("profileId");
            JsonObject member = change.getJsonObject("member");
            consent.put(profile, member.getString("smsConsent") + "/" + member.getString("emailConsent"));
            switch (change.getString("type")) {
                case "joined" -> onList.put(change.getString("listId") + "/" + profile, true);
                case "left" -> onList.put(change.getString("listId") + "/" + profile, false);
                default -> { }
            }
        }
        Map<String, String> rebuilt = new TreeMap<>();
        onList.forEach((membership, on) -> rebuilt.put(membership,
                (on ? "on " : "left ") + consent.get(membership.substring(membership.indexOf('/') + 1))));
        return rebuilt;
    }

    private static Map<String, String> stored(UUID account) {
        Map<String, String> stored = new TreeMap<>();
        TestDatabase.rows("""
                select l.klaviyo_list_id, s.klaviyo_profile_id, m.removed_at is null as on_list, s.sms_consent, s.email_consent
                  from list_membership m join klaviyo_list l on l.id = m.list_id join subscriber s on s.id = m.subscriber_id
                 where m.account_id = ?""", account).forEach(row -> stored.put(
                row.get("klaviyo_list_id") + "/" + row.get("klaviyo_profile_id"),
                (Boolean.TRUE.equals(row.get("on_list")) ? "on " : "left ") + row.get("sms_consent") + "/" + row.get("email_consent")));
        return stored;
    }

    private static List<String> consentChanges(List<JsonObject> changes) {
        return changes.stream().filter(change -> "consent".equals(change.getString("type")))
                .map(change -> change.getString("profileId")).toList();
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static void knownList(TestAccount account, String listId) {
        TestDatabase.execute("insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via) values (?, ?, ?, 'discovery')",
                account.id(), listId, "List " + listId);
    }

    private static long activeMembers(UUID account) {
        return TestDatabase.count("select count(*) from list_membership where account_id = ? and removed_at is null", account);
    }

    private static long applied(UUID account) {
        return TestDatabase.count("select count(*) from webhook_event where account_id = ? and status = 'applied'", account);
    }

    private static JsonPath page(UUID account, String after) {
        var request = given().auth().oauth2(ApiFixtures.TOKEN).queryParam("accountId", account).queryParam("limit", 7);
        if (after != null) {
            request.queryParam("after", after);
        }
        return request.get("/api/changes").then().statusCode(200).extract().jsonPath();
    }
}
