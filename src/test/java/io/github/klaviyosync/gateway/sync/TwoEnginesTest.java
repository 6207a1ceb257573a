package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.addSmsMembers;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.member.ListSyncDispatcher;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TwoEnginesTest {

    @Inject
    TestAccounts accounts;

    @Inject
    ListSyncDispatcher scheduler;

    @Test
    void twoEnginesOnOneDatabaseSyncEachListExactlyOncePerInterval() throws Exception {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        Instant joined = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String listId = klaviyo.createList("Form " + i);
            addSmsMembers(klaviyo, listId, 3, joined, false);
            lists.add(listId);
        }
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(90), "the 20 backfills", () -> syncedSince(accountId, Instant.EPOCH) == 20);

        for (int round = 1; round <= 3; round++) {
            Map<String, Long> before = requestsPerList(klaviyo, lists);
            Instant roundStart = Instant.now();
            // The interval has passed for every list: two more engines (and the application's own) compete.
            execute("update klaviyo_list set next_sync_at = now() where account_id = ?", accountId);
            runTwoEnginesUntil(() -> syncedSince(accountId, roundStart) == 20);

            Map<String, Long> after = requestsPerList(klaviyo, lists);
            for (String listId : lists) {
                assertEquals(1L, after.get(listId) - before.get(listId), "list " + listId + " in round " + round);
            }
        }
    }

    private void runTwoEnginesUntil(java.util.function.BooleanSupplier done) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> tickUntil("engine-a", stop));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> tickUntil("engine-b", stop));
        try {
            Eventually.until(Duration.ofSeconds(60), "every list synced in this round", done);
        } finally {
            stop.set(true);
            a.get();
            b.get();
        }
        Eventually.until(Duration.ofSeconds(30), "the engines' syncs end",
                () -> scheduler.running("engine-a") == 0 && scheduler.running("engine-b") == 0);
    }

    private void tickUntil(String owner, AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                VertxContextSupport.subscribeAndAwait(() -> scheduler.tick(owner));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            Eventually.pause(Duration.ofMillis(20));
        }
    }

    private static long syncedSince(UUID accountId, Instant since) {
        return (long) row("select count(*) as n from klaviyo_list where account_id = ? and last_synced_at > ?",
                accountId, since).get("n");
    }

    private static Map<String, Long> requestsPerList(SimulatedAccount klaviyo, List<String> lists) {
        Map<String, Long> counts = new HashMap<>();
        lists.forEach(listId -> counts.put(listId, klaviyo.counters().requestsForList(listId)));
        return counts;
    }
}
