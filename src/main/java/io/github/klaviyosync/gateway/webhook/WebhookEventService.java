package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
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
    private final EventClaims claims;
    private final ApplyTrigger applyTrigger;

    WebhookEventService(AccountRepository accounts, WebhookEventRepository events, EventClaims claims,
            ApplyTrigger applyTrigger) {
        this.accounts = accounts;
        this.events = events;
        this.claims = claims;
        this.applyTrigger = applyTrigger;
    }

    /** The account's events with {@code status} (null: any), newest first. */
    @WithSession
    public Uni<List<WebhookEventView>> list(UUID accountId, WebhookStatus status, int limit) {
        return requireAccount(accountId)
                .chain(() -> status == null
                        ? events.listRecent(accountId, limit)
                        : events.listByStatus(accountId, status, limit))
                .map(found -> found.stream().map(WebhookEventView::of).toList());
    }

    /** Makes the event due again from scratch and wakes the applier. */
    public Uni<Void> replay(UUID accountId, long eventId) {
        return requireAccount(accountId)
                .chain(() -> claims.reset(accountId, eventId))
                .invoke(found -> {
                    if (!found) {
                        throw ApiProblem.notFound("unknown webhook event");
                    }
                })
                .invoke(applyTrigger::wakeUp)
                .replaceWithVoid();
    }

    private Uni<Void> requireAccount(UUID accountId) {
        return accounts.findVisible(accountId)
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("unknown account"))
                .replaceWithVoid();
    }
}
