package io.github.klaviyosync.gateway.crypto;

import static io.github.klaviyosync.gateway.crypto.SecretField.API_KEY;
import static io.github.klaviyosync.gateway.crypto.SecretField.WEBHOOK_SECRET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.SealedBeforeKeyIds;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final UUID ACCOUNT = UUID.fromString("0b7f8f2e-5a51-4a43-9a0e-6d1f0c2b9e11");
    private static final UUID OTHER_ACCOUNT = UUID.fromString("c6a4f1d0-2f1e-4b8e-8d7a-3e5b2c1a0f99");
    /** Format byte and key id. */
    private static final int HEADER = 5;

    private final byte[] key = randomKey();
    private final SecretBox box = new SecretBox(key);

    @Test
    void opensWhatItSealedForTheSameAccountAndField() {
        String apiKey = "pk_live_0123456789abcdef";

        byte[] sealed = box.seal(apiKey, API_KEY, ACCOUNT);

        assertEquals(apiKey, box.open(sealed, API_KEY, ACCOUNT));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(apiKey), "the plaintext must not show");
        assertEquals(HEADER + 12 + apiKey.getBytes(StandardCharsets.UTF_8).length + 16, sealed.length,
                "format, key id, nonce, ciphertext and tag");
        assertArrayEquals(box.currentPrefix(), Arrays.copyOf(sealed, HEADER));
        assertEquals(1, sealed[0], "the format byte");
    }

    @Test
    void sealsTheSameValueDifferentlyEachTimeWithAFreshNonce() {
        byte[] first = box.seal("whsec_same", WEBHOOK_SECRET, ACCOUNT);
        byte[] second = box.seal("whsec_same", WEBHOOK_SECRET, ACCOUNT);

        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(Arrays.copyOfRange(first, HEADER, HEADER + 12), Arrays.copyOfRange(second, HEADER, HEADER + 12)),
                "nonces must differ");
        assertEquals(box.open(first, WEBHOOK_SECRET, ACCOUNT), box.open(second, WEBHOOK_SECRET, ACCOUNT));
    }

    @Test
    void refusesAValueMovedToAnotherAccount() {
        byte[] sealed = box.seal("pk_live_moved", API_KEY, ACCOUNT);

        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, API_KEY, OTHER_ACCOUNT));
    }

    @Test
    void refusesAValueMovedToTheOtherColumnOfTheSameRow() {
        byte[] apiKey = box.seal("pk_live_swapped", API_KEY, ACCOUNT);
        byte[] webhookSecret = box.seal("whsec_swapped_0123", WEBHOOK_SECRET, ACCOUNT);

        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(apiKey, WEBHOOK_SECRET, ACCOUNT));
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(webhookSecret, API_KEY, ACCOUNT));
        assertEquals("whsec_swapped_0123", box.open(webhookSecret, WEBHOOK_SECRET, ACCOUNT));
    }

    @Test
    void refusesATamperedValueWithoutSayingWhatItHeld() {
        byte[] sealed = box.seal("pk_live_tampered", API_KEY, ACCOUNT);
        for (int position : new int[] {0, 1, HEADER, HEADER + 12, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[position] ^= 0x01;

            SecretBox.SecretBoxException failure = assertThrows(SecretBox.SecretBoxException.class,
                    () -> box.open(tampered, API_KEY, ACCOUNT));
            assertFalse(failure.getMessage().contains("pk_live"));
            assertEquals(null, failure.getCause(), "the cause could describe the input");
        }
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(Arrays.copyOf(sealed, HEADER + 12), API_KEY, ACCOUNT));
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(new byte[0], API_KEY, ACCOUNT));
    }

    @Test
    void refusesAValueSealedUnderAnotherKey() {
        byte[] sealed = new SecretBox(randomKey()).seal("pk_live_other_key", API_KEY, ACCOUNT);

        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, API_KEY, ACCOUNT));
        assertFalse(box.isCurrent(sealed));
    }

    @Test
    void opensValuesSealedUnderAnOldKeyAndSealsNewOnesUnderTheCurrentKey() {
        byte[] oldKey = randomKey();
        byte[] underOldKey = new SecretBox(oldKey).seal("pk_live_before_rotation", API_KEY, ACCOUNT);
        SecretBox rotated = new SecretBox(randomKey(), List.of(oldKey));

        assertEquals("pk_live_before_rotation", rotated.open(underOldKey, API_KEY, ACCOUNT));
        assertFalse(rotated.isCurrent(underOldKey), "the rewrite pass seals it again");
        byte[] resealed = rotated.seal("pk_live_before_rotation", API_KEY, ACCOUNT);
        assertTrue(rotated.isCurrent(resealed));
        assertThrows(SecretBox.SecretBoxException.class, () -> new SecretBox(oldKey).open(resealed, API_KEY, ACCOUNT),
                "the old key alone no longer opens it");
        assertThrows(SecretBox.SecretBoxException.class, () -> rotated.open(underOldKey, API_KEY, OTHER_ACCOUNT));
    }

    @Test
    void readsValuesWrittenBeforeKeyIdsUnderTheCurrentOrAnOldKey() {
        byte[] oldKey = randomKey();
        SecretBox rotated = new SecretBox(key, List.of(oldKey));
        byte[] underCurrentKey = SealedBeforeKeyIds.seal(key, "pk_live_legacy_current", ACCOUNT);
        byte[] underOldKey = SealedBeforeKeyIds.seal(oldKey, "whsec_legacy_old", ACCOUNT);

        assertEquals("pk_live_legacy_current", box.open(underCurrentKey, API_KEY, ACCOUNT));
        assertEquals("pk_live_legacy_current", rotated.open(underCurrentKey, API_KEY, ACCOUNT));
        assertEquals("whsec_legacy_old", rotated.open(underOldKey, WEBHOOK_SECRET, ACCOUNT));
        assertFalse(rotated.isCurrent(underCurrentKey), "the old format is rewritten too");
        assertThrows(SecretBox.SecretBoxException.class, () -> rotated.open(underOldKey, WEBHOOK_SECRET, OTHER_ACCOUNT));
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(underOldKey, WEBHOOK_SECRET, ACCOUNT),
                "not without the old key");
    }

    @Test
    void acceptsOnlyA32ByteKeyAndNamesTheVariable() {
        for (int length : new int[] {0, 16, 24, 31, 33, 64}) {
            IllegalArgumentException current = assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[length]));
            assertTrue(current.getMessage().contains("GATEWAY_CRYPTO_KEY"), current.getMessage());
            IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                    () -> new SecretBox(randomKey(), List.of(new byte[length])));
            assertTrue(old.getMessage().contains("GATEWAY_CRYPTO_OLD_KEYS"), old.getMessage());
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
