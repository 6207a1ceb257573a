package io.github.klaviyosync.gateway.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.github.klaviyosync.gateway.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * In dev and test builds the simulator is served by the application itself at /klaviyo-sim, beside
 * (never over) the application's own routes.
 */
@QuarkusTest
class SimulatorMountTest {

    @Inject
    KlaviyoSimulator simulator;

    @Test
    void theInjectedSimulatorServesKlaviyosApiUnderKlaviyoSim() {
        SimulatedAccount account = simulator.createAccount();

        given().header("Authorization", "Klaviyo-API-Key " + account.apiKey()).header("revision", "2026-07-15")
                .when().get("/klaviyo-sim/api/accounts")
                .then().statusCode(200)
                .contentType("application/vnd.api+json")
                .body("data[0].id", equalTo(account.klaviyoAccountId()))
                .body("links.self", containsString("/klaviyo-sim/api/accounts"));
    }

    @Test
    void unknownSimulatorPathsAnswerKlaviyoStyle404s() {
        given().when().get("/klaviyo-sim/api/campaigns")
                .then().statusCode(404)
                .body("errors[0].code", equalTo("not_found"));
    }

    @Test
    void theAdminApiIsMountedBesideIt() {
        SimulatedAccount account = simulator.createAccount();

        given().when().get("/klaviyo-sim/__admin/accounts/" + account.apiKey() + "/counters")
                .then().statusCode(200)
                .body("requests", equalTo(0));
    }

    @Test
    void theApplicationsOwnRoutesAreNotShadowed() {
        Management.given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/api/no-such-resource")
                .then().statusCode(not(equalTo(200)))
                .body(not(containsString("not_found")));
    }
}
