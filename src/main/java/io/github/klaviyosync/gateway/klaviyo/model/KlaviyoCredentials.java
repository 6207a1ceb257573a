package io.github.klaviyosync.gateway.klaviyo.model;

import java.util.Objects;

/**
 * Who a call is for: {@code accountKey} names the account's shared budget and the account in logs;
 * {@code metricLabel} names it in metric labels, which leave the gateway (never the gateway's
 * account id: it is the secret part of a webhook URL); {@code apiKey} is the account's private key,
 * decrypted only for the call and never printed. {@code priority} says which waiting calls go first
 * when the budget is short; {@code holder} names the local slice of the budget the call spends (the
 * lease owner of a sync; null: this instance's own).
 */
public record KlaviyoCredentials(String accountKey, String metricLabel, String apiKey, CallPriority priority, String holder) {

    public KlaviyoCredentials {
        priority = Objects.requireNonNullElse(priority, CallPriority.SWEEP);
    }

    /** Credentials of priority {@link CallPriority#SWEEP}, spent from this instance's slice. */
    public KlaviyoCredentials(String accountKey, String metricLabel, String apiKey) {
        this(accountKey, metricLabel, apiKey, CallPriority.SWEEP, null);
    }

    public KlaviyoCredentials withPriority(CallPriority newPriority) {
        return new KlaviyoCredentials(accountKey, metricLabel, apiKey, newPriority, holder);
    }

    /** The same credentials, spending the slice of {@code newHolder} (a sync's lease owner). */
    public KlaviyoCredentials heldBy(String newHolder) {
        return new KlaviyoCredentials(accountKey, metricLabel, apiKey, priority, newHolder);
    }

    @Override
    public String toString() {
        return "KlaviyoCredentials[" + accountKey + ", " + metricLabel + ", " + priority + ", apiKey=***]";
    }
}
