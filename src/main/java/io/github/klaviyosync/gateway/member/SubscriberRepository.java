package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * The {@code subscriber} table: the people of each account. A page of a member sync and a batch of
 * pushes write people together with memberships ({@link MembershipRepository}); the rules by which
 * each source's values meet the stored ones are side by side in {@link PersonMerge}.
 */
@ApplicationScoped
public class SubscriberRepository implements PanacheRepository<Subscriber> {

    /** A profile fetched from Klaviyo's API, stored as a poll stores it (ON CONFLICT). */
    static final String STORE_FROM_KLAVIYO = """
            insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                         first_name, last_name, sms_consent, sms_consent_at, email_consent,
                                         email_consent_at, klaviyo_updated)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """ + PersonMerge.FROM_KLAVIYO;

    /** A consent event's change of one channel (the consent columns are the event's channel: a format, not a value). */
    static final String APPLY_CONSENT_EVENT = """
            update subscriber t set %1$s_consent = $1, %1$s_consent_at = $2, updated_at = now()
             where account_id = $3 and klaviyo_profile_id = $4 and """ + PersonMerge.CONSENT_EVENT_WINS;

    private static final String APPLY_SMS_CONSENT_EVENT = APPLY_CONSENT_EVENT.formatted("sms");
    private static final String APPLY_EMAIL_CONSENT_EVENT = APPLY_CONSENT_EVENT.formatted("email");

    /** Purge of a deleted account (a bounded batch), once its memberships are gone. */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from subscriber where id in (select id from subscriber where account_id = $1 limit $2)""";

    /** The consent channels a consent event changes. */
    public enum Channel { SMS, EMAIL }

    /** Deletes up to {@code batch} of the account's people; returns how many. */
    Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    @WithSession
    public Uni<Subscriber> findByProfileId(UUID accountId, String klaviyoProfileId) {
        return find("accountId = ?1 and klaviyoProfileId = ?2", accountId, klaviyoProfileId).firstResult();
    }

    /** Stores a profile read from Klaviyo's API by {@link PersonMerge#FROM_KLAVIYO}, in the caller's transaction. */
    public Uni<Void> storeFromKlaviyo(SqlConnection connection, UUID accountId, KlaviyoPerson person) {
        Tuple parameters = Tuple.tuple()
                .addUUID(accountId)
                .addString(person.profileId())
                .addString(person.email())
                .addString(person.phone().e164())
                .addString(person.phone().raw())
                .addBoolean(person.phone().invalid())
                .addString(person.firstName())
                .addString(person.lastName())
                .addString(person.smsConsent())
                .addOffsetDateTime(Rows.timestamp(person.smsConsentAt()))
                .addString(person.emailConsent())
                .addOffsetDateTime(Rows.timestamp(person.emailConsentAt()))
                .addOffsetDateTime(Rows.timestamp(person.klaviyoUpdated()));
        return connection.preparedQuery(STORE_FROM_KLAVIYO)
                .execute(parameters)
                .replaceWithVoid();
    }

    /**
     * A consent event: the channel's consent becomes {@code consent} as of {@code at}, unless the
     * stored state holds since later. In the caller's transaction; returns whether it changed.
     */
    public Uni<Boolean> applyConsentEvent(SqlConnection connection, UUID accountId, String profileId, Channel channel,
            Consent consent, Instant at) {
        String statement = channel == Channel.SMS ? APPLY_SMS_CONSENT_EVENT : APPLY_EMAIL_CONSENT_EVENT;
        return connection.preparedQuery(statement)
                .execute(Tuple.of(consent.wire(), Rows.timestamp(at), accountId, profileId))
                .map(rows -> rows.rowCount() > 0);
    }
}
