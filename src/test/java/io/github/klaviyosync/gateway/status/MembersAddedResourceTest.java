package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The members-added chart: per member sync interval (15 minutes in the test profile), by path. */
@QuarkusTest
class MembersAddedResourceTest {

    private static final long INTERVAL = 15 * 60;

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
    void countsMembersFirstStoredInEachIntervalByPath() throws InterruptedException {
        awayFromAnIntervalEnd();
        FixtureAccount account = fixtures.account();
        long list = fixtures.list(account.id(), fixtures.newListId());
        long otherList = fixtures.list(account.id(), fixtures.newListId());
        Instant currentStart = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), INTERVAL) * INTERVAL);
        Instant previousStart = currentStart.minusSeconds(INTERVAL);
        seen(account, list, "poll", currentStart);
        seen(account, otherList, "poll", currentStart.plusSeconds(1));
        seen(account, list, "webhook", currentStart.plusSeconds(2));
        seen(account, list, "webhook", previousStart.plusSeconds(INTERVAL - 1));
        seen(account, list, "poll", previousStart.minusSeconds(1)); // one interval too early for intervals=2
        FixtureAccount other = fixtures.account();
        seen(other, fixtures.list(other.id(), fixtures.newListId()), "poll", currentStart);

        JsonPath answer = api().queryParam("intervals", 2)
                .when().get("/api/accounts/" + account.id() + "/members-added")
                .then().statusCode(200).extract().jsonPath();

        assertEquals(INTERVAL, answer.getLong("intervalSeconds"));
        List<Map<String, Object>> intervals = answer.getList("intervals");
        assertEquals(2, intervals.size());
        assertEquals(previousStart.toString(), intervals.get(0).get("start"));
        assertEquals(0, intervals.get(0).get("poll"));
        assertEquals(1, intervals.get(0).get("webhook"));
        assertEquals(currentStart.toString(), intervals.get(1).get("start"));
        assertEquals(2, intervals.get(1).get("poll"));
        assertEquals(1, intervals.get(1).get("webhook"));
    }

    @Test
    void answersEveryIntervalEvenWithoutMembers() {
        FixtureAccount account = fixtures.account();

        JsonPath answer = api().when().get("/api/accounts/" + account.id() + "/members-added")
                .then().statusCode(200).extract().jsonPath();

        List<Map<String, Object>> intervals = answer.getList("intervals");
        assertEquals(24, intervals.size(), "the default count");
        for (int i = 1; i < intervals.size(); i++) {
            long step = Instant.parse((String) intervals.get(i).get("start")).getEpochSecond()
                    - Instant.parse((String) intervals.get(i - 1).get("start")).getEpochSecond();
            assertEquals(INTERVAL, step, "oldest first, one interval apart");
            assertEquals(0, intervals.get(i).get("poll"));
        }
    }

    @Test
    void refusesABadIntervalCountAndAnUnknownAccount() {
        FixtureAccount account = fixtures.account();
        for (String bad : List.of("0", "501", "many")) {
            api().queryParam("intervals", bad).when().get("/api/accounts/" + account.id() + "/members-added")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", equalTo("'intervals' must be a whole number from 1 to 500"));
        }
        api().when().get("/api/accounts/" + UUID.randomUUID() + "/members-added")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/accounts/" + account.id() + "/members-added").then().statusCode(401);
    }

    /** The test's rows and its request fall into the same current interval. */
    private static void awayFromAnIntervalEnd() throws InterruptedException {
        long untilNext = INTERVAL - Math.floorMod(Instant.now().getEpochSecond(), INTERVAL);
        if (untilNext < 5) {
            Thread.sleep(untilNext * 1000 + 200);
        }
    }

    private void seen(FixtureAccount account, long list, String source, Instant firstSeenAt) {
        long subscriber = fixtures.subscriber(account.id(), "SUBSCRIBED");
        fixtures.membershipSeen(list, subscriber, account.id(), source, firstSeenAt);
    }
}
