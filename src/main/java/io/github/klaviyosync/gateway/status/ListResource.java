package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.list.ManualSyncService;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.status.api.ApiViews;
import io.github.klaviyosync.gateway.status.api.ListStatusView;
import io.github.klaviyosync.gateway.status.api.MemberPageView;
import io.github.klaviyosync.gateway.status.api.SyncRequestedView;
import io.github.klaviyosync.gateway.status.query.ListQueries;
import io.github.klaviyosync.gateway.status.query.MemberCursor;
import io.github.klaviyosync.gateway.status.query.MemberQueries;
import io.github.klaviyosync.gateway.status.query.MemberQueries.MemberFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** An account's lists: their sync state, their members, and syncing one now. */
@Path("/api/accounts/{id}/lists")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lists", description = "Klaviyo lists, their members and their sync")
public class ListResource {

    private final ListQueries lists;
    private final MemberQueries members;
    private final ManualSyncService manualSync;
    private final GatewayConfig config;

    ListResource(ListQueries lists, MemberQueries members, ManualSyncService manualSync, GatewayConfig config) {
        this.lists = lists;
        this.members = members;
        this.manualSync = manualSync;
        this.config = config;
    }

    @GET
    @Operation(summary = "List an account's lists", description = "Every list the gateway knows, with its sync state and newest run.")
    @APIResponse(responseCode = "200", description = "The lists",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ListStatusView.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<ListStatusView>> lists(@PathParam("id") String id) {
        return lists.lists(ApiParams.accountId(id))
                .map(found -> found.stream().map(row -> ApiViews.list(row.list(), row.lastRun(), row.smsSubscribedCount())).toList());
    }

    @GET
    @Path("/{listId}/members")
    @Operation(summary = "Page through a list's members",
            description = "Ordered by join time. Pass the answer's `next` as `after` for the next page; pages stay "
                    + "consistent while members are added (no duplicates, no gaps).")
    @APIResponse(responseCode = "200", description = "One page of members",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MemberPageView.class)))
    @APIResponse(responseCode = "400", description = "A bad limit, cursor, smsConsent or includeRemoved",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account or list",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<MemberPageView> members(
            @PathParam("id") String id,
            @Parameter(description = "Klaviyo's id of the list") @PathParam("listId") String listId,
            @Parameter(description = "Members per page, 1 to 500 (default 100)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") String limit,
            @Parameter(description = "The `next` cursor of the previous page") @QueryParam("after") String after,
            @Parameter(description = "Only members with this SMS consent",
                    schema = @Schema(enumeration = {"SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"}))
            @QueryParam("smsConsent") String smsConsent,
            @Parameter(description = "Also list members who left the list", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("includeRemoved") String includeRemoved) {
        var accountId = ApiParams.accountId(id);
        int pageSize = ApiParams.limit(limit, config.api().membersPageSize(), config.api().maxPageSize());
        var filter = new MemberFilter(ApiParams.consent(smsConsent), ApiParams.flag("includeRemoved", includeRemoved));
        var cursor = MemberCursor.decode(after);
        return members.page(accountId, ApiParams.listId(listId), filter, cursor, pageSize)
                .map(page -> new MemberPageView(
                        page.rows().stream().map(row -> ApiViews.member(row.membership(), row.subscriber())).toList(),
                        page.next() == null ? null : page.next().encode()));
    }

    @POST
    @Path("/{listId}/sync")
    @Operation(summary = "Sync a list now",
            description = "Makes the list due now. With full=true the sync also compares every member id and marks "
                    + "members who left as removed.")
    @APIResponse(responseCode = "202", description = "The list is due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SyncRequestedView.class)))
    @APIResponse(responseCode = "400", description = "full is not true or false",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account or list",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The list's sync runs now, the list was deleted, or the account cannot sync",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The list was synced on request within the cooldown (GATEWAY_SYNC_MANUAL_COOLDOWN)",
            headers = @Header(name = "Retry-After", description = "Seconds until the cooldown ends", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<SyncRequestedView>> syncNow(
            @PathParam("id") String id,
            @Parameter(description = "Klaviyo's id of the list") @PathParam("listId") String listId,
            @Parameter(description = "Also mark members who left as removed", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("full") String full) {
        var accountId = ApiParams.accountId(id);
        boolean fullSync = ApiParams.flag("full", full);
        return manualSync.requestSync(accountId, ApiParams.listId(listId), fullSync)
                .map(request -> RestResponse.accepted(
                        new SyncRequestedView(request.klaviyoListId(), request.full(), request.requestedAt())));
    }
}
