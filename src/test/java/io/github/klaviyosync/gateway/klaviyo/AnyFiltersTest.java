package io.github.klaviyosync.gateway.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyFiltersTest {

    private static List<String> values(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + i);
        }
        return values;
    }

    @Test
    void aHundredValuesABatchInTheirOrderWithoutRepeats() {
        List<String> ids = values("01JABCDEFGHJKMNPQRSTV", 250);
        List<String> asked = new ArrayList<>(ids);
        asked.add(ids.get(3));

        List<String> batches = AnyFilters.batches("id", asked);

        assertEquals(3, batches.size());
        assertTrue(batches.get(0).startsWith("any(id,[\"" + ids.get(0) + "\",\"" + ids.get(1) + "\","));
        assertEquals(100, batches.get(0).split(",\"").length);
        assertEquals(50, batches.get(2).split(",\"").length);
        assertTrue(batches.get(2).endsWith("\"" + ids.get(249) + "\"])"));
    }

    @Test
    void aHundredUlidsFitOneRequestLineOfFourKilobytes() {
        List<String> ulids = values("01JABCDEFGHJKMNPQRSTV", 100).stream()
                .map(id -> (id + "ZZZZZZ").substring(0, 26)).toList();

        List<String> batches = AnyFilters.batches("id", ulids);

        assertEquals(1, batches.size());
        assertEquals(100, batches.get(0).split(",\"").length);
        assertTrue(URLEncoder.encode(batches.get(0), StandardCharsets.UTF_8).length() <= AnyFilters.MOST_ENCODED_CHARACTERS);
    }

    @Test
    void longValuesMakeSmallerBatchesThatStayWithinTheBudget() {
        List<String> emails = values("someone.with.a.rather.long.address+", 100).stream().map(local -> local + "@example.com").toList();

        List<String> batches = AnyFilters.batches("email", emails);

        assertTrue(batches.size() > 1, "100 long emails do not fit one request line");
        int carried = 0;
        for (String batch : batches) {
            assertTrue(URLEncoder.encode(batch, StandardCharsets.UTF_8).length() <= AnyFilters.MOST_ENCODED_CHARACTERS, batch);
            carried += batch.split(",\"").length;
        }
        assertEquals(100, carried);
    }

    @Test
    void valuesAFilterCannotCarryAreLeftOut() {
        List<String> batches = AnyFilters.batches("email", Arrays.asList("a@example.com", null, "", "  ", "q\"uote@example.com",
                "back\\slash@example.com", "new\nline@example.com", "x".repeat(3_000), "b@example.com"));

        assertEquals(List.of("any(email,[\"a@example.com\",\"b@example.com\"])"), batches);
        assertEquals(List.of(), AnyFilters.batches("email", List.of("\"")));
        assertFalse(AnyFilters.carryable("\"@example.com"));
        assertTrue(AnyFilters.carryable("o'brien@example.com"));
    }
}
