package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.account.AccountPurge;
import io.github.klaviyosync.gateway.status.query.StatusCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A purged account's count rows, last: deleting its people and events appends to them until those are gone. */
@ApplicationScoped
class CountsOfPurgedAccounts implements AccountPurge {

    private final StatusCounts counts;

    CountsOfPurgedAccounts(StatusCounts counts) {
        this.counts = counts;
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public Uni<Integer> purgeBatch(SqlConnection connection, UUID accountId, int batch) {
        return counts.deleteOfAccount(connection, accountId, batch);
    }
}
