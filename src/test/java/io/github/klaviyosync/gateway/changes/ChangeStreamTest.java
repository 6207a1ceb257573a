package io.github.klaviyosync.gateway.changes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.changes.SseClient.Event;
import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/changes/stream}: changes reach open streams as they commit, a reconnect resumes
 * after its Last-Event-ID without a gap or a repeat, heartbeats are comments, and a hundred consumers
 * hold no more than the stream's two database connections.
 */
@QuarkusTest
class ChangeStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/api/changes/stream")
    URL stream;

    @Inject
    SecretBox secretBox;

    @Inject
    Scheduler scheduler;

    @Inject
    MeterRegistry registry;

    @Test
    void aChangeReachesAnOpenStreamAsItsCursorAndTheChangeAndAReconnectResumesAfterIt() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID account = fixtures.account().id();
        String listId = fixtures.newListId();
        long list = fixtures.list(account, listId);
        Event first;
        try (SseClient client = SseClient.open(uri(account), ApiFixtures.TOKEN, null)) {
            assertEquals(200, client.status());
            Eventually.until(WAIT, "the starting position (an id without data)", () -> client.lastId() != null);
            long joined = join(fixtures, account, list);

            first = client.awaitEvents(1, WAIT).get(0);
            JsonObject change = new JsonObject(first.data());
            assertEquals(first.id(), change.getString("id"), "the event's id is the change's cursor");
            assertEquals("joined", change.getString("type"));
            assertEquals(listId, change.getString("listId"));
            assertEquals(profileOf(joined), change.getString("profileId"));
            assertEquals("SUBSCRIBED", change.getJsonObject("member").getString("smsConsent"));
            String paged = given().auth().oauth2(ApiFixtures.TOKEN).queryParam("accountId", account).get("/api/changes")
                    .then().statusCode(200).extract().jsonPath().getString("data[0].id");
            assertEquals(paged, first.id(), "the same cursor as the page gives");
        }

        List<String> missed = List.of(profileOf(join(fixtures, account, list)), profileOf(join(fixtures, account, list)));
        try (SseClient resumed = SseClient.open(uri(account), ApiFixtures.TOKEN, first.id())) {
            assertEquals(missed, profiles(resumed.awaitEvents(2, WAIT)), "what was missed, in order");
            String live = profileOf(join(fixtures, account, list));
            resumed.awaitEvents(3, WAIT);
            int heartbeats = resumed.comments();
            Eventually.until(WAIT, "two more heartbeats", () -> resumed.comments() >= heartbeats + 2);
            List<Event> events = resumed.events();
            assertEquals(List.of(missed.get(0), missed.get(1), live), profiles(events), "then live, nothing twice");
            assertEquals(3, new HashSet<>(events.stream().map(Event::id).toList()).size());
        }
    }

    @Test
    void anAccountsStreamCarriesOnlyThatAccountsChangesBetweenHeartbeatComments() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID followed = fixtures.account().id();
        UUID other = fixtures.account().id();
        long followedList = fixtures.list(followed, fixtures.newListId());
        long otherList = fixtures.list(other, fixtures.newListId());
        try (SseClient client = SseClient.open(uri(followed), ApiFixtures.TOKEN, null)) {
            Eventually.until(WAIT, "the starting position", () -> client.lastId() != null);
            join(fixtures, other, otherList);
            String mine = profileOf(join(fixtures, followed, followedList));

            assertEquals(List.of(mine), profiles(client.awaitEvents(1, WAIT)));
            int heartbeats = client.comments();
            Eventually.until(WAIT, "heartbeats keep coming", () -> client.comments() >= heartbeats + 2);
            assertEquals(1, client.events().size(), "the other account's change never came");
        }
    }

    @Test
    void aHundredConsumersHoldNoMoreThanTheStreamsTwoDatabaseConnections() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID account = fixtures.account().id();
        long list = fixtures.list(account, fixtures.newListId());
        String start = given().auth().oauth2(ApiFixtures.TOKEN).queryParam("accountId", account).get("/api/changes")
                .then().statusCode(200).extract().jsonPath().getString("next");
        String before = profileOf(join(fixtures, account, list));
        List<SseClient> clients = new ArrayList<>();
        scheduler.pause();
        try {
            SseClient warmUp = SseClient.open(uri(account), ApiFixtures.TOKEN, null);
            clients.add(warmUp);
            Eventually.until(WAIT, "the first stream is open", () -> warmUp.lastId() != null);
            long connectionsBefore = gatewayConnections();

            // Half follow live, half resume from before the first change and catch up with reads.
            for (int i = 0; i < 100; i++) {
                clients.add(SseClient.open(uri(account), ApiFixtures.TOKEN, i % 2 == 0 ? null : start));
            }
            clients.forEach(client -> assertEquals(200, client.status()));
            Eventually.until(WAIT, "every stream is open", () -> clients.stream().allMatch(client -> client.lastId() != null));
            List<String> live = List.of(profileOf(join(fixtures, account, list)), profileOf(join(fixtures, account, list)),
                    profileOf(join(fixtures, account, list)));

            for (int i = 1; i <= 100; i++) {
                SseClient client = clients.get(i);
                boolean catchingUp = i % 2 == 0;
                List<String> expected = new ArrayList<>(catchingUp ? List.of(before) : List.of());
                expected.addAll(live);
                assertEquals(expected, profiles(client.awaitEvents(expected.size(), WAIT)), "consumer " + i);
            }
            assertEquals(2L, streamConnections(), "one LISTEN connection and one reader, named in pg_stat_activity");
            assertTrue(gatewayConnections() <= connectionsBefore,
                    "a hundred consumers opened no connection: " + gatewayConnections() + " > " + connectionsBefore);
        } finally {
            scheduler.resume();
            clients.forEach(SseClient::close);
        }
    }

    /**
     * The live position stands still while no stream is open (nobody to read for): a stream opened
     * without a cursor after such a while starts now, instead of replaying what committed meanwhile.
     */
    @Test
    void aStreamWithoutACursorStartsNowAfterAWhileWithNoStreamOpen() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID account = fixtures.account().id();
        long list = fixtures.list(account, fixtures.newListId());
        try (SseClient first = SseClient.open(uri(account), ApiFixtures.TOKEN, null)) {
            Eventually.until(WAIT, "the first stream is open", () -> first.lastId() != null);
        }
        Eventually.until(WAIT, "no stream is open on the instance (a heartbeat finds the closed one)", () -> openStreams() == 0);
        join(fixtures, account, list);

        try (SseClient second = SseClient.open(uri(account), ApiFixtures.TOKEN, null)) {
            Eventually.until(WAIT, "the second stream is open", () -> second.lastId() != null);
            String live = profileOf(join(fixtures, account, list));
            assertEquals(List.of(live), profiles(second.awaitEvents(1, WAIT)), "only what committed after it opened");
            int heartbeats = second.comments();
            Eventually.until(WAIT, "two more heartbeats", () -> second.comments() >= heartbeats + 2);
            assertEquals(1, second.events().size());
        }
    }

    /**
     * A stream of a quiet account is sent no change while others commit; its heartbeats carry its
     * position as their id, so a reconnect resumes from there rather than from its last change, which
     * retention may have passed (410).
     */
    @Test
    void aQuietAccountsStreamMovesItsLastEventIdWithTheHeartbeats() {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        UUID quiet = fixtures.account().id();
        UUID busy = fixtures.account().id();
        long quietList = fixtures.list(quiet, fixtures.newListId());
        long busyList = fixtures.list(busy, fixtures.newListId());
        String resumeFrom;
        try (SseClient client = SseClient.open(uri(quiet), ApiFixtures.TOKEN, null)) {
            Eventually.until(WAIT, "the stream is open", () -> client.lastId() != null);
            String opened = client.lastId();
            join(fixtures, busy, busyList);
            Eventually.until(WAIT, "a heartbeat moves the last id past the other account's change",
                    () -> !opened.equals(client.lastId()));
            assertEquals(0, client.events().size(), "the other account's change was not sent");
            resumeFrom = client.lastId();
        }
        join(fixtures, busy, busyList);
        String mine = profileOf(join(fixtures, quiet, quietList));
        try (SseClient resumed = SseClient.open(uri(quiet), ApiFixtures.TOKEN, resumeFrom)) {
            assertEquals(200, resumed.status());
            assertEquals(List.of(mine), profiles(resumed.awaitEvents(1, WAIT)));
        }
    }

    private double openStreams() {
        return registry.find("gateway.change.streams").gauge().value();
    }

    private URI uri(UUID account) {
        return URI.create(stream + "?accountId=" + account);
    }

    private static long join(ApiFixtures fixtures, UUID account, long list) {
        long subscriber = fixtures.subscriber(account, "SUBSCRIBED");
        fixtures.membership(list, subscriber, account, ApiFixtures.now(), null);
        return subscriber;
    }

    private static String profileOf(long subscriber) {
        return (String) TestDatabase.row("select klaviyo_profile_id from subscriber where id = ?", subscriber).get("klaviyo_profile_id");
    }

    private static List<String> profiles(List<Event> events) {
        return events.stream().map(event -> new JsonObject(event.data()).getString("profileId")).toList();
    }

    /** The gateway's connections to the database (the tests' own JDBC connections left out). */
    private static long gatewayConnections() {
        return (long) TestDatabase.row("""
                select count(*) as n from pg_stat_activity
                 where datname = current_database() and backend_type = 'client backend'
                   and application_name <> 'PostgreSQL JDBC Driver'""").get("n");
    }

    private static long streamConnections() {
        return (long) TestDatabase.row("""
                select count(*) as n from pg_stat_activity
                 where datname = current_database() and application_name like 'klaviyo-sync-gateway-changes-%'""").get("n");
    }
}
