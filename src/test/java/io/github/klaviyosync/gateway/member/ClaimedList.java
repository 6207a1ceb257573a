package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;

/**
 * For the repository tests of this package: an account, a list claimed with {@link #token} and a
 * running sync run, created in the test's transaction (rolled back after it).
 */
final class ClaimedList {
    final UUID account = UUID.randomUUID();
    final UUID token = UUID.randomUUID();
    long listId;
    long runId;

    Uni<Void> create(SqlConnection connection) {
        return connection.preparedQuery("insert into account (id, name, api_key_enc) values ($1, 'test', '\\x00')")
                .execute(Tuple.of(account))
                .chain(() -> connection.preparedQuery("""
                        insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, lease_owner, lease_token, lease_until)
                        values ($1, 'L', 'List', 'discovery', 'instance', $2, now() + interval '1 minute') returning id""")
                        .execute(Tuple.of(account, token)))
                .invoke(rows -> listId = rows.iterator().next().getLong("id"))
                .chain(() -> connection.preparedQuery("""
                        insert into sync_run (account_id, list_id, kind, trigger) values ($1, $2, 'members', 'schedule') returning id""")
                        .execute(Tuple.of(account, listId)))
                .invoke(rows -> runId = rows.iterator().next().getLong("id"))
                .replaceWithVoid();
    }

    /** The claim as the engine holds it, due at {@code dueAt}. */
    ListLease lease(Instant dueAt) {
        return new ListLease(listId, token, account, "L", null, null, SyncTrigger.SCHEDULE, false, dueAt, null, null, new byte[0],
                null, "instance");
    }
}
