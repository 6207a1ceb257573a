package io.github.klaviyosync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Reads what verifying a webhook needs from an account, in one indexed query on the reactive pool
 * (the intake's hot path avoids an ORM session per request). Deleted accounts are unknown.
 */
@ApplicationScoped
public class IntakeAccounts {

    private static final String SELECT = """
            select klaviyo_account_id, webhook_secret_enc, flow_token_hash
            from account where id = $1 and status <> 'deleted'""";

    private final Pool pool;

    IntakeAccounts(Pool pool) {
        this.pool = pool;
    }

    /** The account's verification material, or null when there is no such account. */
    public Uni<IntakeAccount> find(UUID accountId) {
        // Through an acquired connection rather than Pool#preparedQuery: the latter leaves a timer
        // behind when the database is unreachable (vertx-sql-client#1706), which logs an error later.
        return pool.withConnection(connection -> connection.preparedQuery(SELECT).execute(Tuple.of(accountId)))
                .map(rows -> first(accountId, rows));
    }

    private static IntakeAccount first(UUID accountId, RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        byte[] secret = row.getBuffer("webhook_secret_enc") == null ? null : row.getBuffer("webhook_secret_enc").getBytes();
        return new IntakeAccount(accountId, row.getString("klaviyo_account_id"), secret, row.getString("flow_token_hash"));
    }

    /** An account as the intake sees it: the sealed webhook secret and the flow token's hash. */
    public record IntakeAccount(UUID id, String klaviyoAccountId, byte[] webhookSecretSealed, String flowTokenHash) {

        @Override
        public String toString() {
            return "IntakeAccount[" + id + "]";
        }
    }
}
