package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.addSmsMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MemberIntervalTest {

    @Inject
    TestAccounts accounts;

    @ConfigProperty(name = "gateway.sync.member-interval")
    Duration interval;

    @Test
    void membersWhoJoinLaterAppearAfterTheNextIntervalIncludingThoseInTheCursorSecond() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Popup");
        Instant joined = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        addSmsMembers(klaviyo, listId, 30, joined, false);
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(Duration.ofSeconds(60), "the backfill", () -> activeMembers(accountId, listId) == 30);
        Instant cursor = (Instant) list(accountId, listId).get("member_cursor");
        assertEquals(joined.plusSeconds(29), cursor);

        // Five more join in the very second of the cursor, five a little later.
        addSmsMembers(klaviyo, listId, 5, cursor, true);
        addSmsMembers(klaviyo, listId, 5, Instant.now().truncatedTo(ChronoUnit.SECONDS), false);

        // The schedule: the backfill's list is due again one member interval after that sync started.
        Map<String, Object> backfill = TestDatabase.row("""
                select r.started_at, l.next_sync_at from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and r.status = 'succeeded' order by r.id desc limit 1""", accountId);
        assertEquals(((Instant) backfill.get("started_at")).plus(interval), backfill.get("next_sync_at"));
        // The interval passes (nobody asks for a sync): the scheduled sync brings all 40.
        TestDatabase.execute("update klaviyo_list set next_sync_at = now() where account_id = ? and pending_trigger is null",
                accountId);
        Eventually.until(Duration.ofSeconds(20), "the next scheduled sync brings all 40",
                () -> activeMembers(accountId, listId) == 40);
        // Pages commit before their run is closed: the run that brought them ends a moment later.
        Eventually.until(Duration.ofSeconds(10), "a scheduled sync after the backfill succeeded",
                () -> SyncTestSupport.runs(accountId, listId, "succeeded") >= 2);
    }
}
