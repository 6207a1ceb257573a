package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountPurge;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A purged account's memberships, then its people (once no membership refers to them); before its lists. */
@ApplicationScoped
class MembersOfPurgedAccounts implements AccountPurge {

    private final MembershipRepository memberships;
    private final SubscriberRepository subscribers;

    MembersOfPurgedAccounts(MembershipRepository memberships, SubscriberRepository subscribers) {
        this.memberships = memberships;
        this.subscribers = subscribers;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Uni<Integer> purgeBatch(SqlConnection connection, UUID accountId, int batch) {
        return memberships.deleteOfAccount(connection, accountId, batch)
                .chain(deleted -> deleted > 0
                        ? Uni.createFrom().item(deleted)
                        : subscribers.deleteOfAccount(connection, accountId, batch));
    }
}
