package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's query, validated as strictly as Klaviyo does: only the operation's parameters, each
 * once; {@code page[size]} an integer within bounds; {@code sort}, {@code additional-fields},
 * {@code fields[...]} and {@code include} from their enums; {@code filter} in Klaviyo's grammar.
 * Also the {@code revision} header. {@code fields} holds the sparse fieldsets by resource type
 * ({@code profile}, {@code list}...).
 */
record SimQuery(Map<String, String> raw, int pageSize, String cursor, List<FilterParser.Condition> filter,
        String sort, Set<String> additionalFields, Map<String, Set<String>> fields, Set<String> include) {

    /** The newest revision the simulator knows; later ones are refused like unknown revisions. */
    static final String LATEST_REVISION = "2026-07-15";
    private static final Pattern REVISION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(\\.[a-z0-9_]+)?");

    static void checkRevision(String revision) {
        if (revision == null || revision.isBlank()) {
            throw SimulatorRequestException.invalidParameter("revision", "The 'revision' header is required.");
        }
        if (!REVISION.matcher(revision).matches() || revision.substring(0, 10).compareTo(LATEST_REVISION) > 0) {
            throw SimulatorRequestException.invalidParameter("revision", "Invalid revision '" + revision + "'.");
        }
    }

    static SimQuery parse(SimOperation operation, MultiMap params) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String name : params.names()) {
            if (!operation.queryParameters().contains(name)) {
                throw SimulatorRequestException.invalidParameter(name, "'" + name + "' is not a valid query parameter.");
            }
            List<String> values = params.getAll(name);
            if (values.size() > 1) {
                throw SimulatorRequestException.invalidParameter(name, "'" + name + "' is given more than once.");
            }
            raw.put(name, values.get(0));
        }
        String filter = raw.get("filter");
        return new SimQuery(raw,
                pageSize(operation, raw.get("page[size]")),
                raw.get("page[cursor]"),
                filter == null ? List.of() : FilterParser.parse(filter, operation.filterOperators()),
                sort(operation, raw.get("sort")),
                additionalFields(operation, raw),
                fields(operation, raw),
                listValue(operation, raw, "include"));
    }

    /** The sparse fieldset for one resource type, or null when the request asks for every field. */
    Set<String> fieldsOf(String type) {
        return fields.get(type);
    }

    private static Map<String, Set<String>> fields(SimOperation operation, Map<String, String> raw) {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            if (name.startsWith("fields[") && name.endsWith("]")) {
                fields.put(name.substring("fields[".length(), name.length() - 1), listValue(operation, raw, name));
            }
        }
        return fields;
    }

    /** A comma-separated list parameter, every item from the spec's enum; empty when absent. */
    private static Set<String> listValue(SimOperation operation, Map<String, String> raw, String name) {
        String value = raw.get(name);
        if (value == null) {
            return Set.of();
        }
        Set<String> allowed = operation.listParameters().getOrDefault(name, Set.of());
        Set<String> items = new LinkedHashSet<>();
        for (String item : value.split(",", -1)) {
            if (!allowed.contains(item)) {
                throw SimulatorRequestException.invalidParameter(name, "'" + item + "' is not a valid value of '" + name + "'.");
            }
            items.add(item);
        }
        return items;
    }

    private static int pageSize(SimOperation operation, String value) {
        SimOperation.PageSize bounds = operation.pageSize();
        if (value == null) {
            return bounds == null ? 0 : bounds.defaultSize();
        }
        try {
            int size = Integer.parseInt(value);
            if (size >= bounds.min() && size <= bounds.max()) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw SimulatorRequestException.invalidParameter("page[size]",
                "Page size must be an integer between " + bounds.min() + " and " + bounds.max() + ".");
    }

    private static String sort(SimOperation operation, String value) {
        if (value != null && !operation.sorts().contains(value)) {
            throw SimulatorRequestException.invalidParameter("sort", "'" + value + "' is not a valid sort field.");
        }
        return value;
    }

    private static Set<String> additionalFields(SimOperation operation, Map<String, String> raw) {
        String name = raw.keySet().stream().filter(key -> key.startsWith("additional-fields[")).findFirst().orElse(null);
        if (name == null) {
            return Set.of();
        }
        Set<String> fields = new LinkedHashSet<>(Arrays.asList(raw.get(name).split(",", -1)));
        for (String field : fields) {
            if (!operation.additionalFields().contains(field)) {
                throw SimulatorRequestException.invalidParameter(name, "'" + field + "' is not a valid additional field.");
            }
        }
        return fields;
    }
}
