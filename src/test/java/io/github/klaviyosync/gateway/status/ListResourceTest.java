package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ListResourceTest {

    @Inject
    SecretBox secretBox;

    ApiFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ApiFixtures(secretBox);
    }

    private static RequestSpecification api() {
        return given().auth().oauth2(ApiFixtures.TOKEN);
    }

    @Test
    void showsEachListWithItsSyncStateAndNewestRun() {
        FixtureAccount account = fixtures.account();
        String syncedId = fixtures.newListId();
        String newId = fixtures.newListId();
        long synced = fixtures.list(account.id(), syncedId);
        fixtures.list(account.id(), newId);
        Instant now = Instant.now();
        fixtures.run(account.id(), synced, "failed", now.minusSeconds(600));
        long newest = fixtures.run(account.id(), synced, "succeeded", now.minusSeconds(60));
        fixtures.run(account.id(), null, "succeeded", now);
        TestDatabase.execute("update klaviyo_list set member_count = 42 where id = ?", synced);

        List<Map<String, Object>> lists = api().when().get("/api/accounts/" + account.id() + "/lists")
                .then().statusCode(200).body("$", hasSize(2)).extract().jsonPath().getList("$");
        Map<String, Object> syncedList = lists.stream().filter(list -> syncedId.equals(list.get("listId"))).findFirst().orElseThrow();
        assertEquals(42, syncedList.get("memberCount"));
        assertEquals("discovery", syncedList.get("discoveredVia"));
        assertEquals("active", syncedList.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> lastRun = (Map<String, Object>) syncedList.get("lastRun");
        assertEquals((int) newest, lastRun.get("id"));
        assertEquals(syncedId, lastRun.get("listId"));
        assertEquals("succeeded", lastRun.get("status"));
        assertEquals("members", lastRun.get("kind"));
        Map<String, Object> newList = lists.stream().filter(list -> newId.equals(list.get("listId"))).findFirst().orElseThrow();
        assertNull(newList.get("lastRun"));
        for (String key : List.of("name", "discoveredAt", "lastSyncedAt", "nextSyncAt")) {
            assertEquals(true, newList.get(key) != null, key);
        }
    }

    @Test
    void countsTheMembersOfEachListWhoTakeSms() {
        FixtureAccount account = fixtures.account();
        String firstId = fixtures.newListId();
        String secondId = fixtures.newListId();
        long first = fixtures.list(account.id(), firstId);
        long second = fixtures.list(account.id(), secondId);
        String emptyId = fixtures.newListId();
        fixtures.list(account.id(), emptyId);
        Instant joined = Instant.now();
        long subscribed = fixtures.subscriber(account.id(), "SUBSCRIBED");
        long alsoSubscribed = fixtures.subscriber(account.id(), "SUBSCRIBED");
        long leftTheList = fixtures.subscriber(account.id(), "SUBSCRIBED");
        long unsubscribed = fixtures.subscriber(account.id(), "UNSUBSCRIBED");
        long never = fixtures.subscriber(account.id(), "NEVER_SUBSCRIBED");
        fixtures.membership(first, subscribed, account.id(), joined, null);
        fixtures.membership(first, alsoSubscribed, account.id(), joined, null);
        fixtures.membership(first, leftTheList, account.id(), joined, joined);
        fixtures.membership(first, unsubscribed, account.id(), joined, null);
        fixtures.membership(first, never, account.id(), joined, null);
        fixtures.membership(second, subscribed, account.id(), joined, null);
        fixtures.membership(second, unsubscribed, account.id(), joined, null);

        List<Map<String, Object>> lists = api().when().get("/api/accounts/" + account.id() + "/lists")
                .then().statusCode(200).body("$", hasSize(3)).extract().jsonPath().getList("$");
        Map<String, Object> counts = new java.util.HashMap<>();
        lists.forEach(list -> counts.put((String) list.get("listId"), list.get("smsSubscribedCount")));
        assertEquals(2, counts.get(firstId), "subscribed members still on the list");
        assertEquals(1, counts.get(secondId));
        assertEquals(0, counts.get(emptyId), "a list without members");
    }

    @Test
    void answers404ForTheListsOfAnUnknownAccount() {
        api().when().get("/api/accounts/" + UUID.randomUUID() + "/lists")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void showsAMemberWithContactDetailsConsentAndSource() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        long subscriber = fixtures.subscriber(account.id(), "SUBSCRIBED");
        Instant joined = Instant.parse("2026-01-02T03:04:05Z");
        fixtures.membership(list, subscriber, account.id(), joined, null);
        Map<String, Object> stored = TestDatabase.row(
                "select klaviyo_profile_id, email, phone_e164 from subscriber where id = ?", subscriber);

        api().when().get(membersPath(account.id(), listId))
                .then().statusCode(200)
                .body("data", hasSize(1))
                .body("next", nullValue())
                .body("data[0].profileId", equalTo(stored.get("klaviyo_profile_id")))
                .body("data[0].email", equalTo(stored.get("email")))
                .body("data[0].phone", equalTo(stored.get("phone_e164")))
                .body("data[0].phoneRaw", equalTo(stored.get("phone_e164")))
                .body("data[0].smsConsent", equalTo("SUBSCRIBED"))
                .body("data[0].emailConsent", equalTo("NEVER_SUBSCRIBED"))
                .body("data[0].joinedAt", equalTo("2026-01-02T03:04:05Z"))
                .body("data[0].source", equalTo("poll"))
                .body("data[0].removedAt", nullValue());
    }

    @Test
    void pagesThroughEveryMemberOnceInJoinOrder() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        List<Long> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long subscriber = fixtures.subscriber(account.id(), "SUBSCRIBED");
            // Pairs share a join time, so ties are broken by subscriber id.
            fixtures.membership(list, subscriber, account.id(), base.plusSeconds(i / 2), null);
            expected.add(subscriber);
        }
        long withoutJoinTime = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, withoutJoinTime, account.id(), null, null);
        expected.add(withoutJoinTime);

        List<String> seen = readAllProfiles(account.id(), listId, 3, Map.of());
        assertEquals(profileIds(expected), seen);
    }

    @Test
    void staysConsistentWhileMembersAreAdded() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        Instant base = Instant.parse("2026-04-01T00:00:00Z");
        List<Long> original = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long subscriber = fixtures.subscriber(account.id(), "SUBSCRIBED");
            fixtures.membership(list, subscriber, account.id(), base.plusSeconds(10L * i), null);
            original.add(subscriber);
        }
        var first = api().queryParam("limit", 3).when().get(membersPath(account.id(), listId))
                .then().statusCode(200).body("data", hasSize(3)).extract().jsonPath();
        // Meanwhile one member joins before the cursor (a late poll) and one after it.
        long early = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, early, account.id(), base.plusSeconds(5), null);
        long late = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, late, account.id(), base.plusSeconds(100), null);

        List<String> rest = readAllProfiles(account.id(), listId, 3, Map.of("after", first.getString("next")));
        List<String> all = new java.util.ArrayList<>(first.getList("data.profileId"));
        all.addAll(rest);
        List<String> expected = new java.util.ArrayList<>(profileIds(original));
        expected.addAll(profileIds(List.of(late)));
        assertEquals(expected, all, "no duplicate, no gap; the member who joined before the cursor is on an earlier page");
    }

    @Test
    void filtersBySmsConsentAndHidesRemovedMembersUnlessAsked() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        Instant joined = Instant.parse("2026-05-01T00:00:00Z");
        long subscribed = fixtures.subscriber(account.id(), "SUBSCRIBED");
        long unsubscribed = fixtures.subscriber(account.id(), "UNSUBSCRIBED");
        long removed = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membership(list, subscribed, account.id(), joined, null);
        fixtures.membership(list, unsubscribed, account.id(), joined.plusSeconds(1), null);
        fixtures.membership(list, removed, account.id(), joined.plusSeconds(2), Instant.now());

        assertEquals(profileIds(List.of(subscribed, unsubscribed)), readAllProfiles(account.id(), listId, 10, Map.of()));
        assertEquals(profileIds(List.of(subscribed)),
                readAllProfiles(account.id(), listId, 10, Map.of("smsConsent", "SUBSCRIBED")));
        assertEquals(profileIds(List.of(unsubscribed)),
                readAllProfiles(account.id(), listId, 10, Map.of("smsConsent", "UNSUBSCRIBED")));
        assertEquals(profileIds(List.of(subscribed, unsubscribed, removed)),
                readAllProfiles(account.id(), listId, 10, Map.of("includeRemoved", "true")));
        api().queryParam("includeRemoved", "true").when().get(membersPath(account.id(), listId))
                .then().body("data[2].removedAt", notNullValue());
    }

    @Test
    void refusesBadPagingParameters() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        fixtures.list(account.id(), listId);
        String path = membersPath(account.id(), listId);
        for (String limit : List.of("0", "501", "-1", "ten", "1.5")) {
            api().queryParam("limit", limit).when().get(path)
                    .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("limit"));
        }
        api().queryParam("limit", "500").when().get(path).then().statusCode(200);
        for (String cursor : List.of("garbage", "bTE6eDp5", "!!!", "bTI6MTox")) {
            api().queryParam("after", cursor).when().get(path)
                    .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("cursor"));
        }
        api().queryParam("smsConsent", "MAYBE").when().get(path)
                .then().statusCode(400).body("detail", containsString("smsConsent"));
        api().queryParam("includeRemoved", "sometimes").when().get(path).then().statusCode(400);
    }

    @Test
    void answers404ForAnUnknownListOrAccount() {
        FixtureAccount account = fixtures.account();
        api().when().get(membersPath(account.id(), "NoSuchList"))
                .then().statusCode(404).contentType("application/problem+json").body("detail", containsString("NoSuchList"));
        FixtureAccount other = fixtures.account();
        String othersList = fixtures.newListId();
        fixtures.list(other.id(), othersList);
        api().when().get(membersPath(account.id(), othersList)).then().statusCode(404);
        api().when().get(membersPath(UUID.randomUUID(), othersList)).then().statusCode(404);
    }

    private static String membersPath(UUID accountId, String listId) {
        return "/api/accounts/" + accountId + "/lists/" + listId + "/members";
    }

    /** Follows `next` to the end and returns every profile id in the order served. */
    private static List<String> readAllProfiles(UUID accountId, String listId, int limit, Map<String, String> params) {
        List<String> seen = new java.util.ArrayList<>();
        String after = params.get("after");
        for (int page = 0; page < 100; page++) {
            var request = api().queryParam("limit", limit);
            for (var param : params.entrySet()) {
                if (!param.getKey().equals("after")) {
                    request.queryParam(param.getKey(), param.getValue());
                }
            }
            if (after != null) {
                request.queryParam("after", after);
            }
            var body = request.when().get(membersPath(accountId, listId)).then().statusCode(200).extract().jsonPath();
            List<String> data = body.getList("data.profileId");
            seen.addAll(data);
            after = body.getString("next");
            if (after == null) {
                return seen;
            }
            assertEquals(limit, data.size(), "only the last page may be short");
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> profileIds(List<Long> subscriberIds) {
        return subscriberIds.stream()
                .map(id -> (String) TestDatabase.row("select klaviyo_profile_id from subscriber where id = ?", id)
                        .get("klaviyo_profile_id"))
                .toList();
    }
}
