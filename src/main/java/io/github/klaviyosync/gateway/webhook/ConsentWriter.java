package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.member.MemberRow;
import io.github.klaviyosync.gateway.member.MemberRows;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Applies a consent event inside the caller's transaction. The change wins only over an older
 * state: a stored consent time later than the event's means a newer state, which stays. A profile
 * fetched because the gateway had not seen it is stored first, with the consent Klaviyo reported.
 */
@ApplicationScoped
public class ConsentWriter {

    private static final String INSERT_FETCHED = """
            insert into subscriber (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                    first_name, last_name, sms_consent, sms_consent_at, email_consent, email_consent_at,
                                    klaviyo_updated)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            on conflict (account_id, klaviyo_profile_id) do nothing""";

    private static final String UPDATE_SMS = """
            update subscriber set sms_consent = ?1, sms_consent_at = ?2, updated_at = now()
            where account_id = ?3 and klaviyo_profile_id = ?4 and (sms_consent_at is null or sms_consent_at <= ?2)""";

    private static final String UPDATE_EMAIL = """
            update subscriber set email_consent = ?1, email_consent_at = ?2, updated_at = now()
            where account_id = ?3 and klaviyo_profile_id = ?4 and (email_consent_at is null or email_consent_at <= ?2)""";

    private final MemberRows memberRows;

    ConsentWriter(MemberRows memberRows) {
        this.memberRows = memberRows;
    }

    public Uni<Void> apply(Mutiny.Session session, ApplyPlan plan) {
        Uni<Integer> stored = plan.fetched() == null ? Uni.createFrom().item(0) : insertFetched(session, plan);
        String update = plan.consent().channel() == ConsentTopic.Channel.SMS ? UPDATE_SMS : UPDATE_EMAIL;
        return stored
                .chain(ignored -> session.createNativeQuery(update)
                        .setParameter(1, plan.consent().consent().wire())
                        .setParameter(2, plan.eventTime())
                        .setParameter(3, plan.accountId())
                        .setParameter(4, plan.profileId())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The fetched profile as polls store it ({@link MemberRows}), so both paths write one profile alike. */
    private Uni<Integer> insertFetched(Mutiny.Session session, ApplyPlan plan) {
        MemberRow row = memberRows.of(plan.fetched());
        return session.createNativeQuery(INSERT_FETCHED)
                .setParameter(1, plan.accountId())
                .setParameter(2, plan.profileId())
                .setParameter(3, row.email())
                .setParameter(4, row.phone())
                .setParameter(5, row.raw())
                .setParameter(6, row.invalid())
                .setParameter(7, row.first())
                .setParameter(8, row.last())
                .setParameter(9, row.sms())
                .setParameter(10, row.smsAt())
                .setParameter(11, row.em())
                .setParameter(12, row.emAt())
                .setParameter(13, row.upd())
                .executeUpdate();
    }
}
