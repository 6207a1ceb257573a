package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies above 1 MiB are refused before they are read whole, with or without a Content-Length. */
@QuarkusTest
class BodyLimitTest {

    private static final int ONE_MIB = 1024 * 1024;

    @Inject
    SecretBox secretBox;

    @TestHTTPResource("/webhooks/klaviyo/")
    URI webhooks;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aTwoMebibyteBodyWithAContentLengthIsTooLarge() throws Exception {
        TestAccount account = WebhookFixtures.account(secretBox);
        byte[] body = flowBodyOfSize(account, 2 * ONE_MIB);

        assertEquals(413, flow(account, BodyPublishers.ofByteArray(body)));
        assertEquals(413, status(webhooks.resolve(account.id().toString()), null, BodyPublishers.ofByteArray(body)));
        assertEquals(0, storedEvents(account));
    }

    @Test
    void aTwoMebibyteChunkedBodyWithoutAContentLengthIsTooLarge() throws Exception {
        TestAccount account = WebhookFixtures.account(secretBox);
        byte[] body = flowBodyOfSize(account, 2 * ONE_MIB);

        assertEquals(413, flow(account, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertEquals(0, storedEvents(account));
    }

    @Test
    void exactlyOneMebibyteIsAcceptedAndOneByteMoreIsNot() throws Exception {
        TestAccount account = WebhookFixtures.account(secretBox);

        assertEquals(202, flow(account, BodyPublishers.ofByteArray(flowBodyOfSize(account, ONE_MIB))));
        assertEquals(413, flow(account, BodyPublishers.ofByteArray(flowBodyOfSize(account, ONE_MIB + 1))));
        byte[] chunked = flowBodyOfSize(account, ONE_MIB + 1);
        assertEquals(413, flow(account, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))));
        assertEquals(1, storedEvents(account));
    }

    private int flow(TestAccount account, BodyPublisher body) throws Exception {
        return status(webhooks.resolve(account.id() + "/flow"), account.flowToken(), body);
    }

    private int status(URI uri, String token, BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(body);
        if (token != null) {
            request.header("X-Gateway-Token", token);
        }
        return http.send(request.build(), BodyHandlers.discarding()).statusCode();
    }

    /** A valid flow body of exactly {@code size} bytes, padded in first_name, for a list the gateway knows. */
    private static byte[] flowBodyOfSize(TestAccount account, int size) {
        String head = "{\"list_id\":\"" + WebhookFixtures.knownList(account.id()) + "\",\"profile_id\":\""
                + WebhookFixtures.profileId() + "\",\"first_name\":\"";
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
