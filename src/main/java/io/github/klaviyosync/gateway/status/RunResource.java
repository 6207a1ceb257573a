package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.status.api.ApiViews;
import io.github.klaviyosync.gateway.status.api.SyncRunView;
import io.github.klaviyosync.gateway.status.query.RunQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The history of an account's syncs. */
@Path("/api/accounts/{id}/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Runs", description = "Discovery and member sync runs")
public class RunResource {

    private final RunQueries runs;
    private final GatewayConfig config;

    RunResource(RunQueries runs, GatewayConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @GET
    @Operation(summary = "List sync runs", description = "The account's runs, newest first, or one list's with listId.")
    @APIResponse(responseCode = "200", description = "The runs, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = SyncRunView.class)))
    @APIResponse(responseCode = "400", description = "A bad limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account or list",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<SyncRunView>> runs(
            @PathParam("id") String id,
            @Parameter(description = "Only this list's runs (Klaviyo's id of the list)") @QueryParam("listId") String listId,
            @Parameter(description = "Runs to answer, 1 to 500 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") String limit) {
        var accountId = ApiParams.accountId(id);
        int count = ApiParams.limit(limit, config.api().runsPageSize(), config.api().maxPageSize());
        String klaviyoListId = listId == null || listId.isEmpty() ? null : ApiParams.listId(listId);
        return runs.runs(accountId, klaviyoListId, count)
                .map(found -> found.stream().map(row -> ApiViews.run(row.run(), row.klaviyoListId())).toList());
    }
}
