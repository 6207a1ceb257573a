package io.github.klaviyosync.gateway.status.api;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a discovery request: the account's lists are due for discovery now. */
@Schema(name = "DiscoveryRequested")
public record DiscoveryRequestedView(UUID accountId, @Schema(example = "2026-11-28T03:00:00Z") Instant requestedAt) {
}
