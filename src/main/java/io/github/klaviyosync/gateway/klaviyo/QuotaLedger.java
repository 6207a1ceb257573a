package io.github.klaviyosync.gateway.klaviyo;

import io.smallrye.mutiny.Uni;

/**
 * The shared budget the client draws from: an account's permits per tier and fixed window, for
 * every instance together. The client keeps a local slice of it ({@link QuotaCache}); the
 * implementation lives above this package (the database is the only thing instances share).
 */
public interface QuotaLedger {

    /**
     * One round trip: gives back the unused permits of the holder's last slice, passes on what
     * Klaviyo's headers said, and leases up to {@link QuotaLease#want()} permits of the current
     * window (fewer, or none, when the budget, the priority's pace or a pause allows no more).
     */
    Uni<QuotaGrant> lease(QuotaLease lease);

    /**
     * Holds every instance's calls of the account's tier for {@code pauseMillis} from now (a 429, or
     * Klaviyo saying nothing remains); {@code throttled} counts a 429; {@code windowSpent} also ends
     * the current window's budget, since Klaviyo's was spent.
     */
    Uni<Void> pause(String budgetKey, RateTier tier, QuotaLimits limits, long pauseMillis, boolean throttled,
            boolean windowSpent);

    /** What an instance asks of an account's budget of one tier. */
    record QuotaLease(
            String budgetKey,
            RateTier tier,
            /* permits wanted now (0: only giving back) */
            int want,
            /* unused permits of the holder's last slice, and the window (database epoch ms) they were leased in */
            int returned,
            long returnedWindow,
            /* what Klaviyo's headers leave for the gateway in the window {@code ceilingWindow}; null: no news */
            Integer ceiling,
            long ceilingWindow,
            QuotaLimits limits) {
    }

    /**
     * The budget of one tier for one lease: permits per steady and per burst window, the windows'
     * lengths, how far ahead of an even pace the lease's priority may spend ({@code leadMillis}) and
     * reserve beyond that ({@code horizonMillis}: reserved permits mature as the pace reaches them),
     * the guard at a window's end, and what a lowered budget regains per window.
     */
    record QuotaLimits(int perWindow, int perBurst, long windowMillis, long burstMillis, long leadMillis,
            long horizonMillis, long guardMillis, int recovery) {
    }

    /**
     * The answer: permits granted now, the database's clock, the window's start, the permits leased
     * in it by every instance (this grant included), the most the window may take (the share, or
     * less when Klaviyo lowered it), the burst window's start and use, and until when the budget is
     * paused (0: not).
     */
    record QuotaGrant(int granted, long dbNow, long windowStart, int windowUsed, int windowCap, long burstStart,
            int burstUsed, long pausedUntil) {
    }
}
