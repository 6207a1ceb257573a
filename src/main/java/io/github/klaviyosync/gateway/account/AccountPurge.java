package io.github.klaviyosync.gateway.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.UUID;

/**
 * A package's rows of an account being purged, deleted a bounded batch at a time by
 * {@link AccountPurgeJob}. The account package owns only its table: it asks the owners of the others
 * through this, in {@link #order()}.
 */
public interface AccountPurge {

    /** Lower goes first: rows that refer to another package's rows (memberships) before those rows (people, lists). */
    int order();

    /** Deletes up to {@code batch} of the account's rows in the caller's transaction; returns how many (0: none left). */
    Uni<Integer> purgeBatch(SqlConnection connection, UUID accountId, int batch);
}
