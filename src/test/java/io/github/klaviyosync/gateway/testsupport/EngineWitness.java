package io.github.klaviyosync.gateway.testsupport;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The positive half of a "nothing happened" check on the sync engine: a list of a fresh account made
 * due now, and waited for until the engine has synced it. Whatever was due when it was made due has
 * been considered by a claim since, so a list that is still untouched was skipped, not merely not
 * reached yet.
 */
public final class EngineWitness {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private EngineWitness() {
    }

    /** Returns once the engine has claimed and synced a list made due after everything due before. */
    public static void awaitAClaim(TestAccounts accounts) {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Witness");
        UUID accountId = accounts.register(klaviyo, null, null, false);
        Instant due = Instant.now();
        TestDatabase.execute("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at)
                values (?, ?, 'Witness', 'discovery', ?)""", accountId, listId, due);
        Eventually.until(WAIT, "the engine syncs a list made due now", () -> TestDatabase.count(
                "select count(*) from klaviyo_list where account_id = ? and last_synced_at is not null", accountId) == 1);
    }
}
