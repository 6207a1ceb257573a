package io.github.klaviyosync.gateway.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** links.next is followed only under the configured base URL, so the key goes nowhere else. */
class NextLinkTest {

    private static final URI KLAVIYO = URI.create("https://a.klaviyo.com");
    private static final URI SIMULATOR = URI.create("http://localhost:8081/klaviyo-sim");

    @Test
    void splitsALinkUnderTheBaseUrlIntoPathAndDecodedQuery() {
        NextLink link = NextLink.under(KLAVIYO, "https://a.klaviyo.com/api/lists/Y6nRLr/profiles/"
                + "?page%5Bcursor%5D=bmV4dDo6&filter=greater-or-equal(joined_group_at,2026-11-28T03:00:00%2B00:00)");

        assertEquals("api/lists/Y6nRLr/profiles", link.path());
        assertEquals(Map.of("page[cursor]", "bmV4dDo6",
                "filter", "greater-or-equal(joined_group_at,2026-11-28T03:00:00+00:00)"), link.query());
    }

    @Test
    void keepsTheBasePathOfAMountedSimulator() {
        NextLink link = NextLink.under(SIMULATOR, "http://localhost:8081/klaviyo-sim/api/lists?page%5Bcursor%5D=x");

        assertEquals("api/lists", link.path());
        assertEquals(Map.of("page[cursor]", "x"), link.query());
    }

    @Test
    void refusesLinksAnywhereElse() {
        assertNull(NextLink.under(KLAVIYO, "https://evil.example.com/api/lists?page%5Bcursor%5D=x"));
        assertNull(NextLink.under(KLAVIYO, "http://a.klaviyo.com/api/lists"));
        assertNull(NextLink.under(KLAVIYO, "https://a.klaviyo.com:8443/api/lists"));
        assertNull(NextLink.under(KLAVIYO, "https://a.klaviyo.com.evil.example.com/api/lists"));
        assertNull(NextLink.under(KLAVIYO, "https://user@a.klaviyo.com/api/lists"));
        assertNull(NextLink.under(KLAVIYO, "https://a.klaviyo.com/other/api/lists"));
        assertNull(NextLink.under(SIMULATOR, "http://localhost:8081/api/lists"));
        assertNull(NextLink.under(SIMULATOR, "http://localhost:8081/klaviyo-sim/../api/lists"));
        assertNull(NextLink.under(KLAVIYO, "not a url"));
    }
}
