package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.Tokens;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Test accounts, lists, subscribers and webhook bodies, each with fresh random ids. Every secret
 * carries {@code SECRETMARK} in its middle, so a scan of the logs can prove none was written.
 */
final class WebhookFixtures {

    static final String SECRET_MARK = "SECRETMARK";
    private static final String ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private WebhookFixtures() {
    }

    /** A connected account as the intake sees it, with its secrets in clear for the test to sign with. */
    record TestAccount(UUID id, String klaviyoAccountId, String webhookSecret, String flowToken) {
    }

    static TestAccount account(SecretBox box) {
        return account(box, true);
    }

    static TestAccount account(SecretBox box, boolean withWebhookSecret) {
        UUID id = UUID.randomUUID();
        String context = id.toString();
        String klaviyoAccountId = "KA" + random(8);
        String secret = withWebhookSecret ? "whsec-" + SECRET_MARK + "-" + random(24) : null;
        String flowToken = "flow-" + SECRET_MARK + "-" + random(24);
        TestDatabase.update("""
                insert into account (id, name, klaviyo_account_id, api_key_enc, webhook_secret_enc, flow_token_hash)
                values (?, ?, ?, ?, ?, ?)""",
                id, "test " + id, klaviyoAccountId,
                box.seal("pk-" + SECRET_MARK + "-" + random(24), context),
                secret == null ? null : box.seal(secret, context),
                Tokens.hash(flowToken));
        return new TestAccount(id, klaviyoAccountId, secret, flowToken);
    }

    /** A list the gateway already knows (found by discovery); returns its Klaviyo id. */
    static String knownList(UUID accountId) {
        String listId = "L" + random(6);
        TestDatabase.update("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via)
                values (?, ?, 'Known list', 'discovery')""", accountId, listId);
        return listId;
    }

    /** A subscriber the gateway already has, without any consent yet; returns its profile id. */
    static String knownSubscriber(UUID accountId) {
        String profileId = profileId();
        TestDatabase.update("insert into subscriber (account_id, klaviyo_profile_id) values (?, ?)", accountId, profileId);
        return profileId;
    }

    static String profileId() {
        return "01" + random(24);
    }

    static String random(int length) {
        StringBuilder text = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            text.append(ULID_ALPHABET.charAt(random.nextInt(ULID_ALPHABET.length())));
        }
        return text.toString();
    }

    static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** One element of a system webhook's data: a consent event about a profile at a time. */
    static String consentEvent(String externalId, String topic, String profileId, Instant at) {
        return """
                {"external_id":"%s","topic":"%s","payload":{"data":{"type":"event","id":"%s",
                "attributes":{"timestamp":%d,"datetime":"%s","event_properties":{},"uuid":"%s"},
                "relationships":{"profile":{"data":{"type":"profile","id":"%s"}},
                "metric":{"data":{"type":"metric","id":"M1"}}}}}}"""
                .formatted(externalId, topic, externalId, at.getEpochSecond(), at.atOffset(ZoneOffset.UTC),
                        UUID.randomUUID(), profileId);
    }

    static String systemBody(String klaviyoAccountId, String webhookId, String... events) {
        return """
                {"data":[%s],"meta":{"klaviyo_account_id":"%s","klaviyo_webhook_id":"%s","timestamp":"%s"}}"""
                .formatted(Arrays.stream(events).collect(Collectors.joining(",")), klaviyoAccountId, webhookId,
                        Instant.now());
    }

    static String flowBody(String listId, String profileId, String email, String phone) {
        return """
                {"list_id":"%s","profile_id":"%s","email":"%s","phone_number":"%s","first_name":"Ada","last_name":""}"""
                .formatted(listId, profileId, email, phone);
    }
}
