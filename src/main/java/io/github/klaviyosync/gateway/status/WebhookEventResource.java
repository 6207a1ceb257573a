package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.status.api.WebhookEventView;
import io.github.klaviyosync.gateway.webhook.WebhookStatus;
import io.github.klaviyosync.gateway.webhook.apply.WebhookEventService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Stored webhook events of an account: what failed, and replaying it. */
@Path("/api/accounts/{id}/webhook-events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhook events", description = "Events Klaviyo pushed, as stored and applied")
@SecurityRequirement(name = "bearer")
public class WebhookEventResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final WebhookEventService service;

    WebhookEventResource(WebhookEventService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "List an account's webhook events, newest first",
            description = "Events as stored and applied, optionally only those of one status (e.g. failed ones to replay).")
    @APIResponse(responseCode = "200", description = "The events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = WebhookEventView.class)))
    @APIResponse(responseCode = "400", description = "Unknown status or a limit outside 1..500",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<WebhookEventView>> list(@RestPath String id,
            @Parameter(description = "received, applied or failed; any when absent") @RestQuery String status,
            @Parameter(description = "1..500, default 50") @RestQuery String limit) {
        return service.list(ApiParams.accountId(id), status(status), ApiParams.limit(limit, DEFAULT_LIMIT, MAX_LIMIT))
                .map(events -> events.stream().map(WebhookEventView::of).toList());
    }

    @POST
    @Path("{eventId}/replay")
    @Operation(summary = "Apply a failed event again",
            description = "The event goes back to received with its attempts reset and is applied at once. An event "
                    + "that is not failed is a 409 unless force=true.")
    @APIResponse(responseCode = "202", description = "The event is due again")
    @APIResponse(responseCode = "400", description = "force is not true or false",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown account or event",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The event is not failed (and force is not true)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> replay(@RestPath String id, @RestPath String eventId,
            @Parameter(description = "Replay an event that is not failed too", schema = @Schema(type = SchemaType.BOOLEAN))
            @RestQuery String force) {
        return service.replay(ApiParams.accountId(id), eventId(eventId), ApiParams.flag("force", force))
                .replaceWith(Response.accepted().build());
    }

    private static long eventId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("unknown webhook event");
        }
    }

    private static WebhookStatus status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        try {
            return WebhookStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("status must be received, applied or failed");
        }
    }

}
