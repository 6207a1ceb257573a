package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookRejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier.SystemHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final String SECRET = TestSecrets.secret("whsec");
    private static final Instant NOW = Instant.parse("2024-01-04T18:05:25Z");
    private static final String DATE = "Thu, 04 Jan 2024 18:05:25 GMT";
    private static final byte[] BODY = "{\"data\":[]}".getBytes(StandardCharsets.UTF_8);

    private final SignatureVerifier verifier = new SignatureVerifier(Duration.ofMinutes(5));

    @Test
    void signsLowercaseHexHmacOfTheBodyFollowedByTheTimestamp() {
        // Independent computation: HMAC-SHA256 over the concatenated bytes, as Klaviyo documents.
        byte[] concatenated = (new String(BODY, StandardCharsets.UTF_8) + DATE).getBytes(StandardCharsets.UTF_8);
        String expected = hmac(SECRET, concatenated);

        assertEquals(expected, SignatureVerifier.sign(SECRET, BODY, DATE));
        assertEquals(64, expected.length());
        assertEquals(expected.toLowerCase(), expected);
    }

    @Test
    void acceptsAValidSignatureWithinTheTolerance() {
        String signature = SignatureVerifier.sign(SECRET, BODY, DATE);

        verifier.verifySystem(SECRET, BODY, new SystemHeaders("wh", DATE, signature), NOW.plus(Duration.ofMinutes(5)));
        verifier.verifySystem(SECRET, BODY, new SystemHeaders("wh", DATE, signature.toUpperCase()), NOW);
    }

    @Test
    void refusesEachBrokenSignatureWith401AndItsReason() {
        String signature = SignatureVerifier.sign(SECRET, BODY, DATE);
        byte[] tampered = "{\"data\":[ ]}".getBytes(StandardCharsets.UTF_8);

        assertReason("signature", () -> verifier.verifySystem(TestSecrets.secret("whsec"), BODY, new SystemHeaders("wh", DATE, signature), NOW));
        assertReason("signature", () -> verifier.verifySystem(SECRET, tampered, new SystemHeaders("wh", DATE, signature), NOW));
        assertReason("timestamp", () -> verifier.verifySystem(SECRET, BODY, new SystemHeaders("wh", DATE, signature), NOW.plus(Duration.ofMinutes(6))));
        assertReason("timestamp", () -> verifier.verifySystem(SECRET, BODY, new SystemHeaders("wh", DATE, signature), NOW.minus(Duration.ofMinutes(6))));
        assertReason("missing_header", () -> verifier.verifySystem(SECRET, BODY, new SystemHeaders(null, DATE, signature), NOW));
        assertReason("missing_header", () -> verifier.verifySystem(SECRET, BODY, new SystemHeaders("wh", null, signature), NOW));
        assertReason("missing_header", () -> verifier.verifySystem(SECRET, BODY, new SystemHeaders("wh", DATE, null), NOW));
        assertReason("no_secret", () -> verifier.verifySystem(null, BODY, new SystemHeaders("wh", DATE, signature), NOW));
    }

    @Test
    void checksFlowTokensAgainstTheirHash() {
        String token = TestSecrets.secret("flow");

        verifier.verifyFlowToken(token, Tokens.hash(token));
        assertReason("token", () -> verifier.verifyFlowToken(token + "x", Tokens.hash(token)));
        assertReason("token", () -> verifier.verifyFlowToken(token, null));
        assertReason("missing_header", () -> verifier.verifyFlowToken(null, Tokens.hash(token)));
    }

    private static void assertReason(String reason, Runnable check) {
        WebhookRejection rejection = assertThrows(WebhookRejection.class, check::run);
        assertEquals(401, rejection.status());
        assertEquals(reason, rejection.reason());
    }

    private static String hmac(String secret, byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(data));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
