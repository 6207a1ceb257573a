package io.github.klaviyosync.gateway.klaviyo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Builds Klaviyo filters that name many values at once, {@code any(field,["a","b"])}, in batches a
 * request can carry: at most {@value #MOST_VALUES} values (a page of {@code get_profiles}, so one
 * page answers a batch) and at most {@value #MOST_ENCODED_CHARACTERS} characters once URL-encoded,
 * so that the request line stays within 4 KB, the smallest limit common servers and proxies set
 * (Quarkus's and Vert.x's default): 100 profile ids fit, or about 85 emails of 30 characters. A
 * value the filter grammar cannot carry as it is is left out.
 */
final class AnyFilters {

    static final int MOST_VALUES = 100;
    static final int MOST_ENCODED_CHARACTERS = 3_600;

    private AnyFilters() {
    }

    /** Whether {@code value} can stand in a filter string between double quotes. */
    static boolean carryable(String value) {
        if (value == null || value.isBlank() || encoded(value) > MOST_ENCODED_CHARACTERS / 2) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code equals(field,"value")}; the value must be {@link #carryable}. */
    static String equalsFilter(String field, String value) {
        return "equals(" + field + ",\"" + value + "\")";
    }

    /** The distinct carryable values in batches of {@code any(field,[...])}, in their first order. */
    static List<String> batches(String field, Collection<String> values) {
        int frame = encoded("any(" + field + ",[])");
        List<String> filters = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int length = frame;
        for (String value : new LinkedHashSet<>(values)) {
            if (!carryable(value)) {
                continue;
            }
            String quoted = "\"" + value + "\"";
            int cost = encoded(quoted) + (batch.isEmpty() ? 0 : encoded(","));
            if (batch.size() == MOST_VALUES || length + cost > MOST_ENCODED_CHARACTERS) {
                filters.add(filter(field, batch));
                batch.clear();
                length = frame;
                cost = encoded(quoted);
            }
            batch.add(quoted);
            length += cost;
        }
        if (!batch.isEmpty()) {
            filters.add(filter(field, batch));
        }
        return filters;
    }

    private static String filter(String field, List<String> quotedValues) {
        return "any(" + field + ",[" + String.join(",", quotedValues) + "])";
    }

    /** The length of {@code text} once URL-encoded (every reserved character as {@code %XX}, the most it can take). */
    private static int encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).length();
    }
}
