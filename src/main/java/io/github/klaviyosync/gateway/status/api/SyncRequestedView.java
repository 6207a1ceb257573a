package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a manual sync request: the list is due now. */
@Schema(name = "SyncRequested")
public record SyncRequestedView(
        @Schema(example = "Y6nRLr") String listId,
        @Schema(description = "Whether members who left will be marked removed by this sync") boolean full,
        @Schema(example = "2026-11-28T03:00:00Z") Instant requestedAt) {
}
