package io.github.klaviyosync.gateway.member;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Subscribers of each account. */
@ApplicationScoped
@WithSession
public class SubscriberRepository implements PanacheRepository<Subscriber> {

    public Uni<Subscriber> findByProfileId(UUID accountId, String klaviyoProfileId) {
        return find("accountId = ?1 and klaviyoProfileId = ?2", accountId, klaviyoProfileId).firstResult();
    }
}
