package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.status.api.StatusView;
import io.github.klaviyosync.gateway.status.query.StatusCounts;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The gateway at a glance. */
@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status", description = "The gateway at a glance")
public class StatusResource {

    private final StatusCounts counts;
    private final GatewayConfig config;

    StatusResource(StatusCounts counts, GatewayConfig config) {
        this.counts = counts;
        this.config = config;
    }

    @GET
    @Operation(summary = "Overall status", description = "Counts over accounts that are not deleted, the latest discovery "
            + "and the oldest last successful sync of an active list; also whether the demo runs and the member sync interval.")
    @APIResponse(responseCode = "200", description = "The counts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusView.class)))
    public Uni<StatusView> status() {
        return counts.counts()
                .map(found -> new StatusView(found.accounts(), found.lists(), found.subscribers(), found.memberships(),
                        new StatusView.WebhookCounts(found.webhooksReceived(), found.webhooksApplied(), found.webhooksFailed()),
                        found.lastDiscoveryAt(), found.oldestListSyncAt(), demoRuns(),
                        config.sync().memberInterval().toSeconds()));
    }

    /** The demo exists only in dev and test builds: a packaged gateway never says it runs one, whatever is set. */
    private boolean demoRuns() {
        return LaunchMode.current().isDevOrTest() && config.dev().demo();
    }
}
