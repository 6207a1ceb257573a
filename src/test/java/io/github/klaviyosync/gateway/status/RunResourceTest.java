package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunResourceTest {

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
    void listsTheAccountsRunsNewestFirstWithKlaviyosListIds() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        Instant now = Instant.now();
        int oldest = (int) fixtures.run(account.id(), null, "succeeded", now.minusSeconds(300));
        int middle = (int) fixtures.run(account.id(), list, "failed", now.minusSeconds(200));
        int newest = (int) fixtures.run(account.id(), list, "running", now.minusSeconds(100));

        api().when().get("/api/accounts/" + account.id() + "/runs")
                .then().statusCode(200)
                .body("id", contains(newest, middle, oldest))
                .body("[0].listId", equalTo(listId))
                .body("[0].status", equalTo("running"))
                .body("[0].finishedAt", nullValue())
                .body("[1].error", equalTo("Klaviyo answered 503"))
                .body("[1].finishedAt", notNullValue())
                .body("[1].pages", equalTo(2))
                .body("[1].profilesSeen", equalTo(150))
                .body("[1].profilesAdded", equalTo(7))
                .body("[1].trigger", equalTo("schedule"))
                .body("[2].listId", nullValue())
                .body("[2].kind", equalTo("discovery"));
    }

    @Test
    void filtersByListAndLimits() {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        long other = fixtures.list(account.id(), fixtures.newListId());
        Instant now = Instant.now();
        int first = (int) fixtures.run(account.id(), list, "succeeded", now.minusSeconds(30));
        int second = (int) fixtures.run(account.id(), list, "succeeded", now.minusSeconds(20));
        fixtures.run(account.id(), other, "succeeded", now.minusSeconds(10));
        fixtures.run(account.id(), null, "succeeded", now);

        api().queryParam("listId", listId).when().get("/api/accounts/" + account.id() + "/runs")
                .then().statusCode(200).body("id", contains(second, first));
        api().queryParam("limit", 2).when().get("/api/accounts/" + account.id() + "/runs")
                .then().statusCode(200).body("$", hasSize(2));
    }

    @Test
    void refusesBadLimitsAndUnknownAccountsOrLists() {
        FixtureAccount account = fixtures.account();
        String path = "/api/accounts/" + account.id() + "/runs";
        api().queryParam("limit", "0").when().get(path).then().statusCode(400).contentType("application/problem+json");
        api().queryParam("limit", "501").when().get(path).then().statusCode(400);
        api().queryParam("limit", "many").when().get(path).then().statusCode(400);
        api().queryParam("listId", "NoSuchList").when().get(path).then().statusCode(404);
        api().when().get("/api/accounts/" + UUID.randomUUID() + "/runs").then().statusCode(404);
    }

    /** PostgreSQL's text holds no U+0000: such an id names no list (it was a 500 before). */
    @Test
    void answersAListIdWithANulCharacterAsNoSuchList() {
        FixtureAccount account = fixtures.account();
        String accountPath = "/api/accounts/" + account.id();
        api().queryParam("listId", "Ab\u0000c").when().get(accountPath + "/runs")
                .then().statusCode(404).contentType("application/problem+json");
        api().urlEncodingEnabled(false).when().get(accountPath + "/lists/Ab%00c/members")
                .then().statusCode(404).contentType("application/problem+json");
        api().urlEncodingEnabled(false).when().post(accountPath + "/lists/Ab%00c/sync")
                .then().statusCode(404).contentType("application/problem+json");
        api().queryParam("listId", "NoSuchList").when().get(accountPath + "/runs").then().statusCode(404);
    }
}
