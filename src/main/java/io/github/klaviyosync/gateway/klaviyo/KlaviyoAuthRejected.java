package io.github.klaviyosync.gateway.klaviyo;

/**
 * CDI event fired (asynchronously is fine) when Klaviyo refuses an account's key with 401 or 403:
 * the account package observes it and marks the account {@code auth_failed}. {@code reason} is
 * Klaviyo's detail, safe to show.
 */
public record KlaviyoAuthRejected(String accountKey, int status, String reason) {
}
