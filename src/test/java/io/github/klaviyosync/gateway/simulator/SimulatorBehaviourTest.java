package io.github.klaviyosync.gateway.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's documents, cursors, limits, faults and admin API, over plain HTTP. */
class SimulatorBehaviourTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    private SimulatorHttp http;
    private SimulatedAccount account;

    @BeforeEach
    void start() throws Exception {
        http = new SimulatorHttp();
        account = http.simulator.createAccount();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    @Test
    void pagesOfMembersLinkToTheNextWithAnAbsoluteCursorUrl() throws Exception {
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 5, T0);
        List<String> seen = new ArrayList<>();
        String url = "/api/lists/" + listId + "/profiles?page%5Bsize%5D=2&additional-fields%5Bprofile%5D=subscriptions";
        int pages = 0;
        while (url != null) {
            JsonObject page = new JsonObject(http.get(account.apiKey(), url).body());
            page.getJsonArray("data").forEach(member -> seen.add(((JsonObject) member).getString("id")));
            url = page.getJsonObject("links").getString("next");
            if (url != null) {
                assertThat(url, startsWith(http.base() + "/api/lists/" + listId + "/profiles?page%5Bcursor%5D="));
                assertThat(url, containsString("page%5Bsize%5D=2"));
            }
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(ids, seen);
        assertEquals(3, account.counters().requestsForPath("/api/lists/" + listId + "/profiles"));
        assertEquals(3, account.counters().requestsForList(listId));
    }

    @Test
    void profilesAreFoundByEmailOrPhoneWithTheSpecsFilterAndAnswersMatchTheSpec() throws Exception {
        http.simulator.setContractCheck(io.github.klaviyosync.gateway.testsupport.KlaviyoContract.load());
        String ada = account.addProfile(SimProfile.sms("+15005550006").email("ada@example.com"));
        String grace = account.addProfile(SimProfile.sms("+15005550007").email("grace@example.com"));

        JsonObject byEmail = new JsonObject(http.get(account.apiKey(),
                "/api/profiles?filter=equals(email,%22grace@example.com%22)&additional-fields%5Bprofile%5D=subscriptions"
                        + "&page%5Bsize%5D=1").body());
        JsonObject byPhone = new JsonObject(http.get(account.apiKey(),
                "/api/profiles?filter=equals(phone_number,%22%2B15005550006%22)").body());
        JsonObject nobody = new JsonObject(http.get(account.apiKey(),
                "/api/profiles?filter=equals(email,%22nobody@example.com%22)").body());
        HttpResponse<String> byShortId = http.get(account.apiKey(), "/api/profiles/AbC123");

        assertEquals(List.of(grace), ids(byEmail));
        assertEquals("SUBSCRIBED", byEmail.getJsonArray("data").getJsonObject(0).getJsonObject("attributes")
                .getJsonObject("subscriptions").getJsonObject("sms").getJsonObject("marketing").getString("consent"));
        assertEquals(List.of(ada), ids(byPhone));
        assertEquals(List.of(), ids(nobody));
        assertEquals(404, byShortId.statusCode(), "an id that is not Klaviyo's is unknown (the gateway then matches by email)");
        assertEquals(List.of(), http.simulator.contractViolations());
        // The simulator's own validation, without the spec's check: a field the spec does not filter on is refused.
        http.simulator.setContractCheck(null);
        assertEquals(400, http.get(account.apiKey(), "/api/profiles?filter=equals(first_name,%22Ada%22)").statusCode());
    }

    private static List<String> ids(JsonObject document) {
        List<String> ids = new ArrayList<>();
        document.getJsonArray("data").forEach(profile -> ids.add(((JsonObject) profile).getString("id")));
        return ids;
    }

    @Test
    void membersAreJsonApiProfilesWithJoinedGroupAtAndSubscriptions() throws Exception {
        String listId = account.createList("SMS");
        String profileId = account.addMember(listId, SimProfile.sms("+15005550006").email("ada@example.com"), T0);

        JsonObject page = new JsonObject(http.get(account.apiKey(),
                "/api/lists/" + listId + "/profiles?additional-fields%5Bprofile%5D=subscriptions").body());

        JsonObject member = page.getJsonArray("data").getJsonObject(0);
        assertEquals("profile", member.getString("type"));
        assertThat(profileId, matchesPattern("[0-9A-HJKMNP-TV-Z]{26}"));
        assertThat(listId, matchesPattern("[A-Za-z0-9]{6}"));
        JsonObject attributes = member.getJsonObject("attributes");
        assertEquals("2026-11-28T03:00:00+00:00", attributes.getString("joined_group_at"));
        assertEquals("+15005550006", attributes.getString("phone_number"));
        JsonObject sms = attributes.getJsonObject("subscriptions").getJsonObject("sms").getJsonObject("marketing");
        assertEquals("SUBSCRIBED", sms.getString("consent"));
        assertTrue(sms.getBoolean("can_receive_sms_marketing"));
        assertEquals("NEVER_SUBSCRIBED", attributes.getJsonObject("subscriptions").getJsonObject("email")
                .getJsonObject("marketing").getString("consent"));
        assertThat(member.getJsonObject("links").getString("self"), containsString("/api/profiles/" + profileId));
        assertTrue(page.getJsonObject("links").containsKey("next"));
        assertEquals(null, page.getJsonObject("links").getValue("next"));
    }

    @Test
    void withoutSubscriptionsAskedForProfilesCarryNone() throws Exception {
        String listId = account.createList("SMS");
        account.addMembers(listId, 1, T0);
        account.setLastPageLinks(SimulatedAccount.LastPageLinks.OMITTED);

        JsonObject page = new JsonObject(http.get(account.apiKey(), "/api/lists/" + listId + "/profiles").body());

        assertFalse(page.getJsonArray("data").getJsonObject(0).getJsonObject("attributes").containsKey("subscriptions"));
        assertFalse(page.getJsonObject("links").containsKey("next"));
    }

    @Test
    void theJoinedAtFilterAndDescendingSortSelectAndOrderMembers() throws Exception {
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 10, T0);

        JsonArray data = new JsonObject(http.get(account.apiKey(), "/api/lists/" + listId + "/relationships/profiles"
                + "?filter=greater-than(joined_group_at,2026-11-28T03:00:05%2B00:00),less-or-equal(joined_group_at,2026-11-28T03:00:08Z)"
                + "&sort=-joined_group_at").body()).getJsonArray("data");

        List<String> selected = new ArrayList<>();
        data.forEach(item -> selected.add(((JsonObject) item).getString("id")));
        assertEquals(List.of(ids.get(8), ids.get(7), ids.get(6)), selected);
    }

    @Test
    void burstAndSteadyWindowsAnswer429WithOrWithoutRetryAfter() throws Exception {
        account.setRateLimits(100, 3, true);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(http.get(account.apiKey(), "/api/lists"));
        }
        HttpResponse<String> allowed = answers.get(0);
        HttpResponse<String> throttled = answers.get(3);
        // All four fall in one minute window unless the minute turned between them.
        if (answers.stream().filter(answer -> answer.statusCode() == 429).count() == 1) {
            assertEquals("3", allowed.headers().firstValue("RateLimit-Limit").orElseThrow());
            assertTrue(allowed.headers().firstValue("RateLimit-Remaining").isPresent());
            assertTrue(allowed.headers().firstValue("RateLimit-Reset").isPresent());
            assertEquals(429, throttled.statusCode());
            assertEquals("throttled", new JsonObject(throttled.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
            int retryAfter = Integer.parseInt(throttled.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60);
            assertFalse(throttled.headers().firstValue("RateLimit-Limit").isPresent());
        }
        SimulatedAccount quiet = http.simulator.createAccount();
        quiet.setRateLimits(1, 100, false);
        long throttledWithout = 0;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = http.get(quiet.apiKey(), "/api/lists");
            if (answer.statusCode() == 429) {
                throttledWithout++;
                assertFalse(answer.headers().firstValue("Retry-After").isPresent());
            }
        }
        assertTrue(throttledWithout >= 1);
        assertEquals(throttledWithout, quiet.counters().throttledCount());
    }

    @Test
    void injectedFaultsAnswerAsKlaviyoAndCloudflareDo() throws Exception {
        account.faults().cloudflareChallenges(1).unavailable(1);

        HttpResponse<String> challenge = http.get(account.apiKey(), "/api/accounts");
        HttpResponse<String> unavailable = http.get(account.apiKey(), "/api/accounts");
        HttpResponse<String> fine = http.get(account.apiKey(), "/api/accounts");

        assertEquals(403, challenge.statusCode());
        assertThat(challenge.headers().firstValue("Content-Type").orElseThrow(), startsWith("text/html"));
        assertThat(challenge.body(), containsString("<html"));
        assertEquals(503, unavailable.statusCode());
        assertEquals(200, fine.statusCode());
        assertEquals(account.klaviyoAccountId(), new JsonObject(fine.body()).getJsonArray("data").getJsonObject(0).getString("id"));
        assertEquals(3, account.counters().requests("get_accounts"));
    }

    @Test
    void theAdminApiSeedsAddsAndCounts() throws Exception {
        JsonObject seeded = new JsonObject(http.post("/__admin/seed",
                new JsonObject().put("accounts", 2).put("listsPerAccount", 2).put("membersPerList", 150)).body());
        JsonObject first = seeded.getJsonArray("accounts").getJsonObject(0);
        String key = first.getString("apiKey");
        String listId = first.getJsonArray("lists").getString(0);

        http.post("/__admin/accounts/" + key + "/lists/" + listId + "/members", new JsonObject().put("count", 10));
        http.post("/__admin/accounts/" + key + "/lists/" + listId + "/members",
                new JsonObject().put("phone", "+15005550006").put("joinedAt", "2026-12-01T00:00:00Z"));
        http.get(key, "/api/lists/" + listId + "/profiles?page%5Bsize%5D=100");

        assertEquals(161, http.simulator.account(key).memberCount(listId));
        JsonObject counters = new JsonObject(http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(http.base() + "/__admin/accounts/" + key + "/counters")).GET().build()).body());
        assertEquals(1, counters.getJsonObject("byOperation").getLong("get_profiles_for_list"));
        assertEquals(200, http.post("/__admin/reset", new JsonObject()).statusCode());
        assertEquals(0, http.simulator.accounts().size());
    }

    @Test
    void generatedMembersCanBeCreatedLongBefore() throws Exception {
        String key = http.simulator.createAccount().apiKey();
        SimulatedAccount account = http.simulator.account(key);
        String listId = account.createList("Old members");
        Instant created = Instant.parse("2025-12-31T00:00:00Z");

        http.post("/__admin/accounts/" + key + "/lists/" + listId + "/members", new JsonObject()
                .put("count", 3).put("firstJoinedAt", "2026-01-01T00:00:00Z").put("created", created.toString()));
        http.post("/__admin/accounts/" + key + "/lists/" + listId + "/members", new JsonObject().put("count", 2));

        List<String> members = account.memberIds(listId);
        assertEquals(5, members.size());
        for (String old : members.subList(0, 3)) {
            assertEquals(created, account.profileUpdated(old));
        }
        for (String recent : members.subList(3, 5)) {
            assertTrue(account.profileUpdated(recent).isAfter(Instant.now().minusSeconds(60)), recent);
        }
    }
}
