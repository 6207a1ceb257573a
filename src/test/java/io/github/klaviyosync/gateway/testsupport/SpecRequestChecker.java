package io.github.klaviyosync.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request against its operation in the spec: every query parameter is declared, given
 * once, and within its schema (integer bounds, enums, comma-separated enum arrays); {@code filter}
 * uses only the fields and operators of {@code x-klaviyo-filters} with well-formed values; required
 * parameters and headers are present.
 */
final class SpecRequestChecker {

    /** {@code operator(field,value)}: one condition of Klaviyo's filter grammar (fields may be dotted paths). */
    private static final Pattern CONDITION = Pattern.compile("([a-z-]+)\\(([a-z_.]+),(.+)\\)");

    private final KlaviyoSpec spec;

    SpecRequestChecker(KlaviyoSpec spec) {
        this.spec = spec;
    }

    List<String> check(String operationId, Map<String, List<String>> query, Map<String, String> headers) {
        JsonNode operation = spec.operation(operationId);
        if (operation == null) {
            return List.of("operation " + operationId + " is not in the spec extract");
        }
        Map<String, JsonNode> queryParameters = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = spec.resolve(parameter);
            String name = resolved.path("name").asText();
            String in = resolved.path("in").asText();
            if ("query".equals(in)) {
                queryParameters.put(name, resolved);
            }
            boolean required = resolved.path("required").asBoolean(false);
            if (required && "query".equals(in) && !query.containsKey(name)) {
                problems.add("required query parameter '" + name + "' is missing");
            }
            if (required && "header".equals(in) && headers.get(name.toLowerCase()) == null) {
                problems.add("required header '" + name + "' is missing");
            }
        }
        for (Map.Entry<String, List<String>> given : query.entrySet()) {
            JsonNode parameter = queryParameters.get(given.getKey());
            if (parameter == null) {
                problems.add("'" + given.getKey() + "' is not a query parameter of " + operationId);
            } else if (given.getValue().size() != 1) {
                problems.add("'" + given.getKey() + "' is given " + given.getValue().size() + " times");
            } else if ("filter".equals(given.getKey())) {
                checkFilter(operation.path("x-klaviyo-filters"), given.getValue().get(0), problems);
            } else {
                checkValue(given.getKey(), spec.resolve(parameter.path("schema")), given.getValue().get(0), problems);
            }
        }
        return problems;
    }

    private void checkValue(String name, JsonNode schema, String value, List<String> problems) {
        switch (schema.path("type").asText("string")) {
            case "integer" -> checkInteger(name, schema, value, problems);
            case "array" -> {
                for (String item : value.split(",", -1)) {
                    checkEnum(name, spec.resolve(schema.path("items")), item, problems);
                }
            }
            default -> checkEnum(name, schema, value, problems);
        }
    }

    private static void checkInteger(String name, JsonNode schema, String value, List<String> problems) {
        try {
            long number = Long.parseLong(value);
            if (schema.has("minimum") && number < schema.get("minimum").asLong()) {
                problems.add("'" + name + "' = " + number + " is below its minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && number > schema.get("maximum").asLong()) {
                problems.add("'" + name + "' = " + number + " is above its maximum " + schema.get("maximum"));
            }
        } catch (NumberFormatException e) {
            problems.add("'" + name + "' = '" + value + "' is not an integer");
        }
    }

    private static void checkEnum(String name, JsonNode schema, String value, List<String> problems) {
        JsonNode values = schema.path("enum");
        if (!values.isArray() || values.isEmpty()) {
            return;
        }
        for (JsonNode allowed : values) {
            if (allowed.asText().equals(value)) {
                return;
            }
        }
        problems.add("'" + name + "' = '" + value + "' is not one of " + values);
    }

    /** Conditions joined by commas at the top level; each field and operator as the spec lists them. */
    private static void checkFilter(JsonNode filters, String filter, List<String> problems) {
        for (String condition : conditions(filter)) {
            Matcher matcher = CONDITION.matcher(condition.trim());
            if (!matcher.matches()) {
                problems.add("filter condition '" + condition + "' is not operator(field,value)");
                continue;
            }
            String operator = matcher.group(1);
            String field = matcher.group(2);
            String value = matcher.group(3);
            JsonNode declared = filters.path(field);
            if (declared.isMissingNode()) {
                problems.add("filter field '" + field + "' is not filterable here");
                continue;
            }
            List<String> operators = new ArrayList<>();
            declared.path("operators").forEach(kind -> kind.forEach(name -> operators.add(name.asText())));
            if (!operators.contains(operator)) {
                problems.add("filter operator '" + operator + "' is not allowed on '" + field + "' (" + operators + ")");
            }
            boolean dateTime = "date-time".equals(declared.path("value").path("format").asText());
            if (dateTime && !SpecSchemaValidator.isDateTime(value)) {
                problems.add("filter value '" + value + "' of '" + field + "' is not an unquoted RFC 3339 date-time");
            }
        }
    }

    /** Splits on commas outside parentheses, brackets and quoted values (an email may hold any of them). */
    private static List<String> conditions(String filter) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        char quote = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                continue;
            }
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(filter.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(filter.substring(start));
        return parts;
    }
}
