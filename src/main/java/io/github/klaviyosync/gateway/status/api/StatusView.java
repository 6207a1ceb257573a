package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The gateway at a glance. */
@Schema(name = "Status", description = "Counts over accounts that are not deleted")
public record StatusView(
        @Schema(description = "Accounts not deleted", example = "12") long accounts,
        @Schema(description = "Active lists", example = "48") long lists,
        @Schema(example = "120500") long subscribers,
        @Schema(description = "Memberships not removed", example = "180200") long memberships,
        WebhookCounts webhooks,
        @Schema(nullable = true, description = "The latest discovery of any account") Instant lastDiscoveryAt,
        @Schema(nullable = true, description = "The oldest last successful sync over active lists") Instant oldestListSyncAt,
        @Schema(description = "Whether this gateway runs the built-in demo against the Klaviyo simulator (extension)")
        boolean demo,
        @Schema(description = "How often each list's new members are synced, in seconds (GATEWAY_SYNC_MEMBER_INTERVAL; extension)",
                example = "900") long memberSyncIntervalSeconds) {

    /** Stored webhook events by status. */
    @Schema(name = "WebhookCounts")
    public record WebhookCounts(
            @Schema(description = "Events stored (a duplicate delivery is one event)") long received,
            long applied,
            long failed) {
    }
}
