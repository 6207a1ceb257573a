package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.github.klaviyosync.gateway.webhook.apply.WebhookClaimRepository.Claimed;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookApplierTest {

    @Inject
    TestAccounts accounts;

    @Inject
    WebhookApplier applier;

    @Inject
    Scheduler scheduler;

    @Inject
    EventClaims claims;

    @Test
    void twoConcurrentPassesApplyEachEventExactlyOnce() throws Exception {
        TestAccount first = WebhookFixtures.account(accounts);
        TestAccount second = WebhookFixtures.account(accounts);
        scheduler.pause(ApplierWakeUp.JOB);
        try {
            List<Long> events = new ArrayList<>();
            events.addAll(storeFlowPushes(first, 150));
            events.addAll(storeFlowPushes(second, 150));

            CompletableFuture<List<Long>> one = applier.applyDue().subscribeAsCompletionStage();
            CompletableFuture<List<Long>> other = applier.applyDue().subscribeAsCompletionStage();
            List<Long> appliedByOne = mine(one.get(), events);
            List<Long> appliedByOther = mine(other.get(), events);

            Set<Long> both = new HashSet<>(appliedByOne);
            both.retainAll(appliedByOther);
            assertTrue(both.isEmpty(), "no event applied by both passes");
            assertEquals(new HashSet<>(events), union(appliedByOne, appliedByOther));
            assertEquals(300, TestDatabase.count("""
                    select count(*) from webhook_event where account_id in (?, ?) and status = 'applied'""",
                    first.id(), second.id()));
            assertEquals(0, TestDatabase.count("select count(*) from webhook_claim where account_id in (?, ?)",
                    first.id(), second.id()), "both passes gave their accounts back");
            assertEquals(300, TestDatabase.count(
                    "select count(*) from list_membership where account_id in (?, ?)", first.id(), second.id()));
        } finally {
            scheduler.resume(ApplierWakeUp.JOB);
        }
    }

    /**
     * A claim holds the account (one row in webhook_claim) and writes none of its events: they keep the
     * row versions the inbox stored (xmin), so an event is written twice in all, stored and applied.
     */
    @Test
    void aClaimHoldsTheAccountWithoutWritingItsEvents() throws Throwable {
        TestAccount account = WebhookFixtures.account(accounts);
        String versions = "select string_agg(xmin::text, ',' order by id) from webhook_event where account_id = ?";
        scheduler.pause(ApplierWakeUp.JOB);
        try {
            List<Long> events = storeFlowPushes(account, 5);
            Object stored = TestDatabase.value(versions, account.id());

            List<Long> claimed = claimedOf(account, claims.claim("test-pass", 1000));
            List<Long> claimedAgain = claimedOf(account, claims.claim("other-pass", 1000));

            assertEquals(events, claimed, "the account's due events, in arrival order");
            assertEquals(List.of(), claimedAgain, "a held account's events are not claimed by another pass");
            assertEquals(1, TestDatabase.count("select count(*) from webhook_claim where account_id = ? and claimed_by = 'test-pass'",
                    account.id()));
            assertEquals(stored, TestDatabase.value(versions, account.id()), "the claim wrote no event");
        } finally {
            VertxContextSupport.subscribeAndAwait(() -> claims.releasePasses(List.of("test-pass", "other-pass")));
            scheduler.resume(ApplierWakeUp.JOB);
        }
    }

    @Test
    void aFailingEventIsRetriedThenFailedListedAndAppliedOnReplay() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        long event = storeEvent(account, "{\"list_id\": broken");

        Eventually.until(Duration.ofSeconds(15), "failed after its attempts", () -> "failed".equals(
                TestDatabase.value("select status from webhook_event where id = ?", event)));
        assertEquals(5L, TestDatabase.count("select attempts from webhook_event where id = ?", event));

        given().auth().oauth2("test-token-for-the-test-suite")
                .get("/api/accounts/{id}/webhook-events?status=failed", account.id())
                .then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].id", equalTo((int) event))
                .body("[0].kind", equalTo("flow"))
                .body("[0].status", equalTo("failed"))
                .body("[0].attempts", equalTo(5))
                .body("[0].error", equalTo("the stored payload does not parse as a FlowPush"));

        TestDatabase.execute("update webhook_event set payload = ? where id = ?",
                WebhookFixtures.flowBody(listId, WebhookFixtures.profileId(), "", ""), event);
        given().auth().oauth2("test-token-for-the-test-suite")
                .post("/api/accounts/{id}/webhook-events/{eventId}/replay", account.id(), event)
                .then().statusCode(202);

        Eventually.until(Duration.ofSeconds(5), "applied after the replay", () -> "applied".equals(
                TestDatabase.value("select status from webhook_event where id = ?", event)));
        given().auth().oauth2("test-token-for-the-test-suite")
                .get("/api/accounts/{id}/webhook-events?status=failed", account.id())
                .then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void aStoredPushWithoutAListIsFailedWithoutAskingKlaviyo() {
        TestAccount account = WebhookFixtures.account(accounts);
        long noList = storeEvent(account, "{\"profile_id\": \"01JNOLIST0000000000000000\"}");
        long empty = storeEvent(account, "{}");

        Eventually.until(Duration.ofSeconds(15), "both failed after their attempts", () -> TestDatabase.count(
                "select count(*) from webhook_event where id in (?, ?) and status = 'failed'", noList, empty) == 2);
        assertEquals(List.of("the stored push has no list_id or profile_id"), TestDatabase.rows(
                "select distinct error from webhook_event where id in (?, ?)", noList, empty).stream()
                .map(row -> row.get("error")).toList());
        assertEquals(0, account.klaviyo().counters().requests("get_list"), "no list looked up");
    }

    @Test
    void theEventsApiRefusesUnknownAccountsEventsAndBadQueries() {
        TestAccount account = WebhookFixtures.account(accounts);
        long event = storeEvent(account, WebhookFixtures.flowBody(WebhookFixtures.knownList(account),
                WebhookFixtures.profileId(), "", ""));

        given().auth().oauth2("test-token-for-the-test-suite").get("/api/accounts/{id}/webhook-events", UUID.randomUUID())
                .then().statusCode(404).body("status", equalTo(404));
        given().auth().oauth2("test-token-for-the-test-suite").get("/api/accounts/{id}/webhook-events", "nope").then().statusCode(404);
        given().auth().oauth2("test-token-for-the-test-suite").get("/api/accounts/{id}/webhook-events?status=lost", account.id())
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        for (String limit : new String[] {"0", "501", "ten"}) {
            given().auth().oauth2("test-token-for-the-test-suite").get("/api/accounts/{id}/webhook-events?limit=" + limit, account.id())
                    .then().statusCode(400);
        }
        given().auth().oauth2("test-token-for-the-test-suite").post("/api/accounts/{id}/webhook-events/{e}/replay", account.id(), event + 1000000)
                .then().statusCode(404);
        TestAccount other = WebhookFixtures.account(accounts);
        given().auth().oauth2("test-token-for-the-test-suite").post("/api/accounts/{id}/webhook-events/{e}/replay", other.id(), event)
                .then().statusCode(404);
        given().auth().oauth2("test-token-for-the-test-suite").get("/api/accounts/{id}/webhook-events?limit=1", account.id())
                .then().statusCode(200).body("", hasSize(1)).body("[0].id", equalTo((int) event));
    }

    @Test
    void onlyAFailedEventIsReplayedUnlessTheReplayIsForced() {
        TestAccount account = WebhookFixtures.account(accounts);
        String body = WebhookFixtures.flowBody(WebhookFixtures.knownList(account), WebhookFixtures.profileId(), "", "");
        long applied = storeEvent(account, body);
        TestDatabase.execute("update webhook_event set status = 'applied', applied_at = now() where id = ?", applied);
        long failed = storeEvent(account, body);
        TestDatabase.execute("update webhook_event set status = 'failed', attempts = 5, error = 'gave up' where id = ?", failed);

        given().auth().oauth2("test-token-for-the-test-suite")
                .post("/api/accounts/{id}/webhook-events/{eventId}/replay", account.id(), applied)
                .then().statusCode(409).contentType(Problem.MEDIA_TYPE).body("detail", containsString("force=true"));
        assertEquals("applied", TestDatabase.value("select status from webhook_event where id = ?", applied), "left as it was");
        given().auth().oauth2("test-token-for-the-test-suite")
                .post("/api/accounts/{id}/webhook-events/{eventId}/replay", account.id(), failed)
                .then().statusCode(202);
        given().auth().oauth2("test-token-for-the-test-suite")
                .post("/api/accounts/{id}/webhook-events/{eventId}/replay?force=true", account.id(), applied)
                .then().statusCode(202);
        given().auth().oauth2("test-token-for-the-test-suite")
                .post("/api/accounts/{id}/webhook-events/{eventId}/replay?force=maybe", account.id(), applied)
                .then().statusCode(400);

        Eventually.until(Duration.ofSeconds(5), "both replays applied", () -> TestDatabase.count(
                "select count(*) from webhook_event where id in (?, ?) and status = 'applied' and attempts = 0", applied, failed) == 2);
    }

    private static List<Long> claimedOf(TestAccount account, Uni<List<Claimed>> claim) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> claim).stream()
                .filter(event -> event.accountId().equals(account.id()))
                .map(Claimed::id)
                .toList();
    }

    private static List<Long> storeFlowPushes(TestAccount account, int count) {
        String listId = WebhookFixtures.knownList(account);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(storeEvent(account, WebhookFixtures.flowBody(listId, WebhookFixtures.profileId(), "", "")));
        }
        return ids;
    }

    private static long storeEvent(TestAccount account, String payload) {
        return ((Number) TestDatabase.value(
                "insert into webhook_event (account_id, kind, payload) values (?, 'flow', ?) returning id",
                account.id(), payload)).longValue();
    }

    private static List<Long> mine(List<Long> applied, List<Long> events) {
        Set<Long> ours = new HashSet<>(events);
        return applied.stream().filter(ours::contains).toList();
    }

    private static Set<Long> union(List<Long> one, List<Long> other) {
        Set<Long> all = new HashSet<>(one);
        all.addAll(other);
        return all;
    }
}
