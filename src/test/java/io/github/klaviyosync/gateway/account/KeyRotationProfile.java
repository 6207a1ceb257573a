package io.github.klaviyosync.gateway.account;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Base64;
import java.util.Map;

/**
 * The application after a key rotation: an old key in {@code GATEWAY_CRYPTO_OLD_KEYS}. The current key
 * stays the tests' usual one, so every value other test classes stored in the shared database stays
 * readable, and what this profile's rewrite pass writes stays readable for the classes after it. The
 * pass runs when a test asks (its schedule is an hour away).
 */
public class KeyRotationProfile implements QuarkusTestProfile {

    /**
     * The key before the rotation. A constant, not a random one: the profile and the test may be loaded
     * by different class loaders, which would each draw their own.
     */
    static final String OLD_KEY_BASE64 = "t4KCh90/6qY92TG0IYKLXvLYVn/zSEiOhCeCdytedRI=";
    static final byte[] OLD_KEY = Base64.getDecoder().decode(OLD_KEY_BASE64);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.crypto.old-keys", OLD_KEY_BASE64,
                "gateway.crypto.rewrite-interval", "1h",
                "gateway.crypto.rewrite-batch-size", "2");
    }
}
