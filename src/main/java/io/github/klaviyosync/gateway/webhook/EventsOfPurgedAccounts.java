package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.account.AccountPurge;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A purged account's stored webhook events; they refer to nothing but the account. */
@ApplicationScoped
class EventsOfPurgedAccounts implements AccountPurge {

    private final WebhookEventRepository events;

    EventsOfPurgedAccounts(WebhookEventRepository events) {
        this.events = events;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Uni<Integer> purgeBatch(SqlConnection connection, UUID accountId, int batch) {
        return events.deleteOfAccount(connection, accountId, batch);
    }
}
