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
}
