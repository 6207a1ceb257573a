package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountStatusFollower;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The lists of an account that stops being active leave the index of due lists, which every
 * member-sync claim reads, and come back, due as they were, when it is active again: otherwise they
 * stay overdue forever and each claim reads them all to leave them out.
 */
@ApplicationScoped
class ListsFollowAccountStatus implements AccountStatusFollower {

    private final ListRepository lists;

    ListsFollowAccountStatus(ListRepository lists) {
        this.lists = lists;
    }

    @Override
    public Uni<Void> accountActiveChanged(UUID accountId, boolean active) {
        return lists.followAccount(accountId, active)
                .replaceWithVoid();
    }
}
