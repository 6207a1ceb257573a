package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what verifying a webhook needs from an account, in one indexed query on the reactive pool
 * (the intake's hot path avoids an ORM session per request). Deleted accounts are unknown.
 *
 * <p>What was read is kept in memory ({@link #cached}), so a steady stream of pushes does not read the
 * account for every request. The cache is only a guess: the inbox stores an event only where the
 * account still holds the credentials it was verified with (see {@link InboxWriter}), and the intake
 * reads the account again ({@link #load}) before refusing a request that the cached copy refuses,
 * since another instance may have rotated the token or replaced the secret. Unknown accounts are
 * never cached: an account connected through another instance is known at once.
 */
@ApplicationScoped
public class IntakeAccounts {

    private static final String SELECT = """
            select klaviyo_account_id, webhook_secret_enc, flow_token_hash
            from account where id = $1 and status <> $2""";

    private final Pool pool;
    private final int cacheSize;
    private final Map<UUID, WebhookCredentials> cache = new ConcurrentHashMap<>();

    IntakeAccounts(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.cacheSize = config.webhook().accountCacheSize();
    }

    /** What this instance last read of the account, or null when it has not read it (or forgot it). */
    public WebhookCredentials cached(UUID accountId) {
        return cache.get(accountId);
    }

    /** The account's verification material as the database has it now, or null when there is no such account. */
    public Uni<WebhookCredentials> load(UUID accountId) {
        // Through an acquired connection rather than Pool#preparedQuery: the latter leaves a timer
        // behind when the database is unreachable (vertx-sql-client#1706), which logs an error later.
        return pool.withConnection(connection -> connection.preparedQuery(SELECT).execute(Tuple.of(accountId, AccountStatus.DELETED.wire())))
                .map(rows -> first(accountId, rows))
                .invoke(account -> remember(accountId, account));
    }

    private void remember(UUID accountId, WebhookCredentials account) {
        if (account == null) {
            cache.remove(accountId);
            return;
        }
        if (cache.size() >= cacheSize && !cache.containsKey(accountId)) {
            // Full: start afresh rather than track use; each account costs one read to come back.
            cache.clear();
        }
        cache.put(accountId, account);
    }

    private static WebhookCredentials first(UUID accountId, RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        byte[] secret = row.getBuffer("webhook_secret_enc") == null ? null : row.getBuffer("webhook_secret_enc").getBytes();
        return new WebhookCredentials(accountId, row.getString("klaviyo_account_id"), secret, row.getString("flow_token_hash"));
    }
}
