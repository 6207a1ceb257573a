package io.github.klaviyosync.gateway.simulator;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The Klaviyo operations the simulator serves, with what the real API accepts for each (from
 * Klaviyo's OpenAPI spec, revision 2026-07-15): query parameters, page sizes, sorts, filter fields
 * and operators, the enums of {@code fields[...]} and {@code include}, and the rate-limit tier
 * (which some parameters change, as the spec's descriptions say).
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
            List.of("created", "-created", "email", "-email", "id", "-id", "updated", "-updated",
                    "subscriptions.email.marketing.list_suppressions.timestamp",
                    "-subscriptions.email.marketing.list_suppressions.timestamp",
                    "subscriptions.email.marketing.suppression.timestamp",
                    "-subscriptions.email.marketing.suppression.timestamp"),
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

    /** The operation with this spec operationId, e.g. {@code get_profiles}. */
    static SimOperation byOperationId(String operationId) {
        for (SimOperation operation : values()) {
            if (operation.operationId.equals(operationId)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("the simulator serves no operation " + operationId);
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

    /** The spec's limits for this operation. */
    SimRateLimiter.Tier tier() {
        return new SimRateLimiter.Tier(burstPerSecond, steadyPerMinute);
    }

    /**
     * The limits of one request, given its query parameters: asking for a list's profile count, a
     * profile's lists or segments, or predictive analytics moves it to a slower tier.
     */
    SimRateLimiter.Tier tier(UnaryOperator<String> parameter) {
        boolean slower = switch (this) {
            case GET_LIST -> mentions(parameter.apply("additional-fields[list]"), "profile_count");
            case GET_PROFILE -> mentions(parameter.apply("include"), "lists") || mentions(parameter.apply("include"), "segments");
            case GET_PROFILES, GET_PROFILES_FOR_LIST -> mentions(parameter.apply("additional-fields[profile]"), "predictive_analytics");
            default -> false;
        };
        if (!slower) {
            return tier();
        }
        return this == GET_LIST || this == GET_PROFILE ? Tiers.XS : Tiers.M;
    }

    /** The allowed values of each {@code fields[...]} and {@code include} parameter (comma-separated lists). */
    Map<String, Set<String>> listParameters() {
        return switch (this) {
            case GET_ACCOUNTS -> Map.of("fields[account]", SpecEnums.ACCOUNT_FIELDS);
            case GET_LISTS -> Map.of("fields[flow]", SpecEnums.FLOW_FIELDS, "fields[list]", SpecEnums.LIST_FIELDS,
                    "fields[tag]", SpecEnums.TAG_FIELDS, "include", Set.of("flow-triggers", "tags"));
            case GET_LIST -> Map.of("fields[flow]", SpecEnums.FLOW_FIELDS, "fields[list]", with(SpecEnums.LIST_FIELDS, "profile_count"),
                    "fields[tag]", SpecEnums.TAG_FIELDS, "include", Set.of("flow-triggers", "tags"));
            case GET_PROFILES_FOR_LIST -> Map.of("fields[profile]", with(SpecEnums.PROFILE_FIELDS, "joined_group_at"));
            case GET_PROFILE -> Map.of("fields[conversation]", SpecEnums.CONVERSATION_FIELDS, "fields[list]", SpecEnums.LIST_FIELDS,
                    "fields[profile]", SpecEnums.PROFILE_FIELDS, "fields[push-token]", SpecEnums.PUSH_TOKEN_FIELDS,
                    "fields[segment]", SpecEnums.SEGMENT_FIELDS, "include", Set.of("conversations", "lists", "push-tokens", "segments"));
            case GET_PROFILES -> Map.of("fields[conversation]", SpecEnums.CONVERSATION_FIELDS, "fields[profile]", SpecEnums.PROFILE_FIELDS,
                    "fields[push-token]", SpecEnums.PUSH_TOKEN_FIELDS, "include", Set.of("conversations", "push-tokens"));
            default -> Map.of();
        };
    }

    private static boolean mentions(String list, String value) {
        return list != null && List.of(list.split(",")).contains(value);
    }

    private static Set<String> with(Set<String> values, String extra) {
        Set<String> all = new HashSet<>(values);
        all.add(extra);
        return Set.copyOf(all);
    }

    /** Klaviyo's slower tiers that some parameters move a request to. */
    private static final class Tiers {
        static final SimRateLimiter.Tier XS = new SimRateLimiter.Tier(1, 15);
        static final SimRateLimiter.Tier M = new SimRateLimiter.Tier(10, 150);
    }

    /** Filter fields and operators of list members and of profiles, as the spec's {@code x-klaviyo-filters}. */
    private static final class Filters {
        private static final Set<String> COMPARISONS = Set.of("greater-or-equal", "greater-than", "less-or-equal", "less-than");
        static final Map<String, Set<String>> PROFILES = Map.ofEntries(
                Map.entry("id", Set.of("any", "equals")),
                Map.entry("email", Set.of("any", "equals")),
                Map.entry("phone_number", Set.of("any", "equals")),
                Map.entry("external_id", Set.of("any", "equals")),
                Map.entry("_kx", Set.of("equals")),
                Map.entry("created", Set.of("greater-than", "less-than")),
                Map.entry("updated", Set.of("greater-than", "less-than")),
                Map.entry("subscriptions.email.marketing.list_suppressions.reason", Set.of("equals")),
                Map.entry("subscriptions.email.marketing.list_suppressions.timestamp", COMPARISONS),
                Map.entry("subscriptions.email.marketing.list_suppressions.list_id", Set.of("equals")),
                Map.entry("subscriptions.email.marketing.suppression.reason", Set.of("equals")),
                Map.entry("subscriptions.email.marketing.suppression.timestamp", COMPARISONS));
        static final Map<String, Set<String>> MEMBERS = Map.of(
                "email", Set.of("any", "equals"),
                "phone_number", Set.of("any", "equals"),
                "push_token", Set.of("any", "equals"),
                "_kx", Set.of("equals"),
                "joined_group_at", COMPARISONS);
    }
}
