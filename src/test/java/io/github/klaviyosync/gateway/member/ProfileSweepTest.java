package io.github.klaviyosync.gateway.member;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.count;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.value;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.testsupport.ApplicationEngine;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The profile sweep against the simulator: the application's own sweep job is paused and each test
 * drives sweeps itself, as the job would after one member interval. Backfills run on the
 * application's own member syncs.
 */
@QuarkusTest
class ProfileSweepTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OWNER = "sweep-test";
    private static final DateTimeFormatter FILTER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    @Inject
    TestAccounts accounts;

    @Inject
    ProfileSweepDispatcher dispatcher;

    @Inject
    ListSyncDispatcher memberSyncs;

    @Inject
    LeaseOwner owner;

    @Inject
    Scheduler scheduler;

    @Inject
    ApplicationEngine applicationEngine;

    @Inject
    ProfileSweepService service;

    @Inject
    SubscriberRepository subscribers;

    @Inject
    Pool pool;

    @BeforeEach
    void pauseTheApplicationsSweeps() {
        scheduler.pause("profile-sweep");
        // A tick that started before the pause may still be claiming (slowly, right after the start-up).
        Eventually.until(WAIT, "the application's sweep tick in flight ends", () -> dispatcher.idle(owner.id()));
    }

    @AfterEach
    void resumeTheApplicationsSweeps() {
        scheduler.resume("profile-sweep");
    }

    @Test
    void aConsentOrPhoneChangeOfAMemberStoredLongAgoIsServedAfterOneIntervalAndOneSweepWithoutAWebhook() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Texts");
        Instant monthsAgo = Instant.now().minus(90, ChronoUnit.DAYS);
        String stops = klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), monthsAgo);
        String moves = klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), monthsAgo.plusSeconds(1));
        // The newest member holds the list's cursor, which each member sync reads again.
        klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), Instant.now().minus(1, ChronoUnit.DAYS));
        String stranger = klaviyo.addProfile(SimProfile.sms(TestSecrets.phone()));
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> stored(accountId, listId) == 3);
        Instant created = (Instant) value("select created_at from account where id = ?", accountId);

        // The first sweep reads from the account's creation on: what the backfill stored, unchanged.
        sweep(accountId, 1);
        Map<String, Object> first = lastSweep(accountId);
        assertEquals("succeeded", first.get("status"));
        assertEquals(0, first.get("profiles_changed"), "what is read again changes nothing");
        assertThat(lastProfilesRequest(klaviyo),
                containsString("filter=greater-than(updated," + FILTER_TIME.format(created.minusSeconds(60)) + ")"));
        Instant due = (Instant) value("select next_sweep_at from profile_sweep where account_id = ?", accountId);
        assertEquals(((Instant) first.get("started_at")).plus(15, ChronoUnit.MINUTES), due, "due again one member interval later");

        // In Klaviyo: one member texts STOP, another's number changes; neither joins a list again.
        klaviyo.changeSmsConsent(stops, "UNSUBSCRIBED");
        klaviyo.changePhone(moves, "(415) 555-2671");
        klaviyo.changeEmail(stranger, "stranger@example.com");
        requestMemberSync(accountId, listId);
        Eventually.until(WAIT, "a member sync after the changes",
                () -> count("select count(*) from sync_run r join klaviyo_list l on l.id = r.list_id"
                        + " where l.account_id = ? and r.status = 'succeeded'", accountId) >= 2);
        assertEquals("SUBSCRIBED", member(accountId, listId, stops).get("smsConsent"), "a member sync does not bring it");
        assertNotEquals("(415) 555-2671", member(accountId, listId, moves).get("phoneRaw"), "nor the new number");

        // One member interval later, one sweep.
        makeSweepDue(accountId);
        sweep(accountId, 2);

        assertEquals("UNSUBSCRIBED", member(accountId, listId, stops).get("smsConsent"));
        Map<String, Object> moved = member(accountId, listId, moves);
        assertEquals("+14155552671", moved.get("phone"));
        assertEquals("(415) 555-2671", moved.get("phoneRaw"));
        assertEquals(0, count("select count(*) from subscriber where account_id = ? and klaviyo_profile_id = ?", accountId, stranger),
                "a profile the gateway does not store is skipped");
        Map<String, Object> run = lastSweep(accountId);
        assertEquals("succeeded", run.get("status"));
        assertEquals(1, run.get("pages"));
        assertEquals(4, run.get("profiles_seen"), "every profile changed since the last sweep, with a margin");
        assertEquals(2, run.get("profiles_changed"));
        assertEquals(0, run.get("profiles_added"));
        assertNull(run.get("list_id"));
        assertEquals(0, count("select count(*) from webhook_event where account_id = ?", accountId), "no webhook");
    }

    @Test
    void aNothingChangedSweepCostsOneRequestAndReadsAgainFromALittleBeforeItsCursor() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Quiet");
        String member = klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), Instant.now().minus(1, ChronoUnit.DAYS));
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> stored(accountId, listId) == 1);
        sweep(accountId, 1);
        Instant changed = klaviyo.changeNames(member, "Ada", "Lovelace");
        makeSweepDue(accountId);
        sweep(accountId, 2);
        assertEquals(changed, value("select updated_cursor from profile_sweep where account_id = ?", accountId));
        assertEquals("Ada", value("select first_name from subscriber where account_id = ? and klaviyo_profile_id = ?",
                accountId, member));

        long before = klaviyo.counters().requests("get_profiles");
        makeSweepDue(accountId);
        sweep(accountId, 3);

        assertEquals(1, klaviyo.counters().requests("get_profiles") - before);
        assertThat(lastProfilesRequest(klaviyo),
                containsString("filter=greater-than(updated," + FILTER_TIME.format(changed.minusSeconds(60)) + ")"));
        Map<String, Object> run = lastSweep(accountId);
        assertEquals(List.of(1, 1, 0), List.of(run.get("pages"), run.get("profiles_seen"), run.get("profiles_changed")),
                "the change read again, changing nothing");
        assertNotNull(value("select last_checked_at from profile_sweep where account_id = ?", accountId));
    }

    @Test
    void anOlderStateInKlaviyoNeverOverwritesANewerStoredOne() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Later wins");
        String member = klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()), Instant.now().minus(1, ChronoUnit.DAYS));
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> stored(accountId, listId) == 1);
        sweep(accountId, 1);

        Instant unsubscribed = klaviyo.changeSmsConsent(member, "UNSUBSCRIBED");
        // A consent event of a later re-subscription reached the gateway first.
        execute("update subscriber set sms_consent = 'SUBSCRIBED', sms_consent_at = ? where account_id = ? and klaviyo_profile_id = ?",
                unsubscribed.plusSeconds(30), accountId, member);
        makeSweepDue(accountId);
        sweep(accountId, 2);

        assertEquals("SUBSCRIBED", member(accountId, listId, member).get("smsConsent"));
        assertEquals(0, lastSweep(accountId).get("profiles_changed"));
    }

    @Test
    void aFailedSweepResumesAtThePageAfterTheLastCommittedOne() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Many");
        List<String> ids = klaviyo.addMembers(listId, 250, Instant.now().minus(1, ChronoUnit.DAYS));
        UUID accountId = accounts.register(klaviyo);
        Eventually.until(WAIT, "the backfill", () -> stored(accountId, listId) == 250);
        sweep(accountId, 1);
        ids.forEach(id -> klaviyo.changeSmsConsent(id, "UNSUBSCRIBED"));
        klaviyo.faults().failProfilesPage(2, 500, 1);
        long before = klaviyo.counters().requests("get_profiles");

        makeSweepDue(accountId);
        sweep(accountId, 2);
        Map<String, Object> failed = lastSweep(accountId);
        assertEquals("failed", failed.get("status"));
        assertThat((String) failed.get("error"), containsString("500"));
        assertEquals(List.of(1, 100), List.of(failed.get("pages"), failed.get("profiles_changed")));
        assertEquals(100, unsubscribed(accountId));
        assertNotNull(value("select page_cursor from profile_sweep where account_id = ?", accountId), "page 2 checkpointed");

        makeSweepDue(accountId);
        sweep(accountId, 3);

        Map<String, Object> resumed = lastSweep(accountId);
        assertEquals("succeeded", resumed.get("status"));
        assertEquals(List.of(2, 150), List.of(resumed.get("pages"), resumed.get("profiles_changed")));
        assertEquals(250, unsubscribed(accountId));
        assertEquals(2 + 2, klaviyo.counters().requests("get_profiles") - before, "page 1, the failed page 2, then pages 2 and 3");
        assertNull(value("select page_cursor from profile_sweep where account_id = ?", accountId));
    }

    @Test
    void anAccountThatIsNotActiveIsNotSwept() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        UUID accountId = accounts.register(klaviyo, null, null, true);
        execute("update account set status = 'auth_failed' where id = ?", accountId);
        SimulatedAccount active = accounts.klaviyoAccount();
        UUID activeId = accounts.register(active, null, null, true);

        sweep(activeId, 1);

        assertEquals(0, count("select count(*) from profile_sweep where account_id = ?", accountId));
        assertEquals(0, klaviyo.counters().requests("get_profiles"));
        assertEquals(1, active.counters().requests("get_profiles"));
    }

    @Test
    void aPageOfAClaimThatWasTakenOverWritesNothing() throws Throwable {
        UUID accountId = accounts.register(accounts.klaviyoAccount(), null, null, false);
        String profileId = "AbC123";
        Instant stored = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        execute("""
                insert into subscriber (account_id, klaviyo_profile_id, sms_consent, sms_consent_at, klaviyo_updated)
                values (?, ?, 'SUBSCRIBED', ?, ?)""", accountId, profileId, stored, stored);
        long runId = ((Number) execute("insert into sync_run (account_id, kind, trigger) values (?, 'profiles', 'schedule') returning id",
                accountId)).longValue();
        execute("update profile_sweep set next_sweep_at = now(), updated_cursor = ? where account_id = ?", stored, accountId);
        ProfileSweepLease first = claimed(accountId, "owner-a");
        assertTrue(claim("owner-b").stream().noneMatch(lease -> lease.accountId().equals(accountId)), "held by owner-a");
        execute("update profile_sweep set lease_until = now() - interval '1 second' where account_id = ?", accountId);
        ProfileSweepLease second = claimed(accountId, "owner-b");
        assertNotEquals(first.token(), second.token());
        Instant stop = stored.plus(1, ChronoUnit.HOURS);
        List<KlaviyoPerson> page = List.of(new KlaviyoPerson(profileId, "ada@example.com", new PhoneNumbers("US").normalise(null),
                "Ada", null, "UNSUBSCRIBED", stop, null, null, stop, null));

        LeaseLostException lost = assertThrows(LeaseLostException.class, () -> commit(first, runId, page));

        assertThat(lost.getMessage(), containsString("lost its claim"));
        assertEquals("SUBSCRIBED", value("select sms_consent from subscriber where account_id = ?", accountId));
        assertEquals(List.of(0, 0), List.of(lastSweep(accountId).get("pages"), lastSweep(accountId).get("profiles_seen")));
        assertEquals(stored, value("select updated_cursor from profile_sweep where account_id = ?", accountId));
        assertEquals(new SubscriberRepository.Swept(1, 1, 1), commit(second, runId, page));
        assertEquals("UNSUBSCRIBED", value("select sms_consent from subscriber where account_id = ?", accountId));
        assertEquals(stop, value("select updated_cursor from profile_sweep where account_id = ?", accountId));
        assertEquals(List.of(1, 1, 1), List.of(lastSweep(accountId).get("pages"), lastSweep(accountId).get("profiles_seen"),
                lastSweep(accountId).get("profiles_changed")));

        execute("update account set status = 'deleted' where id = ?", accountId);
        assertThrows(LeaseLostException.class, () -> commit(second, runId, page), "a deleted account's sweep writes nothing");
    }

    @Test
    void whileMemberSyncsTakeEverySlotOnlyOneSweepRuns() throws Throwable {
        applicationEngine.pauseQuiet();
        try {
            // 8 accounts of 2 slow lists each fill the owner's 16 member-sync slots.
            for (int i = 0; i < 8; i++) {
                SimulatedAccount busy = accounts.klaviyoAccount();
                UUID busyId = accounts.register(busy, null, null, false);
                for (int j = 0; j < 2; j++) {
                    String listId = busy.createList("Busy " + j);
                    busy.addMembers(listId, 1, Instant.now().minus(1, ChronoUnit.DAYS));
                    execute("insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via) values (?, ?, ?, 'discovery')",
                            busyId, listId, "Busy " + j);
                }
                busy.faults().latency(Duration.ofSeconds(1));
            }
            List<UUID> swept = List.of(slowQuietAccount(), slowQuietAccount());
            swept.forEach(ProfileSweepTest::makeSweepDue);

            assertEquals(16, VertxContextSupport.subscribeAndAwait(() -> memberSyncs.tick(OWNER)));
            assertTrue(memberSyncs.busy(OWNER));
            assertEquals(1, VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(OWNER)), "one sweep while member syncs are busy");
            assertEquals(0, VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(OWNER)), "and no second one while it runs");

            Eventually.until(WAIT, "the member syncs end", () -> memberSyncs.running(OWNER) == 0 && !memberSyncs.busy(OWNER));
            Eventually.until(WAIT, "the first sweep ends", () -> dispatcher.running(OWNER) == 0);
            assertEquals(1, VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(OWNER)), "the other one now");
            Eventually.until(WAIT, "the second sweep ends", () -> dispatcher.running(OWNER) == 0);
            for (UUID accountId : swept) {
                assertEquals(1, finishedSweeps(accountId));
            }
        } finally {
            applicationEngine.resume();
        }
    }

    /** An account whose Klaviyo answers slowly and whose sweep is not due yet. */
    @Test
    void aPushedIdKlaviyoMergedAwayIsFoundAgainByEmailAndItsMembershipsFollowTheSurvivor() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Merged");
        String email = TestSecrets.email();
        String survivor = klaviyo.addMember(listId, SimProfile.sms(TestSecrets.phone()).email(email), Instant.now().minus(1, ChronoUnit.DAYS));
        String mergedAway = klaviyo.addProfile(SimProfile.empty().email(email));
        klaviyo.mergeProfiles(survivor, mergedAway);
        UUID accountId = accounts.register(klaviyo, null, null, false);
        // A push named the id before the merge (an hour ago); no poll has confirmed the pushed person since.
        execute("insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at)"
                + " values (?, ?, 'Merged', 'discovery', 'infinity')", accountId, listId);
        execute("""
                with pushed as (
                    insert into subscriber (account_id, klaviyo_profile_id, email, pushed, created_at)
                    values (?, ?, ?, true, now() - interval '1 hour') returning id)
                insert into list_membership (list_id, subscriber_id, account_id, joined_at, source)
                select l.id, pushed.id, l.account_id, now() - interval '1 hour', 'webhook'
                  from pushed, klaviyo_list l where l.account_id = ?""", accountId, mergedAway, email, accountId);

        makeSweepDue(accountId);
        sweep(accountId, 1);

        assertEquals(0, count("select count(*) from subscriber where account_id = ? and klaviyo_profile_id = ?", accountId, mergedAway),
                "the merged-away id is gone");
        assertEquals(1L, stored(accountId, listId));
        Map<String, Object> member = member(accountId, listId, survivor);
        assertEquals(email, member.get("email"), "the membership follows the surviving id, with Klaviyo's values");
        assertEquals(false, value("select pushed from subscriber where account_id = ? and klaviyo_profile_id = ?", accountId, survivor));
        assertEquals("succeeded", lastSweep(accountId).get("status"));

        // The change feed tells a consumer that the merged-away id left the list and the survivor joined it.
        JsonPath feed = given().auth().oauth2(ApiFixtures.TOKEN).queryParam("accountId", accountId)
                .get("/api/changes").then().statusCode(200).extract().jsonPath();
        // (The pushed person's own join names no one once their row is gone, and is passed over.)
        assertEquals(List.of("left", "joined"), feed.getList("data.type"));
        assertEquals(List.of(mergedAway, survivor), feed.getList("data.profileId"));
        assertEquals(List.of(listId, listId), feed.getList("data.listId"));
        assertNotNull(feed.getString("data[0].member.removedAt"), "the merged-away member is off the list");
        assertNull(feed.getString("data[0].member.email"), "a deleted person's data is not kept for the feed");
        assertEquals(email, feed.getString("data[1].member.email"));
    }

    /**
     * The confirm step asks Klaviyo for pushed people after the pages: a sweep whose claim was taken
     * meanwhile (its lease lapsed) stores none of what Klaviyo answered, and the sweep that holds the
     * claim now does.
     */
    @Test
    void theConfirmStepOfASweepWhoseClaimWasTakenWritesNothing() throws Throwable {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String email = TestSecrets.email();
        String profileId = klaviyo.addProfile(SimProfile.empty().email(email));
        UUID accountId = accounts.register(klaviyo, null, null, false);
        // Pushed an hour ago and not confirmed since; the sweep's pages (changes since tomorrow) do not bring the person.
        execute("insert into subscriber (account_id, klaviyo_profile_id, pushed, created_at) values (?, ?, true, now() - interval '1 hour')",
                accountId, profileId);
        execute("update profile_sweep set next_sweep_at = now(), updated_cursor = now() + interval '1 day' where account_id = ?",
                accountId);
        ProfileSweepLease first = claimed(accountId, "owner-a");
        klaviyo.faults().latency(Duration.ofMillis(1_200)); // under the test profile's read timeout (2 s)
        long requestsBefore = klaviyo.counters().requests("get_profiles");
        CompletableFuture<Void> stale = CompletableFuture.runAsync(() -> sweepWith(first));
        Eventually.until(WAIT, "the sweep asks for its pushed people", () -> klaviyo.counters().requests("get_profiles") - requestsBefore == 2);

        execute("update profile_sweep set lease_until = now() - interval '1 second' where account_id = ?", accountId);
        ProfileSweepLease second = claimed(accountId, "owner-b");
        stale.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(true, value("select pushed from subscriber where account_id = ?", accountId), "not confirmed");
        assertNull(value("select email from subscriber where account_id = ?", accountId), "Klaviyo's values not stored");
        assertEquals("failed", lastSweep(accountId).get("status"));
        assertThat((String) lastSweep(accountId).get("error"), containsString("lost its claim"));

        klaviyo.faults().latency(Duration.ZERO);
        sweepWith(second);
        assertEquals(false, value("select pushed from subscriber where account_id = ?", accountId), "confirmed under the claim");
        assertEquals(email, value("select email from subscriber where account_id = ?", accountId));
        assertEquals("succeeded", lastSweep(accountId).get("status"));
    }

    private void sweepWith(ProfileSweepLease lease) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> service.sweep(lease));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private UUID slowQuietAccount() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        klaviyo.faults().latency(Duration.ofSeconds(1));
        return accounts.register(klaviyo, null, null, false);
    }

    private List<ProfileSweepLease> claim(String owner) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> service.claim(owner, 50, Duration.ofSeconds(30)));
    }

    /** Claims for {@code owner} and answers its claim of the account (other due accounts it may claim too keep their lease). */
    private ProfileSweepLease claimed(UUID accountId, String owner) throws Throwable {
        return claim(owner).stream().filter(lease -> lease.accountId().equals(accountId)).findFirst().orElseThrow();
    }

    private SubscriberRepository.Swept commit(ProfileSweepLease lease, long runId, List<KlaviyoPerson> page) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(connection ->
                subscribers.commitSweptPage(connection, lease, runId, page, null, Duration.ofSeconds(30))));
    }

    /**
     * Drives sweeps under the test's owner, as the job does each tick, until the account's
     * {@code n}th sweep has ended, whoever ran the earlier ones.
     */
    private void sweep(UUID accountId, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (finishedSweeps(accountId) < n && System.nanoTime() < deadline) {
            try {
                VertxContextSupport.subscribeAndAwait(() -> dispatcher.tick(OWNER));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            Eventually.until(WAIT, "the claimed sweeps end", () -> dispatcher.running(OWNER) == 0);
        }
        assertEquals(n, finishedSweeps(accountId), "sweeps of the account that ended");
    }

    /** As if one member interval had passed since the last sweep: the account's sweep is due now. */
    private static void makeSweepDue(UUID accountId) {
        execute("update profile_sweep set next_sweep_at = now() where account_id = ?", accountId);
    }

    private static long finishedSweeps(UUID accountId) {
        return count("select count(*) from sync_run where account_id = ? and kind = 'profiles' and status <> 'running'", accountId);
    }

    private static Map<String, Object> lastSweep(UUID accountId) {
        return row("select * from sync_run where account_id = ? and kind = 'profiles' order by id desc limit 1", accountId);
    }

    /** Members of the list the gateway stores (none while it does not know the list). */
    private static long stored(UUID accountId, String klaviyoListId) {
        return count("""
                select count(*) from list_membership m join klaviyo_list l on l.id = m.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and m.removed_at is null""", accountId, klaviyoListId);
    }

    private static long unsubscribed(UUID accountId) {
        return count("select count(*) from subscriber where account_id = ? and sms_consent = 'UNSUBSCRIBED'", accountId);
    }

    private static String lastProfilesRequest(SimulatedAccount klaviyo) {
        List<String> requests = klaviyo.counters().recentRequests().stream()
                .filter(request -> request.startsWith("get_profiles "))
                .toList();
        return requests.get(requests.size() - 1);
    }

    /** A member as {@code GET .../members} serves it. */
    private static Map<String, Object> member(UUID accountId, String listId, String profileId) {
        List<Map<String, Object>> data = given().auth().oauth2(ApiFixtures.TOKEN)
                .get("/api/accounts/" + accountId + "/lists/" + listId + "/members")
                .then().statusCode(200).extract().jsonPath().getList("data");
        return data.stream().filter(member -> profileId.equals(member.get("profileId"))).findFirst().orElseThrow();
    }

    /** As if the list's member interval had passed: its members are synced now. */
    private static void requestMemberSync(UUID accountId, String klaviyoListId) {
        execute("update klaviyo_list set next_sync_at = now() where account_id = ? and klaviyo_list_id = ?",
                accountId, klaviyoListId);
    }
}
