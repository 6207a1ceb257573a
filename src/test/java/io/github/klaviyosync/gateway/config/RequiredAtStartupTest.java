package io.github.klaviyosync.gateway.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up checks of values, without starting anything (PackagedAppIT starts the application with them). */
class RequiredAtStartupTest {

    @Test
    void refusesAnApiTokenShorterThan24CharactersNamingTheVariableButNotTheToken() {
        String shortToken = "a".repeat(23);

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> RequiredAtStartup.requireLongTokens(List.of("b".repeat(40), shortToken)));

        assertTrue(failure.getMessage().contains("GATEWAY_API_TOKENS"), failure.getMessage());
        assertFalse(failure.getMessage().contains(shortToken), failure.getMessage());
        assertDoesNotThrow(() -> RequiredAtStartup.requireLongTokens(List.of("a".repeat(24), "b".repeat(44))));
    }

    @Test
    void refusesAValueCommittedForDevOrTestsNamingTheVariable() {
        List<String> committed = List.of("dev-token-for-the-local-demo", "test-token-for-the-test-suite");

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> RequiredAtStartup.refuseCommitted(
                "GATEWAY_API_TOKENS", List.of("a-token-of-our-own-0123456789", "test-token-for-the-test-suite"), committed));

        assertTrue(failure.getMessage().contains("GATEWAY_API_TOKENS"), failure.getMessage());
        assertFalse(failure.getMessage().contains("test-token-for-the-test-suite"), failure.getMessage());
        assertDoesNotThrow(() -> RequiredAtStartup.refuseCommitted("GATEWAY_API_TOKENS",
                List.of("a-token-of-our-own-0123456789"), committed));
    }

    @Test
    void refusesAQuotaShareOutsideZeroToOneNamingTheVariable() {
        for (double share : new double[] {0, -0.5, 1.01, Double.NaN}) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> RequiredAtStartup.requireShare(share), "share " + share);
            assertTrue(failure.getMessage().contains("GATEWAY_KLAVIYO_QUOTA_SHARE"), failure.getMessage());
        }
        assertDoesNotThrow(() -> RequiredAtStartup.requireShare(0.5));
        assertDoesNotThrow(() -> RequiredAtStartup.requireShare(1));
        assertDoesNotThrow(() -> RequiredAtStartup.requireShare(0.01));
    }
}
