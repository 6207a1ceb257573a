package io.github.klaviyosync.gateway.klaviyo.model;

import java.time.Instant;

/**
 * A profile as Klaviyo returns it, with subscriptions when they were asked for (else the consent
 * states are null). {@code joinedGroupAt} is set only when the profile was read as a list member.
 * {@code phoneNumber} is meant to be E.164 but is not to be trusted.
 */
public record MemberProfile(
        String id,
        String email,
        String phoneNumber,
        String externalId,
        String firstName,
        String lastName,
        Instant created,
        Instant updated,
        Instant joinedGroupAt,
        ConsentState smsConsent,
        ConsentState emailConsent) {
}
