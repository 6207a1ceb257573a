package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.status.api.MembersAddedView;
import io.github.klaviyosync.gateway.status.query.MembersAddedQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How many members an account gained lately, per member sync interval (the operator page's chart). */
@Path("/api/accounts/{id}/members-added")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lists", description = "Klaviyo lists, their members and their sync")
public class MembersAddedResource {

    private final MembersAddedQueries queries;
    private final GatewayConfig config;

    MembersAddedResource(MembersAddedQueries queries, GatewayConfig config) {
        this.queries = queries;
        this.config = config;
    }

    @GET
    @Operation(summary = "Members added per interval",
            description = "Members the account gained in each of the last intervals (one member sync interval each), "
                    + "split by the path that brought them: poll or webhook.")
    @APIResponse(responseCode = "200", description = "The intervals, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembersAddedView.class)))
    @APIResponse(responseCode = "400", description = "A bad intervals count",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<MembersAddedView> membersAdded(
            @PathParam("id") String id,
            @Parameter(description = "Intervals to answer, 1 to 500 (default 24)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("intervals") String intervals) {
        var accountId = ApiParams.accountId(id);
        int count = ApiParams.count("intervals", intervals, config.api().membersAddedIntervals(), config.api().maxPageSize());
        Duration interval = config.sync().memberInterval();
        return queries.addedPerInterval(accountId, interval, count, Instant.now())
                .map(slots -> new MembersAddedView(interval.toSeconds(), slots.stream()
                        .map(slot -> new MembersAddedView.Interval(slot.start(), slot.poll(), slot.webhook()))
                        .toList()));
    }
}
