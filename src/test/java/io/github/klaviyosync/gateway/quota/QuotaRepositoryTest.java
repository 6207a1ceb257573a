package io.github.klaviyosync.gateway.quota;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.QuotaLedger;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaGrant;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLease;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLimits;
import io.github.klaviyosync.gateway.klaviyo.RateTier;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared budget's rules, as the database applies them to leases from any number of holders. An
 * hour-long window keeps the clock out of the way; the pace each lease is allowed is computed from
 * the database clock its answer carries.
 */
@QuarkusTest
class QuotaRepositoryTest {

    private static final long HOUR = 3_600_000;
    private static final long GUARD = 250;

    @Inject
    QuotaLedger ledger;

    /** 350 a window, 37 a burst window, no pace (a lead of the whole window). */
    private static QuotaLimits limits(long window, long burst, int perBurst, long lead) {
        return new QuotaLimits(350, perBurst, window, burst, lead, 0, GUARD, 35);
    }

    private static QuotaLimits unpaced() {
        return limits(HOUR, HOUR, 10_000, HOUR);
    }

    private QuotaGrant lease(String key, int want, QuotaLimits limits) {
        return ledger.lease(new QuotaLease(key, RateTier.L, want, 0, 0, null, 0, limits)).await().atMost(Duration.ofSeconds(10));
    }

    private static String budget() {
        return UUID.randomUUID().toString();
    }

    @Test
    void noMoreThanTheShareOfAWindowIsLeasedWhateverIsAsked() {
        String key = budget();
        QuotaGrant first = lease(key, 500, unpaced());
        QuotaGrant second = lease(key, 1, unpaced());

        assertEquals(350, first.granted());
        assertEquals(0, second.granted());
        assertEquals(350, second.windowUsed());
        assertEquals(350, second.windowCap());
    }

    @Test
    void holdersTogetherNeverLeaseMoreThanTheWindowsShareAndOneThatStopsHoldsOnlyItsSlice() {
        String key = budget();
        QuotaGrant dead = lease(key, 10, unpaced());
        List<Uni<QuotaGrant>> leases = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            leases.add(ledger.lease(new QuotaLease(key, RateTier.L, 7, 0, 0, null, 0, unpaced())));
        }
        List<QuotaGrant> grants = Uni.join().all(leases).andFailFast().await().atMost(Duration.ofSeconds(30));

        int total = grants.stream().mapToInt(QuotaGrant::granted).sum();
        assertEquals(10, dead.granted());
        assertEquals(340, total, "the 60 leases of 7 share what the stopped holder's slice left, no more");
    }

    @Test
    void unusedPermitsComeBackToTheirWindow() {
        String key = budget();
        QuotaGrant first = lease(key, 100, unpaced());
        QuotaGrant back = ledger.lease(new QuotaLease(key, RateTier.L, 0, 40, first.windowStart(), null, 0, unpaced()))
                .await().atMost(Duration.ofSeconds(10));
        QuotaGrant ofAnotherWindow = ledger.lease(new QuotaLease(key, RateTier.L, 0, 40, first.windowStart() - HOUR, null, 0,
                unpaced())).await().atMost(Duration.ofSeconds(10));

        assertEquals(60, back.windowUsed());
        assertEquals(60, ofAnotherWindow.windowUsed(), "permits of a past window do not come back to this one");
        assertEquals(290, lease(key, 1_000, unpaced()).granted());
    }

    @Test
    void aLowerPriorityDrawsNoFurtherAheadOfTheEvenPaceThanItsLead() {
        String key = budget();
        long bulkLead = 60_000;
        QuotaGrant bulk = lease(key, 1_000, limits(HOUR, HOUR, 10_000, bulkLead));
        long elapsed = bulk.dbNow() - bulk.windowStart();
        long pace = (long) Math.ceil(350.0 * (elapsed + bulkLead) / (HOUR - GUARD));

        assertEquals(Math.min(350, pace), bulk.granted(), "the bulk lease's pace at " + elapsed + " ms into the window");
        QuotaGrant bulkAgain = lease(key, 1_000, limits(HOUR, HOUR, 10_000, bulkLead));
        assertTrue(bulkAgain.granted() <= 1, "nothing more until the pace moves on: " + bulkAgain.granted());
        QuotaGrant lookup = lease(key, 1_000, unpaced());
        assertEquals(350 - bulk.granted() - bulkAgain.granted(), lookup.granted(), "a look-up may draw the whole window");
    }

    @Test
    void theBurstWindowBoundsWhatIsLeasedWithinIt() {
        String key = budget();
        QuotaLimits burstOfTen = limits(HOUR, HOUR, 10, HOUR);

        assertEquals(8, lease(key, 8, burstOfTen).granted());
        QuotaGrant second = lease(key, 8, burstOfTen);
        assertEquals(2, second.granted());
        assertEquals(10, second.burstUsed());
    }

    @Test
    void aPauseHoldsEveryHolderAndA429IsCounted() {
        String key = budget();
        lease(key, 5, unpaced());
        ledger.pause(key, RateTier.L, unpaced(), 60_000, true, false).await().atMost(Duration.ofSeconds(10));

        QuotaGrant paused = lease(key, 5, unpaced());
        assertEquals(0, paused.granted());
        assertThat(paused.pausedUntil(), greaterThan(paused.dbNow() + 50_000));
        assertEquals(1L, TestDatabase.row("select throttled from klaviyo_quota where budget_key = ?", key).get("throttled"));
    }

    @Test
    void aWindowKlaviyoSaysIsSpentTakesNoMoreLeases() {
        String key = budget();
        lease(key, 20, unpaced());
        ledger.pause(key, RateTier.L, unpaced(), 1, true, true).await().atMost(Duration.ofSeconds(10));
        Eventually.pause(Duration.ofMillis(5));

        QuotaGrant after = lease(key, 5, unpaced());
        assertEquals(0, after.granted());
        assertEquals(20, after.windowCap());
    }

    @Test
    void aCeilingKlaviyosHeadersLeaveForThisWindowLowersItsCap() {
        String key = budget();
        QuotaGrant first = lease(key, 10, unpaced());
        QuotaGrant capped = ledger.lease(new QuotaLease(key, RateTier.L, 100, 0, 0, 25, first.windowStart(), unpaced()))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(15, capped.granted());
        assertEquals(25, capped.windowCap());
        QuotaGrant stale = ledger.lease(new QuotaLease(key, RateTier.L, 100, 0, 0, 5, first.windowStart() - HOUR, unpaced()))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(25, stale.windowCap(), "a proposal for another window changes nothing");
    }

    @Test
    void aNewWindowStartsAfreshAndALoweredBudgetRecoversStepByStep() {
        String key = budget();
        long window = 300;
        QuotaLimits brief = new QuotaLimits(350, 10_000, window, window, window, 0, 0, 35);
        QuotaGrant first = ledger.lease(new QuotaLease(key, RateTier.L, 100, 0, 0, 100, -1, brief))
                .await().atMost(Duration.ofSeconds(10));
        QuotaGrant lowered = ledger.lease(new QuotaLease(key, RateTier.L, 1, 0, 0, 100, first.windowStart(), brief))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(100, lowered.windowCap());

        QuotaGrant next = lease(key, 1_000, brief);
        while (next.windowStart() == first.windowStart()) {
            Eventually.pause(Duration.ofMillis(20));
            next = lease(key, 1_000, brief);
        }

        assertEquals(next.granted(), next.windowUsed(), "nothing of the last window counts");
        assertEquals(135, next.windowCap(), "the lowered budget regains a tenth of the share");
    }
}
