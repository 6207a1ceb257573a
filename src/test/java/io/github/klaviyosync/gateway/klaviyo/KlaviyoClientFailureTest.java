package io.github.klaviyosync.gateway.klaviyo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the client meets Klaviyo's failures: which it retries, which it reports, and how. */
@QuarkusTest
class KlaviyoClientFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    @Inject
    KlaviyoClient client;

    @Inject
    KlaviyoSimulator simulator;

    @Inject
    KlaviyoMetrics metrics;

    private static KlaviyoCredentials credentials(SimulatedAccount account) {
        return KlaviyoClientPagingTest.credentials(account);
    }

    private List<MemberProfile> allMembers(KlaviyoCredentials credentials, String listId) {
        return client.members(credentials, listId, null, null).onItem().transformToIterable(Page::items)
                .collect().asList().await().atMost(WAIT);
    }

    @Test
    void a429WithRetryAfterIsRetriedNoSoonerThanItSays() {
        SimulatedAccount account = simulator.createAccount();
        account.setRateLimits(1, 100, true);
        String listId = account.createList("SMS");
        KlaviyoCredentials credentials = credentials(account);

        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertEquals("SMS", client.list(credentials, listId).await().atMost(WAIT).name());
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        // Three calls at 1/s: at least one 429 ("Retry-After: 1"), and each waited its second.
        long throttled = account.counters().throttledCount();
        assertThat(throttled, greaterThanOrEqualTo(1L));
        assertThat(elapsedMillis, greaterThanOrEqualTo(950 * throttled));
        assertEquals(3 + throttled, account.counters().requests("get_list"));
    }

    @Test
    void a429WithRetryAfterIsRetriedUntilTheCallSucceeds() {
        SimulatedAccount account = simulator.createAccount();
        account.setRateLimits(2, 100, true);
        String listId = account.createList("SMS");
        account.addMembers(listId, 600, T0);
        KlaviyoCredentials credentials = credentials(account);

        List<MemberProfile> members = allMembers(credentials, listId);

        assertEquals(600, members.size());
        assertThat(account.counters().throttledCount(), greaterThanOrEqualTo(1L));
        assertEquals(account.counters().throttledCount(),
                metrics.throttled(credentials.metricLabel(), KlaviyoOperation.GET_PROFILES_FOR_LIST));
        assertThat(metrics.retries(credentials.metricLabel(), KlaviyoOperation.GET_PROFILES_FOR_LIST),
                greaterThanOrEqualTo(account.counters().throttledCount()));
    }

    @Test
    void a429WithoutRetryAfterIsRetriedAfterABackOff() {
        SimulatedAccount account = simulator.createAccount();
        account.setRateLimits(2, 100, false);
        String listId = account.createList("SMS");
        account.addMembers(listId, 600, T0);
        KlaviyoCredentials credentials = credentials(account);

        List<MemberProfile> members = allMembers(credentials, listId);

        assertEquals(600, members.size());
        assertThat(account.counters().throttledCount(), greaterThanOrEqualTo(1L));
        assertEquals(6 + account.counters().throttledCount(), account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void a429WithoutRetryAfterWaitsWhatItsBodySaysAndPausesTheAccountOnEveryInstance() {
        SimulatedAccount account = simulator.createAccount();
        account.setRateLimits(1, 100, false);
        String listId = account.createList("SMS");
        KlaviyoCredentials credentials = credentials(account);

        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertEquals("SMS", client.list(credentials, listId).await().atMost(WAIT).name());
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        // "Expected available in 1 second.": each 429 waited its second, though no header said so.
        long throttled = account.counters().throttledCount();
        assertThat(throttled, greaterThanOrEqualTo(1L));
        assertThat(elapsedMillis, greaterThanOrEqualTo(950 * throttled));
        assertEquals(throttled, ((Number) TestDatabase.row("select sum(throttled) as n from klaviyo_quota where budget_key = ?",
                credentials.accountKey()).get("n")).longValue(), "the shared budget counted every 429");
    }

    @Test
    void a429ThatSaysNothingIsRetriedAfterAJitteredBackOff() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.faults().failures(2, 429);
        KlaviyoCredentials credentials = credentials(account);

        long started = System.nanoTime();
        assertEquals("SMS", client.list(credentials, listId).await().atMost(WAIT).name());
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertEquals(3, account.counters().requests("get_list"));
        assertEquals(2, metrics.throttled(credentials.metricLabel(), KlaviyoOperation.GET_LIST));
        // Back-offs of 100 ms and 150 ms (the test profile's first one), each at least half that with jitter.
        assertThat(elapsedMillis, greaterThanOrEqualTo(125L));
    }

    @Test
    void aStormOf503sStillCompletes() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 1_000, T0);
        account.faults().unavailable(4);
        KlaviyoCredentials credentials = credentials(account);
        List<MemberProfile> firstPass = allMembers(credentials, listId);
        account.faults().unavailableRatio(0.3);

        List<MemberProfile> secondPass = allMembers(credentials, listId);

        assertEquals(ids, firstPass.stream().map(MemberProfile::id).toList());
        assertEquals(ids, secondPass.stream().map(MemberProfile::id).toList());
        assertThat(metrics.retries(credentials.metricLabel(), KlaviyoOperation.GET_PROFILES_FOR_LIST), greaterThanOrEqualTo(4L));
    }

    @Test
    void gatewayTimeoutsAndCloudflareErrorsAreRetried() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        KlaviyoCredentials credentials = credentials(account);

        account.faults().failures(2, 504);
        assertEquals("SMS", client.list(credentials, listId).await().atMost(WAIT).name());
        account.faults().failures(2, 524);
        assertEquals("SMS", client.list(credentials, listId).await().atMost(WAIT).name());
        assertEquals(6, account.counters().requests("get_list"));
    }

    @Test
    void aCloudflareHtmlChallengeIsTransientNotARefusedKey() {
        SimulatedAccount account = simulator.createAccount();
        // One challenge: a key check makes two attempts (gateway.klaviyo.key-check-max-attempts).
        account.faults().cloudflareChallenges(1);
        KlaviyoCredentials credentials = credentials(account);

        assertEquals(account.klaviyoAccountId(), client.account(credentials).await().atMost(WAIT).id());
        assertEquals(false, client.isStopped(credentials.accountKey()));
        assertEquals(2, account.counters().requests("get_accounts"));
    }

    @Test
    void aSlowAnswerPastTheReadTimeoutIsRetried() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.faults().slowAnswers(1, Duration.ofSeconds(4));
        KlaviyoCredentials credentials = credentials(account);

        assertEquals("SMS", client.list(credentials, listId).await().atMost(WAIT).name());
        assertEquals(2, account.counters().requests("get_list"));
        assertThat(metrics.requests(credentials.metricLabel(), KlaviyoOperation.GET_LIST), greaterThanOrEqualTo(2L));
    }

    @Test
    void aFailureThatOutlastsEveryAttemptIsUnavailable() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.faults().unavailable(100);

        KlaviyoUnavailableException failure = assertThrows(KlaviyoUnavailableException.class,
                () -> client.list(credentials(account), listId).await().atMost(WAIT));

        assertEquals(503, failure.status());
        assertEquals(6, account.counters().requests("get_list"));
    }

    @Test
    void aDeletedListAnswers404() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("Gone");
        account.deleteList(listId);
        KlaviyoCredentials credentials = credentials(account);

        KlaviyoNotFoundException list = assertThrows(KlaviyoNotFoundException.class,
                () -> client.list(credentials, listId).await().atMost(WAIT));
        assertThrows(KlaviyoNotFoundException.class,
                () -> client.members(credentials, listId, null, null).collect().asList().await().atMost(WAIT));

        assertThat(list.detail(), containsString(listId));
        assertEquals(1, account.counters().requests("get_list"));
    }

    @Test
    void aListDeletedDuringASyncEndsItWith404() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.addMembers(listId, 300, T0);

        assertThrows(KlaviyoNotFoundException.class, () -> client.members(credentials(account), listId, null, null)
                .invoke(page -> account.deleteList(listId))
                .collect().asList().await().atMost(WAIT));
        assertEquals(2, account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void a400FailsAtOnceWithKlaviyosErrors() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.addMembers(listId, 300, T0);
        account.faults().failMembersPage(listId, 2, 400, 1);

        KlaviyoBadRequestException failure = assertThrows(KlaviyoBadRequestException.class,
                () -> client.members(credentials(account), listId, null, null).collect().asList().await().atMost(WAIT));

        assertEquals(400, failure.status());
        assertEquals("invalid", failure.errors().get(0).code());
        assertThat(failure.getMessage(), containsString("Page 2 of this list fails"));
        assertEquals(2, account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void aFailingPageIsRetriedAndTheStreamGoesOn() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.addMembers(listId, 300, T0);
        account.faults().failMembersPage(listId, 2, 503, 2);

        List<MemberProfile> members = allMembers(credentials(account), listId);

        assertEquals(300, members.size());
        assertEquals(5, account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void concurrentCallsOfOneAccountAreNotSerialized() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.faults().latency(Duration.ofMillis(300));
        KlaviyoCredentials credentials = credentials(account);

        long started = System.nanoTime();
        List<String> names = io.smallrye.mutiny.Multi.createFrom().range(0, 40)
                .onItem().transformToUniAndMerge(i -> client.list(credentials, listId).map(list -> list.name()))
                .collect().asList().await().atMost(WAIT);

        assertEquals(40, names.size());
        // 40 calls of 300 ms each, concurrently: far less than one after the other (12 s).
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis(), lessThanOrEqualTo(9_000L));
    }
}
