package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.problem.ProblemMappers;
import io.github.klaviyosync.gateway.testsupport.CapturedLogs;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Bodies above 1 MiB are refused with 413 before they are read whole, with or without a Content-Length,
 * and the refusal, a client's mistake, logs no server error.
 *
 * <p>The server answers 413 and closes the connection while the client may still be sending. A client
 * that insists on writing the whole body first can then fail on its write and never read the answer
 * (the JDK client reported "header parser received no bytes" once). So the test sends large bodies the
 * way a careful client does: with a Content-Length, it asks {@code Expect: 100-continue} and sends the
 * body only once invited, so a 413 is the answer to the headers alone; without one (chunked), where the
 * server can only refuse after reading past the limit, it writes on one thread and reads the answer on
 * another, so the 413 is read whatever happens to the rest of the body.
 */
@QuarkusTest
class BodyLimitTest {

    private static final int ONE_MIB = 1024 * 1024;
    private static final int CHUNK = 16 * 1024;
    /** Vert.x HTTP, Quarkus HTTP and REST, and the problem answers; background work (sync, scheduler, database) is left out. */
    private static final List<String> REQUEST_PATH_LOGGERS = List.of("io.vertx.core.http.", "io.vertx.ext.web.",
            "io.quarkus.vertx.http.", "io.quarkus.resteasy.reactive.", "org.jboss.resteasy.reactive.",
            ProblemMappers.class.getPackageName() + ".");

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/webhooks/klaviyo/")
    URI webhooks;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aTwoMebibyteBodyWithAContentLengthIsTooLarge() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        byte[] body = flowBodyOfSize(account, 2 * ONE_MIB);

        assertEquals(413, withContentLength(flowUri(account), account.flowToken(), body, true));
        assertEquals(413, withContentLength(webhooks.resolve(account.id().toString()), null, body, true));
        assertEquals(0, storedEvents(account));
    }

    @Test
    void aTwoMebibyteChunkedBodyWithoutAContentLengthIsTooLarge() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        byte[] body = flowBodyOfSize(account, 2 * ONE_MIB);

        assertEquals(413, chunked(flowUri(account), account.flowToken(), body));
        assertEquals(0, storedEvents(account));
    }

    @Test
    void exactlyOneMebibyteIsAcceptedAndOneByteMoreIsNot() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);

        assertEquals(202, withContentLength(flowUri(account), account.flowToken(), flowBodyOfSize(account, ONE_MIB), false));
        assertEquals(413, withContentLength(flowUri(account), account.flowToken(), flowBodyOfSize(account, ONE_MIB + 1), true));
        assertEquals(413, chunked(flowUri(account), account.flowToken(), flowBodyOfSize(account, ONE_MIB + 1)));
        assertEquals(1, storedEvents(account));
    }

    @Test
    void aChunkedBodyOverTheLimitIsTheClientsMistakeAndLogsNoServerError() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        byte[] body = flowBodyOfSize(account, ONE_MIB + 1);
        List<LogRecord> logged = new ArrayList<>();
        CapturedLogs.capturing(logged, () -> {
            assertEquals(413, chunked(flowUri(account), account.flowToken(), body));
            assertEquals(413, chunked(webhooks.resolve(account.id().toString()), null, body));
            // The REST layer's read fails just after the 413 has gone out: give what it logs time to arrive.
            Eventually.pause(Duration.ofSeconds(1));
            return null;
        });
        synchronized (logged) {
            assertEquals(List.of(), logged.stream()
                    .filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue() && fromTheRequestPath(record))
                    .map(record -> record.getLoggerName() + ": " + record.getMessage())
                    .toList());
        }
    }

    private static boolean fromTheRequestPath(LogRecord record) {
        String logger = String.valueOf(record.getLoggerName());
        return REQUEST_PATH_LOGGERS.stream().anyMatch(logger::startsWith);
    }

    private URI flowUri(TestAccount account) {
        return webhooks.resolve(account.id() + "/flow");
    }

    private int withContentLength(URI uri, String token, byte[] body, boolean expectContinue) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .expectContinue(expectContinue)
                .POST(BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("X-Gateway-Token", token);
        }
        return http.send(request.build(), BodyHandlers.discarding()).statusCode();
    }

    /** Sends {@code body} with chunked transfer encoding; the status is read while the body is still being written. */
    private static int chunked(URI uri, String token, byte[] body) throws Exception {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            OutputStream out = socket.getOutputStream();
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    + (token == null ? "" : "X-Gateway-Token: " + token + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeChunks(out, body));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            writing.exceptionally(ignored -> null).get(30, TimeUnit.SECONDS);
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** Writes the chunks; a refused body makes the server close its side, which ends the writing early. */
    private static void writeChunks(OutputStream out, byte[] body) {
        try {
            for (int offset = 0; offset < body.length; offset += CHUNK) {
                byte[] chunk = Arrays.copyOfRange(body, offset, Math.min(body.length, offset + CHUNK));
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closedByTheServer) {
            // Expected once the server has answered 413 and closed the connection.
        }
    }

    /** A valid flow body of exactly {@code size} bytes, padded in first_name, for a list the gateway knows. */
    private static byte[] flowBodyOfSize(TestAccount account, int size) {
        String head = "{\"list_id\":\"" + WebhookFixtures.knownList(account) + "\",\"profile_id\":\""
                + WebhookFixtures.profileId() + "\",\"padding\":\"";
        String tail = "\"}";
        String body = head + "a".repeat(size - head.length() - tail.length()) + tail;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertEquals(size, bytes.length);
        return bytes;
    }

    private static long storedEvents(TestAccount account) {
        return TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id());
    }
}
