package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.WebhookRequests;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatabaseOutageTest {

    @Inject
    TestAccounts accounts;

    @Inject
    Scheduler scheduler;

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
    void eventsBeingAppliedWhenTheDatabaseStopsAreAppliedSoonAfterItIsBack() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        EmbeddedPostgresServer server = EmbeddedPostgresResource.server();
        for (int i = 0; i < 100; i++) {
            push(account, listId).then().statusCode(202);
        }
        try {
            // Stops while the applier is (likely) in the middle of these events.
            server.stop();
            Thread.sleep(1500);
        } finally {
            server.start();
        }

        // Far sooner than a claim lease: claims of passes the outage cut short are given back.
        Eventually.until(Duration.ofSeconds(15), "every acknowledged event applied", () -> TestDatabase.count(
                "select count(*) from webhook_event where account_id = ? and status = 'applied'", account.id()) == 100);
        assertEquals(100, TestDatabase.count("select count(*) from list_membership where account_id = ?", account.id()));
    }

    private static final String SMS_SUBSCRIBED = "event:klaviyo.subscribed_to_sms_marketing";

    private static io.restassured.response.Response push(TestAccount account, String listId) {
        return WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, WebhookFixtures.profileId(), "", ""));
    }
}
