package io.github.klaviyosync.gateway.webhook;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Applies one planned event in its own transaction and marks it applied. The event row is locked
 * first and must still be {@code received} and claimed by this pass: that is the fence that makes
 * an event applied once even when a lease ran out and another instance took it.
 */
@ApplicationScoped
public class EventApplication {

    private static final String LOCK_CLAIMED = """
            select claimed_by from webhook_event where id = ?1 and status = 'received' for update""";

    private static final String MARK_APPLIED = """
            update webhook_event set status = 'applied', applied_at = now(), claimed_by = null, claimed_until = null,
                error = null
            where id = ?1""";

    private final MembershipWriter memberships;
    private final ConsentWriter consents;

    EventApplication(MembershipWriter memberships, ConsentWriter consents) {
        this.memberships = memberships;
        this.consents = consents;
    }

    /** True when this pass applied the event; false when it was no longer this pass's to apply. */
    @WithTransaction
    public Uni<Boolean> apply(String pass, ApplyPlan plan) {
        return Panache.getSession()
                .chain(session -> stillClaimed(session, pass, plan.eventId())
                        .chain(claimed -> claimed ? applyAndMark(session, plan) : Uni.createFrom().item(false)));
    }

    private Uni<Boolean> stillClaimed(Mutiny.Session session, String pass, long eventId) {
        return session.createNativeQuery(LOCK_CLAIMED, String.class)
                .setParameter(1, eventId)
                .getResultList()
                .map(owners -> owners.size() == 1 && pass.equals(owners.get(0)));
    }

    private Uni<Boolean> applyAndMark(Mutiny.Session session, ApplyPlan plan) {
        return effects(session, plan)
                .chain(() -> session.createNativeQuery(MARK_APPLIED).setParameter(1, plan.eventId()).executeUpdate())
                .replaceWith(true);
    }

    private Uni<Void> effects(Mutiny.Session session, ApplyPlan plan) {
        if (plan.changesNothing()) {
            return Uni.createFrom().voidItem();
        }
        return plan.kind() == WebhookKind.FLOW ? memberships.apply(session, plan) : consents.apply(session, plan);
    }
}
