package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.sync.SyncTestSupport.activeMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.addSmsMembers;
import static io.github.klaviyosync.gateway.sync.SyncTestSupport.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ShortIntervalProfile.class)
class MemberIntervalTest {

    @Inject
    TestAccounts accounts;

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

        // Nobody asks for a sync: the 4-second interval alone brings them.
        Eventually.until(Duration.ofSeconds(20), "the next scheduled syncs bring all 40",
                () -> activeMembers(accountId, listId) == 40);
        // Pages commit before their run is closed: the run that brought them ends a moment later.
        Eventually.until(Duration.ofSeconds(10), "a scheduled sync after the backfill succeeded",
                () -> SyncTestSupport.runs(accountId, listId, "succeeded") >= 2);
    }
}
