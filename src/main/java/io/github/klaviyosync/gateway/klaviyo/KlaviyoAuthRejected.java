package io.github.klaviyosync.gateway.klaviyo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * CDI event fired when Klaviyo refuses an account's key with 401 or 403: the account package
 * observes it and marks the account {@code auth_failed}, if the key it holds is still the refused one
 * ({@code keyFingerprint}: a replacement stored meanwhile, through any replica, is not refused).
 * {@code reason} is Klaviyo's detail, safe to show.
 */
public record KlaviyoAuthRejected(String accountKey, int status, String reason, String keyFingerprint) {

    /** A key's fingerprint: the hex SHA-256 of the key, never the key. */
    public static String fingerprint(String apiKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "KlaviyoAuthRejected[" + accountKey + ", " + status + "]";
    }
}
