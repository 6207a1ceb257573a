package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.NewEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
    WebhookEventRepository repository;

    @Inject
    GatewayConfig config;

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

    @Test
    void theWaitIsBoundedByRequestsAndByTimeAndABoundedWaitIsA503() throws Exception {
        TestAccount account = WebhookFixtures.account(accounts);
        WebhookCredentials credentials = credentials(account);
        InboxWriter tight = new InboxWriter(repository, pool, webhookConfig(1, Duration.ofMillis(300)));
        try (Connection holding = TestDatabase.connect()) {
            // An uncommitted row with the first request's id holds its commit; the others wait behind it.
            holding.setAutoCommit(false);
            try (PreparedStatement insert = holding.prepareStatement(
                    "insert into webhook_event (account_id, kind, external_id, payload) values (?, 'system', 'held', '{}')")) {
                insert.setObject(1, account.id());
                insert.executeUpdate();
            }
            CompletableFuture<StoreResult> held = tight.store(credentials, List.of(systemEvent(account, "held", "{}")))
                    .subscribeAsCompletionStage();
            Eventually.until(Duration.ofSeconds(10), "the first commit waits", () -> TestDatabase.count(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%webhook_event%'") > 0);
            CompletableFuture<StoreResult> waiting = tight.store(credentials, List.of(systemEvent(account, "waiting", "{}")))
                    .subscribeAsCompletionStage();
            CompletableFuture<StoreResult> beyond = tight.store(credentials, List.of(systemEvent(account, "beyond", "{}")))
                    .subscribeAsCompletionStage();

            ExecutionException full = assertThrows(ExecutionException.class, () -> beyond.get(1, TimeUnit.SECONDS),
                    "one request waits at most: the next is refused at once");
            assertInstanceOf(WebhookStorageUnavailable.class, full.getCause());
            Thread.sleep(500);
            holding.rollback();

            assertEquals(1, held.get(10, TimeUnit.SECONDS).stored());
            ExecutionException tooLong = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(WebhookStorageUnavailable.class, tooLong.getCause(), "it waited longer than 300 ms");
        }
        assertEquals(List.of("held"), TestDatabase.rows("select external_id from webhook_event where account_id = ?", account.id())
                .stream().map(row -> row.get("external_id")).toList());
    }

    /** The gateway's configuration with an inbox that takes one request at a time and lets {@code maxWaiting} wait. */
    private GatewayConfig webhookConfig(int maxWaiting, Duration maxWait) {
        GatewayConfig.Webhook webhook = (GatewayConfig.Webhook) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {GatewayConfig.Webhook.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "inboxMaxBatch" -> 256;
                    case "inboxMaxConcurrentWrites" -> 1;
                    case "inboxMaxWaitingRequests" -> maxWaiting;
                    case "inboxMaxWaitingBytes" -> 1L << 20;
                    case "inboxMaxWait" -> maxWait;
                    default -> method.invoke(config.webhook(), args);
                });
        return (GatewayConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {GatewayConfig.class},
                (proxy, method, args) -> method.getName().equals("webhook") ? webhook : method.invoke(config, args));
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
