package io.github.klaviyosync.gateway.account;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * After Klaviyo refused an account's key on this instance, a new key given through another replica
 * (written to the database, never told to this instance) is used here at the next sync: whether an
 * account's calls stop follows the key the database holds, not this instance's memory.
 */
@QuarkusTest
class KeyReplacedElsewhereTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    TestAccounts accounts;

    @Inject
    KlaviyoSimulator simulator;

    @Inject
    SecretBox secretBox;

    @Inject
    ListSyncDispatcher dispatcher;

    @Inject
    ApplicationEngine applicationEngine;

    @Test
    void aKeyReplacedThroughAnotherReplicaIsUsedAtTheNextSyncWithoutAFailedRun() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Popup");
        klaviyo.addMembers(listId, 3, Instant.now().minusSeconds(3600));
        UUID accountId = accounts.register(klaviyo, null, null, false);
        execute("insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via) values (?, ?, 'n', 'discovery')",
                accountId, listId);
        applicationEngine.pauseQuiet();
        try {
            klaviyo.revokeKey();
            tickUntil(() -> "auth_failed".equals(TestDatabase.value("select status from account where id = ?", accountId)),
                    "Klaviyo refuses the key and the account is marked");

            // Another replica takes a new key for the same Klaviyo account: only the database knows.
            SimulatedAccount replaced = simulator.createAccount(TestSecrets.apiKey(), klaviyo.klaviyoAccountId(), "Replaced");
            replaced.createList(listId, "Popup", Instant.now().minusSeconds(7200));
            replaced.addMembers(listId, 5, Instant.now().minusSeconds(60));
            Instant patchedAt = Instant.now();
            execute("update account set api_key_enc = ?, status = 'active', status_reason = null where id = ?",
                    secretBox.seal(replaced.apiKey(), SecretField.API_KEY, accountId), accountId);
            // ...and puts the account's lists back in the index of due lists, as AccountService does.
            execute("update klaviyo_list set next_sync_at = now(), account_active = true where account_id = ?", accountId);

            tickUntil(() -> runsSince(accountId, patchedAt).stream().anyMatch(run -> "succeeded".equals(run.get("status"))),
                    "a sync with the new key");
            assertEquals(List.of("succeeded"), runsSince(accountId, patchedAt).stream().map(run -> run.get("status")).toList(),
                    "no failed run after the key was replaced");
            assertEquals("active", TestDatabase.value("select status from account where id = ?", accountId));
            assertTrue(replaced.counters().requests() > 0, "the new key reached Klaviyo");
        } finally {
            applicationEngine.resume();
        }
    }

    private void tickUntil(java.util.function.BooleanSupplier done, String what) throws Throwable {
        Instant deadline = Instant.now().plus(WAIT);
        while (!done.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "not within " + WAIT + ": " + what);
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick("this-replica"));
            Eventually.pause(Duration.ofMillis(50));
        }
    }

    private static List<Map<String, Object>> runsSince(UUID accountId, Instant since) {
        return rows("select status from sync_run where account_id = ? and started_at >= ? and kind = 'members' order by id",
                accountId, since);
    }
}
