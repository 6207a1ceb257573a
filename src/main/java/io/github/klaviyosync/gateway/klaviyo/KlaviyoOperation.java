package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.config.GatewayConfig;

/**
 * The Klaviyo operations the gateway calls, named by their {@code operationId} in Klaviyo's
 * OpenAPI spec, each with the rate-limit tier the spec gives it ({@code x-klaviyo-ratelimit}).
 */
public enum KlaviyoOperation {
    GET_ACCOUNTS("get_accounts", Tier.XS),
    GET_LISTS("get_lists", Tier.L),
    GET_LIST("get_list", Tier.L),
    GET_PROFILES_FOR_LIST("get_profiles_for_list", Tier.L),
    GET_PROFILE("get_profile", Tier.L),
    GET_PROFILES("get_profiles", Tier.L),
    GET_LIST_IDS_FOR_PROFILE("get_list_ids_for_profile", Tier.S);

    /** Klaviyo's rate-limit tiers that these operations use. */
    private enum Tier { XS, S, L }

    private final String operationId;
    private final Tier tier;

    KlaviyoOperation(String operationId, Tier tier) {
        this.operationId = operationId;
        this.tier = tier;
    }

    /** The spec's operationId, also the metric label. */
    public String operationId() {
        return operationId;
    }

    /** The configured burst limit (requests per second) of this operation's tier. */
    int burstPerSecond(GatewayConfig.RateLimits limits) {
        return switch (tier) {
            case XS -> limits.xsBurstPerSecond();
            case S -> limits.sBurstPerSecond();
            case L -> limits.lBurstPerSecond();
        };
    }

    /** The configured steady limit (requests per minute) of this operation's tier. */
    int steadyPerMinute(GatewayConfig.RateLimits limits) {
        return switch (tier) {
            case XS -> limits.xsSteadyPerMinute();
            case S -> limits.sSteadyPerMinute();
            case L -> limits.lSteadyPerMinute();
        };
    }
}
