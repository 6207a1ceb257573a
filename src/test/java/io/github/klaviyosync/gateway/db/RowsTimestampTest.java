package io.github.klaviyosync.gateway.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An instant bound as a timestamptz: the same OffsetDateTime as {@link Instant#atOffset} in UTC, without its rules look-up. */
class RowsTimestampTest {

    @Test
    void bindsTheSameOffsetDateTimeAsAtOffsetUtc() {
        Random random = new Random(20261201);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
            assertEquals(instant.atOffset(ZoneOffset.UTC), Rows.timestamp(instant), instant::toString);
        }
        assertEquals(Instant.EPOCH.atOffset(ZoneOffset.UTC), Rows.timestamp(Instant.EPOCH));
        assertNull(Rows.timestamp(null));
    }
}
