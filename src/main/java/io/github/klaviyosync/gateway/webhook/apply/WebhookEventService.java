package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.webhook.WebhookEvent;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookStatus;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The stored events of an account for the status API: listing them by status, and replaying one
 * (back to {@code received} with its attempts reset, due now). Both answer 404 (an
 * {@link ApiProblem}) for an unknown account or event.
 */
@ApplicationScoped
public class WebhookEventService {

    private final AccountRepository accounts;
    private final WebhookEventRepository events;
    private final ApplierWakeUp wakeUp;

    WebhookEventService(AccountRepository accounts, WebhookEventRepository events, ApplierWakeUp wakeUp) {
        this.accounts = accounts;
        this.events = events;
        this.wakeUp = wakeUp;
    }

    /** The account's events with {@code status} (null: any), newest first. */
    @WithSession
    public Uni<List<WebhookEvent>> list(UUID accountId, WebhookStatus status, int limit) {
        return requireAccount(accountId)
                .chain(() -> status == null
                        ? events.listRecent(accountId, limit)
                        : events.listByStatus(accountId, status, limit));
    }

    /** Makes the event due again from scratch and, once that is committed, wakes the applier. */
    public Uni<Void> replay(UUID accountId, long eventId) {
        return reset(accountId, eventId)
                .invoke(wakeUp::wakeUp);
    }

    @WithTransaction
    Uni<Void> reset(UUID accountId, long eventId) {
        return requireAccount(accountId)
                .chain(() -> events.reset(accountId, eventId))
                .invoke(found -> {
                    if (!found) {
                        throw ApiProblem.notFound("unknown webhook event");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> requireAccount(UUID accountId) {
        return accounts.findVisible(accountId)
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("unknown account"))
                .replaceWithVoid();
    }
}
