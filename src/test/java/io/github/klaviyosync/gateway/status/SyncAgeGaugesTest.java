package io.github.klaviyosync.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.Management;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test profile refreshes the gauges every 2 s; each test waits for a refresh to show its rows. */
@QuarkusTest
class SyncAgeGaugesTest {

    private static final long WAIT_MILLIS = 20_000;

    @Inject
    SecretBox secretBox;

    ApiFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ApiFixtures(secretBox);
    }

    @Test
    void showsSecondsSinceEachListsLastSuccessfulSync() throws InterruptedException {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        TestDatabase.execute("update klaviyo_list set last_synced_at = ? where id = ?", Instant.now().minusSeconds(3600), list);

        double age = awaitGauge(account.klaviyoAccountId(), listId, value -> value.isPresent()).orElseThrow();
        assertTrue(age >= 3600 && age < 3700, "about an hour, was " + age);

        TestDatabase.execute("update klaviyo_list set last_synced_at = now() where id = ?", list);
        double fresh = awaitGauge(account.klaviyoAccountId(), listId, value -> value.isPresent() && value.get() < 60).orElseThrow();
        assertTrue(fresh < 60, "just synced, was " + fresh);
    }

    @Test
    void labelsTheListWithKlaviyosAccountIdNeverTheGatewaysOne() throws InterruptedException {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        fixtures.list(account.id(), listId);

        awaitGauge(account.klaviyoAccountId(), listId, value -> value.isPresent()).orElseThrow();
        assertFalse(scrape().contains(account.id().toString()), "the gateway's account id is the secret of its webhook URLs");
    }

    @Test
    void countsFromDiscoveryForAListNeverSynced() throws InterruptedException {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        long list = fixtures.list(account.id(), listId);
        TestDatabase.execute("update klaviyo_list set last_synced_at = null, discovered_at = ? where id = ?",
                Instant.now().minusSeconds(7200), list);

        double age = awaitGauge(account.klaviyoAccountId(), listId, value -> value.isPresent()).orElseThrow();
        assertTrue(age >= 7200 && age < 7300, "two hours since discovery, was " + age);
    }

    @Test
    void dropsTheGaugesOfADeletedAccount() throws InterruptedException {
        FixtureAccount account = fixtures.account();
        String listId = fixtures.newListId();
        fixtures.list(account.id(), listId);
        awaitGauge(account.klaviyoAccountId(), listId, value -> value.isPresent()).orElseThrow();

        TestDatabase.execute("update account set status = 'deleted' where id = ?", account.id());

        assertFalse(awaitGauge(account.klaviyoAccountId(), listId, value -> value.isEmpty()).isPresent());
    }

    @Test
    void countsAccountsByStatusWithoutAnySecretInTheLabels() throws InterruptedException {
        fixtures.account("auth_failed");
        String metrics = "";
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            metrics = scrape();
            Matcher failing = Pattern.compile("gateway_accounts\\{status=\"auth_failed\"} ([0-9.E]+)").matcher(metrics);
            if (failing.find() && Double.parseDouble(failing.group(1)) >= 1) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(metrics.contains("gateway_accounts{status=\"active\"}"), "accounts gauge by status");
        assertTrue(metrics.contains("gateway_accounts{status=\"deleted\"}"));
        assertFalse(metrics.contains(TestSecrets.MARKER), "no secret or personal data in any label");
        assertFalse(metrics.contains("@example.com"));
    }

    private static String scrape() {
        return Management.metrics();
    }

    /** Polls the scrape until the list's gauge satisfies {@code done}; answers the last value seen. */
    private static Optional<Double> awaitGauge(String accountLabel, String listId, Predicate<Optional<Double>> done)
            throws InterruptedException {
        Pattern line = Pattern.compile("gateway_list_sync_age_seconds\\{account=\"" + accountLabel + "\",list=\""
                + listId + "\"} ([0-9.E+-]+)");
        Optional<Double> value = Optional.empty();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Matcher matcher = line.matcher(scrape());
            value = matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(250);
        }
        assertEquals("a refreshed gauge", "gauge still " + value);
        return value;
    }
}
