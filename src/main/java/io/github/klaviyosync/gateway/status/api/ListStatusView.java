package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A list the gateway keeps in step, with its sync state. */
@Schema(name = "ListStatus", description = "A Klaviyo list with its sync state")
public record ListStatusView(
        @Schema(description = "Klaviyo's id of the list", example = "Y6nRLr") String listId,
        @Schema(example = "Newsletter SMS") String name,
        @Schema(example = "2026-11-28T03:00:00Z") Instant discoveredAt,
        @Schema(enumeration = {"discovery", "webhook"}) String discoveredVia,
        @Schema(enumeration = {"active", "deleted"}) String status,
        @Schema(description = "Members on the list now, removed ones excluded", example = "1520") int memberCount,
        @Schema(description = "Members on the list now whose SMS consent is SUBSCRIBED (extension)", example = "1318")
        long smsSubscribedCount,
        @Schema(nullable = true, example = "2026-11-28T03:15:00Z") Instant lastSyncedAt,
        @Schema(example = "2026-11-28T03:30:00Z") Instant nextSyncAt,
        @Schema(nullable = true, description = "Why the list is due early, if it is (extension)",
                enumeration = {"schedule", "webhook", "manual", "connect"}) String pendingTrigger,
        @Schema(nullable = true, description = "The list's newest run") SyncRunView lastRun) {
}
