package io.github.klaviyosync.gateway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits over HTTP: the steady window's headers on every answer, per-tier buckets, 429s as
 * Klaviyo writes them, the other tools' share and the counters. The windows are stretched to half an
 * hour and an hour, so that no window turns during a test.
 */
class SimulatorRateLimitTest {

    private SimulatorHttp http;
    private SimulatedAccount account;

    @BeforeEach
    void start() throws Exception {
        http = new SimulatorHttp();
        http.simulator.setRateLimitWindows(Duration.ofMinutes(30), Duration.ofHours(1));
        account = http.simulator.createAccount();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    private static String header(HttpResponse<String> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }

    @Test
    void perTierEveryAnswerCarriesTheSteadyWindowAndTheFifthRequestIsThrottledAsKlaviyoWritesIt() throws Exception {
        account.countRateLimitsPerTier(true);
        account.setRateLimits(100, 4, true);
        String listId = account.createList("SMS");

        HttpResponse<String> lists = http.get(account.apiKey(), "/api/lists");
        HttpResponse<String> profiles = http.get(account.apiKey(), "/api/profiles");
        HttpResponse<String> missing = http.get(account.apiKey(), "/api/lists/XXXXXX");
        HttpResponse<String> members = http.get(account.apiKey(), "/api/lists/" + listId + "/profiles");
        HttpResponse<String> throttled = http.get(account.apiKey(), "/api/profiles");
        HttpResponse<String> otherTier = http.get(account.apiKey(), "/api/accounts");

        assertEquals(List.of(200, 200, 404, 200, 429, 200), List.of(lists.statusCode(), profiles.statusCode(),
                missing.statusCode(), members.statusCode(), throttled.statusCode(), otherTier.statusCode()));
        assertEquals(List.of("3", "2", "1", "0"), List.of(header(lists, "RateLimit-Remaining"), header(profiles, "RateLimit-Remaining"),
                header(missing, "RateLimit-Remaining"), header(members, "RateLimit-Remaining")));
        assertEquals("4", header(missing, "RateLimit-Limit"));
        int reset = Integer.parseInt(header(lists, "RateLimit-Reset"));
        assertTrue(reset >= 1 && reset <= 3600, "seconds to the end of the steady window: " + reset);
        String retryAfter = header(throttled, "Retry-After");
        JsonObject error = new JsonObject(throttled.body()).getJsonArray("errors").getJsonObject(0);
        assertEquals("throttled", error.getString("code"));
        assertEquals("Request was throttled. Expected available in " + retryAfter + " seconds.", error.getString("detail"));
        assertTrue(Integer.parseInt(retryAfter) > 1, "the steady window refused it: seconds to its end");
        assertEquals(null, header(throttled, "RateLimit-Limit"));
        assertEquals(1, account.counters().throttledCount());
        assertEquals(6, account.counters().mostRequestsInAMinuteWindow());
        assertEquals(5, account.counters().mostRequestsInAMinuteWindow("get_profiles"));
    }

    @Test
    void perOperationTheSameRequestsAllPass() throws Exception {
        account.setRateLimits(100, 4, true);
        String listId = account.createList("SMS");

        List<Integer> statuses = List.of(http.get(account.apiKey(), "/api/lists").statusCode(),
                http.get(account.apiKey(), "/api/profiles").statusCode(),
                http.get(account.apiKey(), "/api/lists/" + listId).statusCode(),
                http.get(account.apiKey(), "/api/lists/" + listId + "/profiles").statusCode(),
                http.get(account.apiKey(), "/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H").statusCode());

        assertEquals(List.of(200, 200, 200, 200, 404), statuses);
        assertEquals(0, account.counters().throttledCount());
    }

    @Test
    void theOtherToolsSpendTheQuotaInTheBackground() throws Exception {
        account.countRateLimitsPerTier(true);
        // 36,000 an hour-long "minute" window: ten a second.
        account.otherToolsPerMinute(36_000);
        Instant started = Instant.now();
        Thread.sleep(1_000);

        HttpResponse<String> answer = http.get(account.apiKey(), "/api/lists");
        long sent = account.counters().otherToolsRequests();

        long elapsedTenths = Duration.between(started, Instant.now()).toMillis() / 100;
        assertTrue(sent >= 10 && sent <= elapsedTenths + 2, "ten a second: " + sent + " in " + elapsedTenths + " tenths");
        int remaining = Integer.parseInt(header(answer, "RateLimit-Remaining"));
        assertTrue(remaining <= 750 - 1 - 10, "the other tools' requests count in the gateway's window: " + remaining);
        assertEquals(0, account.counters().otherToolsThrottled());
        assertEquals(1, account.counters().mostRequestsInAMinuteWindow(), "the gateway's own requests only");
        account.otherToolsPerMinute(0);
    }

    @Test
    void theAdminApiSetsWindowsTiersAndOtherToolsAndReportsTheirCounters() throws Exception {
        String key = account.apiKey();
        assertEquals(200, http.post("/__admin/rate-limit-windows",
                new JsonObject().put("burstMillis", 1_800_000).put("steadyMillis", 3_600_000)).statusCode());
        assertEquals(200, http.post("/__admin/accounts/" + key + "/rate-limits", new JsonObject()
                .put("steadyPerMinute", 2).put("perTier", true).put("otherToolsPerMinute", 1)).statusCode());

        HttpResponse<String> allowed = http.get(key, "/api/lists");
        JsonObject counters = new JsonObject(http.send(HttpRequest.newBuilder(
                URI.create(http.base() + "/__admin/accounts/" + key + "/counters")).GET().build()).body());

        // The other tools sent their first request at once: with the gateway's first, the bucket of 2 is full.
        assertEquals(200, http.get(key, "/api/accounts").statusCode(), "another tier");
        assertEquals(429, http.get(key, "/api/profiles").statusCode());
        assertEquals(200, allowed.statusCode());
        assertEquals(1, counters.getLong("otherToolsRequests"));
        assertEquals(1, counters.getLong("mostRequestsInAMinuteWindow"));
        assertEquals(1, counters.getJsonObject("requestsPerMinuteWindow").size());
    }
}
