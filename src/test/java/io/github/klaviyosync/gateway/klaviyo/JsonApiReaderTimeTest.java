package io.github.klaviyosync.gateway.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonApiReaderTimeTest {

    @Test
    void readsKlaviyosUtcTimesWithoutAFormatterExactlyAsTheFormatterDoes() {
        Random random = new Random(20261128);
        for (int i = 0; i < 10_000; i++) {
            Instant time = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L));
            String offset = OffsetDateTime.ofInstant(time, ZoneOffset.UTC).toString();
            String withOffset = offset.replace("Z", "+00:00");
            String seconds = withOffset.length() == 22 ? withOffset.replace("+00:00", ":00+00:00") : withOffset;

            assertEquals(time, JsonApiReader.utcSeconds(seconds), seconds);
            assertEquals(time, JsonApiReader.instant(TextNode.valueOf(seconds)), seconds);
            assertEquals(time, JsonApiReader.utcSeconds(seconds.replace("+00:00", "Z")), seconds);
        }
    }

    @Test
    void leavesEveryOtherFormToTheFormatter() {
        assertNull(JsonApiReader.utcSeconds("2026-11-28T03:00:00.123456+00:00"));
        assertEquals(Instant.parse("2026-11-28T03:00:00.123456Z"),
                JsonApiReader.instant(TextNode.valueOf("2026-11-28T03:00:00.123456+00:00")));
        assertNull(JsonApiReader.utcSeconds("2026-11-28T03:00:00+02:00"));
        assertEquals(Instant.parse("2026-11-28T01:00:00Z"), JsonApiReader.instant(TextNode.valueOf("2026-11-28T03:00:00+02:00")));
        assertEquals(Instant.parse("2026-11-28T03:00:00Z"), JsonApiReader.instant(TextNode.valueOf("2026-11-28T03:00:00")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00+00:00", "2026-13-01T00:00:00+00:00", "2026-11-31T00:00:00Z",
            "2026-11-28T24:00:00+00:00", "2026-11-28T03:60:00+00:00", "2026-11-28T03:00:61Z", "2026-1a-28T03:00:00Z",
            "2026/11/28T03:00:00Z", "not a time at all, 25 ch"})
    void refusesImpossibleDates(String value) {
        assertNull(JsonApiReader.utcSeconds(value));
        assertNull(JsonApiReader.instant(TextNode.valueOf(value)));
    }

    @Test
    void acceptsALeapDay() {
        assertEquals(Instant.parse("2028-02-29T12:34:56Z"), JsonApiReader.utcSeconds("2028-02-29T12:34:56+00:00"));
    }
}
