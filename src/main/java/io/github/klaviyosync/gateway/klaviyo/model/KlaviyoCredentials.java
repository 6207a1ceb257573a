package io.github.klaviyosync.gateway.klaviyo.model;

/**
 * Who a call is for: {@code accountKey} names the rate-governor bucket and the metric label (the
 * gateway's own account id, never a secret); {@code apiKey} is the account's private key, decrypted
 * only for the call and never printed.
 */
public record KlaviyoCredentials(String accountKey, String apiKey) {

    @Override
    public String toString() {
        return "KlaviyoCredentials[" + accountKey + ", apiKey=***]";
    }
}
