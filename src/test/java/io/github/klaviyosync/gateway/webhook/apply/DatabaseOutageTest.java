package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.WebhookRequests;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.github.klaviyosync.gateway.testsupport.EmbeddedPostgresResource;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import io.github.klaviyosync.gateway.db.DatabaseOutage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatabaseOutageTest {

    @Inject
    TestAccounts accounts;

    @Inject
    Scheduler scheduler;

    @Inject
    WebhookApplier applier;

    @Test
    void pushesAnswer503WhileTheDatabaseIsDownAndEverythingAcknowledgedIsAppliedAfterIt() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profile = WebhookFixtures.knownSubscriber(account.id());
        EmbeddedPostgresServer server = EmbeddedPostgresResource.server();
        // The events acknowledged before the outage are still waiting to be applied when it starts.
        scheduler.pause(ApplierWakeUp.JOB);
        try {
            for (int i = 0; i < 5; i++) {
                push(account, listId).then().statusCode(202);
            }
            WebhookRequests.system(account, WebhookFixtures.consentEvent("ev-before", SMS_SUBSCRIBED, profile, Instant.now()))
                    .then().statusCode(202);

            server.stop();
            try {
                push(account, listId).then().statusCode(503).header("Retry-After", notNullValue())
                        .body("status", equalTo(503));
                WebhookRequests.system(account, WebhookFixtures.consentEvent("ev-during", SMS_SUBSCRIBED, profile, Instant.now()))
                        .then().statusCode(503);
            } finally {
                server.start();
            }
        } finally {
            scheduler.resume(ApplierWakeUp.JOB);
        }

        push(account, listId).then().statusCode(202);
        Eventually.until(Duration.ofSeconds(10), "every acknowledged event applied", () -> TestDatabase.count(
                "select count(*) from webhook_event where account_id = ? and status = 'applied'", account.id()) == 7);
        assertEquals(6, TestDatabase.count("select count(*) from list_membership where account_id = ?", account.id()));
        assertEquals("SUBSCRIBED", TestDatabase.value(
                "select sms_consent from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profile));
    }

    @Test
    void claimsOfAPassTheOutageCutShortAreGivenBackAndTheirEventsAppliedSoonAfter() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        // Pushes to a list the gateway does not know: applying them first asks Klaviyo for the list,
        // which answers slowly, so the pass holds its claims while the database stops.
        String listId = account.klaviyo().createList("Announced by a push");
        account.klaviyo().faults().latency(Duration.ofSeconds(2));
        EmbeddedPostgresServer server = EmbeddedPostgresResource.server();
        scheduler.pause(ApplierWakeUp.JOB);
        CompletableFuture<List<Long>> pass;
        try {
            for (int i = 0; i < 20; i++) {
                push(account, listId).then().statusCode(202);
            }
            pass = applier.applyDue().subscribeAsCompletionStage();
            Eventually.until(Duration.ofSeconds(10), "the pass holds the account", () -> TestDatabase.count(
                    "select count(*) from webhook_claim where account_id = ?", account.id()) == 1);
            server.stop();
            try {
                ExecutionException cutShort = assertThrows(ExecutionException.class, () -> pass.get(30, TimeUnit.SECONDS));
                assertTrue(DatabaseOutage.isCausedBy(cutShort.getCause()), "the pass ends with the outage");
            } finally {
                server.start();
            }
            account.klaviyo().faults().clear();
            // The next pass gives back what the cut-short pass still holds, then applies it.
            applier.applyDue().await().atMost(Duration.ofSeconds(30));
        } finally {
            // Never left slow for the tests after this one: their passes would retry these events.
            account.klaviyo().faults().clear();
            scheduler.resume(ApplierWakeUp.JOB);
        }

        assertEquals(20, TestDatabase.count("""
                select count(*) from webhook_event where account_id = ? and status = 'applied' and attempts = 0""", account.id()),
                "applied without waiting out the claim lease, and no failed attempt counted for the outage");
        assertEquals(0, TestDatabase.count("select count(*) from webhook_claim where account_id = ?", account.id()),
                "the account was given back");
        assertEquals(20, TestDatabase.count("select count(*) from list_membership where account_id = ?", account.id()));
    }

    private static final String SMS_SUBSCRIBED = "event:klaviyo.subscribed_to_sms_marketing";

    private static io.restassured.response.Response push(TestAccount account, String listId) {
        return WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, WebhookFixtures.profileId(), "", ""));
    }
}
