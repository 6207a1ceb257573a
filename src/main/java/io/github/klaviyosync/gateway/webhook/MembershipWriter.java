package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.member.PhoneNumbers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Applies a flow push inside the caller's transaction: the list (created at once when it is new,
 * with its backfill requested from the sync engine), the subscriber, and the membership, keeping the
 * list's member count right. Idempotent: the same push again changes nothing; a member who had left
 * and is pushed again is back on the list.
 */
@ApplicationScoped
public class MembershipWriter {

    private static final String INSERT_LIST = """
            insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, pending_trigger, next_sync_at)
            values (?1, ?2, ?3, 'webhook', 'webhook', now())
            on conflict (account_id, klaviyo_list_id) do nothing""";

    private static final String SELECT_LIST = "select id from klaviyo_list where account_id = ?1 and klaviyo_list_id = ?2";

    private static final String UPSERT_SUBSCRIBER = """
            insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                         first_name, last_name)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """ + PushMerge.SUBSCRIBER_CONFLICT + """
            returning id""";

    private static final String UPSERT_MEMBERSHIP = """
            insert into list_membership as lm (list_id, subscriber_id, account_id, joined_at, source)
            values (?1, ?2, ?3, ?4, 'webhook')
            """ + PushMerge.MEMBERSHIP_CONFLICT + """
            returning subscriber_id""";

    private static final String COUNT_MEMBER = """
            update klaviyo_list set member_count = member_count + 1, updated_at = now() where id = ?1""";

    private final PhoneNumbers phones;

    MembershipWriter(PhoneNumbers phones) {
        this.phones = phones;
    }

    public Uni<Void> apply(Mutiny.Session session, ApplyPlan plan) {
        return listId(session, plan)
                .chain(listId -> upsertSubscriber(session, plan)
                        .chain(subscriberId -> upsertMembership(session, plan, listId, subscriberId)));
    }

    private Uni<Long> listId(Mutiny.Session session, ApplyPlan plan) {
        Uni<Integer> created = plan.newListName() == null
                ? Uni.createFrom().item(0)
                : session.createNativeQuery(INSERT_LIST)
                        .setParameter(1, plan.accountId())
                        .setParameter(2, plan.push().listId())
                        .setParameter(3, plan.newListName())
                        .executeUpdate();
        return created
                .chain(ignored -> session.createNativeQuery(SELECT_LIST, Long.class)
                        .setParameter(1, plan.accountId())
                        .setParameter(2, plan.push().listId())
                        .getSingleResultOrNull())
                .onItem().ifNull().failWith(() -> new ApplyException("the pushed list is not known yet"));
    }

    private Uni<Long> upsertSubscriber(Mutiny.Session session, ApplyPlan plan) {
        FlowPush push = plan.push();
        MemberProfile fetched = plan.fetched();
        PhoneNumbers.Normalised phone = phones.normalise(
                either(push.phoneNumber(), fetched == null ? null : fetched.phoneNumber()));
        return session.createNativeQuery(UPSERT_SUBSCRIBER, Long.class)
                .setParameter(1, plan.accountId())
                .setParameter(2, plan.profileId())
                .setParameter(3, either(push.email(), fetched == null ? null : fetched.email()))
                .setParameter(4, phone.e164())
                .setParameter(5, phone.raw())
                .setParameter(6, phone.invalid())
                .setParameter(7, either(push.firstName(), fetched == null ? null : fetched.firstName()))
                .setParameter(8, either(push.lastName(), fetched == null ? null : fetched.lastName()))
                .getSingleResult();
    }

    private Uni<Void> upsertMembership(Mutiny.Session session, ApplyPlan plan, long listId, long subscriberId) {
        return session.createNativeQuery(UPSERT_MEMBERSHIP, Long.class)
                .setParameter(1, listId)
                .setParameter(2, subscriberId)
                .setParameter(3, plan.accountId())
                .setParameter(4, plan.receivedAt())
                .getResultList()
                .chain(added -> added.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : session.createNativeQuery(COUNT_MEMBER).setParameter(1, listId).executeUpdate().replaceWithVoid());
    }

    /** The pushed value unless it is empty (Klaviyo renders a missing value as ""), else the fallback. */
    private static String either(String pushed, String fallback) {
        String given = FlowPush.given(pushed);
        return given != null ? given : FlowPush.given(fallback);
    }
}
