package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.changes.api.ChangePageView;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/** The change feed: pages in commit order, and the same changes live as Server-Sent Events. */
@Path("/api/changes")
@Tag(name = "Changes", description = "Every join, leave, consent and contact change, in commit order")
public class ChangeResource {

    private final ChangeFeed feed;
    private final ChangeStream stream;
    private final Pool pool;
    private final GatewayConfig.Changes config;

    ChangeResource(ChangeFeed feed, ChangeStream stream, Pool pool, GatewayConfig config) {
        this.feed = feed;
        this.stream = stream;
        this.pool = pool;
        this.config = config.changes();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read the changes after a cursor",
            description = "Every change of every list (or of one account) in commit order, each with the member's state, "
                    + "from just after `after` (from the oldest kept without it). `next` is always given, also on an empty "
                    + "page: keep reading from it. A change committed after a reader passed its position is never skipped. "
                    + "Changes are kept for GATEWAY_CHANGES_RETENTION (7 days by default).")
    @APIResponse(responseCode = "200", description = "One page of changes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChangePageView.class)))
    @APIResponse(responseCode = "400", description = "A limit outside 1..1000, a cursor this feed did not give out, or an accountId that is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The cursor is older than the changes kept: read the lists' members again, "
            + "then follow the feed from a read without `after`",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ChangePageView> changes(
            @Parameter(description = "The `next` of the previous page, or the `id` of the last change processed") @RestQuery String after,
            @Parameter(description = "Changes per page, 1 to 1000 (default 100)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
            @RestQuery String limit,
            @Parameter(description = "Only this account's changes") @RestQuery String accountId) {
        ChangeCursor from = ChangeCursor.decode(after, "after");
        int pageSize = limit(limit);
        UUID account = accountId(accountId);
        return feed.requireAccount(pool, account)
                .chain(() -> feed.page(pool, from, account, pageSize))
                .map(page -> new ChangePageView(page.entries().stream().map(FeedEntry::view).toList(), page.next().encode()));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow the changes live (Server-Sent Events)",
            description = "The changes of GET /api/changes as they commit: each event's `id` is the change's cursor and its "
                    + "`data` the Change. A reconnect with `Last-Event-ID` (or `after`) resumes after that change, reading what "
                    + "it missed first; without either the stream starts now. Heartbeats are SSE comments. The first "
                    + "block carries the starting position as an `id` without data.")
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A cursor this feed did not give out, or an accountId that is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The cursor is older than the changes kept: read the lists' members again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> stream(@Context SseEventSink sink, @Context Sse sse,
            @Parameter(description = "The id of the last event received (set by EventSource on a reconnect)")
            @RestHeader("Last-Event-ID") String lastEventId,
            @Parameter(description = "Where to start when there is no Last-Event-ID: a change's id or a page's next") @RestQuery String after,
            @Parameter(description = "Only this account's changes") @RestQuery String accountId) {
        ChangeCursor from = lastEventId != null && !lastEventId.isBlank()
                ? ChangeCursor.decode(lastEventId, "Last-Event-ID")
                : ChangeCursor.decode(after, "after");
        return stream.open(sink, sse, from, accountId(accountId));
    }

    private int limit(String text) {
        if (text == null || text.isEmpty()) {
            return config.pageSize();
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= config.maxPageSize()) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the same answer as an out-of-range number.
        }
        throw ApiProblem.badRequest("'limit' must be a whole number from 1 to " + config.maxPageSize());
    }

    private static UUID accountId(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("'accountId' must be an account's id (a UUID)");
        }
    }
}
