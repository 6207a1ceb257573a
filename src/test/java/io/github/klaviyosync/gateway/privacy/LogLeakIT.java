package io.github.klaviyosync.gateway.privacy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole unit-test suite (failsafe, {@code mvn verify}) and reads everything the test
 * applications logged ({@code target/quarkus-test.log*}, see the test profile): it must not hold the
 * {@link TestSecrets#MARKER} that every made-up secret and email carries in its middle, the API tokens
 * of the test profile, nor any 10-character piece of a value the tests remembered (secrets the
 * gateway generated, test phone numbers), so a secret cut short or partly masked is caught too.
 */
class LogLeakIT {

    private static final Path LOG_DIRECTORY = Path.of("target");
    private static final String LOG_NAME = "quarkus-test.log";
    private static final int PIECE = 10;
    /** Pieces that a correct mask keeps (the domain of test emails); not a leak on their own. */
    private static final String KEPT_BY_MASKS = "@example.com";
    private static final List<String> API_TOKENS = List.of("test-token-for-the-test-suite", "second-test-token-for-the-test-suite");

    @Test
    void theSuitesLogHoldsNoSecretAndNoUnmaskedPersonalData() throws IOException {
        String log = readLogs();
        assertTrue(log.contains("Profile test activated"), "the log file holds the test applications' logs");
        assertFalse(log.contains(TestSecrets.MARKER), () -> "a made-up secret or email reached the log: " + around(log, TestSecrets.MARKER));
        for (String token : API_TOKENS) {
            assertFalse(log.contains(token), () -> "an API token reached the log: " + around(log, token));
        }
        Set<String> pieces = piecesOfRememberedValues();
        for (int start = 0; start + PIECE <= log.length(); start++) {
            String piece = log.substring(start, start + PIECE);
            if (pieces.contains(piece)) {
                throw new AssertionError("a piece of a remembered secret or personal value reached the log, here: "
                        + log.substring(Math.max(0, start - 60), start) + "<piece>");
            }
        }
    }

    private static String readLogs() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(LOG_DIRECTORY)) {
            listing.filter(path -> path.getFileName().toString().startsWith(LOG_NAME)).forEach(files::add);
        }
        assertFalse(files.isEmpty(), "no " + LOG_NAME + " under target/: did the unit tests run with the test profile?");
        StringBuilder log = new StringBuilder();
        for (Path file : files) {
            log.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
        }
        return log.toString();
    }

    /** Every 10-character piece of every remembered value. */
    private static Set<String> piecesOfRememberedValues() throws IOException {
        Set<String> pieces = new HashSet<>();
        if (!Files.exists(TestSecrets.REMEMBERED)) {
            return pieces;
        }
        for (String value : Files.readAllLines(TestSecrets.REMEMBERED, StandardCharsets.UTF_8)) {
            for (int start = 0; start + PIECE <= value.length(); start++) {
                String piece = value.substring(start, start + PIECE);
                if (!KEPT_BY_MASKS.contains(piece)) {
                    pieces.add(piece);
                }
            }
        }
        return pieces;
    }

    private static String around(String log, String found) {
        int at = log.indexOf(found);
        return log.substring(Math.max(0, at - 60), Math.min(log.length(), at + 20)).replace(found, "<it>");
    }
}
