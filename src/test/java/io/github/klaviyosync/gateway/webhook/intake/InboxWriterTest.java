package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.NewEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InboxWriterTest {

    @Inject
    InboxWriter inbox;

    @Inject
    Pool pool;

    @Inject
    TestAccounts accounts;

    @Inject
    IntakeAccounts intakeAccounts;

    @Test
    void concurrentRequestsAreAllStoredAndEachAnsweredOnlyOnceItsEventsAreCommitted() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        WebhookCredentials credentials = credentials(account);
        List<CompletableFuture<Long>> visibleAtAnswer = IntStream.range(0, 300)
                .mapToObj(i -> request(account, i))
                .map(request -> inbox.store(credentials, request)
                        // Another connection sees the events at once: their transaction has committed.
                        .chain(result -> visibleEvents(account, request.get(0).externalId()))
                        .subscribeAsCompletionStage())
                .toList();

        for (CompletableFuture<Long> visible : visibleAtAnswer) {
            assertEquals(2L, visible.get());
        }
        assertEquals(600, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()));
    }

    @Test
    void theSameEventStoredByRequestsSharingACommitIsStoredOnceAndCountedAsADuplicate() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        NewEvent event = systemEvent(account, "ev-shared", "{}");
        WebhookCredentials credentials = credentials(account);
        List<CompletableFuture<StoreResult>> results = IntStream.range(0, 20)
                .mapToObj(i -> inbox.store(credentials, List.of(event)).subscribeAsCompletionStage())
                .toList();

        int stored = 0;
        int duplicates = 0;
        for (CompletableFuture<StoreResult> result : results) {
            stored += result.get().stored();
            duplicates += result.get().duplicates();
        }
        assertEquals(1, stored);
        assertEquals(19, duplicates);
        assertEquals(1, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()));
    }

    private WebhookCredentials credentials(TestAccount account) {
        return intakeAccounts.load(account.id()).await().indefinitely();
    }

    /** Two events of one request, sharing a marker in their external ids. */
    private static List<NewEvent> request(TestAccount account, int i) {
        return List.of(systemEvent(account, "req-" + i + "-a", "{}"), systemEvent(account, "req-" + i + "-b", "{}"));
    }

    private static NewEvent systemEvent(TestAccount account, String externalId, String payload) {
        return new NewEvent(account.id(), WebhookKind.SYSTEM, externalId, "event:test", payload, null);
    }

    private Uni<Long> visibleEvents(TestAccount account, String externalIdOfFirst) {
        String prefix = externalIdOfFirst.substring(0, externalIdOfFirst.length() - 1);
        return pool.preparedQuery("select count(*) from webhook_event where account_id = $1 and external_id like $2")
                .execute(Tuple.of(account.id(), prefix + "%"))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
