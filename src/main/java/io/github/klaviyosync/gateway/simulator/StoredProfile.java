package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.util.Objects;

/**
 * A profile as the simulator holds it: its id (a 26-character ULID, or the 6 characters of an older
 * profile), the person, its {@code created} and {@code updated}, and when each channel's consent was
 * last set (what {@code consent_timestamp} and {@code last_updated} report). Times are whole seconds.
 */
record StoredProfile(String id, SimProfile person, Instant created, Instant updated, Instant smsConsentAt,
        Instant emailConsentAt) {

    /** A new profile; both channels' consent dates from the person's {@code consentAt}, else from {@code created}. */
    static StoredProfile created(String id, SimProfile person, Instant created) {
        Instant consentAt = person.consentAt() == null ? created : person.consentAt();
        return new StoredProfile(id, person.consentAt(consentAt), created, created, consentAt, consentAt);
    }

    /**
     * The profile after {@code change} at {@code at}: a channel whose consent word changed records
     * {@code at} as its consent time; {@code updated} becomes {@code at} unless {@code keepUpdated}.
     */
    StoredProfile changed(SimProfile change, Instant at, boolean keepUpdated) {
        Instant sms = Objects.equals(change.smsConsent(), person.smsConsent()) ? smsConsentAt : at;
        Instant email = Objects.equals(change.emailConsent(), person.emailConsent()) ? emailConsentAt : at;
        return new StoredProfile(id, change, created, keepUpdated ? updated : at, sms, email);
    }

    /** The profile after a consent given (again) at {@code at}: null leaves a channel as it is. */
    StoredProfile consented(String sms, String email, Instant at, boolean keepUpdated) {
        SimProfile change = person;
        Instant smsAt = smsConsentAt;
        Instant emailAt = emailConsentAt;
        if (sms != null) {
            change = change.smsConsent(sms);
            smsAt = at;
        }
        if (email != null) {
            change = change.emailConsent(email);
            emailAt = at;
        }
        return new StoredProfile(id, change, created, keepUpdated ? updated : at, smsAt, emailAt);
    }
}
