package io.github.klaviyosync.gateway.webhook.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.testsupport.Management;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What serving the webhooks on the Vert.x router (rather than a REST resource) could get wrong: the
 * answers to other methods and media types, a connection kept usable after an early answer, chunked
 * and {@code Expect: 100-continue} bodies, answers of a shared commit written to the right requests,
 * and metric labels that never carry an account id (the secret of a webhook URL).
 */
@QuarkusTest
class WebhookRoutesTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI root;

    @Test
    void otherMethodsAre405ProblemsAndOptionsListsPost() {
        TestAccount account = WebhookFixtures.account(accounts);
        for (String path : List.of("/webhooks/klaviyo/{id}", "/webhooks/klaviyo/{id}/flow")) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                given().body("{}").request(method, path, account.id())
                        .then().statusCode(405)
                        .contentType(Problem.MEDIA_TYPE)
                        .body("status", equalTo(405))
                        .body("title", equalTo("Method Not Allowed"));
            }
            given().head(path, account.id()).then().statusCode(405);
            given().options(path, account.id()).then().statusCode(200)
                    .header("Allow", "HEAD, POST, OPTIONS")
                    .body(emptyString());
        }
        assertEquals(0, storedEvents(account));
    }

    @Test
    void aClientThatAcceptsNoJsonIs406AndOneThatAcceptsAnyIsServed() {
        TestAccount account = WebhookFixtures.account(accounts);
        String body = WebhookFixtures.flowBody(WebhookFixtures.knownList(account), WebhookFixtures.profileId(), "", "");

        flow(account, body).accept("application/xml").post("/webhooks/klaviyo/{id}/flow", account.id())
                .then().statusCode(406).contentType(Problem.MEDIA_TYPE).body("status", equalTo(406));
        flow(account, body).accept("application/json;q=0, text/html").post("/webhooks/klaviyo/{id}/flow", account.id())
                .then().statusCode(406);
        assertEquals(0, storedEvents(account));

        flow(account, body).accept("text/html, */*;q=0.1").post("/webhooks/klaviyo/{id}/flow", account.id())
                .then().statusCode(202)
                .contentType("application/json")
                .header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                .body("stored", equalTo(1))
                .body("duplicates", equalTo(0));
        assertEquals(1, storedEvents(account));
    }

    @Test
    void aConnectionServesTheNextRequestAfterAnEarlyAnswerWithABodyLeftToRead() throws IOException {
        TestAccount account = WebhookFixtures.account(accounts);
        String path = "/webhooks/klaviyo/" + account.id() + "/flow";
        String push = WebhookFixtures.flowBody(WebhookFixtures.knownList(account), WebhookFixtures.profileId(), "", "");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // Pipelined on one connection: a refused method with a body, a refused token, then a good push.
            out.write(request("PUT", path, "x".repeat(5_000), "").getBytes(StandardCharsets.UTF_8));
            out.write(request("POST", path, push, "X-Gateway-Token: wrong\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(request("POST", path, push, "X-Gateway-Token: " + account.flowToken() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answers = readUntil(socket.getInputStream(), "{\"stored\":1,\"duplicates\":0}");
            int refusedMethod = answers.indexOf("HTTP/1.1 405");
            int refusedToken = answers.indexOf("HTTP/1.1 401");
            int accepted = answers.indexOf("HTTP/1.1 202");
            assertTrue(refusedMethod >= 0 && refusedMethod < refusedToken && refusedToken < accepted, answers);
        }
        assertEquals(1, storedEvents(account));
    }

    @Test
    void aChunkedBodyAfter100ContinueIsStored() throws IOException {
        TestAccount account = WebhookFixtures.account(accounts);
        String push = WebhookFixtures.flowBody(WebhookFixtures.knownList(account), WebhookFixtures.profileId(), "", "");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/klaviyo/" + account.id() + "/flow HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Gateway-Token: " + account.flowToken() + "\r\nTransfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(readUntil(socket.getInputStream(), "\r\n\r\n").startsWith("HTTP/1.1 100"), "invited to send");
            int half = push.length() / 2;
            for (String chunk : List.of(push.substring(0, half), push.substring(half))) {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(readUntil(socket.getInputStream(), "}").startsWith("HTTP/1.1 202"));
        }
        assertEquals(1, storedEvents(account));
    }

    @Test
    void concurrentPushesSharingCommitsEachGetTheirOwnAnswer() {
        TestAccount account = WebhookFixtures.account(accounts);
        String list = WebhookFixtures.knownList(account);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI flow = root.resolve("/webhooks/klaviyo/" + account.id() + "/flow");
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, 64)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(flow)
                        .header("X-Gateway-Token", i % 8 == 0 ? "wrong" : account.flowToken())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                WebhookFixtures.flowBody(list, WebhookFixtures.profileId(), "", "")))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();

        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i).join();
            if (i % 8 == 0) {
                assertEquals(401, answer.statusCode());
                assertEquals("", answer.body());
            } else {
                assertEquals(202, answer.statusCode());
                assertEquals("{\"stored\":1,\"duplicates\":0}", answer.body());
            }
        }
        assertEquals(56, storedEvents(account));
    }

    @Test
    void requestMetricsNameThePathTemplateNeverTheAccountId() {
        TestAccount account = WebhookFixtures.account(accounts);
        String body = WebhookFixtures.flowBody(WebhookFixtures.knownList(account), WebhookFixtures.profileId(), "", "");
        flow(account, body).post("/webhooks/klaviyo/{id}/flow", account.id()).then().statusCode(202);
        given().get("/webhooks/klaviyo/{id}/flow", account.id()).then().statusCode(405);
        given().put("/webhooks/klaviyo/{id}", account.id()).then().statusCode(405);
        flow(account, body).accept("text/plain").post("/webhooks/klaviyo/{id}/flow", account.id()).then().statusCode(406);

        String metrics = Management.metrics();

        assertTrue(metrics.contains("uri=\"/webhooks/klaviyo/{accountId}/flow\""), "the flow path's template");
        assertTrue(metrics.contains("method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"405\",uri=\"/webhooks/klaviyo/{accountId}/flow\""),
                "a refused method counted under the template");
        assertFalse(metrics.contains(account.id().toString()), "no account id in any label");
    }

    private static io.restassured.specification.RequestSpecification flow(TestAccount account, String body) {
        return given().header("X-Gateway-Token", account.flowToken()).contentType("application/json").body(body);
    }

    private static String request(String method, String path, String body, String headers) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Reads until {@code marker} has arrived (or the socket times out). */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.UTF_8).contains(marker)) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            read.write(next);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    private static long storedEvents(TestAccount account) {
        return TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id());
    }
}
