package io.github.klaviyosync.gateway.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator refuses what Klaviyo refuses, with Klaviyo's JSON:API errors. */
class SimulatorValidationTest {

    private SimulatorHttp http;
    private SimulatedAccount account;
    private String listId;

    @BeforeEach
    void start() throws Exception {
        http = new SimulatorHttp();
        account = http.simulator.createAccount();
        listId = account.createList("SMS");
        account.addMembers(listId, 3, Instant.parse("2026-11-28T03:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    private void assertRefused(HttpResponse<String> response, int status, String code, String parameter) {
        assertEquals(status, response.statusCode(), response.body());
        assertThat(response.headers().firstValue("Content-Type").orElse(""), containsString("application/vnd.api+json"));
        JsonObject error = new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0);
        assertEquals(code, error.getString("code"));
        assertEquals(status, error.getInteger("status"));
        if (parameter != null) {
            assertEquals(parameter, error.getJsonObject("source").getString("parameter"));
        }
    }

    private HttpResponse<String> members(String query) throws Exception {
        return http.get(account.apiKey(), "/api/lists/" + listId + "/profiles?" + query);
    }

    @Test
    void anUnknownParameterIs400NamingIt() throws Exception {
        assertRefused(members("page%5Bszie%5D=10"), 400, "invalid", "page[szie]");
    }

    @Test
    void pageSizesOutOfBoundsAre400() throws Exception {
        assertRefused(members("page%5Bsize%5D=101"), 400, "invalid", "page[size]");
        assertRefused(members("page%5Bsize%5D=0"), 400, "invalid", "page[size]");
        assertRefused(members("page%5Bsize%5D=ten"), 400, "invalid", "page[size]");
        assertRefused(http.get(account.apiKey(), "/api/lists?page%5Bsize%5D=11"), 400, "invalid", "page[size]");
        assertEquals(200, members("page%5Bsize%5D=100").statusCode());
    }

    @Test
    void badFiltersAre400() throws Exception {
        assertRefused(members("filter=greater-or-equal(joined_group_at,2026-11-28)"), 400, "invalid", "filter");
        assertRefused(members("filter=greater-or-equal(joined_group_at,'2026-11-28T03:00:00Z')"), 400, "invalid", "filter");
        assertRefused(members("filter=greater-or-equal(created,2026-11-28T03:00:00Z)"), 400, "invalid", "filter");
        assertRefused(members("filter=equals(joined_group_at,2026-11-28T03:00:00Z)"), 400, "invalid", "filter");
        assertRefused(members("filter=greater-or-equal(joined_group_at"), 400, "invalid", "filter");
        assertRefused(members("filter=equals(email,ada@example.com)"), 400, "invalid", "filter");
        assertEquals(200, members("filter=greater-or-equal(joined_group_at,2026-11-28T03:00:00%2B00:00)").statusCode());
        assertEquals(200, members("filter=equals(email,'ada@example.com')").statusCode());
    }

    @Test
    void anUnknownSortOrAdditionalFieldIs400() throws Exception {
        assertRefused(members("sort=created"), 400, "invalid", "sort");
        assertRefused(members("additional-fields%5Bprofile%5D=consent"), 400, "invalid", "additional-fields[profile]");
    }

    @Test
    void aMissingOrUnknownRevisionIs400() throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + "/api/accounts"))
                .header("Authorization", "Klaviyo-API-Key " + account.apiKey());
        assertRefused(http.send(request.copy().GET().build()), 400, "invalid", "revision");
        assertRefused(http.send(request.copy().header("revision", "2099-01-01").GET().build()), 400, "invalid", "revision");
        assertRefused(http.send(request.copy().header("revision", "latest").GET().build()), 400, "invalid", "revision");
    }

    @Test
    void aWrongOrMissingKeyIs401() throws Exception {
        assertRefused(http.get("pk_wrong", "/api/accounts"), 401, "authentication_failed", null);
        HttpRequest noScheme = HttpRequest.newBuilder(URI.create(http.base() + "/api/accounts"))
                .header("revision", "2026-07-15").header("Authorization", account.apiKey()).GET().build();
        assertRefused(http.send(noScheme), 401, "not_authenticated", null);
        account.revokeKey();
        assertRefused(http.get(account.apiKey(), "/api/accounts"), 401, "authentication_failed", null);
    }

    @Test
    void unknownListsProfilesAndPathsAre404() throws Exception {
        assertRefused(http.get(account.apiKey(), "/api/lists/XXXXXX"), 404, "not_found", null);
        assertRefused(http.get(account.apiKey(), "/api/lists/XXXXXX/profiles"), 404, "not_found", null);
        assertRefused(http.get(account.apiKey(), "/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H"), 404, "not_found", null);
        assertRefused(http.get(account.apiKey(), "/api/campaigns"), 404, "not_found", null);
    }

    @Test
    void aForeignOrRefusedCursorIs400NamingIt() throws Exception {
        assertRefused(members("page%5Bcursor%5D=bm9wZQ"), 400, "invalid", "page[cursor]");
        String next = new JsonObject(members("page%5Bsize%5D=1").body()).getJsonObject("links").getString("next");
        String otherList = account.createList("Other");
        String foreign = next.replace("/lists/" + listId + "/", "/lists/" + otherList + "/");
        assertRefused(http.get(account.apiKey(), foreign), 400, "invalid", "page[cursor]");
        account.faults().refuseCursors(true);
        assertRefused(http.get(account.apiKey(), next), 400, "invalid", "page[cursor]");
    }
}
