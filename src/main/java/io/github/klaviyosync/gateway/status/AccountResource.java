package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.account.AccountService;
import io.github.klaviyosync.gateway.account.ConnectedAccount;
import io.github.klaviyosync.gateway.list.ListDiscoveryService;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.quota.AccountQuota;
import io.github.klaviyosync.gateway.quota.QuotaStatus;
import io.github.klaviyosync.gateway.status.api.AccountView;
import io.github.klaviyosync.gateway.status.api.ApiViews;
import io.github.klaviyosync.gateway.status.api.ConnectAccountRequest;
import io.github.klaviyosync.gateway.status.api.DiscoveryRequestedView;
import io.github.klaviyosync.gateway.status.api.UpdateAccountRequest;
import io.github.klaviyosync.gateway.status.query.AccountQueries;
import io.github.klaviyosync.gateway.status.query.AccountQueries.AccountState;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Connecting, reading, changing and deleting Klaviyo accounts. */
@Path("/api/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts", description = "Connected Klaviyo accounts")
public class AccountResource {

    private final AccountService service;
    private final ListDiscoveryService discovery;
    private final AccountQueries queries;
    private final QuotaStatus quotas;

    AccountResource(AccountService service, ListDiscoveryService discovery, AccountQueries queries, QuotaStatus quotas) {
        this.service = service;
        this.discovery = discovery;
        this.queries = queries;
        this.quotas = quotas;
    }

    @GET
    @Operation(summary = "List accounts", description = "Accounts oldest first; deleted ones only with includeDeleted=true. "
            + "Each carries its Klaviyo rate budget (quota).")
    @APIResponse(responseCode = "200", description = "The accounts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "includeDeleted is not true or false",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<AccountView>> list(
            @Parameter(description = "Also list deleted accounts", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("includeDeleted") String includeDeleted) {
        return queries.accounts(ApiParams.flag("includeDeleted", includeDeleted))
                .chain(states -> quotas.of(states.stream().map(state -> state.account().id).toList())
                        .map(found -> states.stream().map(state -> view(state, found.get(state.account().id))).toList()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Connect an account",
            description = "Checks the key against Klaviyo (GET /api/accounts) first, stores it encrypted with Klaviyo's "
                    + "account id, and starts list discovery at once. The answer is the only one that shows the flow token.")
    @APIResponse(responseCode = "201", description = "Connected; webhooks.flowToken is shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON of the documented shape, a field is missing, "
            + "or the webhook secret has fewer than 16 characters",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "This Klaviyo account is already connected",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Klaviyo refused the key (the detail carries Klaviyo's reason), or its "
            + "answer does not say which Klaviyo account the key belongs to",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<AccountView>> connect(ConnectAccountRequest request) {
        ConnectAccountRequest body = ApiParams.body(request);
        return service.connect(body.name(), body.apiKey(), body.webhookSecret())
                .map(connected -> RestResponse.ResponseBuilder
                        .<AccountView>created(URI.create("/api/accounts/" + connected.account().id))
                        .entity(ApiViews.account(connected.account(), null, null, connected.flowToken()))
                        .build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an account", description = "Deleted accounts stay readable with status deleted until purged. "
            + "Carries the account's Klaviyo rate budget (quota): use per tier, 429s, running backfills' ETAs.")
    @APIResponse(responseCode = "200", description = "The account (flowToken is null)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AccountView> get(@PathParam("id") String id) {
        return queries.account(ApiParams.accountId(id))
                .chain(state -> quotas.of(List.of(state.account().id))
                        .map(found -> view(state, found.get(state.account().id))));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an account",
            description = "Renames it, or replaces its API key (checked against Klaviyo like on connect; an auth_failed "
                    + "account becomes active) or its webhook secret. Absent fields stay as they are.")
    @APIResponse(responseCode = "200", description = "The changed account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "No field given, or a field is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The account is deleted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Klaviyo refused the new key, it belongs to another Klaviyo account, "
            + "or Klaviyo does not say which",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many new keys checked for this account lately (Klaviyo's pace); see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AccountView> update(@PathParam("id") String id, UpdateAccountRequest request) {
        UpdateAccountRequest body = ApiParams.body(request);
        return service.update(ApiParams.accountId(id), body.name(), body.apiKey(), body.webhookSecret())
                .chain(queries::state)
                .map(AccountResource::view);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an account",
            description = "Stops all syncing for it. Its data stays (readable, status deleted; its webhook events go after "
                    + "their retention) unless purge=true: then the account is gone at once (404) and its lists, members, "
                    + "runs and webhook events are deleted in the background, in bounded batches.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "purge is not true or false",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> delete(
            @PathParam("id") String id,
            @Parameter(description = "Also delete all its data", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("purge") String purge) {
        boolean purgeData = ApiParams.flag("purge", purge);
        return service.delete(ApiParams.accountId(id), purgeData)
                .map(ignored -> RestResponse.noContent());
    }

    @POST
    @Path("/{id}/flow-token")
    @Operation(summary = "Replace the flow webhook token",
            description = "Makes a new token for X-Gateway-Token of flow webhooks; the old one stops working at once. "
                    + "The answer is the only one that shows it.")
    @APIResponse(responseCode = "200", description = "The account with its new webhooks.flowToken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The account is deleted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AccountView> rotateFlowToken(@PathParam("id") String id) {
        return service.rotateFlowToken(ApiParams.accountId(id))
                .chain(this::viewWithNewToken);
    }

    private static AccountView view(AccountState state) {
        return ApiViews.account(state.account(), state.sweep(), state.discovery());
    }

    private static AccountView view(AccountState state, AccountQuota quota) {
        return ApiViews.account(state.account(), state.sweep(), state.discovery(), quota);
    }

    private Uni<AccountView> viewWithNewToken(ConnectedAccount connected) {
        return queries.state(connected.account())
                .map(state -> ApiViews.account(state.account(), state.sweep(), state.discovery(), connected.flowToken()));
    }

    @POST
    @Path("/{id}/discover")
    @Operation(summary = "Discover lists now", description = "Makes the account's list discovery due now instead of tonight.")
    @APIResponse(responseCode = "202", description = "Discovery is due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DiscoveryRequestedView.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The account is deleted, or Klaviyo refuses its key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<DiscoveryRequestedView>> discover(@PathParam("id") String id) {
        var accountId = ApiParams.accountId(id);
        return discovery.requestNow(accountId)
                .map(requestedAt -> RestResponse.accepted(new DiscoveryRequestedView(accountId, requestedAt)));
    }
}
