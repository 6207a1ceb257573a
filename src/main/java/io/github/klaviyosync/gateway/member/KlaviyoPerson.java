package io.github.klaviyosync.gateway.member;

import java.time.Instant;

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

    @Override
    public String toString() {
        // No email, phone or names: records end up in logs.
        return "KlaviyoPerson[" + profileId + "]";
    }
}
