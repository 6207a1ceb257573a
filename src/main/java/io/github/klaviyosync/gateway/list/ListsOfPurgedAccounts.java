package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountPurge;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A purged account's lists, once their memberships and runs are gone, and its discovery schedule. */
@ApplicationScoped
class ListsOfPurgedAccounts implements AccountPurge {

    private final ListRepository lists;
    private final DiscoveryRepository discoveries;

    ListsOfPurgedAccounts(ListRepository lists, DiscoveryRepository discoveries) {
        this.lists = lists;
        this.discoveries = discoveries;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Uni<Integer> purgeBatch(SqlConnection connection, UUID accountId, int batch) {
        return lists.deleteOfAccount(connection, accountId, batch)
                .chain(deleted -> deleted > 0
                        ? Uni.createFrom().item(deleted)
                        : discoveries.deleteOfAccount(connection, accountId));
    }
}
