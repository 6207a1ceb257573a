package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.config.GatewayConfig;

/**
 * Klaviyo's rate-limit tiers that the gateway's calls use ({@code x-klaviyo-ratelimit} in the spec).
 * Klaviyo counts an account's requests per tier, every operation of the tier together, in a burst
 * (per second) and a steady (per minute) window; so does the shared budget.
 */
public enum RateTier {
    /** 1/s, 15/min: the key's own account, a list with its profile count. */
    XS("xs"),
    /** 3/s, 60/min: a profile's lists. */
    S("s"),
    /** 75/s, 700/min: lists, list members and member ids, profiles. */
    L("l");

    private final String wire;

    RateTier(String wire) {
        this.wire = wire;
    }

    /** The tier's name where it is stored. */
    public String wire() {
        return wire;
    }

    /** The configured burst limit (requests per burst window). */
    public int burst(GatewayConfig.RateLimits limits) {
        return switch (this) {
            case XS -> limits.xsBurstPerSecond();
            case S -> limits.sBurstPerSecond();
            case L -> limits.lBurstPerSecond();
        };
    }

    /** The configured steady limit (requests per steady window). */
    public int steady(GatewayConfig.RateLimits limits) {
        return switch (this) {
            case XS -> limits.xsSteadyPerMinute();
            case S -> limits.sSteadyPerMinute();
            case L -> limits.lSteadyPerMinute();
        };
    }

    /** The tier stored as {@code wire}. */
    public static RateTier ofWire(String wire) {
        for (RateTier tier : values()) {
            if (tier.wire.equals(wire)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("no rate tier " + wire);
    }
}
