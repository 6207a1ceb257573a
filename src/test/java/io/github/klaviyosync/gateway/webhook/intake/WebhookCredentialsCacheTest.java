package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookRequests;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.NewEvent;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The intake keeps each account's webhook credentials in memory, yet never accepts a request that
 * the account's current credentials refuse: whether they were changed through this instance's API
 * or in the database underneath it (as another instance would), the old ones are refused at once and
 * the new ones work at once; a deleted account is unknown.
 */
@QuarkusTest
class WebhookCredentialsCacheTest {

    @Inject
    TestAccounts accounts;

    @Inject
    SecretBox secretBox;

    @Inject
    IntakeAccounts intakeAccounts;

    @Inject
    InboxWriter inboxWriter;

    @Test
    void aFlowTokenRotatedThroughTheApiIsRefusedAtOnceAndTheNewOneWorksAtOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        pushWith(account, account.flowToken(), listId).then().statusCode(202);

        String newToken = TestSecrets.remember(given().auth().oauth2("test-token-for-the-test-suite")
                .when().post("/api/accounts/" + account.id() + "/flow-token")
                .then().statusCode(200)
                .extract().path("webhooks.flowToken"));

        pushWith(account, account.flowToken(), listId).then().statusCode(401);
        pushWith(account, newToken, listId).then().statusCode(202);
        assertEquals(2, storedEvents(account));
    }

    @Test
    void anAccountWithoutAWebhookSecretTakesFlowPushesAndRefusesSystemWebhooks() {
        TestAccount account = WebhookFixtures.account(accounts, false);
        String listId = WebhookFixtures.knownList(account);

        pushWith(account, account.flowToken(), listId).then().statusCode(202);
        pushWith(account, account.flowToken(), listId).then().statusCode(202);
        systemSignedWith(account, TestSecrets.secret("whsec")).then().statusCode(401);
        assertEquals(2, storedEvents(account));
    }

    @Test
    void aFlowTokenChangedInTheDatabaseUnderneathIsRefusedAtOnceAndTheNewOneWorksAtOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        pushWith(account, account.flowToken(), listId).then().statusCode(202);
        assertEquals(Tokens.hash(account.flowToken()), intakeAccounts.cached(account.id()).flowTokenHash(),
                "the intake has the old token's hash in memory");

        String newToken = TestSecrets.secret("flow");
        TestDatabase.execute("update account set flow_token_hash = ? where id = ?", Tokens.hash(newToken), account.id());

        pushWith(account, account.flowToken(), listId).then().statusCode(401);
        pushWith(account, newToken, listId).then().statusCode(202);
        pushWith(account, account.flowToken(), listId).then().statusCode(401);
        assertEquals(2, storedEvents(account));
    }

    @Test
    void aWebhookSecretReplacedInTheDatabaseUnderneathIsRefusedAtOnceAndTheNewOneWorksAtOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        systemSignedWith(account, account.webhookSecret()).then().statusCode(202);
        assertEquals(account.id(), intakeAccounts.cached(account.id()).accountId(), "the intake has the account in memory");

        String newSecret = TestSecrets.secret("whsec");
        TestDatabase.execute("update account set webhook_secret_enc = ? where id = ?",
                secretBox.seal(newSecret, SecretField.WEBHOOK_SECRET, account.id()), account.id());

        systemSignedWith(account, account.webhookSecret()).then().statusCode(401);
        systemSignedWith(account, newSecret).then().statusCode(202);
        assertEquals(2, storedEvents(account));
    }

    @Test
    void aKlaviyoAccountIdChangedInTheDatabaseUnderneathIsEnforcedAtOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        systemSignedWith(account, account.webhookSecret()).then().statusCode(202);

        TestDatabase.execute("update account set klaviyo_account_id = ? where id = ?", "XXREPLACED", account.id());

        systemSignedWith(account, account.webhookSecret()).then().statusCode(401);
        assertEquals(1, storedEvents(account));
    }

    @Test
    void anAccountDeletedThroughTheApiIsUnknownToBothKindsAtOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listId = WebhookFixtures.knownList(account);
        pushWith(account, account.flowToken(), listId).then().statusCode(202);
        systemSignedWith(account, account.webhookSecret()).then().statusCode(202);

        given().auth().oauth2("test-token-for-the-test-suite")
                .when().delete("/api/accounts/" + account.id())
                .then().statusCode(204);

        pushWith(account, account.flowToken(), listId).then().statusCode(404);
        systemSignedWith(account, account.webhookSecret()).then().statusCode(404);
        assertEquals(2, storedEvents(account));
    }

    @Test
    void anAccountMarkedDeletedOrPurgedUnderneathIsUnknownAtOnce() {
        TestAccount marked = WebhookFixtures.account(accounts);
        String markedList = WebhookFixtures.knownList(marked);
        pushWith(marked, marked.flowToken(), markedList).then().statusCode(202);
        TestAccount purged = WebhookFixtures.account(accounts);
        String purgedList = WebhookFixtures.knownList(purged);
        pushWith(purged, purged.flowToken(), purgedList).then().statusCode(202);

        // Deleting the row while the applier holds its push would only make one of the two wait.
        Eventually.until(Duration.ofSeconds(10), "the push is applied", () -> TestDatabase.count(
                "select count(*) from webhook_event where account_id = ? and status = 'applied'", purged.id()) == 1);
        TestDatabase.execute("update account set status = 'deleted' where id = ?", marked.id());
        TestDatabase.execute("delete from account where id = ?", purged.id());

        pushWith(marked, marked.flowToken(), markedList).then().statusCode(404);
        pushWith(purged, purged.flowToken(), purgedList).then().statusCode(404);
        assertEquals(1, storedEvents(marked));
    }

    @Test
    void theInboxRefusesEventsVerifiedWithCredentialsTheAccountNoLongerHolds() {
        TestAccount account = WebhookFixtures.account(accounts);
        WebhookCredentials verifiedWith = intakeAccounts.load(account.id()).await().indefinitely();
        TestDatabase.execute("update account set flow_token_hash = ? where id = ?",
                Tokens.hash(TestSecrets.secret("flow")), account.id());
        NewEvent push = new NewEvent(account.id(), WebhookKind.FLOW, null, null, "{}", null);

        StoreResult result = inboxWriter.store(verifiedWith, List.of(push)).await().indefinitely();

        assertEquals(new StoreResult(0, 0, 1), result);
        assertEquals(0, storedEvents(account));
    }

    private static Response pushWith(TestAccount account, String token, String listId) {
        return WebhookRequests.flow(account.id().toString(), token,
                WebhookFixtures.flowBody(listId, WebhookFixtures.profileId(), "", "").getBytes(StandardCharsets.UTF_8));
    }

    private static Response systemSignedWith(TestAccount account, String secret) {
        String webhookId = "wh-" + UUID.randomUUID();
        String event = WebhookFixtures.consentEvent("ev-" + UUID.randomUUID(), "event:klaviyo.viewed_page",
                WebhookFixtures.profileId(), Instant.now());
        byte[] body = WebhookFixtures.systemBody(account.klaviyoAccountId(), webhookId, event).getBytes(StandardCharsets.UTF_8);
        return WebhookRequests.signed(account.id().toString(), secret, webhookId, WebhookFixtures.httpDate(Instant.now()), body);
    }

    private static long storedEvents(TestAccount account) {
        return TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id());
    }
}
