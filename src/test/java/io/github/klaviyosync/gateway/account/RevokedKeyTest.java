package io.github.klaviyosync.gateway.account;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A key Klaviyo refuses marks its account auth_failed, and the account's calls stop. */
@QuarkusTest
class RevokedKeyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KlaviyoClient client;

    @Inject
    KlaviyoSimulator simulator;

    @Inject
    SecretBox secrets;

    @Inject
    AccountRepository accounts;

    @Inject
    TestAccounts testAccounts;

    @Test
    void aRefusedKeyMarksTheAccountAuthFailedAndStopsItsCalls() throws Throwable {
        SimulatedAccount klaviyo = simulator.createAccount();
        UUID accountId = testAccounts.register(klaviyo, null, null, false);
        KlaviyoCredentials credentials = credentialsOf(accountId);
        klaviyo.revokeKey();

        assertThrows(KlaviyoAuthException.class, () -> client.account(credentials).await().atMost(WAIT));

        Account marked = awaitStatus(accountId, AccountStatus.AUTH_FAILED);
        assertThat(marked.statusReason, containsString("Klaviyo refused the API key (HTTP 401)"));
        assertThat(marked.statusReason, containsString("Incorrect authentication credentials."));
        assertThrows(KlaviyoAuthException.class,
                () -> client.lists(credentials, null).collect().asList().await().atMost(WAIT));
        assertThrows(KlaviyoAuthException.class, () -> client.account(credentials).await().atMost(WAIT));
        assertEquals(1, klaviyo.counters().requests(), "calls after the refusal made no HTTP request");
        assertTrue(client.isStopped(accountId.toString()));
    }

    @Test
    void callsGoAgainOnceTheKeyIsReplaced() throws Throwable {
        SimulatedAccount klaviyo = simulator.createAccount();
        UUID accountId = testAccounts.register(klaviyo, null, null, false);
        klaviyo.revokeKey();
        assertThrows(KlaviyoAuthException.class, () -> client.account(credentialsOf(accountId)).await().atMost(WAIT));
        awaitStatus(accountId, AccountStatus.AUTH_FAILED);

        SimulatedAccount replacement = simulator.createAccount();
        client.resume(accountId.toString());
        KlaviyoCredentials replaced = new KlaviyoCredentials(accountId.toString(), replacement.klaviyoAccountId(), replacement.apiKey());

        assertEquals(replacement.klaviyoAccountId(), client.account(replaced).await().atMost(WAIT).id());
        assertEquals(1, replacement.counters().requests());
    }

    /** What the sync engine does before a call: open the sealed key with the account id. */
    private KlaviyoCredentials credentialsOf(UUID accountId) throws Throwable {
        Account account = VertxContextSupport.subscribeAndAwait(() -> accounts.findById(accountId));
        return new KlaviyoCredentials(accountId.toString(), AccountCredentials.metricLabel(accountId, account.klaviyoAccountId),
                secrets.open(account.apiKeySealed, SecretField.API_KEY, accountId));
    }

    private Account awaitStatus(UUID accountId, AccountStatus status) throws Throwable {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Account account = null;
        while (System.nanoTime() < deadline) {
            account = VertxContextSupport.subscribeAndAwait(() -> accounts.findById(accountId));
            if (account.status == status) {
                return account;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("account " + accountId + " is still " + (account == null ? null : account.status));
    }
}
