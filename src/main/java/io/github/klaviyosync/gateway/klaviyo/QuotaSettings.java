package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLimits;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;

/**
 * The budget's configuration turned into numbers: the share of each tier's limits (or of the limit
 * Klaviyo announces, when lower), window lengths and each priority's lead in milliseconds.
 */
record QuotaSettings(GatewayConfig.RateLimits tiers, double share, long windowMillis, long burstMillis,
        long sliceTtlMillis, long guardMillis, double headroom, double recovery, double[] leads, long idleMillis) {

    static QuotaSettings of(GatewayConfig.Klaviyo klaviyo) {
        GatewayConfig.Quota quota = klaviyo.quota();
        double[] leads = new double[CallPriority.values().length];
        leads[CallPriority.LOOKUP.ordinal()] = quota.lookupLead();
        leads[CallPriority.SYNC.ordinal()] = quota.syncLead();
        leads[CallPriority.SWEEP.ordinal()] = quota.sweepLead();
        leads[CallPriority.BULK.ordinal()] = quota.bulkLead();
        return new QuotaSettings(klaviyo.rateLimits(), klaviyo.quotaShare(), quota.steadyWindow().toMillis(),
                quota.burstWindow().toMillis(), quota.sliceTtl().toMillis(), quota.windowGuard().toMillis(),
                quota.headroom(), quota.recovery(), leads, quota.idleEviction().toMillis());
    }

    /**
     * The share of the tier's limits, at least one request per window; a lower steady limit that
     * Klaviyo announced ({@code announcedSteady} > 0) lowers both, the burst in proportion. A share of
     * the burst under one request (a tier of 1/s) is kept by a longer burst window instead: one
     * request in it.
     */
    QuotaLimits limits(RateTier tier, int announcedSteady, CallPriority priority) {
        int steady = tier.steady(tiers);
        double scale = announcedSteady > 0 && announcedSteady < steady ? (double) announcedSteady / steady : 1;
        int perWindow = (int) Math.max(1, Math.floor(steady * scale * share));
        double burstShare = tier.burst(tiers) * scale * share;
        int perBurst = (int) Math.max(1, Math.floor(burstShare));
        long burst = burstShare >= 1 ? burstMillis : (long) Math.ceil(burstMillis / burstShare);
        long lead = Math.round(leads[priority.ordinal()] * windowMillis);
        int regained = (int) Math.max(1, Math.round(perWindow * recovery));
        // A lease reserves up to half a slice's time ahead of its lead: the reserved permits mature in time to be spent.
        return new QuotaLimits(perWindow, perBurst, windowMillis, burst, lead, sliceTtlMillis / 2, guardMillis, regained);
    }
}
