package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Members an account gained per member sync interval, by the path that brought them. */
@Schema(name = "MembersAdded", description = "Members added per member sync interval, oldest interval first (extension)")
public record MembersAddedView(
        @Schema(description = "Length of each interval in seconds (GATEWAY_SYNC_MEMBER_INTERVAL)", example = "900")
        long intervalSeconds,
        @Schema(description = "The intervals, oldest first; the last one is still running") List<Interval> intervals) {

    /** One interval. */
    @Schema(name = "MembersAddedInterval")
    public record Interval(
            @Schema(example = "2026-11-28T03:00:00Z") Instant start,
            @Schema(description = "Members first stored by a poll in this interval", example = "40") long poll,
            @Schema(description = "Members first stored from a webhook in this interval", example = "3") long webhook) {
    }
}
