package io.github.klaviyosync.gateway.simulator;

import static io.github.klaviyosync.gateway.simulator.SimulatorHttp.ids;
import static io.github.klaviyosync.gateway.simulator.SimulatorHttp.path;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.KlaviyoContract;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/profiles} as the spec allows it: its filters, sorts, page sizes, sparse fieldsets
 * and additional fields, keyset cursors that stay right while profiles change, and 400 for the rest.
 * Every answer is held to the spec by the contract check.
 */
class SimulatorProfilesTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    private SimulatorHttp http;
    private SimulatedAccount account;

    @BeforeEach
    void start() throws Exception {
        http = new SimulatorHttp();
        http.simulator.setContractCheck(KlaviyoContract.load());
        account = http.simulator.createAccount();
    }

    @AfterEach
    void stop() throws Exception {
        assertEquals(List.of(), http.simulator.contractViolations());
        http.close();
    }

    /** Profiles created one a second from T0, each updated 1000 s after it was created. */
    private List<String> profiles(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String number = Integer.toString(i);
            String id = account.addProfile(SimProfile.sms("+1415555" + String.format("%04d", i)).email("p" + i + "@example.com"),
                    T0.plusSeconds(i));
            account.updateProfile(id, person -> person.names("Person", number), T0.plusSeconds(1000 + i));
            ids.add(id);
        }
        return ids;
    }

    @Test
    void profilesUpdatedAfterATimeComeInUpdatedOrderWithTheirSubscriptions() throws Exception {
        List<String> ids = profiles(30);

        JsonObject page = http.json(account.apiKey(), path("/api/profiles",
                "filter", "greater-than(updated,2026-11-28T03:16:59+00:00)", "sort", "updated",
                "additional-fields[profile]", "subscriptions", "page[size]", "100"));

        // updated T0+1000+i > T0+1019 for i >= 20
        assertEquals(ids.subList(20, 30), ids(page));
        JsonObject attributes = page.getJsonArray("data").getJsonObject(0).getJsonObject("attributes");
        assertEquals("2026-11-28T03:17:00+00:00", attributes.getString("updated"));
        assertEquals("SUBSCRIBED", attributes.getJsonObject("subscriptions").getJsonObject("sms")
                .getJsonObject("marketing").getString("consent"));
        JsonObject descending = http.json(account.apiKey(), path("/api/profiles",
                "filter", "greater-than(updated,2026-11-28T03:16:59Z)", "sort", "-updated", "page[size]", "3"));
        assertEquals(List.of(ids.get(29), ids.get(28), ids.get(27)), ids(descending));
    }

    @Test
    void severalFiltersJoinedByACommaMustAllHold() throws Exception {
        List<String> ids = profiles(30);

        List<String> window = http.walk(account.apiKey(), path("/api/profiles",
                "filter", "greater-than(updated,2026-11-28T03:16:49Z),less-than(updated,2026-11-28T03:16:55Z),"
                        + "less-than(created,2026-11-28T03:00:13Z)",
                "sort", "updated"));
        List<String> named = http.walk(account.apiKey(), path("/api/profiles",
                "filter", "any(id,[\"" + ids.get(3) + "\",\"" + ids.get(4) + "\",\"01GDDKASAP8TKDDA2GRZDSVP4H\"]),"
                        + "equals(email,\"p4@example.com\")"));
        List<String> byPhones = http.walk(account.apiKey(), path("/api/profiles",
                "filter", "any(phone_number,['+14155550007','+14155550008'])", "sort", "-created"));
        List<String> byExternalId = http.walk(account.apiKey(), path("/api/profiles", "filter", "equals(external_id,'none')"));

        // updated in (T0+1009, T0+1015) and created before T0+13: i = 10, 11, 12
        assertEquals(ids.subList(10, 13), window);
        assertEquals(List.of(ids.get(4)), named);
        assertEquals(List.of(ids.get(8), ids.get(7)), byPhones);
        assertEquals(List.of(), byExternalId);
    }

    @Test
    void filterTimesCountInWholeSeconds() throws Exception {
        List<String> ids = profiles(3);

        // Updated at T0+1000s, T0+1001s, T0+1002s; a fraction in the filter is dropped.
        List<String> before = http.walk(account.apiKey(), path("/api/profiles",
                "filter", "less-than(updated,2026-11-28T03:16:41.900+00:00)", "sort", "updated"));
        List<String> after = http.walk(account.apiKey(), path("/api/profiles",
                "filter", "greater-than(updated,2026-11-28T03:16:40.900Z)", "sort", "updated"));

        assertEquals(List.of(ids.get(0)), before, "less-than(updated, 03:16:41.9) is less-than(updated, 03:16:41)");
        assertEquals(ids.subList(1, 3), after, "greater-than(updated, 03:16:40.9) is greater-than(updated, 03:16:40)");
    }

    @Test
    void pagesComeTwentyByDefaultAndUpToAHundred() throws Exception {
        profiles(130);

        JsonObject byDefault = http.json(account.apiKey(), "/api/profiles");
        JsonObject largest = http.json(account.apiKey(), path("/api/profiles", "page[size]", "100"));

        assertEquals(20, byDefault.getJsonArray("data").size());
        assertEquals(100, largest.getJsonArray("data").size());
        assertEquals(130, http.walk(account.apiKey(), path("/api/profiles", "page[size]", "100")).size());
    }

    @Test
    void everySortOfTheSpecOrdersTheProfiles() throws Exception {
        String zed = account.addProfile(SimProfile.sms("+15005550001").email("zed@example.com"), T0.plusSeconds(2));
        String amy = account.addProfile(SimProfile.sms("+15005550002").email("amy@example.com"), T0.plusSeconds(1));
        String bob = account.addProfile(SimProfile.sms("+15005550003").email("bob@example.com"), T0.plusSeconds(3));
        account.changeNames(amy, "Amy", "Pond");

        assertEquals(List.of(amy, bob, zed), http.walk(account.apiKey(), path("/api/profiles", "sort", "email")));
        assertEquals(List.of(zed, bob, amy), http.walk(account.apiKey(), path("/api/profiles", "sort", "-email")));
        assertEquals(List.of(amy, zed, bob), http.walk(account.apiKey(), path("/api/profiles", "sort", "created")));
        assertEquals(List.of(bob, zed, amy), http.walk(account.apiKey(), path("/api/profiles", "sort", "-created")));
        assertEquals(List.of(zed, bob, amy), http.walk(account.apiKey(), path("/api/profiles", "sort", "updated")));
        List<String> byId = new ArrayList<>(List.of(zed, amy, bob));
        byId.sort(null);
        assertEquals(byId, http.walk(account.apiKey(), path("/api/profiles", "page[size]", "1")));
        List<String> byIdDescending = new ArrayList<>(byId);
        Collections.reverse(byIdDescending);
        assertEquals(byIdDescending, http.walk(account.apiKey(), path("/api/profiles", "sort", "-id", "page[size]", "2")));
        // The simulator holds no suppressions: the spec's suppression sorts are accepted and keep id order.
        assertEquals(byId, http.walk(account.apiKey(), path("/api/profiles",
                "sort", "subscriptions.email.marketing.suppression.timestamp")));
    }

    /**
     * A walk by {@code updated} while profiles change: an unchanged profile comes exactly once; a
     * changed one comes at its new place (again, if it had been served already); offsets would
     * skip the profile that a change moved from an unread page.
     */
    @Test
    void pagingByUpdatedNeitherSkipsNorRepeatsWhileProfilesChange() throws Exception {
        List<String> ids = profiles(250);
        String url = path("/api/profiles", "filter", "greater-than(updated,2026-11-28T03:00:00Z)", "sort", "updated",
                "additional-fields[profile]", "subscriptions", "page[size]", "100");
        Map<String, Integer> seen = new HashMap<>();
        List<String> order = new ArrayList<>();
        int pages = 0;
        String joined = null;
        while (url != null) {
            JsonObject page = http.json(account.apiKey(), url);
            for (String id : ids(page)) {
                seen.merge(id, 1, Integer::sum);
                order.add(id);
            }
            if (pages++ == 0) {
                account.changePhone(ids.get(10), "+15005550100");      // served already
                account.changeSmsConsent(ids.get(150), SimProfile.UNSUBSCRIBED); // not served yet
                account.changeEmail(ids.get(120), "moved@example.com");          // not served yet
                joined = account.addProfile(SimProfile.sms("+15005550200"));     // new
            }
            url = page.getJsonObject("links").getString("next");
        }

        for (int i = 0; i < ids.size(); i++) {
            int expected = i == 10 ? 2 : 1;
            assertEquals(expected, seen.getOrDefault(ids.get(i), 0), "profile " + i);
        }
        assertEquals(1, seen.get(joined));
        assertEquals(252, order.size());
        List<String> tail = order.subList(order.size() - 4, order.size());
        assertEquals(4, tail.stream().distinct().count(), "the changed and new profiles come last: " + tail);
        assertTrue(tail.containsAll(List.of(ids.get(10), ids.get(150), ids.get(120), joined)));
        assertEquals(ids.subList(0, 100), order.subList(0, 100), "the first page, served before the changes");
        assertEquals(ids.get(121), order.get(120), "the profiles changed on unread pages left their places");
    }

    @Test
    void aProfileWithASixCharacterIdIsServedEverywhere() throws Exception {
        String listId = account.createList("SMS");
        String old = account.addProfile("AbC123", SimProfile.sms("+15005550006").email("old@example.com"), T0);
        String recent = account.addMember(listId, SimProfile.sms("+15005550007"), T0.plusSeconds(5));
        account.addMember(listId, old, T0.plusSeconds(1));

        JsonObject one = http.json(account.apiKey(), path("/api/profiles/AbC123", "additional-fields[profile]", "subscriptions"));
        List<String> both = http.walk(account.apiKey(), path("/api/profiles",
                "filter", "any(id,[\"AbC123\",\"" + recent + "\"])", "sort", "created"));
        List<String> members = http.walk(account.apiKey(), path("/api/lists/" + listId + "/profiles", "page[size]", "1"));
        JsonObject lists = http.json(account.apiKey(), "/api/profiles/AbC123/relationships/lists");

        assertEquals("AbC123", old);
        assertEquals("AbC123", one.getJsonObject("data").getString("id"));
        assertEquals(List.of("AbC123", recent), both);
        assertEquals(List.of("AbC123", recent), members);
        assertEquals(List.of(listId), ids(lists));
        assertEquals(400, http.get(account.apiKey(), "/api/profiles?page%5Bcursor%5D=x").statusCode());
    }

    @Test
    void aCursorServesOnlyTheSortItWasIssuedFor() throws Exception {
        profiles(3);
        http.simulator.setContractCheck(null);
        String next = http.json(account.apiKey(), path("/api/profiles", "sort", "updated", "page[size]", "1"))
                .getJsonObject("links").getString("next");

        HttpResponse<String> sameSort = http.get(account.apiKey(), next);
        HttpResponse<String> otherSort = http.get(account.apiKey(), next.replace("sort=updated", "sort=email"));

        assertEquals(200, sameSort.statusCode());
        assertEquals(400, otherSort.statusCode(), otherSort.body());
        assertThat(otherSort.body(), containsString("page[cursor]"));
    }

    @Test
    void sparseFieldsetsKeepOnlyTheNamedAttributes() throws Exception {
        String id = account.addProfile(SimProfile.sms("+15005550006").email("ada@example.com").names("Ada", "Lovelace"), T0);
        // Without the spec's check: a sparse answer leaves out attributes its schema requires.
        http.simulator.setContractCheck(null);

        JsonObject attributes = http.json(account.apiKey(), path("/api/profiles",
                        "fields[profile]", "email,subscriptions.sms.marketing.consent", "additional-fields[profile]", "subscriptions"))
                .getJsonArray("data").getJsonObject(0).getJsonObject("attributes");
        JsonObject one = http.json(account.apiKey(), path("/api/profiles/" + id, "fields[profile]", "first_name"))
                .getJsonObject("data");

        assertEquals(new JsonObject().put("email", "ada@example.com").put("subscriptions", new JsonObject()
                .put("sms", new JsonObject().put("marketing", new JsonObject().put("consent", "SUBSCRIBED")))), attributes);
        assertEquals(id, one.getString("id"));
        assertEquals(new JsonObject().put("first_name", "Ada"), one.getJsonObject("attributes"));
    }

    @Test
    void whatTheSpecDoesNotAllowIsA400NamingTheParameter() throws Exception {
        profiles(2);
        http.simulator.setContractCheck(null);  // the simulator's own validation, as Klaviyo's

        assertRefused("filter", "filter", "equals(updated,2026-11-28T03:00:00Z)");
        assertRefused("filter", "filter", "greater-or-equal(updated,2026-11-28T03:00:00Z)");
        assertRefused("filter", "filter", "less-or-equal(created,2026-11-28T03:00:00Z)");
        assertRefused("filter", "filter", "greater-than(updated,'2026-11-28T03:00:00Z')");
        assertRefused("filter", "filter", "greater-than(updated,2026-11-28)");
        assertRefused("filter", "filter", "equals(first_name,'Ada')");
        assertRefused("filter", "filter", "greater-than(joined_group_at,2026-11-28T03:00:00Z)");
        assertRefused("filter", "filter", "any(email,'ada@example.com')");
        assertRefused("filter", "filter", "equals(email,ada@example.com)");
        assertRefused("filter", "filter", "greater-than(updated,2026-11-28T03:00:00Z),");
        assertRefused("sort", "sort", "first_name");
        assertRefused("sort", "sort", "joined_group_at");
        assertRefused("page[size]", "page[size]", "101");
        assertRefused("page[size]", "page[size]", "0");
        assertRefused("additional-fields[profile]", "additional-fields[profile]", "subscriptions,lists");
        assertRefused("fields[profile]", "fields[profile]", "email,nickname");
        assertRefused("fields[profile]", "fields[profile]", "joined_group_at");
        assertRefused("include", "include", "lists");
        assertRefused("page[szie]", "page[szie]", "10");
        assertRefused("fields[list]", "fields[list]", "name");

        // What the spec allows is answered, even where the simulator holds nothing to match.
        assertAnswered("filter", "equals(_kx,'abc')");
        assertAnswered("filter", "equals(subscriptions.email.marketing.suppression.reason,'HARD_BOUNCE')");
        assertAnswered("filter", "greater-or-equal(subscriptions.email.marketing.list_suppressions.timestamp,2026-11-28T03:00:00Z)");
        assertAnswered("include", "push-tokens");
        assertAnswered("fields[push-token]", "token");
        assertAnswered("additional-fields[profile]", "subscriptions,predictive_analytics");
    }

    private void assertRefused(String parameter, String name, String value) throws Exception {
        HttpResponse<String> answer = http.get(account.apiKey(), path("/api/profiles", name, value));
        assertEquals(400, answer.statusCode(), name + "=" + value + ": " + answer.body());
        JsonObject error = new JsonObject(answer.body()).getJsonArray("errors").getJsonObject(0);
        assertEquals("invalid", error.getString("code"));
        assertEquals(parameter, error.getJsonObject("source").getString("parameter"));
    }

    private void assertAnswered(String name, String value) throws Exception {
        HttpResponse<String> answer = http.get(account.apiKey(), path("/api/profiles", name, value));
        assertEquals(200, answer.statusCode(), name + "=" + value + ": " + answer.body());
    }

    @Test
    void anIncludeIsAnsweredWithAnEmptyIncludedArray() throws Exception {
        profiles(1);

        JsonObject page = http.json(account.apiKey(), path("/api/profiles", "include", "push-tokens"));
        JsonObject plain = http.json(account.apiKey(), "/api/profiles");

        assertTrue(page.getJsonArray("included").isEmpty());
        assertFalse(plain.containsKey("included"));
        assertNull(plain.getJsonObject("links").getValue("next"));
        assertThat(plain.getJsonObject("links").getString("self"), containsString("/api/profiles"));
    }
}
