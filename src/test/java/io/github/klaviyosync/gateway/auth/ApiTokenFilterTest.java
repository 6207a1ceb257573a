package io.github.klaviyosync.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.github.klaviyosync.gateway.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiTokenFilterTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void refusesACallWithoutAToken() {
        given().when().get("/api/status")
                .then().statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("detail", equalTo("a valid bearer token is required"));
    }

    @Test
    void refusesAWrongToken() {
        given().auth().oauth2("test-token-but-wrong").when().get("/api/status")
                .then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2("test-toke").when().get("/api/accounts")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void refusesAnotherSchemeOrAnEmptyToken() {
        given().header("Authorization", "Basic dGVzdC10b2tlbjo=").when().get("/api/status").then().statusCode(401);
        given().header("Authorization", "Bearer ").when().get("/api/status").then().statusCode(401);
        given().header("Authorization", "test-token-for-the-test-suite").when().get("/api/status").then().statusCode(401);
    }

    @Test
    void acceptsEveryConfiguredTokenWhateverTheSchemeCase() {
        given().auth().oauth2("test-token-for-the-test-suite").when().get("/api/status").then().statusCode(200);
        given().auth().oauth2("second-test-token-for-the-test-suite").when().get("/api/status").then().statusCode(200);
        given().header("Authorization", "bearer test-token-for-the-test-suite").when().get("/api/status").then().statusCode(200);
    }

    @Test
    void refusesUnknownApiPathsWithoutSayingTheyAreUnknown() {
        given().when().get("/api/no-such-thing").then().statusCode(401);
        given().when().get("/api").then().statusCode(401);
        given().when().get("//api//accounts").then().statusCode(not(200));
        given().auth().oauth2("test-token-for-the-test-suite").when().get("/api/no-such-thing")
                .then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
    }

    @Test
    void leavesToolingWebhooksThePageAndTheSimulatorOpen() {
        Management.given().when().get("/q/health/live").then().statusCode(200);
        Management.given().when().get("/q/openapi").then().statusCode(200);
        Management.given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/").then().statusCode(not(401));
        // An unknown account's flow webhook: refused by the webhook's own checks (404), not the API's token.
        given().contentType(ContentType.JSON).header("X-Gateway-Token", "a-flow-token").body("{}")
                .when().post("/webhooks/klaviyo/" + java.util.UUID.randomUUID() + "/flow")
                .then().statusCode(404);
        given().when().get("/klaviyo-sim/api/accounts").then().statusCode(not(401));
    }

    @Test
    void recognisesApiPathsHoweverTheyAreWritten() {
        org.junit.jupiter.api.Assertions.assertTrue(ApiTokenFilter.isApiPath("/api"));
        org.junit.jupiter.api.Assertions.assertTrue(ApiTokenFilter.isApiPath("/api/accounts"));
        org.junit.jupiter.api.Assertions.assertTrue(ApiTokenFilter.isApiPath("//api///accounts"));
        org.junit.jupiter.api.Assertions.assertFalse(ApiTokenFilter.isApiPath("/apix"));
        org.junit.jupiter.api.Assertions.assertFalse(ApiTokenFilter.isApiPath("/webhooks/klaviyo/x"));
        org.junit.jupiter.api.Assertions.assertFalse(ApiTokenFilter.isApiPath("/"));
    }
}
