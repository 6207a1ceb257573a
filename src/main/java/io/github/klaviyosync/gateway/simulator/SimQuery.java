package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's query, validated as strictly as Klaviyo does: only the operation's parameters, each
 * once; {@code page[size]} an integer within bounds; {@code sort} and {@code additional-fields}
 * from their enums; {@code filter} in Klaviyo's grammar. Also the {@code revision} header.
 */
record SimQuery(Map<String, String> raw, int pageSize, String cursor, List<FilterParser.Condition> filter,
        String sort, Set<String> additionalFields) {

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
                additionalFields(operation, raw));
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
        Set<String> fields = new java.util.LinkedHashSet<>(java.util.Arrays.asList(raw.get(name).split(",")));
        for (String field : fields) {
            if (!operation.additionalFields().contains(field)) {
                throw SimulatorRequestException.invalidParameter(name, "'" + field + "' is not a valid additional field.");
            }
        }
        return fields;
    }
}
