package io.github.klaviyosync.gateway.account;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The application after a key rotation: an old key in {@code GATEWAY_CRYPTO_OLD_KEYS}. The current key
 * stays the tests' usual one, so every value other test classes stored in the shared database stays
 * readable, and what this profile's rewrite pass writes stays readable for the classes after it. The
 * pass runs when a test asks (its schedule is an hour away).
 */
public class KeyRotationProfile implements QuarkusTestProfile {

    /** The key before the rotation, made afresh for each test JVM. */
    static final byte[] OLD_KEY = randomKey();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.crypto.old-keys", Base64.getEncoder().encodeToString(OLD_KEY),
                "gateway.crypto.rewrite-interval", "1h",
                "gateway.crypto.rewrite-batch-size", "2");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
