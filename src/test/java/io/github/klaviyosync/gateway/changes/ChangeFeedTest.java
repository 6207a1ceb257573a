package io.github.klaviyosync.gateway.changes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.member.MemberChangeRepository;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /api/changes}: commit order that never skips, paging, the answers to bad input, and retention's 410. */
@QuarkusTest
class ChangeFeedTest {

    @Inject
    SecretBox secretBox;

    @Inject
    MemberChangeRepository changes;

    @Inject
    Pool pool;

    @Test
    void aChangeCommittedAfterAReaderPassedItsPositionIsNeverSkipped() throws SQLException {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID account = fixtures.account().id();
        // Two lists: a membership write locks its list's row (the member count) until its commit.
        long firstList = fixtures.list(account, fixtures.newListId());
        long secondList = fixtures.list(account, fixtures.newListId());
        long first = fixtures.subscriber(account, "SUBSCRIBED");
        long second = fixtures.subscriber(account, "SUBSCRIBED");
        String start = page(account, null, 100).getString("next");

        try (Connection early = TestDatabase.connect(); Connection late = TestDatabase.connect()) {
            early.setAutoCommit(false);
            late.setAutoCommit(false);
            // The early writer takes its transaction id first, the late one commits first.
            join(early, firstList, first, account);
            join(late, secondList, second, account);
            late.commit();
            JsonPath whileEarlyRuns = page(account, start, 100);
            assertEquals(List.of(), whileEarlyRuns.getList("data"),
                    "the late change waits behind the early transaction, which may still commit an earlier change");
            early.commit();

            List<Long> seen = new ArrayList<>();
            String[] cursor = {whileEarlyRuns.getString("next")};
            Eventually.until(Duration.ofSeconds(10), "both changes are served", () -> {
                JsonPath next = page(account, cursor[0], 100);
                next.getList("data.profileId", String.class).forEach(profile -> seen.add(subscriberId(profile)));
                cursor[0] = next.getString("next");
                return seen.size() >= 2;
            });
            assertEquals(List.of(first, second), seen, "in commit order of their transactions, each once");
        }
    }

    @Test
    void pagesFollowEachOtherWithoutGapsAndNextIsGivenAlsoOnAnEmptyPage() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID account = fixtures.account().id();
        String listId = fixtures.newListId();
        long list = fixtures.list(account, listId);
        String start = page(account, null, 10).getString("next");
        List<Long> joined = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long subscriber = fixtures.subscriber(account, i % 2 == 0 ? "SUBSCRIBED" : "UNSUBSCRIBED");
            fixtures.membership(list, subscriber, account, ApiFixtures.now(), null);
            joined.add(subscriber);
        }

        // Once served, a change stays served (the bound only moves forward): wait until a transaction of
        // the engines running beside this test no longer holds the newest ones back.
        Eventually.until(Duration.ofSeconds(10), "the five joins are served", () -> page(account, start, 10).getList("data").size() == 5);

        List<Map<String, Object>> read = new ArrayList<>();
        String cursor = start;
        List<Integer> sizes = new ArrayList<>();
        for (int call = 0; call < 4; call++) {
            JsonPath page = page(account, cursor, 2);
            sizes.add(page.getList("data").size());
            read.addAll(page.getList("data"));
            assertNotNull(page.getString("next"), "next is always given");
            cursor = page.getString("next");
        }
        assertEquals(List.of(2, 2, 1, 0), sizes);
        assertEquals(joined, read.stream().map(change -> subscriberId((String) change.get("profileId"))).toList());
        Map<String, Object> change = read.get(0);
        assertEquals("joined", change.get("type"));
        assertEquals(listId, change.get("listId"));
        assertEquals(account.toString(), change.get("accountId"));
        assertNotNull(change.get("at"));
        @SuppressWarnings("unchecked")
        Map<String, Object> member = (Map<String, Object>) change.get("member");
        assertEquals(change.get("profileId"), member.get("profileId"));
        assertEquals("SUBSCRIBED", member.get("smsConsent"));
        assertEquals("poll", member.get("source"));
        assertEquals(page(account, cursor, 2).getString("next"), page(account, cursor, 2).getString("next"),
                "an empty page's next stays where nothing new came");

        JsonPath fromTheStart = page(account, null, 10);
        assertEquals(5, fromTheStart.getList("data").size(), "without after: from the oldest kept");
    }

    @Test
    void badInputIsA400AnUnknownAccountA404AndNoTokenA401() {
        UUID account = new ApiFixtures(secretBox).account().id();
        for (String limit : List.of("0", "1001", "ten")) {
            api().queryParam("limit", limit).get("/api/changes").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString("limit"));
        }
        api().queryParam("limit", "1000").queryParam("accountId", account).get("/api/changes").then().statusCode(200);
        for (String cursor : List.of("garbled!", "bTE6MjoxMjM", "YzE6eDox")) {
            api().queryParam("after", cursor).get("/api/changes").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("detail", equalTo("'after' is not a cursor of this feed"));
        }
        api().queryParam("accountId", "not-a-uuid").get("/api/changes").then().statusCode(400);
        api().queryParam("accountId", UUID.randomUUID()).get("/api/changes").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/api/changes").then().statusCode(401);
        given().get("/api/changes/stream").then().statusCode(401);
        api().header("Last-Event-ID", "garbled!").get("/api/changes/stream").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("'Last-Event-ID' is not a cursor of this feed"));
        api().queryParam("accountId", UUID.randomUUID()).get("/api/changes/stream").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aCursorBehindWhatRetentionDeletedIsA410TellingToReadTheListsAgain() throws SQLException {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID account = fixtures.account().id();
        long list = fixtures.list(account, fixtures.newListId());
        long subscriber = fixtures.subscriber(account, "SUBSCRIBED");
        String before = page(account, null, 10).getString("next");
        Instant old = Instant.now().minus(30, ChronoUnit.DAYS);
        try (Connection connection = TestDatabase.connect();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into member_change (account_id, list_id, subscriber_id, type, at) values (?, ?, ?, 'joined', ?), (?, ?, ?, 'left', ?)""")) {
            OffsetDateTime at = old.atOffset(ZoneOffset.UTC);
            insert.setObject(1, account);
            insert.setLong(2, list);
            insert.setLong(3, subscriber);
            insert.setObject(4, at);
            insert.setObject(5, account);
            insert.setLong(6, list);
            insert.setLong(7, subscriber);
            insert.setObject(8, at);
            insert.executeUpdate();
        }
        List<String> ids = new ArrayList<>();
        Eventually.until(Duration.ofSeconds(10), "the old changes are served", () -> {
            ids.clear();
            ids.addAll(page(account, before, 10).getList("data.id", String.class));
            return ids.size() == 2;
        });

        int deleted = pool.withTransaction(connection -> changes.deleteExpired(connection, Instant.now().minus(Duration.ofDays(7)), 1_000_000))
                .await().atMost(Duration.ofSeconds(30));

        assertTrue(deleted >= 2, "deleted " + deleted);
        for (String behind : List.of(before, ids.get(0))) {
            api().queryParam("after", behind).queryParam("accountId", account).get("/api/changes")
                    .then().statusCode(410).contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString("read the lists' members again"));
            api().header("Last-Event-ID", behind).queryParam("accountId", account).get("/api/changes/stream")
                    .then().statusCode(410).contentType(Problem.MEDIA_TYPE);
        }
        JsonPath after = page(account, ids.get(1), 10);
        assertEquals(List.of(), after.getList("data"), "whoever read the last deleted change missed nothing");
        assertEquals(0, page(account, null, 10).getList("data").size(), "the deleted changes are gone from the start too");
    }

    /**
     * A cursor ahead of every transaction the database has begun (after a restore, or a failover to a
     * replica that lagged, transaction ids start again below it): reading on from it would skip the
     * changes committed until the ids caught up, so it is a 410 as well.
     */
    @Test
    void aCursorAheadOfTheDatabaseIsA410TellingToReadTheListsAgain() {
        UUID account = new ApiFixtures(secretBox).account().id();
        String next = page(account, null, 10).getString("next");
        ChangeCursor current = ChangeCursor.decode(next, "after");
        String ahead = new ChangeCursor(current.txid() + 1_000_000, 0).encode();

        api().queryParam("after", ahead).queryParam("accountId", account).get("/api/changes")
                .then().statusCode(410).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("ahead of every transaction"));
        api().header("Last-Event-ID", ahead).queryParam("accountId", account).get("/api/changes/stream")
                .then().statusCode(410).contentType(Problem.MEDIA_TYPE);
        api().queryParam("after", next).queryParam("accountId", account).get("/api/changes").then().statusCode(200);
    }

    private static void join(Connection connection, long list, long subscriber, UUID account) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into list_membership (list_id, subscriber_id, account_id, source) values (?, ?, ?, 'webhook')")) {
            insert.setLong(1, list);
            insert.setLong(2, subscriber);
            insert.setObject(3, account);
            insert.executeUpdate();
        }
    }

    private static long subscriberId(String profileId) {
        return ((Number) TestDatabase.row("select id from subscriber where klaviyo_profile_id = ?", profileId).get("id")).longValue();
    }

    private static JsonPath page(UUID account, String after, int limit) {
        RequestSpecification request = api().queryParam("accountId", account).queryParam("limit", limit);
        if (after != null) {
            request.queryParam("after", after);
        }
        return request.get("/api/changes").then().statusCode(200).extract().jsonPath();
    }

    private static RequestSpecification api() {
        return given().auth().oauth2(ApiFixtures.TOKEN);
    }
}
