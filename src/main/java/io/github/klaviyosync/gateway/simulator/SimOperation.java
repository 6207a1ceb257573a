package io.github.klaviyosync.gateway.simulator;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Klaviyo operations the simulator serves, with what the real API accepts for each (from
 * Klaviyo's OpenAPI spec, revision 2026-07-15): query parameters, page sizes, sorts, filter fields
 * and operators, and the rate-limit tier.
 */
public enum SimOperation {
    GET_ACCOUNTS("get_accounts", 1, 15, Set.of("fields[account]"), null, List.of(), Map.of(), Set.of()),
    GET_LISTS("get_lists", 75, 750,
            Set.of("fields[flow]", "fields[list]", "fields[tag]", "filter", "include", "page[cursor]", "page[size]", "sort"),
            new PageSize(1, 10, 10),
            List.of("created", "-created", "id", "-id", "name", "-name", "updated", "-updated"),
            Map.of("name", Set.of("any", "equals"), "id", Set.of("any", "equals"),
                    "created", Set.of("greater-than"), "updated", Set.of("greater-than")),
            Set.of()),
    GET_LIST("get_list", 75, 750,
            Set.of("additional-fields[list]", "fields[flow]", "fields[list]", "fields[tag]", "include"),
            null, List.of(), Map.of(), Set.of("profile_count")),
    GET_PROFILES_FOR_LIST("get_profiles_for_list", 75, 750,
            Set.of("additional-fields[profile]", "fields[profile]", "filter", "page[cursor]", "page[size]", "sort"),
            new PageSize(1, 100, 20), List.of("joined_group_at", "-joined_group_at"), Filters.MEMBERS,
            Set.of("subscriptions", "predictive_analytics")),
    GET_PROFILE_IDS_FOR_LIST("get_profile_ids_for_list", 75, 750,
            Set.of("filter", "page[cursor]", "page[size]", "sort"),
            new PageSize(1, 100, 20), List.of("joined_group_at", "-joined_group_at"), Filters.MEMBERS, Set.of()),
    GET_PROFILE("get_profile", 75, 750,
            Set.of("additional-fields[profile]", "fields[conversation]", "fields[list]", "fields[profile]",
                    "fields[push-token]", "fields[segment]", "include"),
            null, List.of(), Map.of(), Set.of("subscriptions", "predictive_analytics")),
    GET_PROFILES("get_profiles", 75, 750,
            Set.of("additional-fields[profile]", "fields[conversation]", "fields[profile]", "fields[push-token]", "filter",
                    "include", "page[cursor]", "page[size]", "sort"),
            new PageSize(1, 100, 20),
            List.of("created", "-created", "email", "-email", "id", "-id", "updated", "-updated"),
            Filters.PROFILES, Set.of("subscriptions", "predictive_analytics")),
    GET_LIST_IDS_FOR_PROFILE("get_list_ids_for_profile", 3, 60, Set.of(), null, List.of(), Map.of(), Set.of());

    /** Bounds and default of {@code page[size]}. */
    record PageSize(int min, int max, int defaultSize) {
    }

    private final String operationId;
    private final int burstPerSecond;
    private final int steadyPerMinute;
    private final Set<String> queryParameters;
    private final PageSize pageSize;
    private final List<String> sorts;
    private final Map<String, Set<String>> filterOperators;
    private final Set<String> additionalFields;

    SimOperation(String operationId, int burstPerSecond, int steadyPerMinute, Set<String> queryParameters,
            PageSize pageSize, List<String> sorts, Map<String, Set<String>> filterOperators, Set<String> additionalFields) {
        this.operationId = operationId;
        this.burstPerSecond = burstPerSecond;
        this.steadyPerMinute = steadyPerMinute;
        this.queryParameters = queryParameters;
        this.pageSize = pageSize;
        this.sorts = sorts;
        this.filterOperators = filterOperators;
        this.additionalFields = additionalFields;
    }

    public String operationId() {
        return operationId;
    }

    int burstPerSecond() {
        return burstPerSecond;
    }

    int steadyPerMinute() {
        return steadyPerMinute;
    }

    Set<String> queryParameters() {
        return queryParameters;
    }

    PageSize pageSize() {
        return pageSize;
    }

    List<String> sorts() {
        return sorts;
    }

    Map<String, Set<String>> filterOperators() {
        return filterOperators;
    }

    Set<String> additionalFields() {
        return additionalFields;
    }

    /** Filter fields of list members (datetime: {@code joined_group_at}) and of profiles (those the simulator serves). */
    private static final class Filters {
        static final Map<String, Set<String>> PROFILES = Map.of(
                "id", Set.of("any", "equals"),
                "email", Set.of("any", "equals"),
                "phone_number", Set.of("any", "equals"),
                "external_id", Set.of("any", "equals"),
                "created", Set.of("greater-than", "less-than"),
                "updated", Set.of("greater-than", "less-than"));
        static final Map<String, Set<String>> MEMBERS = Map.of(
                "email", Set.of("any", "equals"),
                "phone_number", Set.of("any", "equals"),
                "push_token", Set.of("any", "equals"),
                "_kx", Set.of("equals"),
                "joined_group_at", Set.of("greater-or-equal", "greater-than", "less-or-equal", "less-than"));
    }
}
