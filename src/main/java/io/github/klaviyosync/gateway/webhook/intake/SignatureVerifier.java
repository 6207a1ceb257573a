package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookRejection;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.crypto.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves where a webhook comes from, on the raw bytes and before anything parses them: Klaviyo's
 * HMAC-SHA256 signature and timestamp for system webhooks, the account's token for flow webhooks.
 * Every comparison takes constant time. Failures are {@link WebhookRejection#unauthorized 401s}.
 */
@ApplicationScoped
public class SignatureVerifier {

    private final Duration tolerance;

    @Inject
    SignatureVerifier(GatewayConfig config) {
        this(config.webhook().tolerance());
    }

    public SignatureVerifier(Duration tolerance) {
        this.tolerance = tolerance;
    }

    /** Klaviyo's signature: lowercase hex HMAC-SHA256(secret, body bytes + timestamp header bytes). */
    public static String sign(String secret, byte[] body, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable");
        }
    }

    /**
     * The checks of a system webhook that cost nothing (the three headers are there, the timestamp is
     * within the tolerance), made before the account is looked up or the body hashed; else a 401.
     */
    public void checkSystemHeaders(SystemHeaders headers, Instant now) {
        if (headers.timestamp() == null || headers.signature() == null || headers.webhookId() == null) {
            throw WebhookRejection.unauthorized("missing_header");
        }
        if (!withinTolerance(headers.timestamp(), now)) {
            throw WebhookRejection.unauthorized("timestamp");
        }
    }

    /** Verifies a system webhook's headers against its body, or throws a 401 rejection. */
    public void verifySystem(String secret, byte[] body, SystemHeaders headers, Instant now) {
        checkSystemHeaders(headers, now);
        if (secret == null || secret.isEmpty()) {
            throw WebhookRejection.unauthorized("no_secret");
        }
        String expected = sign(secret, body, headers.timestamp());
        if (!Tokens.constantTimeEquals(expected, headers.signature().trim().toLowerCase(Locale.ROOT))) {
            throw WebhookRejection.unauthorized("signature");
        }
    }

    /** The check of a flow webhook that costs nothing (a token is given), made before the account is looked up. */
    public void checkFlowTokenGiven(String token) {
        if (token == null || token.isEmpty()) {
            throw WebhookRejection.unauthorized("missing_header");
        }
    }

    /** Verifies a flow webhook's {@code X-Gateway-Token} against the account's stored hash. */
    public void verifyFlowToken(String token, String storedHash) {
        checkFlowTokenGiven(token);
        if (!Tokens.matchesHash(token, storedHash)) {
            throw WebhookRejection.unauthorized("token");
        }
    }

    private boolean withinTolerance(String httpDate, Instant now) {
        try {
            Instant sent = ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Duration.between(sent, now).abs().compareTo(tolerance) <= 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The three headers Klaviyo signs a system webhook with; any may be missing (null). */
    public record SystemHeaders(String webhookId, String timestamp, String signature) {
    }
}
