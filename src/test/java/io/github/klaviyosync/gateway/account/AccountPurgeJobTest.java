package io.github.klaviyosync.gateway.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.account.AccountPurgeJob.Purged;
import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A purge deletes an account's rows a bounded batch per transaction, memberships before people and
 * lists, the account row last, and nothing of another account.
 */
@QuarkusTest
class AccountPurgeJobTest {

    private static final List<String> TABLES = List.of("webhook_event", "sync_run", "list_membership", "subscriber",
            "klaviyo_list", "list_discovery", "account_count");
    private static final int BATCH = 7;

    @Inject
    AccountPurgeJob job;

    @Inject
    SessionScopes scopes;

    @Inject
    SecretBox secretBox;

    @Inject
    Scheduler scheduler;

    @Test
    void deletesEveryRowOfThePurgedAccountInBoundedBatchesAndLeavesTheOthersAlone() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        FixtureAccount purged = fixtures.account();
        FixtureAccount kept = fixtures.account();
        fill(fixtures, purged.id(), 50);
        fill(fixtures, kept.id(), 3);
        TestDatabase.execute("update account set status = 'deleted', purge_requested_at = now() where id = ?", purged.id());

        scheduler.pause("account-purge");
        Purged done;
        try {
            done = scopes.isolated(() -> job.purgeAll(BATCH)).await().indefinitely();
        } finally {
            scheduler.resume("account-purge");
        }

        assertTrue(done.accounts() >= 1, "the account went: " + done);
        // 100 memberships, 50 people, 20 runs and 30 events take at least 15 + 8 + 3 + 5 batches of 7.
        assertTrue(done.batches() >= 31, "bounded batches: " + done);
        assertEquals(0, TestDatabase.count("select count(*) from account where id = ?", purged.id()));
        for (String table : TABLES) {
            assertEquals(0, TestDatabase.count("select count(*) from " + table + " where account_id = ?", purged.id()), table);
        }
        assertEquals(6, TestDatabase.count("select count(*) from list_membership where account_id = ?", kept.id()));
        assertEquals(3, TestDatabase.count("select count(*) from subscriber where account_id = ?", kept.id()));
        assertEquals(2, TestDatabase.count("select count(*) from klaviyo_list where account_id = ?", kept.id()));
        // Its people carry marked emails, which SecretsAtRestTest, later in the run, must not find in a dump.
        TestDatabase.execute("delete from account where id = ?", kept.id());
    }

    /** Two lists with {@code people} members each, 20 runs and 30 webhook events (10 still to apply). */
    private static void fill(ApiFixtures fixtures, UUID account, int people) {
        long first = fixtures.list(account, fixtures.newListId());
        long second = fixtures.list(account, fixtures.newListId());
        for (int i = 0; i < people; i++) {
            long subscriber = fixtures.subscriber(account, "SUBSCRIBED");
            fixtures.membership(first, subscriber, account, Instant.now(), null);
            fixtures.membership(second, subscriber, account, Instant.now(), null);
        }
        TestDatabase.execute("""
                insert into sync_run (account_id, list_id, kind, trigger, status)
                select ?, ?, 'members', 'schedule', 'succeeded' from generate_series(1, 20)""", account, first);
        TestDatabase.execute("""
                insert into webhook_event (account_id, kind, payload, status)
                select ?, 'flow', '{}', case when n <= 20 then 'applied' else 'received' end from generate_series(1, 30) n""", account);
    }
}
