package io.github.klaviyosync.gateway.health;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.github.klaviyosync.gateway.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Probes and tooling answer on the management port; the main port, which the internet reaches, never serves them. */
@QuarkusTest
class HealthEndpointsTest {

    @Test
    void readinessReportsTheDatabaseUpThroughTheReactivePoolOnly() {
        Management.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
                // The JDBC (Agroal) check blocks a worker thread; JDBC is only Flyway's.
                .body("checks.name", not(hasItem("Database connections health check")));
    }

    @Test
    void startupIsReported() {
        Management.given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void livenessIsUp() {
        Management.given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreServed() {
        Management.given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        Management.given().when().get("/q/openapi?format=json").then().statusCode(200).body("info.title", equalTo("Klaviyo sync gateway"));
        Management.given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/metrics", "/q/health/ready", "/q/health/live", "/q/health", "/q/openapi", "/q/swagger-ui/"})
    void theMainPortAnswers404WhereTheManagementPortAnswers(String path) {
        Management.given().when().get(path).then().statusCode(200);
        RestAssured.given().when().get(path).then().statusCode(404);
    }
}
