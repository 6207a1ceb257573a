package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.addSmsMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.list;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.makeDue;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.runs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResumeAfterFailureTest {

    private static final String MEMBERS = "get_profiles_for_list";

    @Inject
    TestAccounts accounts;

    @Test
    void resumesAtTheFailedPageWithoutFetchingEarlierPagesAgain() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Checkout popup");
        Instant first = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> members = addSmsMembers(klaviyo, listId, 1000, first, false);
        klaviyo.faults().failMembersPage(listId, 4, 503, 1_000);

        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(90), "the backfill fails at page 4", () -> runs(accountId, listId, "failed") >= 1);

        assertEquals(300, activeMembers(accountId, listId), "pages 1 to 3 are committed");
        assertEquals(first.plusSeconds(299), (Instant) list(accountId, listId).get("member_cursor"));
        assertNotNull(list(accountId, listId).get("page_cursor"), "the next page's cursor is checkpointed");

        klaviyo.faults().clear();
        long requestsBefore = klaviyo.counters().requests(MEMBERS);
        makeDue(accountId, listId);
        Eventually.until(Duration.ofSeconds(60), "the resumed sync completes", () -> runs(accountId, listId, "succeeded") == 1);

        assertEquals(1000, activeMembers(accountId, listId), "no member lost");
        assertEquals(7, klaviyo.counters().requests(MEMBERS) - requestsBefore, "pages 4 to 10, nothing before");
        assertEquals(1000, list(accountId, listId).get("member_count"));
        assertNull(list(accountId, listId).get("page_cursor"));
        assertEquals(members.size(), (long) members.stream().distinct().count());
    }

    @Test
    void fallsBackToTheTimestampWhenKlaviyoRefusesTheCheckpointedCursor() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Exit intent");
        Instant first = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        addSmsMembers(klaviyo, listId, 500, first, false);
        klaviyo.faults().failMembersPage(listId, 3, 503, 1_000);

        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(90), "the backfill fails at page 3", () -> runs(accountId, listId, "failed") >= 1);
        assertEquals(200, activeMembers(accountId, listId));

        klaviyo.faults().clear().expireIssuedCursors();
        long requestsBefore = klaviyo.counters().requests(MEMBERS);
        makeDue(accountId, listId);
        Eventually.until(Duration.ofSeconds(60), "the resumed sync completes", () -> runs(accountId, listId, "succeeded") == 1);

        assertEquals(500, activeMembers(accountId, listId), "no member lost");
        // One refused cursor, then pages from the last committed member's second: members 200..499.
        assertEquals(1 + 4, klaviyo.counters().requests(MEMBERS) - requestsBefore);
    }

    @Test
    void aBulkImportSharingOneSecondResumesMidSecondInsteadOfStartingOver() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("CSV import");
        Instant sameSecond = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        addSmsMembers(klaviyo, listId, 1000, sameSecond, true);
        klaviyo.faults().failMembersPage(listId, 6, 503, 1_000);

        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(90), "the backfill fails at page 6", () -> runs(accountId, listId, "failed") >= 1);
        assertEquals(500, activeMembers(accountId, listId));

        klaviyo.faults().clear();
        long requestsBefore = klaviyo.counters().requests(MEMBERS);
        makeDue(accountId, listId);
        Eventually.until(Duration.ofSeconds(60), "the resumed sync completes", () -> runs(accountId, listId, "succeeded") == 1);

        assertEquals(1000, activeMembers(accountId, listId));
        assertEquals(5, klaviyo.counters().requests(MEMBERS) - requestsBefore, "pages 6 to 10 only");
    }
}
