package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.member.Consent;
import io.github.klaviyosync.gateway.member.PhoneNumbers;
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

    private final PhoneNumbers phones;

    ConsentWriter(PhoneNumbers phones) {
        this.phones = phones;
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

    private Uni<Integer> insertFetched(Mutiny.Session session, ApplyPlan plan) {
        MemberProfile profile = plan.fetched();
        PhoneNumbers.Normalised phone = phones.normalise(profile.phoneNumber());
        return session.createNativeQuery(INSERT_FETCHED)
                .setParameter(1, plan.accountId())
                .setParameter(2, plan.profileId())
                .setParameter(3, profile.email())
                .setParameter(4, phone.e164())
                .setParameter(5, phone.raw())
                .setParameter(6, phone.invalid())
                .setParameter(7, profile.firstName())
                .setParameter(8, profile.lastName())
                .setParameter(9, Consent.wordOf(profile.smsConsent()))
                .setParameter(10, Consent.timeOf(profile.smsConsent()))
                .setParameter(11, Consent.wordOf(profile.emailConsent()))
                .setParameter(12, Consent.timeOf(profile.emailConsent()))
                .setParameter(13, profile.updated())
                .executeUpdate();
    }
}
