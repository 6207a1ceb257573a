package io.github.klaviyosync.gateway.status;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.Management;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's metrics in {@code /q/metrics} after real activity, none of them labelled with a secret or
 * personal data: accounts are named by Klaviyo's id, never by the gateway's (the secret part of a
 * webhook URL), and key checks, which run under an account key of their own, share one label.
 */
@QuarkusTest
class GatewayMetricsTest {

    private static final String KEY_CHECK = "account=\"key-check\"";
    private static final Pattern LABELS = Pattern.compile("\\{([^}]*)}");
    /** A number in E.164 (ids may hold long runs of digits, but never a plus sign). */
    private static final Pattern PHONE = Pattern.compile("\\+\\d{8,15}");

    @Inject
    TestAccounts accounts;

    @Test
    void everyMetricOfTheStatusApiIsExportedAfterActivityWithoutSecretsOrPersonalDataInLabels() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Metered");
        klaviyo.addMembers(listId, 250, Instant.now().minus(1, ChronoUnit.DAYS));
        // One request a second: the pages of the backfill draw 429s, which the client waits out.
        klaviyo.setRateLimits(1, 600, true);
        String webhookSecret = TestSecrets.secret("whsec");
        Response connected = ConnectAccountTest.connect("Metered shop", klaviyo.apiKey(), webhookSecret);
        connected.then().statusCode(201);
        String id = connected.path("id");
        String flowToken = TestSecrets.remember(connected.path("webhooks.flowToken"));
        String profileId = "01" + "K".repeat(24);
        String email = TestSecrets.email();
        String phone = TestSecrets.phone();
        Eventually.until(Duration.ofSeconds(60), "the backfill", () -> Integer.valueOf(250).equals(given().auth()
                .oauth2(ApiFixtures.TOKEN).get("/api/accounts/" + id + "/lists").path("memberCount[0]")));
        given().header("X-Gateway-Token", flowToken).contentType(ContentType.JSON)
                .body("{\"list_id\":\"" + listId + "\",\"profile_id\":\"" + profileId + "\",\"email\":\"" + email
                        + "\",\"phone_number\":\"" + phone + "\"}")
                .post("/webhooks/klaviyo/" + id + "/flow").then().statusCode(202);
        given().header("X-Gateway-Token", TestSecrets.secret("flow")).contentType(ContentType.JSON).body("{}")
                .post("/webhooks/klaviyo/" + id + "/flow").then().statusCode(401);

        String account = "account=\"" + klaviyo.klaviyoAccountId() + "\"";
        Eventually.until(Duration.ofSeconds(20), "every metric is exported", () -> {
            String metrics = metrics();
            return has(metrics, "gateway_list_sync_age_seconds", account, "list=\"" + listId + "\"")
                    && has(metrics, "gateway_profiles_ingested_total", account)
                    && has(metrics, "klaviyo_client_requests_seconds_count", account, "operation=\"get_profiles_for_list\"",
                            "status=\"200\"")
                    && has(metrics, "klaviyo_client_requests_seconds_count", account, "status=\"429\"")
                    && has(metrics, "klaviyo_client_throttled_total", account)
                    && has(metrics, "gateway_webhooks_received_total", "kind=\"flow\"")
                    && has(metrics, "gateway_webhooks_applied_total", "kind=\"flow\"")
                    && has(metrics, "gateway_webhooks_rejected_total", "kind=\"flow\"", "reason=\"token\"")
                    && has(metrics, "gateway_sync_runs_total", "kind=\"members\"", "status=\"succeeded\"")
                    && has(metrics, "gateway_sync_runs_total", "kind=\"discovery\"", "status=\"succeeded\"")
                    && has(metrics, "gateway_klaviyo_quota_requests_last_minute", account, "tier=\"l\"")
                    && has(metrics, "gateway_klaviyo_quota_share_in_use", account, "tier=\"l\"")
                    && has(metrics, "gateway_klaviyo_quota_throttled", account, "tier=\"l\"")
                    && value(metrics, "gateway_klaviyo_quota_throttled", account, "tier=\"l\"") >= 1;
        });
        assertTrue(value(metrics(), "gateway_profiles_ingested_total", account) >= 250, "the backfill's profiles are counted");
        assertFalse(metrics().contains(id), "the gateway's account id is in the scrape");

        List<String> forbidden = List.of(klaviyo.apiKey(), webhookSecret, flowToken, email, phone, profileId, TestSecrets.MARKER);
        Matcher labels = LABELS.matcher(metrics());
        while (labels.find()) {
            String label = labels.group(1);
            forbidden.forEach(secret -> assertFalse(label.contains(secret), "a secret or personal value in a label"));
            assertFalse(label.contains("@"), "an email in a label: " + label);
            assertFalse(PHONE.matcher(label).find(), "a phone number in a label: " + label);
        }
    }

    @Test
    void keyChecksOfEveryAccountShareOneSeriesAndNoAccountIdIsExported() {
        String first = connected(accounts.klaviyoAccount());
        String before = metrics();
        Set<String> series = keyCheckSeries(before);

        String second = connected(accounts.klaviyoAccount());
        String third = connected(accounts.klaviyoAccount());

        String after = metrics();
        assertEquals(series, keyCheckSeries(after), "two more key checks, no new series");
        assertTrue(series.stream().anyMatch(labels -> labels.contains(KEY_CHECK)), "key checks are measured: " + series);
        assertEquals(keyChecks(before) + 2, keyChecks(after), "both checks are counted in the same series");
        for (String id : List.of(first, second, third)) {
            assertFalse(after.contains(id), "an account id is in the scrape");
        }
    }

    private static String connected(SimulatedAccount klaviyo) {
        Response connected = ConnectAccountTest.connect("Checked shop", klaviyo.apiKey(), null);
        connected.then().statusCode(201);
        return connected.path("id");
    }

    /** The label sets of the requests timer's samples for GET /api/accounts, which key checks (and some tests) call. */
    private static Set<String> keyCheckSeries(String metrics) {
        return keyCheckSamples(metrics)
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static double keyChecks(String metrics) {
        return keyCheckSamples(metrics)
                .filter(line -> line.contains(KEY_CHECK))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static Stream<String> keyCheckSamples(String metrics) {
        return Arrays.stream(metrics.split("\n"))
                .filter(line -> line.startsWith("klaviyo_client_requests_seconds_count{"))
                .filter(line -> line.contains("operation=\"get_accounts\""));
    }

    private static String metrics() {
        return Management.metrics();
    }

    /** Whether a sample of {@code name} carries every one of {@code labels}. */
    private static boolean has(String metrics, String name, String... labels) {
        return sample(metrics, name, labels) != null;
    }

    private static double value(String metrics, String name, String... labels) {
        String line = sample(metrics, name, labels);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static String sample(String metrics, String name, String... labels) {
        return Arrays.stream(metrics.split("\n"))
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .findFirst()
                .orElse(null);
    }
}
