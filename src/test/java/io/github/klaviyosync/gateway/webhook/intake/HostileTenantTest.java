package io.github.klaviyosync.gateway.webhook.intake;

import static io.github.klaviyosync.gateway.webhook.WebhookFixtures.consentEvent;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.testsupport.Management;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.github.klaviyosync.gateway.webhook.WebhookRequests;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A tenant's bad request fails alone, and requests for accounts that do not exist cost bounded work:
 * no other tenant's honest webhook is refused because of them.
 */
@QuarkusTest
class HostileTenantTest {

    private static final String SMS_SUBSCRIBED = "event:klaviyo.subscribed_to_sms_marketing";

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/webhooks/klaviyo/")
    URI webhooks;

    @Test
    void everyValueThatBecomesAColumnIsCheckedAndABadOneIsA400NamingTheField() {
        TestAccount account = WebhookFixtures.account(accounts);
        String profileId = WebhookFixtures.profileId();
        Instant now = Instant.now();

        refused(account, "external_id", "\"external_id\":\"ev-nul-\\u0000\"", now);
        refused(account, "external_id", "\"external_id\":\"" + "x".repeat(6000) + "\"", now);
        refused(account, "topic", "\"topic\":\"" + "t".repeat(201) + "\"", now);
        WebhookRequests.system(account, consentEvent("ev-" + UUID.randomUUID(), SMS_SUBSCRIBED, profileId,
                        Instant.parse("2100-01-01T00:00:00Z")))
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("datetime"));
        WebhookRequests.system(account, consentEvent("ev-" + UUID.randomUUID(), SMS_SUBSCRIBED, profileId,
                        Instant.parse("1900-01-01T00:00:00Z")))
                .then().statusCode(400).body("detail", containsString("datetime"));
        String list = WebhookFixtures.knownList(account);
        String push = """
                {"list_id":"%s","profile_id":"%s","email":"%s","phone_number":"%s","first_name":"%s","last_name":""}""";
        WebhookRequests.flow(account, push.formatted(list, profileId, "a".repeat(321), "", "Ada"))
                .then().statusCode(400).body("detail", containsString("'email'"));
        WebhookRequests.flow(account, push.formatted(list, profileId, "", "+1".repeat(21), "Ada"))
                .then().statusCode(400).body("detail", containsString("'phone_number'"));
        WebhookRequests.flow(account, push.formatted(list, profileId, "", "", "A".repeat(101)))
                .then().statusCode(400).body("detail", containsString("'first_name'"));
        WebhookRequests.flow(account, push.formatted(list, "P".repeat(201), "", "", "Ada"))
                .then().statusCode(400).body("detail", containsString("'profile_id'"));

        WebhookRequests.system(account, consentEvent("ev-" + UUID.randomUUID(), SMS_SUBSCRIBED, profileId, now))
                .then().statusCode(202);
        WebhookRequests.flow(account, push.formatted(list, profileId, "ada@example.com", "", "Ada")).then().statusCode(202);
        assertEquals(2, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()),
                "only the good ones are stored");
    }

    @Test
    void anEventDatedAfterItsArrivalCountsAsArrivedThenSoALaterChangeStillWins() {
        TestAccount account = WebhookFixtures.account(accounts);
        Instant before = Instant.now();
        WebhookRequests.system(account, consentEvent("ev-" + UUID.randomUUID(), SMS_SUBSCRIBED, WebhookFixtures.profileId(),
                before.plus(30, ChronoUnit.DAYS))).then().statusCode(202);

        Instant occurred = (Instant) TestDatabase.value("select occurred_at from webhook_event where account_id = ?", account.id());
        assertTrue(!occurred.isBefore(before.truncatedTo(ChronoUnit.MILLIS)) && !occurred.isAfter(Instant.now()),
                "stored as arrived: " + occurred);
    }

    @Test
    void aSharedCommitTheDatabaseRefusesIsWrittenAgainRequestByRequestSoOnlyTheBadOneFails() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        String refused = "ev-refused-" + WebhookFixtures.random(8);
        // The database refuses one event (a trigger of this test's own): a refusal the intake cannot foresee.
        TestDatabase.execute("""
                create function refuse_%1$s() returns trigger language plpgsql as $$
                begin
                    if new.external_id = '%2$s' then raise exception 'refused by the test'; end if;
                    return new;
                end $$""".formatted(refused.replace('-', '_'), refused));
        TestDatabase.execute("create trigger refuse_%1$s before insert on webhook_event for each row execute function refuse_%1$s()"
                .formatted(refused.replace('-', '_')));
        String blocker = "ev-blocker-" + UUID.randomUUID();
        try (Connection holding = TestDatabase.connect()) {
            // An uncommitted row with the blocker's id holds the first commit, so the requests behind it share the next.
            holding.setAutoCommit(false);
            try (PreparedStatement insert = holding.prepareStatement(
                    "insert into webhook_event (account_id, kind, external_id, payload) values (?, 'system', ?, '{}')")) {
                insert.setObject(1, account.id());
                insert.setString(2, blocker);
                insert.executeUpdate();
            }
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> send(account, blocker));
            io.github.klaviyosync.gateway.testsupport.Eventually.until(java.time.Duration.ofSeconds(10), "the first commit waits",
                    () -> TestDatabase.count("""
                            select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%webhook_event%'""") > 0);
            List<CompletableFuture<Integer>> honest = IntStream.range(0, 20)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> send(account, "ev-honest-" + UUID.randomUUID())))
                    .toList();
            CompletableFuture<Integer> bad = CompletableFuture.supplyAsync(() -> send(account, refused));
            Thread.sleep(300);
            holding.rollback();

            assertEquals(202, first.get());
            for (CompletableFuture<Integer> request : honest) {
                assertEquals(202, request.get(), "an honest request shares the bad one's commit and is still stored");
            }
            assertEquals(503, bad.get(), "the bad one alone is refused (Klaviyo retries a 503)");
        } finally {
            TestDatabase.execute("drop trigger refuse_%1$s on webhook_event".formatted(refused.replace('-', '_')));
        }
        assertEquals(21, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()));
    }

    @Test
    void aFloodOfMadeUpAccountIdsCostsAFewQueriesAndHonestPushesMeanwhileAreStored() throws Exception {
        TestAccount honest = WebhookFixtures.account(accounts);
        String list = WebhookFixtures.knownList(honest);
        WebhookRequests.flow(honest, WebhookFixtures.flowBody(list, WebhookFixtures.profileId(), "", "")).then().statusCode(202);
        double readsBefore = Management.metric("gateway_webhooks_account_reads_total");

        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Void>>> flood = new ArrayList<>();
        List<CompletableFuture<Integer>> pushes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            flood.add(client.sendAsync(HttpRequest.newBuilder(webhooks.resolve(UUID.randomUUID() + "/flow"))
                    .header("X-Gateway-Token", "guess").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()));
            if (i % 250 == 0) {
                String body = WebhookFixtures.flowBody(list, WebhookFixtures.profileId(), "", "");
                pushes.add(CompletableFuture.supplyAsync(() -> WebhookRequests.flow(honest, body).statusCode()));
            }
            if (flood.size() % 500 == 0) {
                CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).join();
            }
        }
        for (CompletableFuture<HttpResponse<Void>> request : flood) {
            assertEquals(404, request.get().statusCode());
        }
        for (CompletableFuture<Integer> push : pushes) {
            assertEquals(202, push.get());
        }
        double reads = Management.metric("gateway_webhooks_account_reads_total") - readsBefore;
        assertTrue(reads <= 50, "5,000 made-up ids cost " + reads + " reads");
        assertEquals(pushes.size() + 1, TestDatabase.count("select count(*) from webhook_event where account_id = ?", honest.id()));
    }

    private void refused(TestAccount account, String field, String externalIdOrTopic, Instant at) {
        String event = consentEvent("ev-" + UUID.randomUUID(), SMS_SUBSCRIBED, WebhookFixtures.profileId(), at);
        String tampered = field.equals("topic")
                ? event.replace("\"topic\":\"" + SMS_SUBSCRIBED + "\"", externalIdOrTopic)
                : event.replaceFirst("\"external_id\":\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement(externalIdOrTopic));
        WebhookRequests.system(account, tampered)
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("'" + field + "'"));
    }

    private static int send(TestAccount account, String externalId) {
        return WebhookRequests.system(account, consentEvent(externalId, SMS_SUBSCRIBED, WebhookFixtures.profileId(), Instant.now()))
                .statusCode();
    }
}
