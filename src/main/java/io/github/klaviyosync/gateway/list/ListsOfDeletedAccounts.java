package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountDeletion;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * A deleted account's lists stop: their leases are released and pending requests dropped, so a sync
 * in flight loses its lease at its next page, and no discovery is due for the account any more.
 */
@ApplicationScoped
class ListsOfDeletedAccounts implements AccountDeletion {

    private final ListRepository lists;
    private final DiscoveryRepository discoveries;

    ListsOfDeletedAccounts(ListRepository lists, DiscoveryRepository discoveries) {
        this.lists = lists;
        this.discoveries = discoveries;
    }

    @Override
    public Uni<Void> accountDeleted(UUID accountId) {
        return lists.releaseAll(accountId)
                .chain(() -> discoveries.deleteById(accountId))
                .replaceWithVoid();
    }
}
