package io.github.klaviyosync.gateway.klaviyo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Checking a new API key asks Klaviyo ({@code GET /api/accounts}, a few a minute per account): when
 * the account's checks would have to wait longer than {@code gateway.api.key-check-max-wait} for
 * that pace, the request is answered 429 with Retry-After at once instead of being held; other
 * accounts are not affected.
 */
@QuarkusTest
class KeyCheckPaceTest {

    @Inject
    TestAccounts accounts;

    @Inject
    QuotaCache quota;

    @Test
    void aKeyCheckThatWouldWaitLongForKlaviyosPaceIsAnswered429WithRetryAfter() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        UUID held = accounts.register(klaviyo);
        SimulatedAccount other = accounts.klaviyoAccount();
        UUID free = accounts.register(other);
        // As if Klaviyo had said that the key checks' minute is used up for 30 s.
        quota.observe(new KlaviyoCredentials(held + ":key-check", "key-check", "not-a-key"), KlaviyoOperation.GET_ACCOUNTS,
                15, 0, 30);

        String retryAfter = patchKey(held, klaviyo.apiKey())
                .then().statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("retry in"))
                .extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 20 && seconds <= 30, "Retry-After " + seconds);

        patchKey(free, other.apiKey()).then().statusCode(200);
    }

    /**
     * Connects of one key share its checks' pace (the new account's id is random each time, and
     * checks under it each took a fresh pace): one that would wait long for it is answered 429 too.
     */
    @Test
    void connectsOfOneKeyShareTheirChecksPace() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String checkKey = "key-" + KlaviyoAuthRejected.fingerprint(klaviyo.apiKey()).substring(0, 16) + ":key-check";
        quota.observe(new KlaviyoCredentials(checkKey, "key-check", "not-a-key"), KlaviyoOperation.GET_ACCOUNTS, 15, 0, 30);

        given().auth().oauth2("test-token-for-the-test-suite").contentType(ContentType.JSON)
                .body(Map.of("name", "Shop", "apiKey", klaviyo.apiKey()))
                .when().post("/api/accounts")
                .then().statusCode(429).header("Retry-After", notNullValue());
        SimulatedAccount other = accounts.klaviyoAccount();
        given().auth().oauth2("test-token-for-the-test-suite").contentType(ContentType.JSON)
                .body(Map.of("name", "Other shop", "apiKey", other.apiKey()))
                .when().post("/api/accounts")
                .then().statusCode(201);
    }

    private static io.restassured.response.Response patchKey(UUID account, String apiKey) {
        return given().auth().oauth2("test-token-for-the-test-suite").contentType(ContentType.JSON)
                .body(Map.of("apiKey", apiKey))
                .when().patch("/api/accounts/" + account);
    }
}
