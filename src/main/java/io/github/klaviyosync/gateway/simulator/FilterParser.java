package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Klaviyo's filter grammar, as strictly as the real API: {@code op(field,value)} conditions joined
 * by commas (AND); values are quoted strings, lists {@code ['a','b']}, or unquoted RFC 3339
 * datetimes for datetime fields, which count in whole seconds (a fraction is dropped, as Klaviyo
 * compares). Anything else is a {@link SimulatorRequestException} naming {@code filter}.
 */
final class FilterParser {

    /** One condition; {@code values} has one element except for {@code any}. */
    record Condition(String operator, String field, List<String> values, Instant time) {
    }

    private static final Set<String> DATETIME_FIELDS = Set.of("joined_group_at", "created", "updated",
            "subscriptions.email.marketing.list_suppressions.timestamp", "subscriptions.email.marketing.suppression.timestamp");

    private FilterParser() {
    }

    static List<Condition> parse(String filter, Map<String, Set<String>> allowed) {
        if (filter == null || filter.isBlank()) {
            throw invalid("The filter is empty.");
        }
        List<Condition> conditions = new ArrayList<>();
        for (String expression : splitTopLevel(filter)) {
            conditions.add(condition(expression.trim(), allowed));
        }
        return conditions;
    }

    private static Condition condition(String expression, Map<String, Set<String>> allowed) {
        int open = expression.indexOf('(');
        if (open <= 0 || !expression.endsWith(")")) {
            throw invalid("Invalid filter expression '" + expression + "'.");
        }
        String operator = expression.substring(0, open);
        String inner = expression.substring(open + 1, expression.length() - 1);
        int comma = inner.indexOf(',');
        if (comma <= 0) {
            throw invalid("Invalid filter expression '" + expression + "': expected (field,value).");
        }
        String field = inner.substring(0, comma).trim();
        String value = inner.substring(comma + 1).trim();
        Set<String> operators = allowed.get(field);
        if (operators == null) {
            throw invalid("'" + field + "' is not a valid field for this filter.");
        }
        if (!operators.contains(operator)) {
            throw invalid("'" + operator + "' is not a valid operator for field '" + field + "'.");
        }
        if (DATETIME_FIELDS.contains(field)) {
            return new Condition(operator, field, List.of(value), datetime(value));
        }
        List<String> values = "any".equals(operator) ? list(value) : List.of(string(value));
        return new Condition(operator, field, values, null);
    }

    private static Instant datetime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw invalid("'" + value + "' is not a valid datetime (RFC 3339 with an offset, unquoted).");
        }
    }

    private static String string(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("'") && value.endsWith("'") || value.startsWith("\"") && value.endsWith("\""));
        if (!quoted) {
            throw invalid("String values must be quoted: " + value);
        }
        return value.substring(1, value.length() - 1);
    }

    private static List<String> list(String value) {
        if (!value.startsWith("[") || !value.endsWith("]")) {
            throw invalid("The operator 'any' needs a list value such as ['a','b'].");
        }
        List<String> values = new ArrayList<>();
        for (String item : splitTopLevel(value.substring(1, value.length() - 1))) {
            values.add(string(item.trim()));
        }
        return values;
    }

    /** Splits on commas outside parentheses, brackets and quotes. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0 || quote != 0) {
            throw invalid("Unbalanced filter expression.");
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static SimulatorRequestException invalid(String detail) {
        return SimulatorRequestException.invalidParameter("filter", detail);
    }
}
