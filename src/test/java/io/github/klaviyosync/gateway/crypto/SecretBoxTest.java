package io.github.klaviyosync.gateway.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private final SecretBox box = new SecretBox(randomKey());

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void opensWhatItSealedUnderTheSameContext() {
        String secret = TestSecrets.apiKey();
        String account = UUID.randomUUID().toString();
        assertEquals(secret, box.open(box.seal(secret, account), account));
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        String secret = TestSecrets.apiKey();
        String account = UUID.randomUUID().toString();
        byte[] first = box.seal(secret, account);
        byte[] second = box.seal(secret, account);
        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)), "a fresh nonce per value");
        assertFalse(new String(first, StandardCharsets.ISO_8859_1).contains(TestSecrets.MARKER));
    }

    @Test
    void aValueCopiedToAnotherAccountDoesNotOpen() {
        byte[] sealed = box.seal(TestSecrets.apiKey(), UUID.randomUUID().toString());
        var failure = assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, UUID.randomUUID().toString()));
        assertFalse(failure.getMessage().contains(TestSecrets.MARKER));
    }

    @Test
    void aTamperedValueOrAnotherKeyDoesNotOpen() {
        String account = UUID.randomUUID().toString();
        byte[] sealed = box.seal(TestSecrets.apiKey(), account);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(tampered, account));
        assertThrows(SecretBox.SecretBoxException.class, () -> new SecretBox(randomKey()).open(sealed, account));
    }
}
