package io.github.klaviyosync.gateway.klaviyo.model;

import java.time.Instant;

/**
 * One channel's marketing consent as Klaviyo reports it ({@code subscriptions.sms.marketing} or
 * {@code subscriptions.email.marketing}): the word ({@code SUBSCRIBED}, {@code UNSUBSCRIBED},
 * {@code NEVER_SUBSCRIBED}) and when it was given or last changed.
 */
public record ConsentState(String consent, Instant consentTimestamp, Instant lastUpdated) {
}
