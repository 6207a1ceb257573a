package io.github.klaviyosync.gateway.klaviyo;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Klaviyo's REST API as the gateway uses it (names from Klaviyo's OpenAPI spec). Answers are raw
 * {@link Response}s, whatever their status: {@link KlaviyoClient} reads headers, errors and
 * bodies itself. Built by {@link KlaviyoClient} with the configured base URL and timeouts.
 */
@RegisterRestClient
@Produces(KlaviyoApi.JSON_API)
interface KlaviyoApi {

    String JSON_API = "application/vnd.api+json";
    String AUTHORIZATION = "Authorization";
    String REVISION = "revision";

    /** {@code get_accounts}. */
    @GET
    @Path("/api/accounts")
    Uni<Response> getAccounts(@HeaderParam(AUTHORIZATION) String authorization, @HeaderParam(REVISION) String revision);

    /** {@code get_lists}. */
    @GET
    @Path("/api/lists")
    Uni<Response> getLists(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @QueryParam("filter") String filter,
            @QueryParam("page[size]") Integer pageSize);

    /** {@code get_list}. */
    @GET
    @Path("/api/lists/{id}")
    Uni<Response> getList(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @PathParam("id") String listId,
            @QueryParam("additional-fields[list]") String additionalFields);

    /** {@code get_profiles_for_list}: a list's members. */
    @GET
    @Path("/api/lists/{id}/profiles")
    Uni<Response> getProfilesForList(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @PathParam("id") String listId,
            @QueryParam("filter") String filter,
            @QueryParam("sort") String sort,
            @QueryParam("additional-fields[profile]") String additionalFields,
            @QueryParam("page[size]") Integer pageSize);

    /** {@code get_profile}. */
    @GET
    @Path("/api/profiles/{id}")
    Uni<Response> getProfile(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @PathParam("id") String profileId,
            @QueryParam("additional-fields[profile]") String additionalFields);

    /**
     * {@code get_profiles}: profiles matching a filter (by id, email or phone, or updated since a
     * time), in {@code sort} order (null: Klaviyo's, by id).
     */
    @GET
    @Path("/api/profiles")
    Uni<Response> getProfiles(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @QueryParam("filter") String filter,
            @QueryParam("sort") String sort,
            @QueryParam("additional-fields[profile]") String additionalFields,
            @QueryParam("page[size]") Integer pageSize);

    /** {@code get_list_ids_for_profile}. */
    @GET
    @Path("/api/profiles/{id}/relationships/lists")
    Uni<Response> getListIdsForProfile(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @PathParam("id") String profileId);

    /**
     * A {@code links.next} that Klaviyo sent, split by {@link NextLink}: its path below the base URL
     * (already encoded) and its query parameters.
     */
    @GET
    @Path("/{path: .+}")
    Uni<Response> follow(
            @HeaderParam(AUTHORIZATION) String authorization,
            @HeaderParam(REVISION) String revision,
            @PathParam("path") @Encoded String path,
            @RestQuery Map<String, String> query);
}
