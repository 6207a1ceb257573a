package io.github.klaviyosync.gateway.crypto;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the gateway must be able to read back (Klaviyo API keys, webhook secrets)
 * with AES-256-GCM. A sealed value is a format byte, the id of the key that sealed it, a fresh
 * 12-byte nonce and the ciphertext; its associated data names the account and the field
 * ({@link SecretField}), so a value moved to another column or another account's row does not open.
 *
 * <p>Values are sealed under {@code GATEWAY_CRYPTO_KEY} and opened under it or any of
 * {@code GATEWAY_CRYPTO_OLD_KEYS}, which lets an operator rotate the key: the account package's
 * rewrite pass finds the values not sealed under the current key ({@link #currentPrefix()}) and seals
 * them again. Values written before key ids existed (the nonce first, the account id alone as
 * associated data) are still read. Created at start-up, so a malformed key stops the start rather
 * than the first request that needs it.
 */
@Startup
@ApplicationScoped
public class SecretBox {

    /** The first byte of a value with a key id; a value of the older format starts with its random nonce. */
    static final byte FORMAT = 1;
    static final int KEY_ID_BYTES = 4;
    private static final int HEADER_BYTES = 1 + KEY_ID_BYTES;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;
    private static final String CURRENT_VARIABLE = "GATEWAY_CRYPTO_KEY";
    private static final String OLD_VARIABLE = "GATEWAY_CRYPTO_OLD_KEYS";

    private final Key current;
    /** Every key a value may be sealed under, the current one first. */
    private final List<Key> keys = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();

    // Without @Inject, several constructors make this class no CDI bean at all.
    @Inject
    SecretBox(GatewayConfig config) {
        this(decodeKey(config.crypto().key(), CURRENT_VARIABLE),
                config.crypto().oldKeys().orElse(List.of()).stream().map(old -> decodeKey(old, OLD_VARIABLE)).toList());
    }

    public SecretBox(byte[] key) {
        this(key, List.of());
    }

    public SecretBox(byte[] currentKey, List<byte[]> oldKeys) {
        this.current = Key.of(currentKey, CURRENT_VARIABLE);
        keys.add(current);
        for (byte[] oldKey : oldKeys) {
            Key old = Key.of(oldKey, OLD_VARIABLE);
            if (!Arrays.equals(old.id(), current.id())) {
                keys.add(old);
            }
        }
    }

    /** The value sealed under the current key, for {@code field} of account {@code accountId}. */
    public byte[] seal(String plaintext, SecretField field, UUID accountId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] ciphertext = encrypt(nonce, field.associatedData(accountId), plaintext.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(HEADER_BYTES + NONCE_BYTES + ciphertext.length)
                .put(FORMAT).put(current.id()).put(nonce).put(ciphertext).array();
    }

    /**
     * The plaintext of a value sealed for {@code field} of account {@code accountId} under any known
     * key, in either format; {@link SecretBoxException} when it does not open.
     */
    public String open(byte[] sealed, SecretField field, UUID accountId) {
        byte[] plaintext = openKeyed(sealed, field.associatedData(accountId));
        if (plaintext == null) {
            plaintext = openWithoutKeyId(sealed, accountId);
        }
        if (plaintext == null) {
            throw new SecretBoxException();
        }
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    /** Whether the value is sealed under the current key in the current format: nothing to rewrite. */
    public boolean isCurrent(byte[] sealed) {
        return sealed != null && sealed.length > HEADER_BYTES
                && Arrays.equals(Arrays.copyOf(sealed, HEADER_BYTES), currentPrefix());
    }

    /**
     * The first bytes of every value sealed under the current key: the format byte and the key id.
     * A value of the older format starts so only by a chance of one in 2^40, and it still opens.
     */
    public byte[] currentPrefix() {
        return ByteBuffer.allocate(HEADER_BYTES).put(FORMAT).put(current.id()).array();
    }

    private byte[] openKeyed(byte[] sealed, byte[] associatedData) {
        if (sealed.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || sealed[0] != FORMAT) {
            return null;
        }
        byte[] keyId = Arrays.copyOfRange(sealed, 1, HEADER_BYTES);
        byte[] nonce = Arrays.copyOfRange(sealed, HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
        byte[] ciphertext = Arrays.copyOfRange(sealed, HEADER_BYTES + NONCE_BYTES, sealed.length);
        for (Key key : keys) {
            byte[] plaintext = Arrays.equals(key.id(), keyId) ? decrypt(key, nonce, associatedData, ciphertext) : null;
            if (plaintext != null) {
                return plaintext;
            }
        }
        return null;
    }

    /** The format before key ids: the nonce first, the account id alone as associated data, under any known key. */
    private byte[] openWithoutKeyId(byte[] sealed, UUID accountId) {
        if (sealed.length < NONCE_BYTES + TAG_BYTES) {
            return null;
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 0, NONCE_BYTES);
        byte[] ciphertext = Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length);
        byte[] associatedData = accountId.toString().getBytes(StandardCharsets.UTF_8);
        for (Key key : keys) {
            byte[] plaintext = decrypt(key, nonce, associatedData, ciphertext);
            if (plaintext != null) {
                return plaintext;
            }
        }
        return null;
    }

    private byte[] encrypt(byte[] nonce, byte[] associatedData, byte[] plaintext) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, current, nonce, associatedData).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            // Never wrap the cause: its message could describe the input.
            throw new SecretBoxException();
        }
    }

    /** The plaintext, or null when the value does not open under this key (wrong key, context or tampered). */
    private static byte[] decrypt(Key key, byte[] nonce, byte[] associatedData, byte[] ciphertext) {
        try {
            return cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData).doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static Cipher cipher(int mode, Key key, byte[] nonce, byte[] associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        return cipher;
    }

    static byte[] decodeKey(String base64) {
        return decodeKey(base64, CURRENT_VARIABLE);
    }

    private static byte[] decodeKey(String base64, String variable) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(mustBe(variable));
        }
    }

    private static String mustBe(String variable) {
        return CURRENT_VARIABLE.equals(variable)
                ? variable + " must be base64 of 32 bytes"
                : variable + " must be comma-separated base64 of 32 bytes each";
    }

    /** An AES-256 key and its id: the first bytes of its SHA-256, which tell nothing usable about the key. */
    private record Key(SecretKeySpec spec, byte[] id) {

        static Key of(byte[] key, String variable) {
            if (key.length != 32) {
                throw new IllegalArgumentException(mustBe(variable));
            }
            return new Key(new SecretKeySpec(key, "AES"), Arrays.copyOf(Tokens.sha256(key), KEY_ID_BYTES));
        }
    }

    /** A stored secret that does not decrypt under any configured key and its context. */
    public static class SecretBoxException extends RuntimeException {
        SecretBoxException() {
            super("a stored secret could not be decrypted (sealed under a key that is neither GATEWAY_CRYPTO_KEY nor one of "
                    + "GATEWAY_CRYPTO_OLD_KEYS, or a tampered value)");
        }
    }
}
