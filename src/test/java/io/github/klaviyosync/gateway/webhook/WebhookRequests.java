package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier;
import static io.restassured.RestAssured.given;

import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Sends webhooks the way Klaviyo does: system ones signed, flow ones with the account's token. */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    /** A correctly signed system webhook carrying {@code events}, sent now. */
    public static Response system(TestAccount account, String... events) {
        String webhookId = "wh-" + UUID.randomUUID();
        byte[] body = WebhookFixtures.systemBody(account.klaviyoAccountId(), webhookId, events).getBytes(StandardCharsets.UTF_8);
        return signed(account.id().toString(), account.webhookSecret(), webhookId, WebhookFixtures.httpDate(Instant.now()), body);
    }

    public static Response signed(String accountId, String secret, String webhookId, String timestamp, byte[] body) {
        return given()
                .header("Klaviyo-Webhook-Id", webhookId)
                .header("Klaviyo-Timestamp", timestamp)
                .header("Klaviyo-Signature", SignatureVerifier.sign(secret, body, timestamp))
                .contentType("application/json")
                .body(body)
                .post("/webhooks/klaviyo/{accountId}", accountId);
    }

    public static Response flow(TestAccount account, String body) {
        return flow(account.id().toString(), account.flowToken(), body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response flow(String accountId, String token, byte[] body) {
        return given()
                .header("X-Gateway-Token", token)
                .contentType("application/json")
                .body(body)
                .post("/webhooks/klaviyo/{accountId}/flow", accountId);
    }
}
