package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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
             where id > :after
               and (substring(api_key_enc from 1 for :length) <> :prefix
                    or substring(webhook_secret_enc from 1 for :length) <> :prefix)
             order by id
             limit :limit""";

    /** The count of the accounts {@link #SEALED_NOT_UNDER} would find. */
    static final String COUNT_SEALED_NOT_UNDER = """
            select count(*)
              from account
             where substring(api_key_enc from 1 for :length) <> :prefix
                or substring(webhook_secret_enc from 1 for :length) <> :prefix""";

    /** Accounts not deleted, oldest first. */
    public Uni<List<Account>> listVisible() {
        return list("status <> ?1 order by createdAt, id", AccountStatus.DELETED);
    }

    /** Every account, deleted ones included, oldest first. */
    public Uni<List<Account>> listAll() {
        return list("order by createdAt, id");
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
    Uni<List<SealedSecrets>> sealedNotUnder(byte[] prefix, UUID after, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery(SEALED_NOT_UNDER, Object[].class)
                        .setParameter("after", after)
                        .setParameter("length", prefix.length)
                        .setParameter("prefix", prefix)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new SealedSecrets(Rows.uuid(row[0]), (byte[]) row[1], (byte[]) row[2]))
                        .toList());
    }

    /** How many accounts hold a secret not sealed under {@code prefix}. */
    Uni<Long> countSealedNotUnder(byte[] prefix) {
        return getSession()
                .chain(session -> session.createNativeQuery(COUNT_SEALED_NOT_UNDER, Long.class)
                        .setParameter("length", prefix.length)
                        .setParameter("prefix", prefix)
                        .getSingleResult());
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

    /**
     * Makes the account's discovery due at {@code now} with trigger {@code manual}, which the discovery
     * engine records on its run. Plain SQL: the trigger column is the list package's (the engine's).
     */
    public Uni<Integer> requestDiscovery(UUID accountId, Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                                update account
                                   set next_discovery_at = :now, discovery_trigger = 'manual', updated_at = :now
                                 where id = :account""")
                        .setParameter("now", now)
                        .setParameter("account", accountId)
                        .executeUpdate());
    }

    /**
     * Frees the account's lists from any instance holding them and drops pending requests, so a sync
     * in flight loses its lease at its next renewal. Plain SQL: the list package sits above this one.
     */
    public Uni<Integer> releaseListLeases(UUID accountId) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                                update klaviyo_list
                                   set lease_owner = null, lease_until = null, pending_trigger = null, updated_at = now()
                                 where account_id = :account""")
                        .setParameter("account", accountId)
                        .executeUpdate());
    }
}
