package io.github.klaviyosync.gateway.klaviyo;

import static io.github.klaviyosync.gateway.klaviyo.QuotaTestRig.account;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLease;
import io.github.klaviyosync.gateway.klaviyo.QuotaTestRig.Acquired;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The local cache of the shared budget on a clock the test moves: what it asks the ledger, when,
 * and in which order it lets calls go. Replaces the governor's test, which waited on real windows.
 */
class QuotaCacheTest {

    private static final KlaviyoOperation MEMBERS = KlaviyoOperation.GET_PROFILES_FOR_LIST;

    private final QuotaTestRig rig = new QuotaTestRig();

    @Test
    void aSliceServesManyCallsSoAPermitCostsFarLessThanARoundTrip() {
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        int calls = 200;
        for (int i = 0; i < calls; i++) {
            assertTrue(rig.acquire(sync, MEMBERS).released, "call " + i + " went at once");
            rig.advance(150);
        }

        int leases = rig.ledger.leases.size();
        Logger.getLogger(QuotaCacheTest.class).infof("%d calls at 150 ms apart: %d leases (%.3f round trips a call)",
                calls, leases, (double) leases / calls);
        assertThat(leases, lessThanOrEqualTo(calls / 10));
        // A slice is at most what a TTL of the share's even pace holds: 350 a minute, 5 s, 30.
        assertThat(rig.ledger.leases.stream().mapToInt(QuotaLease::want).max().orElseThrow(), lessThanOrEqualTo(31));
    }

    @Test
    void waitingCallsGoMostUrgentFirstThenInTurn() {
        rig.ledger.hold();
        List<Acquired> bulk = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bulk.add(rig.acquire(account("a", CallPriority.BULK), MEMBERS));
        }
        Acquired sweep = rig.acquire(account("a", CallPriority.SWEEP), MEMBERS);
        Acquired lookup = rig.acquire(account("a", CallPriority.LOOKUP), MEMBERS);
        Acquired sync = rig.acquire(account("a", CallPriority.SYNC), MEMBERS);
        assertEquals(1, rig.ledger.leases.size(), "one lease in flight for every waiting call");

        rig.ledger.answer(2);

        assertTrue(lookup.released && sync.released);
        assertFalse(sweep.released || bulk.get(0).released);
        QuotaLease next = rig.ledger.lastLease();
        assertEquals(2, rig.ledger.leases.size(), "the calls still waiting asked at once for more");
        assertEquals(1, rig.cache.trackedSlices());
        assertEquals(6, next.want(), "the four calls still waiting, and two more for the pace just seen");
        assertEquals(sweepLead(), next.limits().leadMillis(), "asked at the priority of the most urgent still waiting");

        rig.ledger.answer(2);

        assertTrue(sweep.released && bulk.get(0).released);
        assertFalse(bulk.get(1).released || bulk.get(2).released);
    }

    @Test
    void a429PausesTheAccountsCallsHereAndOnEveryInstance() {
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        rig.cache.throttled(sync, MEMBERS, 7_000, true);

        assertEquals(1, rig.ledger.pauses.size());
        assertEquals(7_000, rig.ledger.pauses.get(0)[0]);
        assertTrue(rig.ledger.pausesThrottled.get(0));
        Acquired waiting = rig.acquire(sync, MEMBERS);
        assertFalse(waiting.released, "not during the pause, though the slice has permits");
        rig.advance(6_900);
        assertFalse(waiting.released);
        rig.advance(100);
        assertTrue(waiting.released);
        assertEquals(0, rig.cache.millisUntilFree("a", MEMBERS));
    }

    @Test
    void aPauseAnotherInstanceLearnedArrivesWithTheNextLease() {
        rig.ledger.pausedUntil = rig.ledger.dbNow() + 3_000;
        rig.ledger.rule = lease -> rig.ledger.grant(lease, 0);
        Acquired waiting = rig.acquire(account("a", CallPriority.LOOKUP), MEMBERS);

        assertFalse(waiting.released);
        assertEquals(3_000, rig.cache.millisUntilFree("a", MEMBERS));
        rig.ledger.pausedUntil = 0;
        rig.ledger.rule = lease -> rig.ledger.grant(lease, lease.want());
        rig.advance(2_999);
        assertFalse(waiting.released);
        rig.advance(1);
        assertTrue(waiting.released);
        assertEquals(2, rig.ledger.leases.size(), "asked again when the pause ended, not before");
    }

    @Test
    void aPauseNamedByALeaseThatWaitedOnItsWayEndsNoSoonerForIt() {
        // The lease waits 800 ms for the budget's row (another instance holds its lock), then the
        // database reads its clock, names a pause of 3 s and answers at once.
        rig.ledger.hold();
        Acquired waiting = rig.acquire(account("a", CallPriority.LOOKUP), MEMBERS);
        rig.advance(800);
        rig.ledger.pausedUntil = rig.ledger.dbNow() + 3_000;
        rig.ledger.answer(0);

        // Halving the round trip would end the pause 400 ms early here, into Klaviyo's.
        assertEquals(List.of(3_000L), rig.timers.pending());
        assertFalse(waiting.released);
        assertEquals(1, rig.ledger.leases.size());
        rig.advance(3_000);
        assertEquals(2, rig.ledger.leases.size(), "asked again when the pause ended");
    }

    @Test
    void anAnswerThatWaitedOnItsWayBackStretchesNoPermitIntoItsWindowsGuard() {
        // 1 s before the window's end the lease goes out, the database reads its clock at once, and
        // the answer waits 800 ms for a busy event loop: 200 ms of the window are left, inside the
        // 250 ms guard in which no permit of the window goes, lest its call reach Klaviyo in the next.
        rig.advance(59_000);
        rig.ledger.hold();
        long readAt = rig.ledger.dbNow();
        Acquired waiting = rig.acquire(account("a", CallPriority.LOOKUP), MEMBERS);
        rig.advance(800);
        rig.ledger.answerReadAt(1, readAt);

        // Halving the round trip would place the window's end 400 ms late and let the call go now.
        assertFalse(waiting.released, "not on a permit of a window in its guard");
        assertEquals(2, rig.ledger.leases.size(), "the lapsed permit is asked for again");
        rig.advance(200);
        rig.ledger.answer(1);
        assertTrue(waiting.released, "in the next window, on its permit");
    }

    @Test
    void nothingRemainingAtKlaviyoPausesUntilItsWindowResets() {
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        rig.cache.observe(sync, MEMBERS, 700, 0, 12);

        assertEquals(12_000, rig.ledger.pauses.get(0)[0]);
        assertFalse(rig.ledger.pausesThrottled.get(0), "not a 429");
        assertEquals(12_000, rig.cache.millisUntilFree("a", MEMBERS));
    }

    @Test
    void unusedPermitsGoBackWithTheNextLeaseWhileTheirWindowLasts() {
        rig.ledger.rule = lease -> rig.ledger.grant(lease, 5);
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        long window = rig.ledger.windowStart();

        rig.advance(6_000);
        assertTrue(rig.acquire(sync, MEMBERS).released);

        QuotaLease second = rig.ledger.lastLease();
        assertEquals(4, second.returned());
        assertEquals(window, second.returnedWindow());

        rig.advance(60_000);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        assertEquals(0, rig.ledger.lastLease().returned(), "a past window's permits lapse with it");
    }

    @Test
    void theInstanceStoppingGivesItsPermitsInHandBackAtOnce() {
        rig.ledger.rule = lease -> lease.want() == 0 ? rig.ledger.grant(lease, 0) : rig.ledger.grant(lease, 5);
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        long window = rig.ledger.windowStart();
        int leases = rig.ledger.leases.size();

        List<Integer> given = new ArrayList<>();
        rig.cache.giveBack().subscribe().with(given::add);

        // One lease that only gives back: the four permits in hand, in their window.
        assertEquals(List.of(4), given);
        assertEquals(leases + 1, rig.ledger.leases.size());
        QuotaLease giveBack = rig.ledger.lastLease();
        assertEquals(0, giveBack.want());
        assertEquals(4, giveBack.returned());
        assertEquals(window, giveBack.returnedWindow());

        // They are no longer here: the next call leases anew, and nothing is given back twice.
        assertTrue(rig.acquire(sync, MEMBERS).released);
        assertEquals(leases + 2, rig.ledger.leases.size());
        assertEquals(0, rig.ledger.lastLease().returned());
    }

    @Test
    void klaviyosLowerLimitLowersTheShare() {
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        assertEquals(350, rig.ledger.lastLease().limits().perWindow());
        assertEquals(37, rig.ledger.lastLease().limits().perBurst());

        rig.cache.observe(sync, MEMBERS, 60, 55, 30);
        rig.advance(6_000);
        assertTrue(rig.acquire(sync, MEMBERS).released);

        assertEquals(30, rig.ledger.lastLease().limits().perWindow());
        assertEquals(3, rig.ledger.lastLease().limits().perBurst());
    }

    /**
     * A tier of one request a second (get_accounts, a list's profile_count) cannot be split into half
     * a permit: its share is kept by a longer burst window, one request every two seconds, where it
     * took Klaviyo's whole second before. Tiers of several a second keep the one-second window.
     */
    @Test
    void aTierOfOneRequestASecondKeepsItsShareByALongerBurstWindow() {
        assertTrue(rig.acquire(account("a", CallPriority.LOOKUP), KlaviyoOperation.GET_ACCOUNTS).released);
        QuotaLedger.QuotaLimits single = rig.ledger.lastLease().limits();
        assertEquals(1, single.perBurst());
        assertEquals(2_000, single.burstMillis(), "0.5 of 1/s");

        assertTrue(rig.acquire(account("b", CallPriority.SYNC), MEMBERS).released);
        assertEquals(1_000, rig.ledger.lastLease().limits().burstMillis());
    }

    @Test
    void theOtherToolsPaceSoFarIsLeftToThemForTheRestOfTheWindow() {
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        rig.advance(30_000);
        rig.ledger.windowUsed = 99;
        assertTrue(rig.acquire(sync, MEMBERS).released);
        // Half the window gone: the gateway leased 100, Klaviyo counted 300 (the other tools 200).
        rig.cache.observe(sync, MEMBERS, 700, 400, 30);
        rig.advance(6_000);
        assertTrue(rig.acquire(sync, MEMBERS).released);

        QuotaLease lease = rig.ledger.lastLease();
        long dbWindow = rig.ledger.windowStart();
        assertEquals(dbWindow, lease.ceilingWindow());
        // 100 + 400 left, less 35 of headroom, less the 200 the other tools will send in the other half.
        assertEquals(265, lease.ceiling());
        assertNull(rig.ledger.leases.get(0).ceiling(), "no news before");
    }

    @Test
    void aKlaviyoWindowThatIsNotOursProjectsNothing() {
        KlaviyoCredentials sync = account("a", CallPriority.SYNC);
        rig.advance(30_000);
        assertTrue(rig.acquire(sync, MEMBERS).released);
        rig.cache.observe(sync, MEMBERS, 700, 400, 50);
        rig.advance(6_000);
        assertTrue(rig.acquire(sync, MEMBERS).released);

        assertNull(rig.ledger.lastLease().ceiling());
    }

    @Test
    void aStarvedHolderAsksAgainWhenThePaceHasMadeRoomAndSpendsWhenThePaceReachesItsPermit() {
        rig.advance(30_000);
        rig.ledger.windowUsed = 200;
        rig.ledger.rule = lease -> rig.ledger.grant(lease, 0);
        Acquired waiting = rig.acquire(account("a", CallPriority.BULK), MEMBERS);
        assertFalse(waiting.released);

        // 350 over 59.75 s: the 201st permit is the pace's at 34.314 s; a backfill may reserve it 1.8 s
        // (its lead) + 2.5 s (half a slice) before, and spend it 1.8 s before.
        long asks = rig.timers.pending().get(0);
        long paceOf201 = (long) Math.ceil(201 * 59_750.0 / 350);
        assertEquals(paceOf201 - 1_800 - 2_500 - 30_000, asks);
        rig.ledger.rule = lease -> rig.ledger.grant(lease, lease.want());
        rig.advance(asks);
        assertEquals(2, rig.ledger.leases.size());
        assertFalse(waiting.released, "reserved, not yet due");
        rig.advance(paceOf201 - 1_800 - 30_000 - asks - 1);
        assertFalse(waiting.released);
        rig.advance(1);
        assertTrue(waiting.released);
        assertEquals(2, rig.ledger.leases.size(), "no lease to wait for a reserved permit");
    }

    @Test
    void aMoreUrgentCallDoesNotWaitBehindAReservedPermit() {
        rig.advance(30_000);
        rig.ledger.windowUsed = 220;
        Acquired bulk = rig.acquire(account("a", CallPriority.BULK), MEMBERS);
        assertFalse(bulk.released, "the backfill's permit is reserved for later in the window");

        Acquired lookup = rig.acquire(account("a", CallPriority.LOOKUP), MEMBERS);

        assertTrue(lookup.released, "a look-up leases on its own priority at once");
        assertFalse(bulk.released);
        assertEquals(2, rig.ledger.leases.size());
    }

    @Test
    void aSpentWindowSendsTheNextLeaseToTheNextWindow() {
        rig.advance(20_000);
        rig.ledger.windowUsed = 350;
        rig.ledger.rule = lease -> rig.ledger.grant(lease, 0);
        Acquired waiting = rig.acquire(account("a", CallPriority.LOOKUP), MEMBERS);

        assertEquals(40_000, rig.timers.pending().get(0));
        rig.ledger.windowUsed = 0;
        rig.ledger.rule = lease -> rig.ledger.grant(lease, lease.want());
        rig.advance(40_000);
        assertTrue(waiting.released);
    }

    @Test
    void aBudgetThatCannotBeReadFailsTheWaitingCallsAsKlaviyoUnavailable() {
        rig.ledger.failWith.set(new IllegalStateException("database down"));
        Acquired failed = rig.acquire(account("a", CallPriority.SYNC), MEMBERS);

        assertThat(failed.failure, instanceOf(KlaviyoUnavailableException.class));
        rig.ledger.failWith.set(null);
        assertTrue(rig.acquire(account("a", CallPriority.SYNC), MEMBERS).released, "the next call leases again");
    }

    @Test
    void eachTierOfAnAccountHasItsOwnSliceAndHoldersTheirs() {
        assertTrue(rig.acquire(account("a", CallPriority.SYNC), MEMBERS).released);
        assertTrue(rig.acquire(account("a", CallPriority.SYNC), KlaviyoOperation.GET_ACCOUNTS).released);
        assertTrue(rig.acquire(account("a", CallPriority.SYNC).heldBy("engine-b"), MEMBERS).released);

        assertEquals(3, rig.cache.trackedSlices());
        assertEquals(7, rig.ledger.leases.get(1).limits().perWindow(), "half of 15 a minute");
        assertEquals(1, rig.ledger.leases.get(1).limits().perBurst(), "never less than one");
    }

    @Test
    void accountsIdleLongerThanTheEvictionTimeAreForgotten() {
        for (int i = 0; i < 1_000; i++) {
            assertTrue(rig.acquire(account("account-" + i, CallPriority.SYNC), MEMBERS).released);
        }
        assertEquals(1_000, rig.cache.trackedSlices());

        rig.advance(6 * 60_000);
        rig.acquire(account("busy", CallPriority.SYNC), MEMBERS);
        assertEquals(1_001, rig.cache.trackedSlices());

        rig.advance(5 * 60_000);
        rig.acquire(account("busy", CallPriority.SYNC), MEMBERS);
        assertEquals(1, rig.cache.trackedSlices());
    }

    private static long sweepLead() {
        return Math.round(0.08 * 60_000);
    }
}
