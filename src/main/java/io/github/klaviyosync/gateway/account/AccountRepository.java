package io.github.klaviyosync.gateway.account;

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
