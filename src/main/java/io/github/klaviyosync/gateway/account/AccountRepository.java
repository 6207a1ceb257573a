package io.github.klaviyosync.gateway.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** The account unless it is unknown or deleted. */
    public Uni<Account> findVisible(UUID id) {
        return find("id = ?1 and status <> ?2", id, AccountStatus.DELETED).firstResult();
    }
}
