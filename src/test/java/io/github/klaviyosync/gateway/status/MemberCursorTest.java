package io.github.klaviyosync.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.status.query.MemberCursor;
import java.time.Instant;
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
        for (String bad : new String[] {"x", "%%%", "bTE6Og", "bTE6MTIzOmFiYw", "bTE6MS4yLjM6NA"}) {
            ApiProblem problem = assertThrows(ApiProblem.class, () -> MemberCursor.decode(bad), bad);
            assertEquals(400, problem.status());
        }
    }
}
