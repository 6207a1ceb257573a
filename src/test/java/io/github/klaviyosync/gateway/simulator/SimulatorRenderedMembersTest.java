package io.github.klaviyosync.gateway.simulator;

import static io.github.klaviyosync.gateway.simulator.SimulatorHttp.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.klaviyosync.gateway.testsupport.KlaviyoContract;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A list's members pages read again are served from the members' kept renderings (what the member
 * ingest benchmark relies on), with the same bytes a fresh rendering writes, and a member is
 * rendered again as soon as its profile, its {@code joined_group_at} or the variant asked for changes.
 */
class SimulatorRenderedMembersTest {

    private static final Instant JOINED = Instant.parse("2026-01-01T00:00:00Z");

    private SimulatorHttp http;
    private SimulatedAccount account;
    private String listId;
    private List<String> members;

    @BeforeEach
    void start() throws Exception {
        http = new SimulatorHttp();
        http.simulator.setContractCheck(KlaviyoContract.load());
        account = http.simulator.createAccount();
        listId = account.createList("Rendered");
        members = account.addMembers(listId, 250, JOINED, Instant.parse("2025-12-31T00:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
        assertEquals(List.of(), http.simulator.contractViolations());
        http.close();
    }

    @Test
    void aListReadAgainIsServedFromTheRenderingsWithTheSameBytes() throws Exception {
        List<String> first = walk("subscriptions");
        assertEquals(250, account.membersRendered());
        assertEquals(3, first.size());

        List<String> again = walk("subscriptions");

        assertEquals(250, account.membersRendered(), "no member rendered a second time");
        assertEquals(first.stream().map(SimulatorRenderedMembersTest::withoutLinks).toList(),
                again.stream().map(SimulatorRenderedMembersTest::withoutLinks).toList());
        for (String body : again) {
            // Pages are written out from the members' JSON: the same text as the JSON encoder's of the whole.
            assertEquals(new JsonObject(body).encode(), body);
        }
    }

    @Test
    void aChangedProfileOrMembershipOrVariantIsRenderedAgain() throws Exception {
        walk("subscriptions");
        String changed = members.get(120);
        String moved = members.get(10);

        account.changePhone(changed, "+14155550123");
        account.addMember(listId, moved, JOINED.plusSeconds(120));
        List<String> afterChanges = walk("subscriptions");

        assertEquals(252, account.membersRendered(), "the changed profile and the moved member, no other");
        JsonObject changedResource = resource(afterChanges, changed);
        assertEquals("+14155550123", changedResource.getJsonObject("attributes").getString("phone_number"));
        assertEquals(account.profileUpdated(changed).toString().replace("Z", "+00:00"),
                changedResource.getJsonObject("attributes").getString("updated"));
        assertEquals("2026-01-01T00:02:00+00:00",
                resource(afterChanges, moved).getJsonObject("attributes").getString("joined_group_at"));

        account.changeSmsConsent(changed, SimProfile.UNSUBSCRIBED);
        JsonObject unsubscribed = resource(walk("subscriptions"), changed);
        assertEquals(253, account.membersRendered());
        assertEquals(SimProfile.UNSUBSCRIBED, unsubscribed.getJsonObject("attributes").getJsonObject("subscriptions")
                .getJsonObject("sms").getJsonObject("marketing").getString("consent"));

        List<String> withoutSubscriptions = walk(null);
        assertEquals(503, account.membersRendered(), "another variant renders every member");
        assertEquals(null, resource(withoutSubscriptions, changed).getJsonObject("attributes").getValue("subscriptions"));
        assertNotEquals(afterChanges.get(0), withoutSubscriptions.get(0));
    }

    /** Every page of the list's members, 100 a page, with {@code additional-fields} when not null. */
    private List<String> walk(String additionalFields) throws Exception {
        List<String> bodies = new ArrayList<>();
        String url = additionalFields == null
                ? path("/api/lists/" + listId + "/profiles", "page[size]", "100")
                : path("/api/lists/" + listId + "/profiles", "additional-fields[profile]", additionalFields, "page[size]", "100");
        while (url != null) {
            String body = http.get(account.apiKey(), url).body();
            bodies.add(body);
            url = new JsonObject(body).getJsonObject("links").getString("next");
        }
        return bodies;
    }

    /** The page's text before its {@code links}, whose cursor carries the time it was issued. */
    private static String withoutLinks(String body) {
        return body.substring(0, body.indexOf(",\"links\":"));
    }

    private static JsonObject resource(List<String> pages, String profileId) {
        for (String page : pages) {
            for (Object item : new JsonObject(page).getJsonArray("data")) {
                JsonObject resource = (JsonObject) item;
                if (profileId.equals(resource.getString("id"))) {
                    return resource;
                }
            }
        }
        throw new AssertionError("no member " + profileId);
    }
}
