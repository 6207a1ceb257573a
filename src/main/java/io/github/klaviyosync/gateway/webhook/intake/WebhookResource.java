package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookRejection;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.problem.ProblemMappers;
import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier.SystemHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Klaviyo's pushes. No bearer token: system webhooks prove themselves by signature, flow webhooks by
 * the account's token. The raw body is taken as bytes (the HTTP layer refuses more than
 * {@code gateway.webhook.max-body-bytes}) and handed to {@link WebhookIntake}; 202 means stored.
 */
@Path("/webhooks/klaviyo/{accountId}")
@Tag(name = "Webhooks", description = "Klaviyo system webhooks and flow webhooks")
public class WebhookResource {

    private final WebhookIntake intake;
    private final long retryAfterSeconds;

    WebhookResource(WebhookIntake intake, GatewayConfig config) {
        this.intake = intake;
        this.retryAfterSeconds = Math.max(1, config.webhook().retryAfter().toSeconds());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a signed Klaviyo system webhook",
            description = "Verified by Klaviyo-Signature (HMAC-SHA256 of body + Klaviyo-Timestamp), the timestamp and the webhook id; each event is stored once per external_id.")
    @APIResponse(responseCode = "202", description = "Every event is stored (or was already)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Not the documented JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Signature, timestamp, webhook id or Klaviyo account do not verify")
    @APIResponse(responseCode = "404", description = "Unknown account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body above 1 MiB (refused by the HTTP layer, without a body)")
    @APIResponse(responseCode = "503", description = "Database unreachable; retry later",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> system(@RestPath String accountId,
            @RestHeader("Klaviyo-Webhook-Id") String webhookId,
            @RestHeader("Klaviyo-Timestamp") String timestamp,
            @RestHeader("Klaviyo-Signature") String signature,
            byte[] body) {
        return intake.receiveSystem(accountId, new SystemHeaders(webhookId, timestamp, signature), body)
                .map(WebhookResource::accepted);
    }

    @POST
    @Path("flow")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Klaviyo flow webhook (added to list)",
            description = "Authenticated by the X-Gateway-Token header; the body follows the template in CONTRACT.md.")
    @APIResponse(responseCode = "202", description = "The push is stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Not the documented JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong token")
    @APIResponse(responseCode = "404", description = "Unknown account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body above 1 MiB (refused by the HTTP layer, without a body)")
    @APIResponse(responseCode = "503", description = "Database unreachable; retry later",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> flow(@RestPath String accountId, @RestHeader("X-Gateway-Token") String token, byte[] body) {
        return intake.receiveFlow(accountId, token, body)
                .map(WebhookResource::accepted);
    }

    @ServerExceptionMapper
    RestResponse<Problem> rejected(WebhookRejection rejection) {
        if (rejection.status() == 401) {
            // No detail: a caller must not learn which check failed.
            return RestResponse.status(RestResponse.Status.UNAUTHORIZED);
        }
        return ProblemMappers.response(ApiProblem.withStatus(rejection.status(), rejection.getMessage()));
    }

    @ServerExceptionMapper
    RestResponse<Problem> unavailable(WebhookStorageUnavailable unavailable) {
        return ProblemMappers.response(ApiProblem.unavailable(
                "the gateway cannot store webhooks right now; retry later", retryAfterSeconds));
    }

    private static Response accepted(StoreResult result) {
        return Response.accepted(new Accepted(result.stored(), result.duplicates())).build();
    }

    /** The 202 body: events stored now, and events that were already stored. */
    @Schema(name = "WebhookAccepted", description = "Events stored by this request, and events that were already stored")
    public record Accepted(int stored, int duplicates) {
    }
}
