package io.github.klaviyosync.gateway.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator page and everything it loads are sent with a Content-Security-Policy that allows
 * only the gateway's own files and no framing, without MIME sniffing and without a Referer; so is
 * every other answer of the main port (the API's, a 401, a 404).
 */
@QuarkusTest
class OperatorPageHeadersTest {

    static final String CSP = "default-src 'self'; frame-ancestors 'none'";

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/app.css", "/js/app.js", "/js/chart.js"})
    void thePageAndItsFilesCarryTheSecurityHeaders(String path) {
        given().when().get(path)
                .then().statusCode(200)
                .header("Content-Security-Policy", equalTo(CSP))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/status", "/no-such-page"})
    void otherAnswersOfTheMainPortCarryThemToo(String path) {
        given().when().get(path)
                .then().statusCode(path.startsWith("/api") ? 401 : 404)
                .header("Content-Security-Policy", equalTo(CSP))
                .header("X-Content-Type-Options", equalTo("nosniff"));
    }
}
