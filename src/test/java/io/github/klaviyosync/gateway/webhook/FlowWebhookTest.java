package io.github.klaviyosync.gateway.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import java.util.Map;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FlowWebhookTest {

    private static final String MEMBERSHIP = """
            select count(*) from list_membership m
            join klaviyo_list l on l.id = m.list_id join subscriber s on s.id = m.subscriber_id
            where l.account_id = ? and l.klaviyo_list_id = ? and s.klaviyo_profile_id = ? and m.removed_at is null""";

    @Inject
    TestAccounts accounts;

    @Inject
    ApplicationEngine applicationEngine;

    @Test
    void aPushedMemberIsOnTheListWithinASecondOfTheAcknowledgement() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();
        String phone = TestSecrets.phone();
        String nationalFormat = TestSecrets.remember("(415) " + phone.substring(5, 8) + "-" + phone.substring(8));

        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, TestSecrets.email(), nationalFormat))
                .then().statusCode(202).body("stored", equalTo(1));

        Eventually.until(Duration.ofSeconds(1), "the pushed member is on the list", () -> TestDatabase.count(MEMBERSHIP, account.id(), listId, profileId) == 1);
        assertEquals(phone, TestDatabase.value(
                "select phone_e164 from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId));
        assertEquals("webhook", TestDatabase.value("""
                select m.source from list_membership m join subscriber s on s.id = m.subscriber_id
                where s.account_id = ? and s.klaviyo_profile_id = ?""", account.id(), profileId));
        assertNull(TestDatabase.value(
                "select sms_consent from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId),
                "being on a list is not consent");
    }

    @Test
    void theSamePushThreeTimesLeavesOneMembershipCountedOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();
        String body = WebhookFixtures.flowBody(listId, profileId, TestSecrets.email(), "");

        for (int i = 0; i < 3; i++) {
            WebhookRequests.flow(account, body).then().statusCode(202);
        }

        awaitApplied(account, 3);
        assertEquals(1, TestDatabase.count(MEMBERSHIP, account.id(), listId, profileId));
        assertEquals(1, memberCount(account, listId));
    }

    @Test
    void aPushOfAMemberAFullSyncFoundGoneLeavesThemGoneAndHasTheListPolled() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();
        String body = WebhookFixtures.flowBody(listId, profileId, "", "");
        WebhookRequests.flow(account, body).then().statusCode(202);
        awaitApplied(account, 1);
        assertEquals(1, memberCount(account, listId));
        TestDatabase.execute("""
                update list_membership set removed_at = now() where list_id =
                (select id from klaviyo_list where account_id = ? and klaviyo_list_id = ?)""", account.id(), listId);
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() + interval '1 day', pending_trigger = null"
                + " where account_id = ?", account.id());

        // Replayed, or retried by Klaviyo long after: a hint, not Klaviyo's word. (The engine waits, so
        // that the poll the push asks for is still due when it is looked at.)
        applicationEngine.pauseQuiet();
        try {
            java.time.Instant secondPush = java.time.Instant.now().minusSeconds(1);
            WebhookRequests.flow(account, body).then().statusCode(202);
            awaitApplied(account, 2);
            assertEquals(0, TestDatabase.count(MEMBERSHIP, account.id(), listId, profileId), "still gone");
            assertEquals(0, memberCount(account, listId));
            Map<String, Object> list = TestDatabase.row(
                    "select pending_trigger, next_sync_at from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                    account.id(), listId);
            // A tick already running when the engine paused may have taken the request and polled the
            // list at once: that is the poll asked for, recorded as a webhook-triggered run.
            long polled = TestDatabase.count("""
                    select count(*) from sync_run r join klaviyo_list l on l.id = r.list_id
                     where l.account_id = ? and l.klaviyo_list_id = ? and r.kind = 'members' and r.trigger = 'webhook'
                       and r.started_at >= ?""", account.id(), listId, secondPush);
            if (polled == 0) {
                assertEquals("webhook", list.get("pending_trigger"), "the list is polled, where Klaviyo says whether they are back");
                assertTrue(!((java.time.Instant) list.get("next_sync_at")).isAfter(java.time.Instant.now()), "due now");
            }
        } finally {
            applicationEngine.resume();
        }
    }

    @Test
    void emptyPushedValuesNeverEraseKnownOnes() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();
        String email = TestSecrets.email();
        String phone = TestSecrets.remember("+442071838750");
        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, email, phone))
                .then().statusCode(202);
        awaitApplied(account, 1);

        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, "", "")).then().statusCode(202);

        awaitApplied(account, 2);
        assertEquals(email, TestDatabase.value(
                "select email from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId));
        assertEquals(phone, TestDatabase.value(
                "select phone_e164 from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId));
    }

    @Test
    void fiveHundredDistinctConcurrentPushesAreAllStoredAndApplied() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().executor(clients).build();
            java.net.URI uri = java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                    + "/webhooks/klaviyo/" + account.id() + "/flow");
            List<CompletableFuture<Integer>> answers = IntStream.range(0, 500)
                    .mapToObj(i -> http.sendAsync(java.net.http.HttpRequest.newBuilder(uri)
                            .header("X-Gateway-Token", account.flowToken())
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(WebhookFixtures.flowBody(
                                    listId, WebhookFixtures.profileId(), TestSecrets.email(), "")))
                            .build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                            .thenApply(java.net.http.HttpResponse::statusCode))
                    .toList();
            for (CompletableFuture<Integer> answer : answers) {
                assertEquals(202, answer.get());
            }
        } finally {
            clients.shutdownNow();
        }

        assertEquals(500, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()));
        awaitApplied(account, 500);
        assertEquals(500, TestDatabase.count(
                "select count(*) from list_membership where account_id = ? and removed_at is null", account.id()));
        assertEquals(500, memberCount(account, listId));
    }

    private static long memberCount(TestAccount account, String listId) {
        return TestDatabase.count("select member_count from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                account.id(), listId);
    }

    private static void awaitApplied(TestAccount account, int events) {
        Eventually.until(Duration.ofSeconds(20), "all " + events + " events applied", () -> TestDatabase.count(
                "select count(*) from webhook_event where account_id = ? and status = 'applied'", account.id()) == events);
    }
}
