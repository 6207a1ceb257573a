package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One discovery, member sync or profile sweep. */
@Schema(name = "SyncRun", description = "One discovery, member sync or profile sweep, as it went")
public record SyncRunView(
        @Schema(example = "4711") long id,
        @Schema(description = "Klaviyo's id of the list; null for discovery and profile sweeps", nullable = true,
                example = "Y6nRLr") String listId,
        @Schema(description = "discovery: the account's lists; members: a list's new members (and, when full, who left); "
                + "profiles: the account's profiles changed since the last sweep, applied to the members it stores",
                enumeration = {"discovery", "members", "profiles"}) String kind,
        @Schema(enumeration = {"schedule", "webhook", "manual", "connect"}) String trigger,
        @Schema(enumeration = {"running", "succeeded", "failed"}) String status,
        @Schema(description = "Whether the run also compared every member id to mark who left (extension)") boolean full,
        @Schema(example = "2026-11-28T03:00:00Z") Instant startedAt,
        @Schema(nullable = true, example = "2026-11-28T03:00:04Z") Instant finishedAt,
        @Schema(example = "3") int pages,
        @Schema(description = "Profiles Klaviyo listed (a sweep: every profile changed since the last, stored or not)",
                example = "250") int profilesSeen,
        @Schema(description = "Members new to the list or back on it; 0 for discovery and profile sweeps", example = "12")
        int profilesAdded,
        @Schema(description = "Members marked removed by a full sync (extension)", example = "0") int profilesRemoved,
        @Schema(description = "Profile sweep: stored people whose contact data or consent it changed (extension)",
                example = "3") int profilesChanged,
        @Schema(nullable = true, description = "Why the run failed") String error) {
}
