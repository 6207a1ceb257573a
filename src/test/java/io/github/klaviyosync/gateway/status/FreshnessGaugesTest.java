package io.github.klaviyosync.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.Management;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
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
class FreshnessGaugesTest {

    private static final long WAIT_MILLIS = 20_000;
    private static final String SWEEP_AGE = "gateway_profile_sweep_age_seconds";
    private static final String CHECK_AGE = "gateway_list_check_age_seconds";

    @Inject
    SecretBox secretBox;

    ApiFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ApiFixtures(secretBox);
    }

    @Test
    void showSecondsSinceTheLastSweepAndListCheckOfEachAccountLabelledWithKlaviyosId() throws InterruptedException {
        FixtureAccount account = fixtures.account();
        TestDatabase.execute("update profile_sweep set last_checked_at = ? where account_id = ?",
                Instant.now().minusSeconds(1800), account.id());
        TestDatabase.execute("update list_discovery set last_list_check_at = ? where account_id = ?",
                Instant.now().minusSeconds(240), account.id());

        double sweepAge = awaitGauge(SWEEP_AGE, account.klaviyoAccountId(), Optional::isPresent).orElseThrow();
        double checkAge = awaitGauge(CHECK_AGE, account.klaviyoAccountId(), Optional::isPresent).orElseThrow();

        assertTrue(sweepAge >= 1800 && sweepAge < 1900, "half an hour, was " + sweepAge);
        assertTrue(checkAge >= 240 && checkAge < 340, "four minutes, was " + checkAge);
        assertFalse(Management.metrics().contains(account.id().toString()), "the gateway's account id is the secret of its webhook URLs");

        TestDatabase.execute("update profile_sweep set last_checked_at = now() where account_id = ?", account.id());
        double swept = awaitGauge(SWEEP_AGE, account.klaviyoAccountId(), value -> value.isPresent() && value.get() < 60).orElseThrow();
        assertTrue(swept < 60, "just swept, was " + swept);
    }

    @Test
    void countFromTheConnectionWhileNeverCheckedAndDisappearWithTheAccount() throws InterruptedException {
        FixtureAccount account = fixtures.account();
        TestDatabase.execute("update account set created_at = ? where id = ?", Instant.now().minusSeconds(7200), account.id());

        // A scrape may still show the gauge as the account was created (seconds old): wait for the change.
        double sweepAge = awaitGauge(SWEEP_AGE, account.klaviyoAccountId(), value -> value.isPresent() && value.get() >= 7200)
                .orElseThrow();
        double checkAge = awaitGauge(CHECK_AGE, account.klaviyoAccountId(), value -> value.isPresent() && value.get() >= 7200)
                .orElseThrow();
        assertTrue(sweepAge >= 7200 && sweepAge < 7300, "two hours since the connection, was " + sweepAge);
        assertTrue(checkAge >= 7200 && checkAge < 7300, "two hours since the connection, was " + checkAge);

        TestDatabase.execute("update account set status = 'deleted' where id = ?", account.id());

        assertEquals(Optional.empty(), awaitGauge(SWEEP_AGE, account.klaviyoAccountId(), Optional::isEmpty));
        assertEquals(Optional.empty(), awaitGauge(CHECK_AGE, account.klaviyoAccountId(), Optional::isEmpty));
    }

    /** Polls the scrape until the account's gauge satisfies {@code done}; answers the last value seen. */
    private static Optional<Double> awaitGauge(String name, String accountLabel, Predicate<Optional<Double>> done)
            throws InterruptedException {
        Pattern line = Pattern.compile(name + "\\{account=\"" + accountLabel + "\"} ([0-9.E+-]+)");
        Optional<Double> value = Optional.empty();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Matcher matcher = line.matcher(Management.metrics());
            value = matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(250);
        }
        assertEquals("a refreshed gauge", "gauge " + name + " still " + value);
        return value;
    }
}
