import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Benchmark tooling: turns "apiKey klaviyoAccountId" lines (stdin) into CSV rows of the account
 * table (id, name, klaviyo_account_id, api_key_enc as bytea hex), the key sealed as the gateway
 * seals it (AES-256-GCM under GATEWAY_CRYPTO_KEY, 12-byte nonce first, the account id as associated
 * data), so that thousands of accounts can be loaded with COPY instead of connected one by one.
 * Run: java bench/SealedAccounts.java < keys.txt > accounts.csv
 */
public class SealedAccounts {

    public static void main(String[] args) throws Exception {
        SecretKeySpec key = new SecretKeySpec(Base64.getDecoder().decode(System.getenv("GATEWAY_CRYPTO_KEY").trim()), "AES");
        SecureRandom random = new SecureRandom();
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            String[] fields = line.trim().split("\\s+");
            UUID id = UUID.randomUUID();
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(id.toString().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(fields[0].getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            System.out.println(id + ",Store " + (++number) + "," + fields[1] + ",\\x" + HexFormat.of().formatHex(stored));
        }
    }
}
