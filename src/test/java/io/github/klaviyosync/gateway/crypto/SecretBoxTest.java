package io.github.klaviyosync.gateway.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String ACCOUNT = "0b7f8f2e-5a51-4a43-9a0e-6d1f0c2b9e11";
    private static final String OTHER_ACCOUNT = "c6a4f1d0-2f1e-4b8e-8d7a-3e5b2c1a0f99";

    private final SecretBox box = new SecretBox(randomKey());

    @Test
    void opensWhatItSealedForTheSameContext() {
        String apiKey = "pk_live_0123456789abcdef";

        byte[] sealed = box.seal(apiKey, ACCOUNT);

        assertEquals(apiKey, box.open(sealed, ACCOUNT));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(apiKey), "the plaintext must not show");
        assertEquals(12 + apiKey.getBytes(StandardCharsets.UTF_8).length + 16, sealed.length, "nonce, ciphertext and tag");
    }

    @Test
    void sealsTheSameValueDifferentlyEachTimeWithAFreshNonce() {
        byte[] first = box.seal("whsec_same", ACCOUNT);
        byte[] second = box.seal("whsec_same", ACCOUNT);

        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)), "nonces must differ");
        assertEquals(box.open(first, ACCOUNT), box.open(second, ACCOUNT));
    }

    @Test
    void refusesAValueMovedToAnotherAccount() {
        byte[] sealed = box.seal("pk_live_moved", ACCOUNT);

        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, OTHER_ACCOUNT));
    }

    @Test
    void refusesATamperedValueWithoutSayingWhatItHeld() {
        byte[] sealed = box.seal("pk_live_tampered", ACCOUNT);
        for (int position : new int[] {0, 12, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[position] ^= 0x01;

            SecretBox.SecretBoxException failure = assertThrows(SecretBox.SecretBoxException.class, () -> box.open(tampered, ACCOUNT));
            assertFalse(failure.getMessage().contains("pk_live"));
            assertEquals(null, failure.getCause(), "the cause could describe the input");
        }
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(Arrays.copyOf(sealed, 12), ACCOUNT));
    }

    @Test
    void refusesAValueSealedUnderAnotherKey() {
        byte[] sealed = new SecretBox(randomKey()).seal("pk_live_other_key", ACCOUNT);

        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, ACCOUNT));
    }

    @Test
    void acceptsOnlyA32ByteKey() {
        for (int length : new int[] {0, 16, 24, 31, 33, 64}) {
            IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[length]));
            assertTrue(failure.getMessage().contains("GATEWAY_CRYPTO_KEY"), failure.getMessage());
        }
    }

    @Test
    void decodesTheConfiguredKeyFromBase64AndNamesTheVariableWhenItIsNot() {
        byte[] key = randomKey();

        assertArrayEquals(key, SecretBox.decodeKey(" " + Base64.getEncoder().encodeToString(key) + "\n"));
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> SecretBox.decodeKey("not base64!"));
        assertTrue(failure.getMessage().contains("GATEWAY_CRYPTO_KEY"));
        assertFalse(failure.getMessage().contains("not base64!"), "the rejected value must not be echoed");
        assertNotEquals(32, SecretBox.decodeKey("c2hvcnQta2V5LW9mLTE2Yg==").length);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
