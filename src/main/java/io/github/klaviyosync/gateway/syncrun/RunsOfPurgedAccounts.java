package io.github.klaviyosync.gateway.syncrun;

import io.github.klaviyosync.gateway.account.AccountPurge;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A purged account's runs; they go before its lists, which they refer to. */
@ApplicationScoped
class RunsOfPurgedAccounts implements AccountPurge {

    private final SyncRunRepository runs;

    RunsOfPurgedAccounts(SyncRunRepository runs) {
        this.runs = runs;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Uni<Integer> purgeBatch(SqlConnection connection, UUID accountId, int batch) {
        return runs.deleteOfAccount(connection, accountId, batch);
    }
}
