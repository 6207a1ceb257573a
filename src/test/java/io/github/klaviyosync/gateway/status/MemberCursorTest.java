package io.github.klaviyosync.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.status.query.MemberCursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MemberCursorTest {

    @Test
    void roundTripsJoinTimesToTheMicrosecondAndTheNullSegment() {
        MemberCursor joined = new MemberCursor(Instant.parse("2026-11-28T03:00:00.123456Z"), 42);
        assertEquals(joined, MemberCursor.decode(joined.encode()));
        MemberCursor notJoined = new MemberCursor(null, 7);
        assertEquals(notJoined, MemberCursor.decode(notJoined.encode()));
        assertTrue(joined.encode().matches("[A-Za-z0-9_-]+"), "URL-safe, no padding");
        assertNull(MemberCursor.decode(null));
    }

    @Test
    void refusesTextItDidNotMakeAs400() {
        // The last two carry times a million years away (a 500 from the database before).
        for (String bad : new String[] {"x", "%%%", "bTE6Og", "bTE6MTIzOmFiYw", "bTE6MS4yLjM6NA",
                encoded("m1:100000000000000.0:1"), encoded("m1:-100000000000000.0:1")}) {
            ApiProblem problem = assertThrows(ApiProblem.class, () -> MemberCursor.decode(bad), bad);
            assertEquals(400, problem.status());
        }
    }

    private static String encoded(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
