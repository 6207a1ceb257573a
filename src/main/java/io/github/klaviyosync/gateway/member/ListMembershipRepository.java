package io.github.klaviyosync.gateway.member;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Memberships of subscribers in lists. */
@ApplicationScoped
@WithSession
public class ListMembershipRepository implements PanacheRepositoryBase<ListMembership, ListMembership.Key> {

    /** Members on the list now (removed ones excluded). */
    public Uni<Long> countActive(long listId) {
        return count("listId = ?1 and removedAt is null", listId);
    }
}
