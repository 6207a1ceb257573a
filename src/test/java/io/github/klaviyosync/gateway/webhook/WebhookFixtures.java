package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Test accounts, lists, subscribers and webhook bodies, each with fresh random ids. Accounts exist in
 * the Klaviyo simulator too (the sync engine may call Klaviyo for them and must never be refused), and
 * their secrets follow {@link TestSecrets}, so {@code LogLeakIT} proves none of them reached a log.
 */
public final class WebhookFixtures {

    private static final String ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private WebhookFixtures() {
    }

    /** A connected account as the intake sees it, with its secrets in clear for the test to sign with. */
    public record TestAccount(UUID id, String klaviyoAccountId, String webhookSecret, String flowToken, SimulatedAccount klaviyo) {
    }

    public static TestAccount account(TestAccounts accounts) {
        return account(accounts, true);
    }

    /** An account in the simulator and the database; its discovery is never due, so only the test adds lists. */
    public static TestAccount account(TestAccounts accounts, boolean withWebhookSecret) {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String secret = withWebhookSecret ? TestSecrets.secret("whsec") : null;
        String flowToken = TestSecrets.secret("flow");
        UUID id = accounts.register(klaviyo, secret, flowToken, false);
        return new TestAccount(id, klaviyo.klaviyoAccountId(), secret, flowToken, klaviyo);
    }

    /** A list the gateway already knows (found by discovery), empty in Klaviyo; returns its Klaviyo id. */
    public static String knownList(TestAccount account) {
        String listId = account.klaviyo().createList("Known list");
        TestDatabase.execute("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via)
                values (?, ?, 'Known list', 'discovery')""", account.id(), listId);
        return listId;
    }

    /** A subscriber the gateway already has, without any consent yet; returns its profile id. */
    public static String knownSubscriber(UUID accountId) {
        String profileId = profileId();
        TestDatabase.execute("insert into subscriber (account_id, klaviyo_profile_id) values (?, ?)", accountId, profileId);
        return profileId;
    }

    public static String profileId() {
        return "01" + random(24);
    }

    public static String random(int length) {
        StringBuilder text = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            text.append(ULID_ALPHABET.charAt(random.nextInt(ULID_ALPHABET.length())));
        }
        return text.toString();
    }

    public static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** One element of a system webhook's data: a consent event about a profile at a time. */
    public static String consentEvent(String externalId, String topic, String profileId, Instant at) {
        return """
                {"external_id":"%s","topic":"%s","payload":{"data":{"type":"event","id":"%s",
                "attributes":{"timestamp":%d,"datetime":"%s","event_properties":{},"uuid":"%s"},
                "relationships":{"profile":{"data":{"type":"profile","id":"%s"}},
                "metric":{"data":{"type":"metric","id":"M1"}}}}}}"""
                .formatted(externalId, topic, externalId, at.getEpochSecond(), at.atOffset(ZoneOffset.UTC),
                        UUID.randomUUID(), profileId);
    }

    public static String systemBody(String klaviyoAccountId, String webhookId, String... events) {
        return """
                {"data":[%s],"meta":{"klaviyo_account_id":"%s","klaviyo_webhook_id":"%s","timestamp":"%s"}}"""
                .formatted(Arrays.stream(events).collect(Collectors.joining(",")), klaviyoAccountId, webhookId,
                        Instant.now());
    }

    public static String flowBody(String listId, String profileId, String email, String phone) {
        return """
                {"list_id":"%s","profile_id":"%s","email":"%s","phone_number":"%s","first_name":"Ada","last_name":""}"""
                .formatted(listId, profileId, email, phone);
    }
}
