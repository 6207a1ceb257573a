package io.github.klaviyosync.gateway.syncrun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Runs past the retention are deleted, however many there are (more than one batch), while recent
 * runs and a run still going stay.
 */
@QuarkusTest
class SyncRunCleanupJobTest {

    private static final String INSERT_RUNS = """
            insert into sync_run (account_id, kind, trigger, status, started_at, finished_at)
            select ?, 'discovery', 'schedule', ?, now() - cast(? as interval), now() - cast(? as interval)
              from generate_series(1, ?)""";

    @Inject
    TestAccounts accounts;

    @Inject
    SyncRunCleanupJob job;

    @Inject
    SessionScopes scopes;

    @Test
    void deletesEveryRunPastTheRetentionInAsManyBatchesAsItTakes() {
        UUID account = accounts.register(accounts.klaviyoAccount(), null, null, false);
        TestDatabase.execute(INSERT_RUNS, account, "succeeded", "30 days", "30 days", 12_000);
        TestDatabase.execute(INSERT_RUNS, account, "failed", "30 days", "30 days", 10);
        TestDatabase.execute(INSERT_RUNS, account, "running", "30 days", "30 days", 1);
        TestDatabase.execute(INSERT_RUNS, account, "succeeded", "1 day", "1 day", 5);

        scopes.isolated(() -> job.deleteOldRuns()).await().indefinitely();

        assertEquals(1, TestDatabase.count("select count(*) from sync_run where account_id = ? and status = 'running'", account));
        assertEquals(5, TestDatabase.count("""
                select count(*) from sync_run where account_id = ? and status <> 'running'""", account),
                "only the recent finished runs are left");
    }
}
