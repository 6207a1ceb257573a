package io.github.klaviyosync.gateway.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random tokens and their stored form. Tokens carry 256 random bits, so a plain SHA-256 is enough
 * to store them: nothing can be guessed from the hash. Comparisons take constant time.
 */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new URL-safe token of 32 random bytes. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lowercase hex SHA-256 of the token's UTF-8 bytes. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code token} hashes to {@code storedHash}, in time independent of where they differ. */
    public static boolean matchesHash(String token, String storedHash) {
        if (token == null || storedHash == null) {
            return false;
        }
        return constantTimeEquals(hash(token), storedHash);
    }

    /** String equality in time that does not depend on the position of the first difference. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
