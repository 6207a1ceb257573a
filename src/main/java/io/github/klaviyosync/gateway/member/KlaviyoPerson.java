package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.db.Rows;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One person as Klaviyo's API reports them, in the form the gateway stores: phone normalised,
 * consent in Klaviyo's words with the time it holds since, and, for a list member, when they joined.
 */
public record KlaviyoPerson(
        String profileId,
        String email,
        PhoneNumbers.Normalised phone,
        String firstName,
        String lastName,
        String smsConsent,
        Instant smsConsentAt,
        String emailConsent,
        Instant emailConsentAt,
        Instant klaviyoUpdated,
        Instant joinedAt) {

    /**
     * A page of people as the first twelve parameters of a page statement, one typed array per column
     * (read with {@code unnest}): id, email, phone (E.164, raw, invalid), names, SMS consent and its
     * time, email consent and its time, Klaviyo's updated time.
     */
    static Tuple columns(List<KlaviyoPerson> people) {
        return Tuple.tuple()
                .addArrayOfString(Rows.column(people, KlaviyoPerson::profileId, String[]::new))
                .addArrayOfString(Rows.column(people, KlaviyoPerson::email, String[]::new))
                .addArrayOfString(Rows.column(people, person -> person.phone().e164(), String[]::new))
                .addArrayOfString(Rows.column(people, person -> person.phone().raw(), String[]::new))
                .addArrayOfBoolean(Rows.column(people, person -> person.phone().invalid(), Boolean[]::new))
                .addArrayOfString(Rows.column(people, KlaviyoPerson::firstName, String[]::new))
                .addArrayOfString(Rows.column(people, KlaviyoPerson::lastName, String[]::new))
                .addArrayOfString(Rows.column(people, KlaviyoPerson::smsConsent, String[]::new))
                .addArrayOfOffsetDateTime(Rows.column(people, person -> Rows.timestamp(person.smsConsentAt()), OffsetDateTime[]::new))
                .addArrayOfString(Rows.column(people, KlaviyoPerson::emailConsent, String[]::new))
                .addArrayOfOffsetDateTime(Rows.column(people, person -> Rows.timestamp(person.emailConsentAt()), OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(Rows.column(people, person -> Rows.timestamp(person.klaviyoUpdated()), OffsetDateTime[]::new));
    }

    @Override
    public String toString() {
        // No email, phone or names: records end up in logs.
        return "KlaviyoPerson[" + profileId + "]";
    }
}
