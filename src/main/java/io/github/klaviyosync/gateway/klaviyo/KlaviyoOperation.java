package io.github.klaviyosync.gateway.klaviyo;

/**
 * The Klaviyo operations the gateway calls, named by their {@code operationId} in Klaviyo's
 * OpenAPI spec, each with the rate-limit tier the spec gives it ({@code x-klaviyo-ratelimit}).
 */
public enum KlaviyoOperation {
    GET_ACCOUNTS("get_accounts", RateTier.XS),
    GET_LISTS("get_lists", RateTier.L),
    GET_LIST("get_list", RateTier.L),
    /** {@code get_list} with {@code additional-fields[list]=profile_count}, which the spec moves to the slowest tier. */
    GET_LIST_PROFILE_COUNT("get_list", RateTier.XS),
    GET_PROFILES_FOR_LIST("get_profiles_for_list", RateTier.L),
    GET_PROFILE("get_profile", RateTier.L),
    GET_PROFILES("get_profiles", RateTier.L),
    GET_LIST_IDS_FOR_PROFILE("get_list_ids_for_profile", RateTier.S);

    private final String operationId;
    private final RateTier tier;

    KlaviyoOperation(String operationId, RateTier tier) {
        this.operationId = operationId;
        this.tier = tier;
    }

    /** The spec's operationId, also the metric label. */
    public String operationId() {
        return operationId;
    }

    /** The rate-limit tier whose budget the operation spends. */
    public RateTier tier() {
        return tier;
    }
}
