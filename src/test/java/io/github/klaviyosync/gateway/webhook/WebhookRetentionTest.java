package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.db.SessionScopes;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Stored webhook events go after their retention, counted from receipt: applied ones after
 * {@code gateway.webhook.retention} (7 days), failed ones after {@code gateway.webhook.failed-retention}
 * (30 days), in as many batches as it takes; events still to be applied stay. Inside the retention a
 * system event delivered again is a duplicate; past it, it is stored again.
 */
@QuarkusTest
class WebhookRetentionTest {

    /** Rows as retention sees them; those still received are not due, so no apply pass takes them meanwhile. */
    private static final String INSERT_EVENTS = """
            insert into webhook_event (account_id, kind, payload, status, received_at, next_attempt_at)
            select ?, 'flow', '{}', ?, now() - cast(? as interval), now() + interval '1 day' from generate_series(1, ?)""";

    @Inject
    TestAccounts accounts;

    @Inject
    WebhookRetentionJob job;

    @Inject
    SessionScopes scopes;

    @Test
    void deletesAppliedEventsAfterAWeekAndFailedOnesAfterAMonthWhateverTheAccount() {
        UUID live = accounts.register(accounts.klaviyoAccount(), null, null, false);
        UUID deleted = accounts.register(accounts.klaviyoAccount(), null, null, false);
        TestDatabase.execute("update account set status = 'deleted' where id = ?", deleted);
        for (UUID account : List.of(live, deleted)) {
            TestDatabase.execute(INSERT_EVENTS, account, "applied", "8 days", 3);
            TestDatabase.execute(INSERT_EVENTS, account, "applied", "6 days", 2);
            TestDatabase.execute(INSERT_EVENTS, account, "failed", "8 days", 2);
            TestDatabase.execute(INSERT_EVENTS, account, "failed", "31 days", 4);
            TestDatabase.execute(INSERT_EVENTS, account, "received", "40 days", 1);
        }

        scopes.isolated(() -> job.deleteExpired()).await().indefinitely();

        for (UUID account : List.of(live, deleted)) {
            assertEquals(List.of("applied 2", "failed 2", "received 1"), byStatus(account), "account " + account);
        }
    }

    @Test
    void deletesInBatchesUntilOneComesBackShort() {
        UUID account = accounts.register(accounts.klaviyoAccount(), null, null, false);
        TestDatabase.execute(INSERT_EVENTS, account, "applied", "2 hours", 7);
        TestDatabase.execute(INSERT_EVENTS, account, "applied", "10 minutes", 1);

        long deleted = scopes.isolated(() -> job.deleteExpired(WebhookStatus.APPLIED, Duration.ofHours(1), Instant.now(), 3))
                .await().indefinitely();

        assertEquals(7, deleted, "three batches: 3, 3 and 1");
        assertEquals(List.of("applied 1"), byStatus(account));
    }

    @Test
    void aSystemEventDeliveredAgainIsADuplicateUntilItsFirstCopyIsDeleted() {
        TestAccount account = WebhookFixtures.account(accounts);
        String profileId = WebhookFixtures.knownSubscriber(account.id());
        String event = WebhookFixtures.consentEvent("01J" + WebhookFixtures.random(23),
                "event:klaviyo.subscribed_to_sms_marketing", profileId, Instant.now());
        WebhookRequests.system(account, event).then().statusCode(202).body("stored", Matchers.equalTo(1));
        TestDatabase.execute("update webhook_event set status = 'applied', received_at = now() - interval '6 days'"
                + " where account_id = ?", account.id());

        scopes.isolated(() -> job.deleteExpired()).await().indefinitely();
        WebhookRequests.system(account, event).then().statusCode(202).body("duplicates", Matchers.equalTo(1));

        TestDatabase.execute("update webhook_event set status = 'applied', received_at = now() - interval '8 days'"
                + " where account_id = ?", account.id());
        scopes.isolated(() -> job.deleteExpired()).await().indefinitely();
        WebhookRequests.system(account, event).then().statusCode(202).body("stored", Matchers.equalTo(1));
        assertEquals(1, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()));
    }

    private static List<String> byStatus(UUID account) {
        return TestDatabase.rows("select status || ' ' || count(*) as n from webhook_event where account_id = ?"
                        + " group by status order by status", account).stream()
                .map(row -> (String) row.get("n"))
                .toList();
    }
}
