package io.github.klaviyosync.gateway.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void newTokensAreUrlSafeAnd32RandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String token = Tokens.newToken();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
            assertEquals(32, Base64.getUrlDecoder().decode(token).length);
            seen.add(token);
        }
        assertEquals(100, seen.size());
    }

    @Test
    void hashIsTheLowercaseHexSha256OfTheToken() {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.hash("abc"));
        String token = Tokens.newToken();
        assertEquals(Tokens.hash(token), Tokens.hash(token));
        assertFalse(Tokens.hash(token).contains(token));
    }

    @Test
    void matchesHashAcceptsOnlyTheTokenThatWasHashed() {
        String token = Tokens.newToken();
        String stored = Tokens.hash(token);

        assertTrue(Tokens.matchesHash(token, stored));
        assertFalse(Tokens.matchesHash(Tokens.newToken(), stored));
        assertFalse(Tokens.matchesHash(token + "x", stored));
        assertFalse(Tokens.matchesHash(stored, stored), "the hash itself is not a token");
        assertFalse(Tokens.matchesHash(null, stored));
        assertFalse(Tokens.matchesHash(token, null));
    }

    @Test
    void constantTimeEqualsComparesWholeStrings() {
        assertTrue(Tokens.constantTimeEquals("test-token", "test-token"));
        assertFalse(Tokens.constantTimeEquals("test-token", "test-tokeN"));
        assertFalse(Tokens.constantTimeEquals("test-token", "test-token-longer"));
        assertFalse(Tokens.constantTimeEquals("", "x"));
        assertFalse(Tokens.constantTimeEquals(null, "x"));
        assertNotEquals(Tokens.hash("a"), Tokens.hash("b"));
    }
}
