package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every way a webhook is refused: 401 without detail and nothing stored, 400, 404. */
@QuarkusTest
class WebhookRejectionTest {

    private static final String TOPIC = "event:klaviyo.subscribed_to_sms_marketing";

    @Inject
    TestAccounts accounts;

    @Test
    void signatureVectorsAreAllRefusedWithoutDetailAndNothingIsStored() {
        TestAccount account = WebhookFixtures.account(accounts);
        String id = account.id().toString();
        String webhookId = "wh-1";
        String now = WebhookFixtures.httpDate(Instant.now());
        byte[] body = bytes(WebhookFixtures.systemBody(account.klaviyoAccountId(), webhookId,
                WebhookFixtures.consentEvent("ev-1", TOPIC, WebhookFixtures.knownSubscriber(account.id()), Instant.now())));
        String signature = SignatureVerifier.sign(account.webhookSecret(), body, now);

        refused(WebhookRequests.signed(id, TestSecrets.secret("whsec"), webhookId, now, body));
        refused(signedWith(id, webhookId, now, signature, tampered(body)));
        String sixMinutesOld = WebhookFixtures.httpDate(Instant.now().minus(Duration.ofMinutes(6)));
        refused(WebhookRequests.signed(id, account.webhookSecret(), webhookId, sixMinutesOld, body));
        String sixMinutesAhead = WebhookFixtures.httpDate(Instant.now().plus(Duration.ofMinutes(6)));
        refused(WebhookRequests.signed(id, account.webhookSecret(), webhookId, sixMinutesAhead, body));
        refused(WebhookRequests.signed(id, account.webhookSecret(), "wh-other", now, body));
        refused(io.restassured.RestAssured.given().header("Klaviyo-Timestamp", now).header("Klaviyo-Signature", signature)
                .body(body).post("/webhooks/klaviyo/{id}", id));
        refused(io.restassured.RestAssured.given().header("Klaviyo-Webhook-Id", webhookId).header("Klaviyo-Signature", signature)
                .body(body).post("/webhooks/klaviyo/{id}", id));
        refused(io.restassured.RestAssured.given().header("Klaviyo-Webhook-Id", webhookId).header("Klaviyo-Timestamp", now)
                .body(body).post("/webhooks/klaviyo/{id}", id));
        refused(signedWith(id, webhookId, "not a date", SignatureVerifier.sign(account.webhookSecret(), body, "not a date"), body));

        assertEquals(0, storedEvents(account));
        // The control: the same request, untouched, is accepted.
        signedWith(id, webhookId, now, signature, body).then().statusCode(202);
        assertEquals(1, storedEvents(account));
    }

    @Test
    void aWrongOrMissingFlowTokenIsRefusedAndNothingIsStored() {
        TestAccount account = WebhookFixtures.account(accounts);
        byte[] body = bytes(WebhookFixtures.flowBody("L1", WebhookFixtures.profileId(), "", ""));

        refused(WebhookRequests.flow(account.id().toString(), TestSecrets.secret("flow"), body));
        refused(WebhookRequests.flow(account.id().toString(), account.flowToken() + "x", body));
        refused(io.restassured.RestAssured.given().body(body).post("/webhooks/klaviyo/{id}/flow", account.id()));

        assertEquals(0, storedEvents(account));
    }

    @Test
    void anAccountWithoutAWebhookSecretRefusesSystemWebhooks() {
        TestAccount account = WebhookFixtures.account(accounts, false);
        byte[] body = bytes(WebhookFixtures.systemBody(account.klaviyoAccountId(), "wh-1"));

        refused(WebhookRequests.signed(account.id().toString(), TestSecrets.secret("whsec"), "wh-1", WebhookFixtures.httpDate(Instant.now()), body));

        assertEquals(0, storedEvents(account));
    }

    @Test
    void aWebhookForAnotherKlaviyoAccountIsRefused() {
        TestAccount account = WebhookFixtures.account(accounts);
        byte[] body = bytes(WebhookFixtures.systemBody("KAOTHER", "wh-1",
                WebhookFixtures.consentEvent("ev-1", TOPIC, WebhookFixtures.profileId(), Instant.now())));

        refused(WebhookRequests.signed(account.id().toString(), account.webhookSecret(), "wh-1",
                WebhookFixtures.httpDate(Instant.now()), body));

        assertEquals(0, storedEvents(account));
    }

    @Test
    void malformedJsonAndWrongShapesAreBadRequests() {
        TestAccount account = WebhookFixtures.account(accounts);
        String meta = "\"meta\":{\"klaviyo_account_id\":\"" + account.klaviyoAccountId() + "\",\"klaviyo_webhook_id\":\"wh-1\"}";
        String event = WebhookFixtures.consentEvent("ev-1", TOPIC, WebhookFixtures.profileId(), Instant.now());
        String[] systemBodies = {
            "{\"data\":[", "", "[]", "{" + meta + "}", "{\"data\":[]}", "{\"data\":{}," + meta + "}",
            "{\"data\":[" + event + "]," + meta + "} trailing",
            "{\"data\":[\"text\"]," + meta + "}",
            "{\"data\":[{\"topic\":\"" + TOPIC + "\",\"payload\":{}}]," + meta + "}",
            "{\"data\":[{\"external_id\":5,\"topic\":\"" + TOPIC + "\",\"payload\":{}}]," + meta + "}",
            "{\"data\":[{\"external_id\":\"e\",\"topic\":\"" + TOPIC + "\",\"payload\":{\"data\":{}}}]," + meta + "}",
            "{\"data\":[{\"external_id\":\"e\",\"topic\":\"x\",\"payload\":\"p\"}]," + meta + "}",
            "{\"data\":[]," + meta.replace("\"wh-1\"", "1") + "}",
        };
        for (String body : systemBodies) {
            badRequest(WebhookRequests.signed(account.id().toString(), account.webhookSecret(), "wh-1",
                    WebhookFixtures.httpDate(Instant.now()), bytes(body)));
        }
        String[] flowBodies = {
            "{\"list_id\":", "[]", "{}", "{\"profile_id\":\"01ABC\"}", "{\"list_id\":\"L1\"}",
            "{\"list_id\":\"\",\"profile_id\":\"01ABC\"}", "{\"list_id\":5,\"profile_id\":\"01ABC\"}",
            "{\"list_id\":\"L1\",\"profile_id\":[\"01ABC\"]}", "{\"list_id\":\"L1\",\"profile_id\":\"01ABC\",\"email\":true}",
            "{\"list_id\":\"L1\",\"profile_id\":\"01ABC\",\"first_name\":{}}",
            "{\"list_id\":\"L1\",\"profile_id\":\"01ABC\",\"first_name\":\"\\u0000\"}",
        };
        for (String body : flowBodies) {
            badRequest(WebhookRequests.flow(account.id().toString(), account.flowToken(), bytes(body)));
        }
        byte[] invalidUtf8 = {'{', '"', 'l', 'i', 's', 't', '_', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', ',',
            '"', 'p', 'r', 'o', 'f', 'i', 'l', 'e', '_', 'i', 'd', '"', ':', '"', 'x', '"', '}'};
        badRequest(WebhookRequests.flow(account.id().toString(), account.flowToken(), invalidUtf8));

        assertEquals(0, storedEvents(account));
    }

    /**
     * JSON on the wire is UTF-8 without a byte order mark (RFC 8259). The parser would otherwise read
     * UTF-16 or UTF-32 and skip a BOM, while a flow push is stored as the UTF-8 text of its bytes: a
     * UTF-16 body failed in the database (503, retried for ever), a BOM was accepted (202) and its event
     * failed to apply.
     */
    @Test
    void aBodyInUtf16OrWithAByteOrderMarkIsABadRequest() {
        TestAccount account = WebhookFixtures.account(accounts);
        String flow = WebhookFixtures.flowBody("L1", WebhookFixtures.profileId(), "", "");
        byte[] withBom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(flow));
        for (byte[] body : List.of(flow.getBytes(StandardCharsets.UTF_16LE), flow.getBytes(StandardCharsets.UTF_16BE),
                flow.getBytes(StandardCharsets.UTF_16), withBom)) {
            WebhookRequests.flow(account.id().toString(), account.flowToken(), body)
                    .then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString("UTF-8"));
        }
        String meta = "\"meta\":{\"klaviyo_account_id\":\"" + account.klaviyoAccountId() + "\",\"klaviyo_webhook_id\":\"wh-1\"}";
        byte[] system = "{\"data\":[],%s}".formatted(meta).getBytes(StandardCharsets.UTF_16LE);
        WebhookRequests.signed(account.id().toString(), account.webhookSecret(), "wh-1", WebhookFixtures.httpDate(Instant.now()), system)
                .then().statusCode(400)
                .body("detail", containsString("UTF-8"));
        assertEquals(0, storedEvents(account));

        WebhookRequests.flow(account.id().toString(), account.flowToken(), bytes(flow)).then().statusCode(202);
        assertEquals(1, storedEvents(account), "the same push in UTF-8 is stored");
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] joined = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, joined, head.length, tail.length);
        return joined;
    }

    @Test
    void anUnknownAccountIsNotFound() {
        byte[] flow = bytes(WebhookFixtures.flowBody("L1", WebhookFixtures.profileId(), "", ""));
        for (String id : new String[] {UUID.randomUUID().toString(), "not-a-uuid"}) {
            WebhookRequests.flow(id, TestSecrets.secret("flow"), flow)
                    .then().statusCode(404).contentType(Problem.MEDIA_TYPE).body("status", equalTo(404));
            WebhookRequests.signed(id, TestSecrets.secret("whsec"), "wh-1", WebhookFixtures.httpDate(Instant.now()), flow)
                    .then().statusCode(404);
        }
    }

    private static void refused(Response response) {
        response.then().statusCode(401).body(emptyString());
    }

    private static void badRequest(Response response) {
        response.then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("detail", startsWith(""));
    }

    private static Response signedWith(String id, String webhookId, String timestamp, String signature, byte[] body) {
        return io.restassured.RestAssured.given()
                .header("Klaviyo-Webhook-Id", webhookId)
                .header("Klaviyo-Timestamp", timestamp)
                .header("Klaviyo-Signature", signature)
                .body(body)
                .post("/webhooks/klaviyo/{id}", id);
    }

    private static byte[] tampered(byte[] body) {
        byte[] copy = body.clone();
        int at = new String(copy, StandardCharsets.UTF_8).indexOf("ev-1") + 3;
        copy[at] = '2';
        return copy;
    }

    private static long storedEvents(TestAccount account) {
        return TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
