package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Connected accounts. */
@ApplicationScoped
@WithSession
public class AccountRepository implements PanacheRepositoryBase<Account, UUID> {

    /**
     * Accounts holding a secret that does not begin with {@code prefix} (the current key's format byte and
     * id), after {@code after} in id order. Plain SQL: HQL has no prefix of a byte array.
     */
    static final String SEALED_NOT_UNDER = """
            select id, api_key_enc, webhook_secret_enc
              from account
             where id > $1
               and (substring(api_key_enc from 1 for $2) <> $3
                    or substring(webhook_secret_enc from 1 for $2) <> $3)
             order by id
             limit $4""";

    /** The count of the accounts {@link #SEALED_NOT_UNDER} would find. */
    static final String COUNT_SEALED_NOT_UNDER = """
            select count(*) as outdated
              from account
             where substring(api_key_enc from 1 for $1) <> $2
                or substring(webhook_secret_enc from 1 for $1) <> $2""";

    /*
     * Purge (SKIP LOCKED): the account purged longest, locked for this batch's transaction only, so
     * replicas purge different accounts side by side. NO KEY UPDATE leaves rows referencing it unblocked.
     */
    static final String LOCK_NEXT_PURGE = """
            select id from account where purge_requested_at is not null
             order by purge_requested_at, id
             limit 1
               for no key update skip locked""";

    /** The end of a purge: the account row, once no row of any other table refers to it. */
    static final String DELETE_PURGED = "delete from account where id = $1 and purge_requested_at is not null";

    /** Accounts not deleted, oldest first. */
    public Uni<List<Account>> listVisible() {
        return list("status <> ?1 order by createdAt, id", AccountStatus.DELETED);
    }

    /** Every account, deleted ones included (not those being purged), oldest first. */
    public Uni<List<Account>> listAll() {
        return list("purgeRequestedAt is null order by createdAt, id");
    }

    /** The account unless it is unknown or deleted. */
    public Uni<Account> findVisible(UUID id) {
        return find("id = ?1 and status <> ?2", id, AccountStatus.DELETED).firstResult();
    }

    /** Another account, not deleted, connected to the same Klaviyo account. */
    public Uni<Account> findVisibleByKlaviyoId(String klaviyoAccountId) {
        return find("klaviyoAccountId = ?1 and status <> ?2", klaviyoAccountId, AccountStatus.DELETED).firstResult();
    }

    /** Up to {@code limit} accounts after {@code after} (in id order) with a secret not sealed under {@code prefix}. */
    Uni<List<SealedSecrets>> sealedNotUnder(SqlConnection connection, byte[] prefix, UUID after, int limit) {
        return connection.preparedQuery(SEALED_NOT_UNDER)
                .execute(Tuple.of(after, prefix.length, Buffer.buffer(prefix), limit))
                .map(rows -> {
                    List<SealedSecrets> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new SealedSecrets(row.getUUID("id"), bytes(row, "api_key_enc"),
                            bytes(row, "webhook_secret_enc"))));
                    return found;
                });
    }

    /** How many accounts hold a secret not sealed under {@code prefix}. */
    Uni<Long> countSealedNotUnder(SqlConnection connection, byte[] prefix) {
        return connection.preparedQuery(COUNT_SEALED_NOT_UNDER)
                .execute(Tuple.of(prefix.length, Buffer.buffer(prefix)))
                .map(rows -> Rows.single(rows).getLong("outdated"));
    }

    /** The account to purge a batch of, locked until the caller's transaction ends; null when none waits. */
    Uni<UUID> lockNextPurge(SqlConnection connection) {
        return connection.preparedQuery(LOCK_NEXT_PURGE)
                .execute()
                .map(rows -> rows.size() == 0 ? null : Rows.single(rows).getUUID("id"));
    }

    Uni<Boolean> deletePurged(SqlConnection connection, UUID id) {
        return connection.preparedQuery(DELETE_PURGED)
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    private static byte[] bytes(Row row, String column) {
        var value = row.getBuffer(column);
        return value == null ? null : value.getBytes();
    }

    /**
     * Replaces the sealed API key only if it is still {@code expected}: a replica that rewrote it first,
     * or a new key given meanwhile, wins. True when replaced.
     */
    Uni<Boolean> replaceApiKeySealed(UUID id, byte[] expected, byte[] replacement) {
        return update("apiKeySealed = ?1 where id = ?2 and apiKeySealed = ?3", replacement, id, expected)
                .map(updated -> updated > 0);
    }

    /** Like {@link #replaceApiKeySealed} for the webhook secret. */
    Uni<Boolean> replaceWebhookSecretSealed(UUID id, byte[] expected, byte[] replacement) {
        return update("webhookSecretSealed = ?1 where id = ?2 and webhookSecretSealed = ?3", replacement, id, expected)
                .map(updated -> updated > 0);
    }

    /** An account's sealed secrets as stored (the webhook secret may be null). */
    record SealedSecrets(UUID id, byte[] apiKeySealed, byte[] webhookSecretSealed) {

        @Override
        public String toString() {
            return "SealedSecrets[" + id + "]";
        }
    }

    /** Marks an active account {@code auth_failed}; false when it was not active. */
    public Uni<Boolean> markAuthFailed(UUID id, String reason, Instant now) {
        return update("status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and status = ?5",
                        AccountStatus.AUTH_FAILED, reason, now, id, AccountStatus.ACTIVE)
                .map(updated -> updated > 0);
    }
}
