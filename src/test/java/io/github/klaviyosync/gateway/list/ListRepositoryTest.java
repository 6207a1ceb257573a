package io.github.klaviyosync.gateway.list;

import static io.github.klaviyosync.gateway.testsupport.RolledBack.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.github.klaviyosync.gateway.testsupport.RolledBack;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lease rules of {@link ListRepository}, each in a transaction that is rolled back. */
@QuarkusTest
class ListRepositoryTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    ListRepository lists;

    @Inject
    Pool pool;

    @Test
    void aClaimTakesTheAccountsInTurnAndCountsTheLeasesTheirListsHoldAlready() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        Map<UUID, Long> claimed = RolledBack.run(pool, connection -> onlyTheseDue(connection, a, b, c)
                .call(() -> account(connection, a).call(() -> dueLists(connection, a, 4)))
                .call(() -> account(connection, b).call(() -> dueLists(connection, b, 4)))
                .call(() -> account(connection, c).call(() -> dueLists(connection, c, 1)))
                // Another instance syncs one of a's lists now.
                .call(() -> connection.preparedQuery("""
                        insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, lease_owner, lease_until)
                        values ($1, 'held', 'held', 'discovery', 'other-instance', now() + interval '1 minute')""")
                        .execute(Tuple.of(a)))
                .chain(() -> lists.claim(connection, "this-instance", 5, 2, LEASE))
                .map(leases -> leases.stream().collect(Collectors.groupingBy(ListLease::accountId, Collectors.counting()))));

        assertEquals(Map.of(a, 1L, b, 2L, c, 1L), claimed, "two per account at most, the held lease counted");
    }

    @Test
    void aClaimLeavesOutTheListsOfAccountsThatAreNotActiveHowEverLongOverdue() {
        UUID active = UUID.randomUUID();
        UUID rejectedKey = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        Map<UUID, Long> claimed = RolledBack.run(pool, connection -> onlyTheseDue(connection, active, rejectedKey, deleted)
                .call(() -> account(connection, active).call(() -> dueLists(connection, active, 2)))
                .call(() -> account(connection, rejectedKey).call(() -> dueLists(connection, rejectedKey, 3)))
                .call(() -> account(connection, deleted).call(() -> dueLists(connection, deleted, 3)))
                // Their lists are overdue by days, so they would rank before the active account's.
                .call(() -> connection.preparedQuery("""
                        update klaviyo_list set next_sync_at = next_sync_at - interval '3 days' where account_id <> $1""")
                        .execute(Tuple.of(active)))
                .call(() -> status(connection, rejectedKey, "auth_failed"))
                .call(() -> status(connection, deleted, "deleted"))
                .chain(() -> lists.claim(connection, "this-instance", 10, 5, LEASE))
                .map(leases -> leases.stream().collect(Collectors.groupingBy(ListLease::accountId, Collectors.counting()))));

        assertEquals(Map.of(active, 2L), claimed, "only the active account's lists are claimed");
    }

    /**
     * In a backlog the claim ranks only a window of the oldest due lists ({@code CLAIM_WINDOW}). An
     * account held at its cap whose lists are the oldest of all must not fill that window, and a list a
     * push made due, the newest of all and behind a full window, must still rank first in its account.
     */
    @Test
    void aClaimInABacklogPassesOverAnAccountAtItsCapAndTakesWhatAPushMadeDue() {
        UUID capped = UUID.randomUUID();
        UUID waiting = UUID.randomUUID();
        UUID pushed = UUID.randomUUID();
        Map<UUID, Set<String>> claimed = RolledBack.run(pool, connection -> onlyTheseDue(connection, capped, waiting, pushed)
                .call(() -> account(connection, capped).call(() -> dueLists(connection, capped, ListRepository.CLAIM_WINDOW + 100)))
                .call(() -> connection.preparedQuery("""
                        update klaviyo_list
                           set next_sync_at = next_sync_at - interval '1 year',
                               lease_owner = case when klaviyo_list_id in ('L1', 'L2') then 'other-instance' end,
                               lease_until = case when klaviyo_list_id in ('L1', 'L2') then now() + interval '1 minute' end
                         where account_id = $1""")
                        .execute(Tuple.of(capped)))
                .call(() -> account(connection, waiting).call(() -> dueLists(connection, waiting, ListRepository.CLAIM_WINDOW + 10)))
                .call(() -> account(connection, pushed).call(() -> dueLists(connection, pushed, 1)))
                .call(() -> connection.preparedQuery("update klaviyo_list set next_sync_at = now() + interval '1 day' where account_id = $1")
                        .execute(Tuple.of(pushed)))
                .call(() -> rows(connection, "select id from klaviyo_list where account_id = $1", pushed)
                        .chain(found -> lists.requestPoll(connection, pushed, List.of(found.get(0).getLong("id")))))
                .chain(() -> lists.claim(connection, "this-instance", 3, 2, LEASE))
                .map(leases -> leases.stream().collect(Collectors.groupingBy(ListLease::accountId,
                        Collectors.mapping(ListLease::klaviyoListId, Collectors.toSet())))));

        // dueLists makes L1 the least overdue of an account's lists.
        String oldest = "L" + (ListRepository.CLAIM_WINDOW + 10);
        String next = "L" + (ListRepository.CLAIM_WINDOW + 9);
        assertEquals(Map.of(pushed, Set.of("L1"), waiting, Set.of(oldest, next)), claimed,
                "the pushed list and the waiting account's two oldest; none of the account at its cap");
    }

    @Test
    void onlyTheClaimThatHoldsAListCompletesItEvenAfterTheSameInstanceClaimedItAgain() {
        UUID account = UUID.randomUUID();
        List<Object> outcome = RolledBack.run(pool, connection -> onlyTheseDue(connection, account)
                .call(() -> account(connection, account).call(() -> dueLists(connection, account, 1)))
                .chain(() -> lists.claim(connection, "instance-1", 1, 2, LEASE))
                .map(leases -> leases.get(0))
                // The first claim stalls past its lease; the same instance claims the list again.
                .call(first -> connection.preparedQuery("update klaviyo_list set lease_until = now() - interval '1 second' where id = $1")
                        .execute(Tuple.of(first.listId())))
                .chain(first -> lists.claim(connection, "instance-1", 1, 2, LEASE)
                        .map(again -> List.of(first, again.get(0))))
                .chain(both -> completions(connection, both.get(0), both.get(1))));

        ListLease first = (ListLease) outcome.get(0);
        ListLease again = (ListLease) outcome.get(1);
        assertEquals(first.listId(), again.listId());
        assertNotEquals(first.token(), again.token(), "each claim has a token of its own");
        assertFalse((Boolean) outcome.get(2), "the stalled claim completes nothing");
        assertEquals(0, (Integer) outcome.get(3), "nor releases anything");
        assertTrue((Boolean) outcome.get(4), "the live claim completes the list");
        Row row = (Row) outcome.get(5);
        assertNull(row.getValue("lease_token"));
        assertNull(row.getValue("lease_owner"));
        assertEquals(row.getOffsetDateTime("started").plusMinutes(15), row.getOffsetDateTime("next_sync_at"),
                "due again one interval after the sync started");
    }

    /**
     * A poll a push asks for while the list is being synced survives that sync's completion: the sync
     * began before the push, so it may have read the list before the member it names came back.
     */
    @Test
    void aPollRequestedDuringASyncStaysDueAfterTheSyncCompletes() {
        UUID account = UUID.randomUUID();
        Row row = RolledBack.run(pool, connection -> claimedList(connection, account)
                .call(lease -> lists.requestPoll(connection, account, List.of(lease.listId())))
                .call(lease -> lists.complete(connection, lease, Instant.now(), Duration.ofMinutes(15), false))
                .chain(lease -> rows(connection, """
                        select pending_trigger, next_sync_at <= now() as due, lease_token from klaviyo_list where id = $1""",
                        lease.listId()))
                .map(found -> found.get(0)));

        assertNull(row.getValue("lease_token"), "the sync completed");
        assertEquals("webhook", row.getString("pending_trigger"), "the request is still pending");
        assertTrue(row.getBoolean("due"), "and the list due at once");
    }

    /** A poll requested for a list being synced is due now, even when the list's next_sync_at lay ahead. */
    @Test
    void aPollRequestedDuringASyncIsDueNowWhateverTheListsDueTime() {
        UUID account = UUID.randomUUID();
        Row row = RolledBack.run(pool, connection -> claimedList(connection, account)
                .call(lease -> connection.preparedQuery("update klaviyo_list set next_sync_at = now() + interval '1 day' where id = $1")
                        .execute(Tuple.of(lease.listId())))
                .call(lease -> lists.requestPoll(connection, account, List.of(lease.listId())))
                .chain(lease -> rows(connection, "select next_sync_at <= now() as due from klaviyo_list where id = $1", lease.listId()))
                .map(found -> found.get(0)));

        assertTrue(row.getBoolean("due"));
    }

    /** The account's one list, the only one due, claimed by instance-1. */
    private Uni<ListLease> claimedList(SqlConnection connection, UUID account) {
        return onlyTheseDue(connection, account)
                .call(() -> account(connection, account).call(() -> dueLists(connection, account, 1)))
                .chain(() -> lists.claim(connection, "instance-1", 1, 2, LEASE))
                .map(leases -> leases.get(0));
    }

    private Uni<List<Object>> completions(SqlConnection connection, ListLease stale, ListLease live) {
        Instant startedAt = Instant.parse("2026-11-30T10:00:00Z");
        return lists.complete(connection, stale, startedAt, Duration.ofMinutes(15), false)
                .chain(staleCompleted -> lists.releaseFailed(connection, stale, Duration.ofSeconds(30))
                        .chain(staleReleased -> lists.complete(connection, live, startedAt, Duration.ofMinutes(15), false)
                                .chain(liveCompleted -> rows(connection, """
                                                select lease_token, lease_owner, next_sync_at, $2::timestamptz as started
                                                  from klaviyo_list where id = $1""", live.listId(),
                                                OffsetDateTime.parse("2026-11-30T10:00:00Z"))
                                        .map(found -> List.<Object>of(stale, live, staleCompleted, staleReleased, liveCompleted,
                                                found.get(0))))));
    }

    /** Lists of other tests stop being due inside this transaction, so a claim sees only this test's. */
    private static Uni<Void> onlyTheseDue(SqlConnection connection, UUID... accounts) {
        return connection.preparedQuery("update klaviyo_list set next_sync_at = 'infinity' where account_id <> all($1::uuid[])")
                .execute(Tuple.of(accounts))
                .replaceWithVoid();
    }

    /**
     * A walk that began before its account was deleted (or its key refused) saves its lists as of the
     * account's status: they stay out of the due lists, as {@code ListsFollowAccountStatus} left them.
     */
    @Test
    void discoveredListsFollowTheirAccountsStatusNotTheWalks() {
        UUID deleted = UUID.randomUUID();
        List<Row> saved = RolledBack.run(pool, connection -> account(connection, deleted)
                .call(() -> dueLists(connection, deleted, 1))
                .call(() -> status(connection, deleted, "deleted"))
                .call(() -> connection.preparedQuery("update klaviyo_list set account_active = false where account_id = $1")
                        .execute(Tuple.of(deleted)))
                .call(() -> lists.saveDiscovered(connection, deleted, SyncTrigger.SCHEDULE, List.of(
                        new ListItem("L1", "Renamed", null, null), new ListItem("L2", "New", null, null))))
                .chain(() -> rows(connection, "select klaviyo_list_id, name, account_active from klaviyo_list"
                        + " where account_id = $1 order by klaviyo_list_id", deleted)));

        assertEquals(List.of("L1:Renamed:false", "L2:New:false"), saved.stream()
                .map(row -> row.getString("klaviyo_list_id") + ":" + row.getString("name") + ":" + row.getBoolean("account_active"))
                .toList());
    }

    private static Uni<Void> account(SqlConnection connection, UUID id) {
        return connection.preparedQuery("insert into account (id, name, api_key_enc) values ($1, 'test', '\\x00')")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    private static Uni<Void> status(SqlConnection connection, UUID account, String status) {
        return connection.preparedQuery("update account set status = $2 where id = $1")
                .execute(Tuple.of(account, status))
                .replaceWithVoid();
    }

    private static Uni<Void> dueLists(SqlConnection connection, UUID account, int count) {
        return connection.preparedQuery("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at)
                select $1, 'L' || n, 'List ' || n, 'discovery', now() - n * interval '1 minute' from generate_series(1, $2) n""")
                .execute(Tuple.of(account, count))
                .replaceWithVoid();
    }
}
