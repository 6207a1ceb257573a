package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An account's Klaviyo rate budget, all gateway instances together. */
@Schema(name = "AccountQuota", description = "The account's Klaviyo rate budget, all gateway instances together (extension)")
public record QuotaView(
        @Schema(description = "The share of each Klaviyo rate limit the gateway spends (GATEWAY_KLAVIYO_QUOTA_SHARE)",
                example = "0.5") double share,
        @Schema(description = "Each Klaviyo rate tier the gateway used for the account lately") List<TierView> tiers,
        @Schema(description = "Running backfills that know their list's size, with their ETA") List<BackfillView> backfills) {

    /** One Klaviyo rate tier of the account. */
    @Schema(name = "QuotaTier")
    public record TierView(
            @Schema(description = "Klaviyo's tier: l (lists, members, profiles), s (a profile's lists), xs (accounts, list sizes)",
                    enumeration = {"l", "s", "xs"}) String tier,
            @Schema(description = "Klaviyo's steady limit of the tier per minute", example = "700") int limitPerMinute,
            @Schema(description = "The gateway's budget per minute: the share, or less when Klaviyo's headers or a 429 said less "
                    + "is left", example = "350") int budgetPerMinute,
            @Schema(description = "Requests leased in the current minute (sent, or about to be)", example = "120")
            int requestsThisMinute,
            @Schema(description = "Requests in the last complete minute", example = "341") int requestsLastMinute,
            @Schema(description = "requestsLastMinute as a share of Klaviyo's limit", example = "0.487") double shareInUse,
            @Schema(description = "429s Klaviyo answered for the tier (kept while the tier is in use)", example = "0")
            long throttled,
            @Schema(nullable = true) Instant lastThrottledAt,
            @Schema(nullable = true, description = "Until when every instance holds its calls (a 429, or nothing left)")
            Instant pausedUntil) {
    }

    /** A running backfill. */
    @Schema(name = "BackfillEta")
    public record BackfillView(
            @Schema(description = "Klaviyo's id of the list", example = "Y6nRLr") String listId,
            @Schema(example = "120") int pagesDone,
            @Schema(description = "Pages of 100 members left, from the list's size as Klaviyo gave it", example = "880")
            int pagesLeft,
            @Schema(description = "Seconds until it ends at the account's budget, shared evenly by its running backfills; "
                    + "null when the budget is not known yet", nullable = true, example = "151") Long etaSeconds) {
    }
}
