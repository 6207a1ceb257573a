package io.github.klaviyosync.gateway.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rate-limit headers' numbers: the first item of a list ({@code ,} or {@code ;}), trimmed; -1 when unreadable. */
class AnswerHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {"60", " 60 ", "60, 5;w=1, 60;w=60", "5;w=1", "700;w=60", ",5", ";5", "", " ", "abc", "-3",
            "12 ,4", "2147483648"})
    void readsTheFirstNumberOfEachHeaderAsARegexSplitDid(String header) {
        Answer answer = new Answer(200, null, header, header, header, header, new byte[0], null);

        Integer expected = splitByRegex(header);
        assertEquals(expected == null ? -1 : expected, answer.remaining(), header);
        assertEquals(expected == null ? -1 : expected, answer.resetSeconds(), header);
        assertEquals(expected == null || expected < 0 ? -1 : expected * 1_000L, answer.retryAfterMillis(), header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"60, 5;w=1, 60;w=60", "75, 75;w=1, 700;w=60", "700", "3;w=1"})
    void takesTheSteadyWindowsLimitFromAListOfWindows(String header) {
        Answer answer = new Answer(200, null, null, header, null, null, new byte[0], null);

        int expected = header.contains(";w=60") ? splitByRegex(header.substring(header.lastIndexOf(',') + 1)) : splitByRegex(header);
        assertEquals(expected, answer.steadyLimit(), header);
    }

    /** How the headers were read before (a regex split on each answer), as the oracle. */
    private static Integer splitByRegex(String header) {
        try {
            return Integer.parseInt(header.split("[,;]")[0].trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
