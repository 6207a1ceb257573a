package io.github.klaviyosync.gateway.klaviyo.model;

/**
 * Who a call is for: {@code accountKey} names the rate-governor bucket and the account in logs;
 * {@code metricLabel} names it in metric labels, which leave the gateway (never the gateway's
 * account id: it is the secret part of a webhook URL); {@code apiKey} is the account's private key,
 * decrypted only for the call and never printed.
 */
public record KlaviyoCredentials(String accountKey, String metricLabel, String apiKey) {

    @Override
    public String toString() {
        return "KlaviyoCredentials[" + accountKey + ", " + metricLabel + ", apiKey=***]";
    }
}
