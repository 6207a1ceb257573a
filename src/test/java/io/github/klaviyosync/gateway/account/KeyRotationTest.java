package io.github.klaviyosync.gateway.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.account.SecretRewriter.Pass;
import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.SealedBeforeKeyIds;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A live database after a key rotation: accounts sealed under the old key, in the format written
 * before key ids (under the old key and under the current one), read by an application started with
 * the current key and the old one in {@code GATEWAY_CRYPTO_OLD_KEYS}. They keep working, and the rewrite
 * pass leaves every value sealed under the current key, which the old key alone no longer opens.
 */
@QuarkusTest
@TestProfile(KeyRotationProfile.class)
class KeyRotationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TestAccounts accounts;

    @Inject
    SecretBox secretBox;

    @Inject
    SecretRewriter rewriter;

    @Inject
    AccountRepository repository;

    @Inject
    SessionScopes scopes;

    @Inject
    MeterRegistry metrics;

    /** How a value was sealed before the application started. */
    private interface Sealer {
        byte[] seal(String plaintext, SecretField field, UUID accountId);
    }

    private record StoredAccount(UUID id, SimulatedAccount klaviyo, String listId, String webhookSecret) {
    }

    @Test
    void accountsSealedUnderTheOldKeyOrInTheOldFormatKeepWorkingAndThePassRewritesThemUnderTheCurrentKey() {
        byte[] currentKey = currentKey();
        SecretBox oldKeyOnly = new SecretBox(KeyRotationProfile.OLD_KEY);
        List<StoredAccount> stored = List.of(
                store(oldKeyOnly::seal, true),
                store((plaintext, field, id) -> SealedBeforeKeyIds.seal(KeyRotationProfile.OLD_KEY, plaintext, id), true),
                store((plaintext, field, id) -> SealedBeforeKeyIds.seal(currentKey, plaintext, id), true));

        Eventually.until(WAIT, "each account's key opens and Klaviyo takes it: its list is discovered",
                () -> stored.stream().allMatch(KeyRotationTest::listKnown));
        for (StoredAccount account : stored) {
            assertEquals(202, systemWebhook(account), "its webhook secret opens and the signature verifies");
            assertFalse(secretBox.isCurrent(sealed(account.id(), "api_key_enc")), "not rewritten yet");
            assertFalse(secretBox.isCurrent(sealed(account.id(), "webhook_secret_enc")), "not rewritten yet");
        }

        // Two replicas' passes at once: each value is sealed again once.
        List<Pass> passes = Uni.join().all(pass(), pass()).andFailFast().await().atMost(WAIT);
        assertEquals(6, passes.get(0).rewritten() + passes.get(1).rewritten(), passes.toString());
        assertEquals(new Pass(0, 0, 0), pass().await().atMost(WAIT), "nothing is left for a later pass");
        assertEquals(6.0, metrics.get("gateway.secrets.rewritten").counter().count(), "the metric counts them");
        assertEquals(0.0, metrics.get("gateway.secrets.outdated.accounts").gauge().value());

        SecretBox currentKeyOnly = new SecretBox(currentKey);
        for (StoredAccount account : stored) {
            for (SecretField field : SecretField.values()) {
                byte[] value = sealed(account.id(), field == SecretField.API_KEY ? "api_key_enc" : "webhook_secret_enc");
                String plaintext = field == SecretField.API_KEY ? account.klaviyo().apiKey() : account.webhookSecret();
                assertTrue(secretBox.isCurrent(value), field + " is sealed under the current key in the current format");
                assertEquals(1, value[0], "the format byte");
                assertEquals(plaintext, currentKeyOnly.open(value, field, account.id()));
                assertThrows(SecretBox.SecretBoxException.class, () -> oldKeyOnly.open(value, field, account.id()),
                        "the old key alone no longer opens it");
            }
        }

        for (StoredAccount account : stored) {
            assertEquals(202, systemWebhook(account), "the rewritten secret verifies");
            String newList = account.klaviyo().createList("After the rotation");
            given().auth().oauth2(ApiFixtures.TOKEN).when().post("/api/accounts/" + account.id() + "/discover")
                    .then().statusCode(202);
            Eventually.until(WAIT, "the rewritten key works: a new list is discovered",
                    () -> listKnown(account.id(), newList));
        }
    }

    @Test
    void aSecretReplacedWhileThePassRunsIsNeverOverwritten() {
        StoredAccount account = store(new SecretBox(KeyRotationProfile.OLD_KEY)::seal, false);
        byte[] readByThePass = sealed(account.id(), "webhook_secret_enc");
        String newSecret = TestSecrets.secret("whsec");
        given().auth().oauth2(ApiFixtures.TOKEN).contentType(ContentType.JSON).body(Map.of("webhookSecret", newSecret))
                .when().patch("/api/accounts/" + account.id())
                .then().statusCode(200);

        byte[] resealed = secretBox.seal(account.webhookSecret(), SecretField.WEBHOOK_SECRET, account.id());
        assertFalse(inTransaction(() -> repository.replaceWebhookSecretSealed(account.id(), readByThePass, resealed)));
        assertEquals(newSecret, secretBox.open(sealed(account.id(), "webhook_secret_enc"), SecretField.WEBHOOK_SECRET, account.id()),
                "the secret given meanwhile stays");

        byte[] apiKey = sealed(account.id(), "api_key_enc");
        byte[] apiKeyResealed = secretBox.seal(account.klaviyo().apiKey(), SecretField.API_KEY, account.id());
        assertTrue(inTransaction(() -> repository.replaceApiKeySealed(account.id(), apiKey, apiKeyResealed)),
                "a value still as read is replaced");
        assertTrue(secretBox.isCurrent(sealed(account.id(), "api_key_enc")));
    }

    private StoredAccount store(Sealer sealer, boolean discoveryDue) {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Before the rotation");
        String webhookSecret = TestSecrets.secret("whsec");
        UUID id = UUID.randomUUID();
        // Without discovery or sweep state an account is due now; without discoveryDue it gets, in the
        // same statement, states that are due never.
        TestDatabase.execute("""
                with created as (
                    insert into account (id, name, klaviyo_account_id, api_key_enc, webhook_secret_enc, status)
                    values (?, ?, ?, ?, ?, 'active')
                    returning id
                ), discovery as (
                    insert into list_discovery (account_id, next_discovery_at)
                    select id, 'infinity' from created where not ?)
                insert into profile_sweep (account_id, updated_cursor, next_sweep_at)
                select id, now(), 'infinity' from created where not ?
                """, id, klaviyo.organizationName(), klaviyo.klaviyoAccountId(),
                sealer.seal(klaviyo.apiKey(), SecretField.API_KEY, id),
                sealer.seal(webhookSecret, SecretField.WEBHOOK_SECRET, id), discoveryDue, discoveryDue);
        return new StoredAccount(id, klaviyo, listId, webhookSecret);
    }

    private Uni<Pass> pass() {
        return scopes.isolated(() -> rewriter.rewriteAll());
    }

    private boolean inTransaction(java.util.function.Supplier<Uni<Boolean>> work) {
        return scopes.isolated(() -> Panache.withTransaction(work)).await().atMost(WAIT);
    }

    private static int systemWebhook(StoredAccount account) {
        String webhookId = "wh-" + UUID.randomUUID();
        String timestamp = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC));
        byte[] body = """
                {"data":[{"external_id":"%s","topic":"event:klaviyo.rotation_check","payload":{"data":{}}}],
                 "meta":{"klaviyo_account_id":"%s","klaviyo_webhook_id":"%s","timestamp":"%s"}}"""
                .formatted("ev-" + UUID.randomUUID(), account.klaviyo().klaviyoAccountId(), webhookId, Instant.now())
                .getBytes(StandardCharsets.UTF_8);
        return given()
                .header("Klaviyo-Webhook-Id", webhookId)
                .header("Klaviyo-Timestamp", timestamp)
                .header("Klaviyo-Signature", SignatureVerifier.sign(account.webhookSecret(), body, timestamp))
                .contentType("application/json")
                .body(body)
                .post("/webhooks/klaviyo/{accountId}", account.id())
                .statusCode();
    }

    private static boolean listKnown(StoredAccount account) {
        return listKnown(account.id(), account.listId());
    }

    private static boolean listKnown(UUID accountId, String listId) {
        return TestDatabase.count("select count(*) from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                accountId, listId) == 1;
    }

    private static byte[] sealed(UUID accountId, String column) {
        return (byte[]) TestDatabase.value("select " + column + " from account where id = ?", accountId);
    }

    private static byte[] currentKey() {
        return Base64.getDecoder().decode(ConfigProvider.getConfig().getValue("gateway.crypto.key", String.class).trim());
    }
}
