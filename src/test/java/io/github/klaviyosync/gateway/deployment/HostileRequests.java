package io.github.klaviyosync.gateway.deployment;

import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Generates bad requests against one account: forged, stale, tampered, truncated, oversize,
 * wrongly typed, deeply nested and invalid UTF-8 webhooks of both kinds, and bad API calls. Each
 * carries a name saying what is wrong with it, for the failure message.
 */
final class HostileRequests {

    /** One generated request. */
    record Hostile(String what, HttpRequest request) {
    }

    private final String base;
    private final String accountId;
    private final String klaviyoAccountId;
    private final String secret;
    private final String flowToken;
    private final String listId;
    private final Random random;
    private final List<Hostile> requests = new ArrayList<>();

    HostileRequests(String base, String accountId, String klaviyoAccountId, String secret, String flowToken,
            String listId, long seed) {
        this.base = base;
        this.accountId = accountId;
        this.klaviyoAccountId = klaviyoAccountId;
        this.secret = secret;
        this.flowToken = flowToken;
        this.listId = listId;
        this.random = new Random(seed);
    }

    List<Hostile> generate(int rounds) {
        for (int i = 0; i < rounds; i++) {
            String webhookId = "wh-" + UUID.randomUUID();
            byte[] body = systemBody(webhookId, "ev-" + UUID.randomUUID());
            String now = httpDate(Instant.now());
            system("forged signature", webhookId, now, body, hex(32));
            system("stale timestamp", webhookId, httpDate(Instant.now().minusSeconds(3600)), body, null);
            system("timestamp from the future", webhookId, httpDate(Instant.now().plusSeconds(3600)), body, null);
            system("tampered body", webhookId, now, tamper(body), SignatureVerifier.sign(secret, body, now));
            system("truncated, signed", webhookId, now, truncate(body), null);
            system("webhook id differs from meta", "wh-other-" + i, now, body, null);
            system("another Klaviyo account", webhookId, now, utf8(new String(body, StandardCharsets.UTF_8)
                    .replace(klaviyoAccountId, "XXOTHER")), null);
            system("data is an object", webhookId, now, utf8("{\"data\":{},\"meta\":{\"klaviyo_account_id\":\"" + klaviyoAccountId
                    + "\",\"klaviyo_webhook_id\":\"" + webhookId + "\"}}"), null);
            system("external_id is a number", webhookId, now, utf8(new String(body, StandardCharsets.UTF_8)
                    .replaceFirst("\"external_id\":\"[^\"]*\"", "\"external_id\":" + i)), null);
            system("deep JSON", webhookId, now, utf8("[".repeat(20_000) + "]".repeat(20_000)), null);
            system("invalid UTF-8", webhookId, now, invalidUtf8(body), null);
            send("system webhook without headers", HttpRequest.newBuilder(uri("/webhooks/klaviyo/" + accountId))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

            String push = "{\"list_id\":\"" + listId + "\",\"profile_id\":\"01JWHOSTILE" + String.format("%015d", i)
                    + "\",\"email\":\"\",\"phone_number\":\"\",\"first_name\":\"\",\"last_name\":\"\"}";
            flow("wrong flow token", hex(16), utf8(push));
            flow("no flow token", null, utf8(push));
            flow("truncated push", flowToken, truncate(utf8(push)));
            flow("list_id is a number", flowToken, utf8(push.replace("\"list_id\":\"" + listId + "\"", "\"list_id\":" + i)));
            flow("profile_id missing", flowToken, utf8("{\"list_id\":\"" + listId + "\"}"));
            flow("a JSON array", flowToken, utf8("[" + push + "]"));
            flow("deep JSON push", flowToken, utf8("{\"list_id\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}"));
            flow("invalid UTF-8 push", flowToken, invalidUtf8(utf8(push)));
            flow("NUL in profile_id", flowToken, utf8(push.replace("01JWHOSTILE", "01JW\\u0000HOSTI")));
            send("flow push to an unknown account", flowRequest(UUID.randomUUID().toString(), flowToken, utf8(push)));
            send("flow push to a malformed account id", flowRequest("not-a-uuid-" + i, flowToken, utf8(push)));

            api("no bearer token", "GET", "/api/accounts", null, null);
            api("wrong bearer token", "GET", "/api/accounts/" + accountId, "Bearer " + hex(16), null);
            api("unknown account", "GET", "/api/accounts/" + UUID.randomUUID(), bearer(), null);
            api("malformed account id", "GET", "/api/accounts/x" + i + "/lists", bearer(), null);
            api("negative limit", "GET", "/api/accounts/" + accountId + "/runs?limit=-" + (i + 1), bearer(), null);
            api("limit is not a number", "GET", "/api/accounts/" + accountId + "/runs?limit=ten", bearer(), null);
            api("forged member cursor", "GET", "/api/accounts/" + accountId + "/lists/" + listId + "/members?after=" + hex(12), bearer(), null);
            api("connect with a truncated body", "POST", "/api/accounts", bearer(), "{\"name\":\"x\",\"apiKey\":");
            api("connect with wrong types", "POST", "/api/accounts", bearer(), "{\"name\":[1],\"apiKey\":{}}");
            api("connect with deep JSON", "POST", "/api/accounts", bearer(), "{\"name\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}");
            api("patch with wrong types", "PATCH", "/api/accounts/" + accountId, bearer(), "{\"apiKey\":12}");
            api("replay of an unknown event", "POST", "/api/accounts/" + accountId + "/webhook-events/" + (100_000 + i) + "/replay", bearer(), "");
        }
        byte[] oversize = new byte[(1 << 20) + 1];
        Arrays.fill(oversize, (byte) 'a');
        system("oversize system webhook", "wh-big", httpDate(Instant.now()), oversize, null);
        flow("oversize flow push", flowToken, oversize);
        return List.copyOf(requests);
    }

    private void system(String what, String webhookId, String timestamp, byte[] body, String signature) {
        String signed = signature != null ? signature : SignatureVerifier.sign(secret, body, timestamp);
        send(what, HttpRequest.newBuilder(uri("/webhooks/klaviyo/" + accountId))
                .header("Content-Type", "application/json")
                .header("Klaviyo-Webhook-Id", webhookId)
                .header("Klaviyo-Timestamp", timestamp)
                .header("Klaviyo-Signature", signed)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private void flow(String what, String token, byte[] body) {
        send(what, flowRequest(accountId, token, body));
    }

    private HttpRequest.Builder flowRequest(String account, String token, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/webhooks/klaviyo/" + account + "/flow"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return token == null ? request : request.header("X-Gateway-Token", token);
    }

    private void api(String what, String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        send(what, authorization == null ? request : request.header("Authorization", authorization));
    }

    private void send(String what, HttpRequest.Builder request) {
        requests.add(new Hostile(what, request.build()));
    }

    private byte[] systemBody(String webhookId, String externalId) {
        return utf8("{\"data\":[{\"external_id\":\"" + externalId + "\",\"topic\":\"event:klaviyo.subscribed_to_sms_marketing\","
                + "\"payload\":{\"data\":{\"type\":\"event\",\"id\":\"" + externalId + "\",\"attributes\":{\"timestamp\":1764300000},"
                + "\"relationships\":{\"profile\":{\"data\":{\"type\":\"profile\",\"id\":\"01JWHOSTILEPROFILE00000000\"}}}}}}],"
                + "\"meta\":{\"klaviyo_account_id\":\"" + klaviyoAccountId + "\",\"klaviyo_webhook_id\":\"" + webhookId
                + "\",\"timestamp\":\"2026-11-28T03:00:00Z\"}}");
    }

    private byte[] tamper(byte[] body) {
        byte[] copy = body.clone();
        int at = random.nextInt(copy.length);
        copy[at] = (byte) (copy[at] == 'a' ? 'b' : 'a');
        return copy;
    }

    private byte[] truncate(byte[] body) {
        return Arrays.copyOf(body, 1 + random.nextInt(body.length - 1));
    }

    private byte[] invalidUtf8(byte[] body) {
        byte[] copy = body.clone();
        int at = copy.length / 2 + random.nextInt(copy.length / 4);
        copy[at] = (byte) 0xC3;
        copy[at + 1] = (byte) 0x28;
        return copy;
    }

    private String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return java.util.HexFormat.of().formatHex(value);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String httpDate(Instant time) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(time.atOffset(ZoneOffset.UTC));
    }

    private static String bearer() {
        return "Bearer " + ChaosRig.API_TOKEN;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
