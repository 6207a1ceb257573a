package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;

/**
 * What a simulated profile says about a person: start from {@link #empty()} or {@link #sms(String)}
 * and chain the withers, e.g.
 * {@code SimProfile.sms("+15005550006").email("ada@example.com").names("Ada", "Lovelace")}.
 * Consent words are Klaviyo's: {@code SUBSCRIBED}, {@code UNSUBSCRIBED}, {@code NEVER_SUBSCRIBED};
 * {@code consentAt} (null: when the profile is stored) is their consent timestamp.
 */
public record SimProfile(String email, String phone, String externalId, String firstName, String lastName,
        String smsConsent, String emailConsent, Instant consentAt) {

    public static final String SUBSCRIBED = "SUBSCRIBED";
    public static final String UNSUBSCRIBED = "UNSUBSCRIBED";
    public static final String NEVER_SUBSCRIBED = "NEVER_SUBSCRIBED";

    /** No contact details, never subscribed to anything. */
    public static SimProfile empty() {
        return new SimProfile(null, null, null, null, null, NEVER_SUBSCRIBED, NEVER_SUBSCRIBED, null);
    }

    /** A phone number subscribed to SMS marketing (the gateway's usual subscriber). */
    public static SimProfile sms(String phone) {
        return empty().phone(phone).smsConsent(SUBSCRIBED);
    }

    public SimProfile email(String value) {
        return new SimProfile(value, phone, externalId, firstName, lastName, smsConsent, emailConsent, consentAt);
    }

    public SimProfile phone(String value) {
        return new SimProfile(email, value, externalId, firstName, lastName, smsConsent, emailConsent, consentAt);
    }

    public SimProfile externalId(String value) {
        return new SimProfile(email, phone, value, firstName, lastName, smsConsent, emailConsent, consentAt);
    }

    public SimProfile names(String first, String last) {
        return new SimProfile(email, phone, externalId, first, last, smsConsent, emailConsent, consentAt);
    }

    public SimProfile smsConsent(String consent) {
        return new SimProfile(email, phone, externalId, firstName, lastName, consent, emailConsent, consentAt);
    }

    public SimProfile emailConsent(String consent) {
        return new SimProfile(email, phone, externalId, firstName, lastName, smsConsent, consent, consentAt);
    }

    public SimProfile consentAt(Instant when) {
        return new SimProfile(email, phone, externalId, firstName, lastName, smsConsent, emailConsent, when);
    }
}
