package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One discovery or member sync. */
@Schema(name = "SyncRun", description = "One discovery or member sync, as it went")
public record SyncRunView(
        @Schema(example = "4711") long id,
        @Schema(description = "Klaviyo's id of the list; null for discovery", nullable = true, example = "Y6nRLr") String listId,
        @Schema(enumeration = {"discovery", "members"}) String kind,
        @Schema(enumeration = {"schedule", "webhook", "manual", "connect"}) String trigger,
        @Schema(enumeration = {"running", "succeeded", "failed"}) String status,
        @Schema(description = "Whether the run also compared every member id to mark who left (extension)") boolean full,
        @Schema(example = "2026-11-28T03:00:00Z") Instant startedAt,
        @Schema(nullable = true, example = "2026-11-28T03:00:04Z") Instant finishedAt,
        @Schema(example = "3") int pages,
        @Schema(example = "250") int profilesSeen,
        @Schema(example = "12") int profilesAdded,
        @Schema(description = "Members marked removed by a full sync (extension)", example = "0") int profilesRemoved,
        @Schema(nullable = true, description = "Why the run failed") String error) {
}
