package io.github.klaviyosync.gateway.webhook;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookMetricsTest {

    @Inject
    SecretBox secretBox;

    @Test
    void receivedRejectedAppliedAndLatencyAreExportedWithoutIdsOrSecrets() {
        TestAccount account = WebhookFixtures.account(secretBox);
        String listId = WebhookFixtures.knownList(account.id());
        String profileId = WebhookFixtures.profileId();
        WebhookRequests.flow(account, WebhookFixtures.flowBody(listId, profileId, "", "")).then().statusCode(202);
        WebhookRequests.flow(account.id().toString(), "flow-SECRETMARK-wrong",
                "{}".getBytes(StandardCharsets.UTF_8)).then().statusCode(401);
        assertTrue(TestDatabase.eventually(Duration.ofSeconds(5), () -> "applied".equals(TestDatabase.value(
                "select status from webhook_event where account_id = ?", account.id()))));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertTrue(metrics.contains("gateway_webhooks_received_total{kind=\"flow\"}"), "received");
        assertTrue(metrics.contains("gateway_webhooks_rejected_total{kind=\"flow\",reason=\"token\"}"), "rejected by reason");
        assertTrue(metrics.contains("gateway_webhooks_applied_total{kind=\"flow\"}"), "applied");
        assertTrue(metrics.contains("gateway_webhooks_intake_to_applied_seconds_count{kind=\"flow\"}"), "latency");
        assertFalse(metrics.contains(WebhookFixtures.SECRET_MARK), "no secret in any tag");
        assertFalse(metrics.contains(profileId), "no profile id in any tag");
    }
}
