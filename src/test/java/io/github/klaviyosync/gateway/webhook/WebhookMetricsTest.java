package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.Management;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookMetricsTest {

    @Inject
    TestAccounts accounts;

    @Test
    void receivedRejectedAppliedAndLatencyAreExportedWithoutIdsOrSecrets() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        String profileId = WebhookFixtures.profileId();
        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, "", "")).then().statusCode(202);
        WebhookRequests.flow(account.id().toString(), TestSecrets.secret("flow"),
                "{}".getBytes(StandardCharsets.UTF_8)).then().statusCode(401);
        Eventually.until(Duration.ofSeconds(5), "the push applied", () -> "applied".equals(TestDatabase.value(
                "select status from webhook_event where account_id = ?", account.id())));

        String metrics = Management.metrics();

        assertTrue(metrics.contains("gateway_webhooks_received_total{kind=\"flow\"}"), "received");
        assertTrue(metrics.contains("gateway_webhooks_rejected_total{kind=\"flow\",reason=\"token\"}"), "rejected by reason");
        assertTrue(metrics.contains("gateway_webhooks_applied_total{kind=\"flow\"}"), "applied");
        assertTrue(metrics.contains("gateway_webhooks_intake_to_applied_seconds_count{kind=\"flow\"}"), "latency");
        assertFalse(metrics.contains(TestSecrets.MARKER), "no secret in any tag");
        assertFalse(metrics.contains(profileId), "no profile id in any tag");
    }
}
