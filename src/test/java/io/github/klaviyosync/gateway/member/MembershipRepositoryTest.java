package io.github.klaviyosync.gateway.member;

import static io.github.klaviyosync.gateway.testsupport.RolledBack.rows;
import static io.github.klaviyosync.gateway.testsupport.RolledBack.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.list.ListLease;
import io.github.klaviyosync.gateway.member.SubscriberRepository.Channel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The merge rules of a person (from Klaviyo's API, from a push, from a consent event) and the
 * arithmetic of a list's member count, each in a transaction that is rolled back.
 */
@QuarkusTest
class MembershipRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final PhoneNumbers PHONES = new PhoneNumbers("US");

    @Inject
    MembershipRepository memberships;

    @Inject
    SubscriberRepository subscribers;

    @Inject
    Pool pool;

    @Test
    void klaviyosNewerValuesWinAndAnOlderPageChangesNothingButConsentHoldsByItsOwnTime() {
        ClaimedList fixture = new ClaimedList();
        Row stored = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, person("P1", "new@example.com", "+14155550101", "SUBSCRIBED",
                        T0.plusSeconds(60), T0.plusSeconds(60))))
                // An older read of the person (another list's page fetched earlier): contact data stays,
                // but its consent, given later than the stored one, wins by its own time.
                .chain(() -> commit(connection, fixture, person("P1", "old@example.com", "+14155550199", "UNSUBSCRIBED",
                        T0.plusSeconds(120), T0)))
                .chain(() -> person(connection, fixture, "P1")));

        assertEquals("new@example.com", stored.getString("email"));
        assertEquals("+14155550101", stored.getString("phone_e164"));
        assertEquals("UNSUBSCRIBED", stored.getString("sms_consent"));
        assertEquals(false, stored.getBoolean("pushed"));
    }

    @Test
    void aPushCreatesAPushedPersonFollowsLaterPushesAndNeverChangesAPersonKlaviyosApiGave() {
        ClaimedList fixture = new ClaimedList();
        List<Row> people = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, person("KNOWN", "known@example.com", "+14155550101", "SUBSCRIBED",
                        T0, T0)))
                .chain(() -> memberships.applyPushes(connection, fixture.account, List.of(
                        push(fixture, "KNOWN", "attacker@example.com", "+14155550666"),
                        push(fixture, "NEW", "first@example.com", null),
                        push(fixture, "NEW", null, "+14155550102"))))
                .chain(() -> memberships.applyPushes(connection, fixture.account, List.of(push(fixture, "NEW", "second@example.com", null))))
                .chain(() -> rows(connection, """
                        select klaviyo_profile_id, email, phone_e164, sms_consent, pushed from subscriber
                         where account_id = $1 order by klaviyo_profile_id""", fixture.account)));

        Row known = people.get(0);
        assertEquals("KNOWN", known.getString("klaviyo_profile_id"));
        assertEquals("known@example.com", known.getString("email"), "a push never changes what Klaviyo's API gave");
        assertEquals("+14155550101", known.getString("phone_e164"));
        assertEquals(false, known.getBoolean("pushed"));
        Row pushed = people.get(1);
        assertEquals("second@example.com", pushed.getString("email"), "a pushed person follows later pushes");
        assertEquals("+14155550102", pushed.getString("phone_e164"), "an empty pushed value never erases one");
        assertEquals(null, pushed.getString("sms_consent"), "a push carries no consent");
        assertEquals(true, pushed.getBoolean("pushed"));
    }

    @Test
    void aConsentEventChangesConsentOnlyOverAnOlderState() {
        ClaimedList fixture = new ClaimedList();
        List<Boolean> changed = new ArrayList<>();
        Row stored = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, person("P1", null, null, "SUBSCRIBED", T0.plusSeconds(60), T0)))
                .chain(() -> subscribers.applyConsentEvent(connection, fixture.account, "P1", Channel.SMS, Consent.UNSUBSCRIBED,
                        T0.plusSeconds(30)))
                .invoke(changed::add)
                .chain(() -> subscribers.applyConsentEvent(connection, fixture.account, "P1", Channel.SMS, Consent.UNSUBSCRIBED,
                        T0.plusSeconds(90)))
                .invoke(changed::add)
                .chain(() -> person(connection, fixture, "P1")));

        assertEquals(List.of(false, true), changed, "an event older than the stored state is ignored, a newer one wins");
        assertEquals("UNSUBSCRIBED", stored.getString("sms_consent"));
    }

    @Test
    void theMemberCountFollowsJoinsRemovalsRejoinsAndDeletionsWhateverWritesThem() {
        ClaimedList fixture = new ClaimedList();
        List<Object> counts = new ArrayList<>();
        RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, person("P1", null, null, null, T0, T0), person("P2", null, null, null, T0, T0),
                        person("P3", null, null, null, T0, T0)))
                .chain(() -> count(connection, fixture)).invoke(counts::add)
                // The same page again: nobody new.
                .chain(() -> commit(connection, fixture, person("P1", null, null, null, T0, T0)))
                .chain(() -> count(connection, fixture)).invoke(counts::add)
                .chain(() -> connection.preparedQuery("""
                        update list_membership set removed_at = now()
                         where list_id = $1 and subscriber_id in (select id from subscriber where klaviyo_profile_id in ('P1', 'P2')
                                                                   and account_id = $2)""")
                        .execute(Tuple.of(fixture.listId, fixture.account)))
                .chain(() -> count(connection, fixture)).invoke(counts::add)
                // A push of someone who left does not bring them back; a poll does.
                .chain(() -> memberships.applyPushes(connection, fixture.account, List.of(push(fixture, "P1", null, null))))
                .chain(() -> count(connection, fixture)).invoke(counts::add)
                .chain(() -> commit(connection, fixture, person("P1", null, null, null, T0, T0)))
                .chain(() -> count(connection, fixture)).invoke(counts::add)
                .chain(() -> memberships.applyPushes(connection, fixture.account, List.of(push(fixture, "P4", null, null))))
                .chain(() -> count(connection, fixture)).invoke(counts::add)
                .chain(() -> connection.preparedQuery("delete from list_membership where list_id = $1 and removed_at is null "
                        + "and subscriber_id = (select id from subscriber where account_id = $2 and klaviyo_profile_id = 'P3')")
                        .execute(Tuple.of(fixture.listId, fixture.account)))
                .chain(() -> count(connection, fixture)).invoke(counts::add));

        assertEquals(List.of(3, 3, 1, 1, 2, 3, 2), counts);
    }

    @Test
    void pagesCommittedTogetherStoreEachPersonOnceAsTheLaterPageHasThemAndCountEveryPage() {
        ClaimedList fixture = new ClaimedList();
        PageBatch twoPages = PageBatch.of(List.of(
                new PageBatch.Fetched(List.of(person("P1", null, "+14155550101", "SUBSCRIBED", T0, T0),
                        person("P2", null, "+14155550102", null, T0, T0)), "https://a.klaviyo.com/api/next?page=2"),
                new PageBatch.Fetched(List.of(person("P1", null, "+14155550109", "SUBSCRIBED", T0, T0.plusSeconds(60))),
                        "https://a.klaviyo.com/api/next?page=3")));
        AtomicReference<MembershipRepository.Committed> committed = new AtomicReference<>();
        Row stored = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> memberships.commitPages(connection, fixture.lease(T0), fixture.runId, null, twoPages, LEASE))
                .invoke(committed::set)
                .chain(() -> rows(connection, """
                        select (select phone_e164 from subscriber where account_id = $1 and klaviyo_profile_id = 'P1') as phone,
                               (select count(*) from list_membership where list_id = $2) as members,
                               (select pages from sync_run where id = $3) as pages,
                               (select profiles_seen from sync_run where id = $3) as seen,
                               (select page_cursor from klaviyo_list where id = $2) as page_cursor""",
                        fixture.account, fixture.listId, fixture.runId))
                .map(rows -> rows.get(0)));

        assertEquals(new MembershipRepository.Committed(2, 3, 2), committed.get(), "two pages, three profiles, two members");
        assertEquals("+14155550109", stored.getString("phone"), "the later page's person");
        assertEquals(2L, stored.getLong("members"));
        assertEquals(2, stored.getInteger("pages"));
        assertEquals(3, stored.getInteger("seen"));
        assertEquals("https://a.klaviyo.com/api/next?page=3", stored.getString("page_cursor"), "the last page's checkpoint");
    }

    @Test
    void aPageWhoseClaimIsNoLongerTheSyncsWritesNothing() {
        ClaimedList fixture = new ClaimedList();
        Object people = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> Uni.createFrom().item(new ListLease(fixture.listId, UUID.randomUUID(), fixture.account, "L", null, null,
                        SyncTrigger.SCHEDULE, false, T0, null, null, new byte[0], null, "instance")))
                .chain(otherClaim -> memberships.commitPages(connection, otherClaim, fixture.runId, null,
                                onePage(person("P1", null, null, null, T0, T0)), LEASE)
                        .onFailure(LeaseLostException.class).recoverWithNull())
                .chain(() -> value(connection, "select count(*) from subscriber where account_id = $1", fixture.account)));

        assertEquals(0L, people, "fenced out: no person, no membership, no cursor");
    }

    @Test
    void aPageCommitStaysPreparedOnItsConnection() {
        // Longer than the 2,048 characters the Vert.x client caches by default (db/PreparingPool).
        ClaimedList fixture = new ClaimedList();
        Object prepared = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, person("P1", null, "+14155550101", null, T0, T0)))
                .chain(() -> commit(connection, fixture, person("P2", null, "+14155550102", null, T0, T0)))
                .chain(() -> value(connection, "select count(*) from pg_prepared_statements where statement = $1",
                        MembershipRepository.COMMIT_PAGE)));

        assertEquals(true, MembershipRepository.COMMIT_PAGE.length() > 2_048);
        assertEquals(1L, prepared, "parsed and planned once per connection, not unnamed on every page");
    }

    private Uni<MembershipRepository.Committed> commit(SqlConnection connection, ClaimedList fixture, KlaviyoPerson... people) {
        return memberships.commitPages(connection, fixture.lease(T0), fixture.runId, null, onePage(people), LEASE);
    }

    private static Uni<Row> person(SqlConnection connection, ClaimedList fixture, String profileId) {
        return rows(connection, "select * from subscriber where account_id = $1 and klaviyo_profile_id = $2", fixture.account, profileId)
                .map(rows -> rows.get(0));
    }

    private static Uni<Object> count(SqlConnection connection, ClaimedList fixture) {
        return value(connection, "select member_count from klaviyo_list where id = $1", fixture.listId);
    }

    private static KlaviyoPerson person(String id, String email, String phone, String smsConsent, Instant consentAt, Instant updated) {
        return new KlaviyoPerson(id, email, PHONES.normalise(phone), null, null, smsConsent, smsConsent == null ? null : consentAt,
                null, null, updated, T0);
    }

    private static PushedMember push(ClaimedList fixture, String profileId, String email, String phone) {
        return new PushedMember(fixture.listId, profileId, email, PHONES.normalise(phone), null, null, T0.plusSeconds(300));
    }

    /** One page, the last of its list. */
    static PageBatch onePage(KlaviyoPerson... people) {
        return PageBatch.of(List.of(new PageBatch.Fetched(List.of(people), null)));
    }

}
