package io.github.klaviyosync.gateway.list;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The lists of each account. */
@ApplicationScoped
@WithSession
public class ListRepository implements PanacheRepository<KlaviyoList> {

    public Uni<List<KlaviyoList>> listByAccount(UUID accountId) {
        return list("accountId = ?1 order by name, id", accountId);
    }

    /** The lists with these row ids (the ids of a page of runs, say). */
    public Uni<List<KlaviyoList>> listByIds(Collection<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }

    public Uni<KlaviyoList> findByKlaviyoId(UUID accountId, String klaviyoListId) {
        return find("accountId = ?1 and klaviyoListId = ?2", accountId, klaviyoListId).firstResult();
    }

    /** The list row locked until the transaction ends, so concurrent changes of its sync state queue up. */
    public Uni<KlaviyoList> findByKlaviyoIdForUpdate(UUID accountId, String klaviyoListId) {
        return find("accountId = ?1 and klaviyoListId = ?2", accountId, klaviyoListId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
