package io.github.klaviyosync.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The convention every test follows for secrets and personal data, so that {@code LogLeakIT} (run by
 * failsafe after the whole suite) can prove none of them reached the log ({@code target/quarkus-test.log}):
 * <ul>
 *   <li>Build every API key, webhook secret, flow token or bearer token a test makes up with
 *       {@link #apiKey()}, {@link #secret(String)}: random text with {@link #MARKER} in the middle, so a
 *       secret shown whole, cut short or partly masked is still found.</li>
 *   <li>Build test emails with {@link #email()} (the marker in the local part, which a correct mask
 *       hides) and phone numbers with {@link #phone()}.</li>
 *   <li>Pass every secret the gateway makes itself (a flow token from an answer) to {@link #remember(String)}.</li>
 * </ul>
 * Every value built here is also remembered: the checker looks for the marker and for any 10-character
 * piece of each remembered value in the log.
 */
public final class TestSecrets {

    /** Appears in the middle of every made-up secret and test email; never anywhere in a log. */
    public static final String MARKER = "LeakMark";

    /** Where remembered values go; read by {@code LogLeakIT}. */
    public static final Path REMEMBERED = Path.of("target", "leak-check", "secrets.txt");

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestSecrets() {
    }

    /** A made-up Klaviyo private key ({@code pk_} and 34 characters, like Klaviyo's). */
    public static String apiKey() {
        return remember("pk_" + random(7) + MARKER + random(6));
    }

    /** A made-up secret of some kind, e.g. {@code secret("whsec")}. */
    public static String secret(String prefix) {
        return remember(prefix + "_" + random(8) + MARKER + random(8));
    }

    /** A made-up email, unique per call. */
    public static String email() {
        return remember("m" + random(3) + MARKER + random(3) + "@example.com");
    }

    /** A made-up, valid US number in E.164, unique enough per call. */
    public static String phone() {
        int line = RANDOM.nextInt(10_000);
        int exchange = 200 + RANDOM.nextInt(700);
        return remember(String.format("+1415%03d%04d", exchange, line));
    }

    /** Records a secret or personal value for the log check; returns it. */
    public static synchronized String remember(String value) {
        try {
            Files.createDirectories(REMEMBERED.getParent());
            Files.writeString(REMEMBERED, value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
