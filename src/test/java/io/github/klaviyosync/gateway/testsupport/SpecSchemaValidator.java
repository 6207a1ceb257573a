package io.github.klaviyosync.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Validates a JSON document against an OpenAPI 3.0 schema of the spec: {@code $ref}, {@code type},
 * {@code nullable}, {@code required}, {@code properties}, {@code items}, {@code enum},
 * {@code allOf}/{@code oneOf}/{@code anyOf} and the {@code date-time} and {@code uri} formats.
 */
final class SpecSchemaValidator {

    /**
     * Klaviyo answers {@code "next": null} and {@code "prev": null} on collection links although the
     * spec types them as non-nullable strings (KLAVIYO.md): tolerated, and only there.
     */
    private static final Set<String> NULL_TOLERATED = Set.of("$.links.next", "$.links.prev");

    private final KlaviyoSpec spec;

    SpecSchemaValidator(KlaviyoSpec spec) {
        this.spec = spec;
    }

    List<String> validate(JsonNode document, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        validate(document, schema, "$", false, problems);
        return problems;
    }

    private void validate(JsonNode node, JsonNode rawSchema, String path, boolean nullableHere, List<String> problems) {
        boolean nullable = nullableHere || rawSchema.path("nullable").asBoolean(false);
        JsonNode schema = spec.resolve(rawSchema);
        nullable = nullable || schema.path("nullable").asBoolean(false);
        if (node.isNull()) {
            if (!nullable && !NULL_TOLERATED.contains(path)) {
                problems.add(path + " is null but not nullable");
            }
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            validate(node, part, path, nullable, problems);
        }
        alternatives(node, schema.path("oneOf"), path, nullable, problems);
        alternatives(node, schema.path("anyOf"), path, nullable, problems);
        String type = schema.path("type").asText(null);
        if (type != null && !hasType(node, type)) {
            problems.add(path + " should be " + type + " but is " + node.getNodeType());
            return;
        }
        checkEnumAndFormat(node, schema, path, problems);
        if (node.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!node.has(required.asText())) {
                    problems.add(path + " lacks required '" + required.asText() + "'");
                }
            }
            for (Iterator<String> names = schema.path("properties").fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (node.has(name)) {
                    validate(node.get(name), schema.path("properties").get(name), path + "." + name, false, problems);
                }
            }
        }
        if (node.isArray() && schema.has("items")) {
            for (int i = 0; i < node.size(); i++) {
                validate(node.get(i), schema.get("items"), path + "[" + i + "]", false, problems);
            }
        }
    }

    private void alternatives(JsonNode node, JsonNode options, String path, boolean nullable, List<String> problems) {
        if (!options.isArray() || options.isEmpty()) {
            return;
        }
        for (JsonNode option : options) {
            List<String> attempt = new ArrayList<>();
            validate(node, option, path, nullable, attempt);
            if (attempt.isEmpty()) {
                return;
            }
        }
        problems.add(path + " matches none of its alternatives");
    }

    private static void checkEnumAndFormat(JsonNode node, JsonNode schema, String path, List<String> problems) {
        JsonNode values = schema.path("enum");
        if (values.isArray() && !values.isEmpty()) {
            boolean listed = false;
            for (JsonNode value : values) {
                listed |= value.equals(node);
            }
            if (!listed) {
                problems.add(path + " = " + node + " is not one of " + values);
            }
        }
        String format = schema.path("format").asText("");
        if (node.isTextual() && "date-time".equals(format) && !isDateTime(node.asText())) {
            problems.add(path + " = " + node + " is not an RFC 3339 date-time");
        }
        if (node.isTextual() && "uri".equals(format) && !isAbsoluteUri(node.asText())) {
            problems.add(path + " = " + node + " is not an absolute URI");
        }
    }

    private static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            default -> true;
        };
    }

    static boolean isDateTime(String value) {
        try {
            OffsetDateTime.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isAbsoluteUri(String value) {
        try {
            return URI.create(value).isAbsolute();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
