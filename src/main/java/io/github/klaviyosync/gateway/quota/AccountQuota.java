package io.github.klaviyosync.gateway.quota;

import java.time.Instant;
import java.util.List;

/**
 * What an account's shared Klaviyo budget looks like now, all instances together: per tier, the
 * window's budget and use, the last window's use as a share of Klaviyo's limit, the 429s, a pause;
 * and each running backfill's pages left and ETA at the budget it gets.
 */
public record AccountQuota(double share, List<TierUse> tiers, List<BackfillEta> backfills) {

    /** One Klaviyo tier of the account ({@code xs}, {@code s}, {@code l}). */
    public record TierUse(String tier, int limitPerMinute, int budgetPerMinute, int requestsThisMinute,
            int requestsLastMinute, double shareInUse, long throttled, Instant lastThrottledAt, Instant pausedUntil) {
    }

    /** A running backfill that knows its list's size: Klaviyo's list id, pages done and left, when it should end. */
    public record BackfillEta(String klaviyoListId, int pagesDone, int pagesLeft, long etaSeconds) {
    }

    static AccountQuota none(double share) {
        return new AccountQuota(share, List.of(), List.of());
    }
}
