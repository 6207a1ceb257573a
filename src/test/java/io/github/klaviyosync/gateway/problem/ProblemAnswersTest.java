package io.github.klaviyosync.gateway.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.CapturedLogs;
import io.github.klaviyosync.gateway.testsupport.EmbeddedPostgresResource;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemAnswersTest {

    @Test
    void answersABugWithAGeneric500AndLogsItScrubbed() throws Exception {
        String secret = TestSecrets.apiKey();
        String email = TestSecrets.email();
        List<LogRecord> records = new ArrayList<>();
        String body = CapturedLogs.capturing(records, () -> given().queryParam("secret", secret).queryParam("email", email)
                .when().post("/test-support/fail")
                .then().statusCode(500)
                .contentType("application/problem+json")
                .body("status", equalTo(500))
                .body("title", equalTo("Internal Server Error"))
                .extract().asString());
        assertFalse(body.contains("Exception") || body.contains("java.") || body.contains("at io."), body);
        assertFalse(body.contains(secret) || body.contains(email) || body.contains(TestSecrets.MARKER), body);

        LogRecord logged;
        synchronized (records) {
            logged = records.stream()
                    .filter(record -> record.getThrown() != null && ProblemMappers.class.getName().equals(record.getLoggerName()))
                    .findFirst().orElseThrow(() -> new AssertionError("the failure was not logged"));
        }
        String text = describe(logged.getThrown());
        assertTrue(text.contains("IllegalStateException") && text.contains("pk_***") && text.contains("m***@example.com"), text);
        assertFalse(text.contains(secret) || text.contains(email) || text.contains(TestSecrets.MARKER), text);
    }

    @Test
    void answersAnIoFailureBeforeAnyAnswerAsABug() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        String body = CapturedLogs.capturing(records, () -> given().when().post("/test-support/fail/io")
                .then().statusCode(500)
                .contentType("application/problem+json")
                .body("status", equalTo(500))
                .extract().asString());
        assertFalse(body.contains("IOException") || body.contains("disk gone"), body);
        synchronized (records) {
            assertTrue(records.stream().anyMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue()
                    && ProblemMappers.class.getName().equals(record.getLoggerName())
                    && record.getThrown() != null && record.getThrown().getMessage().contains("disk gone")),
                    "the failure was not logged as an error");
        }
    }

    private static String describe(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }

    @Test
    void answersWrongMethodsAndMediaTypesAsProblems() throws Exception {
        given().auth().oauth2("test-token-for-the-test-suite").when().put("/api/status")
                .then().statusCode(405).contentType("application/problem+json").body("status", equalTo(405));
        given().auth().oauth2("test-token-for-the-test-suite").contentType(ContentType.TEXT).body("name=x")
                .when().post("/api/accounts")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void answers503WithRetryAfterWhileTheDatabaseIsDown() throws InterruptedException {
        var server = EmbeddedPostgresResource.server();
        server.stop();
        try {
            String body = given().auth().oauth2("test-token-for-the-test-suite").when().get("/api/accounts")
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503))
                    .body("detail", equalTo("the database is unreachable; retry later"))
                    .body(not(org.hamcrest.Matchers.containsString("Exception")))
                    .extract().asString();
            assertFalse(body.contains("postgres") || body.contains("localhost"), body);
            assertEquals(5, Integer.parseInt(given().auth().oauth2("test-token-for-the-test-suite").when().get("/api/status")
                    .then().statusCode(503).extract().header("Retry-After")));
        } finally {
            server.start();
        }
        long deadline = System.currentTimeMillis() + 20_000;
        int status = 0;
        while (System.currentTimeMillis() < deadline && status != 200) {
            status = given().auth().oauth2("test-token-for-the-test-suite").when().get("/api/status").then().extract().statusCode();
            Thread.sleep(200);
        }
        assertEquals(200, status, "the API recovers once the database is back");
    }
}
