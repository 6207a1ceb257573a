package io.github.klaviyosync.gateway.crypto;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the gateway must be able to read back (Klaviyo API keys, webhook secrets)
 * with AES-256-GCM: a fresh 12-byte nonce per value, stored in front of the ciphertext, and a
 * context (the account id) as associated data, so a value copied to another account's row does
 * not decrypt.
 */
@ApplicationScoped
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    SecretBox(GatewayConfig config) {
        this(decodeKey(config.crypto().key()));
    }

    public SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("GATEWAY_CRYPTO_KEY must be base64 of 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    public byte[] seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] ciphertext = run(Cipher.ENCRYPT_MODE, nonce, context, plaintext.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
    }

    public String open(byte[] sealed, String context) {
        if (sealed.length <= NONCE_BYTES) {
            throw new SecretBoxException();
        }
        byte[] nonce = java.util.Arrays.copyOfRange(sealed, 0, NONCE_BYTES);
        byte[] ciphertext = java.util.Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length);
        return new String(run(Cipher.DECRYPT_MODE, nonce, context, ciphertext), StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // Never wrap the cause: its message could describe the input.
            throw new SecretBoxException();
        }
    }

    static byte[] decodeKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GATEWAY_CRYPTO_KEY must be base64 of 32 bytes");
        }
    }

    /** A stored secret that does not decrypt under the configured key and its context. */
    public static class SecretBoxException extends RuntimeException {
        SecretBoxException() {
            super("a stored secret could not be decrypted (wrong GATEWAY_CRYPTO_KEY or tampered value)");
        }
    }
}
