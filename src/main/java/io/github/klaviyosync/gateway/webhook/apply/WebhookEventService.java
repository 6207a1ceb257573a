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

    /**
     * Makes a failed event due again from scratch and, once that is committed, wakes the applier.
     * An event in any other status is a 409 unless {@code force}: applying is idempotent, but a
     * replayed push is an old hint, and an event already applied or still due needs no replay.
     */
    public Uni<Void> replay(UUID accountId, long eventId, boolean force) {
        return reset(accountId, eventId, force)
                .invoke(() -> wakeUp.wakeUp(accountId));
    }

    @WithTransaction
    Uni<Void> reset(UUID accountId, long eventId, boolean force) {
        return requireAccount(accountId)
                .chain(() -> events.findOfAccount(accountId, eventId))
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("unknown webhook event"))
                .invoke(event -> requireReplayable(event, force))
                .chain(event -> events.reset(accountId, eventId))
                .replaceWithVoid();
    }

    private static void requireReplayable(WebhookEvent event, boolean force) {
        if (event.status != WebhookStatus.FAILED && !force) {
            throw ApiProblem.conflict("webhook event " + event.id + " is " + event.status.wire()
                    + ", not failed; replay it anyway with ?force=true");
        }
    }

    private Uni<Void> requireAccount(UUID accountId) {
        return accounts.findVisible(accountId)
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("unknown account"))
                .replaceWithVoid();
    }
}
