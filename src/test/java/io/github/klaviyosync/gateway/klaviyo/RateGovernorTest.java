package io.github.klaviyosync.gateway.klaviyo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The governor against a Klaviyo whose limits are far below the tier's (5/s and 60/min against
 * 75/s and 750/min), with no test-only configuration: it learns them from the answers and keeps
 * 429s rare. Measured as a ratio of 429s to requests, never as wall time.
 */
@QuarkusTest
class RateGovernorTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    @Inject
    KlaviyoClient client;

    @Inject
    KlaviyoSimulator simulator;

    @Inject
    RateGovernor governor;

    @Test
    void keeps429sUnderFivePercentWhenKlaviyoAllowsFivePerSecondAndSixtyPerMinute() {
        SimulatedAccount account = simulator.createAccount();
        account.setRateLimits(5, 60, true);
        // Two lists synced at once, as the engine does per account: 2 × 36 pages, past one minute's 60.
        String first = account.createList("First");
        String second = account.createList("Second");
        account.addMembers(first, 3_600, T0);
        account.addMembers(second, 3_600, T0);
        KlaviyoCredentials credentials = KlaviyoClientPagingTest.credentials(account);

        List<Integer> counts = Multi.createFrom().items(first, second)
                .onItem().transformToUniAndMerge(listId -> client.members(credentials, listId, null, null)
                        .onItem().transformToIterable(Page::items)
                        .collect().asList()
                        .map(List::size))
                .collect().asList()
                .await().atMost(Duration.ofMinutes(4));

        assertEquals(List.of(3_600, 3_600), counts);
        long requests = account.counters().requests("get_profiles_for_list");
        long throttled = account.counters().throttledCount();
        Logger.getLogger(RateGovernorTest.class).infof("5/s, 60/min: %d 429s in %d requests", throttled, requests);
        assertThat(requests, greaterThan(72L));
        assertThat("429s: " + throttled + " of " + requests, (double) throttled / requests, lessThan(0.05));
        int[] limits = governor.currentLimits(credentials.accountKey(), KlaviyoOperation.GET_PROFILES_FOR_LIST);
        assertThat(limits[0], lessThanOrEqualTo(6));
        assertThat(limits[1], lessThanOrEqualTo(60));
    }
}
