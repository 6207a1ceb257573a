package io.github.klaviyosync.gateway.testsupport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a value the way the gateway did before ciphertexts carried a key id: AES-256-GCM, a 12-byte
 * nonce in front of the ciphertext, the account id alone as associated data. Written out here, not
 * taken from the gateway, so the tests prove that databases written then are still read.
 */
public final class SealedBeforeKeyIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedBeforeKeyIds() {
    }

    public static byte[] seal(byte[] key, String plaintext, UUID accountId) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(accountId.toString().getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
