package io.github.klaviyosync.gateway.webhook;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The webhook inbox. */
@ApplicationScoped
@WithSession
public class WebhookEventRepository implements PanacheRepository<WebhookEvent> {

    public Uni<List<WebhookEvent>> listRecent(UUID accountId, int limit) {
        return find("accountId = ?1 order by id desc", accountId).page(0, limit).list();
    }

    public Uni<List<WebhookEvent>> listByStatus(UUID accountId, WebhookStatus status, int limit) {
        return find("accountId = ?1 and status = ?2 order by id desc", accountId, status).page(0, limit).list();
    }
}
