package io.github.klaviyosync.gateway.member;

import static io.github.klaviyosync.gateway.testsupport.RolledBack.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.member.MembershipRepository.FullScan;
import io.github.klaviyosync.gateway.member.SubscriberRepository.Channel;
import io.github.klaviyosync.gateway.testsupport.RolledBack;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every statement that writes memberships or people records what it changed, and only that, in the
 * same statement (migration V8's triggers): each test runs the member package's own statements in a
 * transaction that is rolled back, and reads the changes they recorded as "type list profile" (list
 * "-" for a change of the person alone).
 */
@QuarkusTest
class MemberChangeRecordingTest {

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
    void aPageRecordsNewMembersAndChangedPeopleAndARepeatedPageRecordsNothing() {
        ClaimedList fixture = new ClaimedList();
        List<List<String>> recorded = new ArrayList<>();
        RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, null, person("P1", "a@example.com", "+14155550101", "SUBSCRIBED", T0),
                        person("P2", "b@example.com", null, "NEVER_SUBSCRIBED", T0)))
                .chain(() -> changes(connection, fixture)).invoke(recorded::add)
                // The same page again (a re-poll of unchanged members): nothing changed.
                .chain(() -> commit(connection, fixture, null, person("P1", "a@example.com", "+14155550101", "SUBSCRIBED", T0),
                        person("P2", "b@example.com", null, "NEVER_SUBSCRIBED", T0)))
                .chain(() -> changes(connection, fixture)).invoke(recorded::add)
                // Klaviyo says later: P1 unsubscribed from SMS, P2 has a new email and a phone.
                .chain(() -> commit(connection, fixture, null, person("P1", "a@example.com", "+14155550101", "UNSUBSCRIBED", T0.plusSeconds(60)),
                        person("P2", "new@example.com", "+14155550102", "NEVER_SUBSCRIBED", T0.plusSeconds(60))))
                .chain(() -> changes(connection, fixture)).invoke(recorded::add));

        assertEquals(List.of("joined L P1", "joined L P2"), recorded.get(0));
        assertEquals(recorded.get(0), recorded.get(1), "a re-polled, unchanged member is no change");
        assertEquals(List.of("joined L P1", "joined L P2", "consent - P1", "contact - P2"), recorded.get(2));
    }

    @Test
    void aFullSyncRecordsWhoLeftAndAMemberListedAgainRejoins() {
        ClaimedList fixture = new ClaimedList();
        List<List<String>> recorded = new ArrayList<>();
        FullScan scan = new FullScan(1, Instant.now().plus(Duration.ofHours(1)));
        RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, null, person("P1", null, null, null, T0), person("P2", null, null, null, T0),
                        person("P3", null, null, null, T0)))
                // A full sync whose pages list P1 and P3 only: P2 left.
                .chain(() -> commit(connection, fixture, scan, person("P1", null, null, null, T0), person("P3", null, null, null, T0)))
                .chain(() -> memberships.markUnstamped(connection, fixture.lease(T0), scan))
                .chain(() -> changes(connection, fixture)).invoke(recorded::add)
                // The next poll lists P2 again.
                .chain(() -> commit(connection, fixture, null, person("P2", null, null, null, T0)))
                .chain(() -> changes(connection, fixture)).invoke(recorded::add));

        assertEquals(List.of("joined L P1", "joined L P2", "joined L P3", "left L P2"), recorded.get(0),
                "the stamped members' page records nothing");
        assertEquals(List.of("joined L P1", "joined L P2", "joined L P3", "left L P2", "joined L P2"), recorded.get(1));
    }

    @Test
    void pushesRecordNewMembershipsAndThePushedPersonsContactButNeverTouchAPersonKlaviyosApiGave() {
        ClaimedList fixture = new ClaimedList();
        List<String> recorded = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, null, person("KNOWN", "known@example.com", null, "SUBSCRIBED", T0)))
                .chain(() -> memberships.applyPushes(connection, fixture.account, List.of(
                        push(fixture, "KNOWN", "attacker@example.com"),
                        push(fixture, "NEW", "first@example.com"))))
                // Pushed again: the memberships exist; the pushed person's email follows the push.
                .chain(() -> memberships.applyPushes(connection, fixture.account, List.of(
                        push(fixture, "KNOWN", "attacker@example.com"),
                        push(fixture, "NEW", "second@example.com"))))
                .chain(() -> changes(connection, fixture)));

        assertEquals(List.of("joined L KNOWN", "joined L NEW", "contact - NEW"), recorded);
    }

    @Test
    void aConsentEventRecordsAChangedWordOnlyAndAFetchedProfileRecordsWhatChanged() {
        ClaimedList fixture = new ClaimedList();
        List<String> recorded = RolledBack.run(pool, connection -> fixture.create(connection)
                .chain(() -> commit(connection, fixture, null, person("P1", "a@example.com", "+14155550101", "SUBSCRIBED", T0)))
                // Older than the stored state: ignored. The same word, newer: no change. A new word: a change.
                .chain(() -> subscribers.applyConsentEvent(connection, fixture.account, "P1", Channel.SMS, Consent.UNSUBSCRIBED,
                        T0.minusSeconds(60)))
                .chain(() -> subscribers.applyConsentEvent(connection, fixture.account, "P1", Channel.SMS, Consent.SUBSCRIBED,
                        T0.plusSeconds(60)))
                .chain(() -> subscribers.applyConsentEvent(connection, fixture.account, "P1", Channel.EMAIL, Consent.SUBSCRIBED,
                        T0.plusSeconds(61)))
                // The profile fetched for an event: as stored, then with a new phone.
                .chain(() -> subscribers.storeFromKlaviyo(connection, fixture.account,
                        person("P1", "a@example.com", "+14155550101", "SUBSCRIBED", T0)))
                .chain(() -> subscribers.storeFromKlaviyo(connection, fixture.account,
                        person("P1", "a@example.com", "+14155550199", "SUBSCRIBED", T0.plusSeconds(120))))
                .chain(() -> changes(connection, fixture)));

        assertEquals(List.of("joined L P1", "consent - P1", "contact - P1"), recorded);
    }

    private Uni<MembershipRepository.Committed> commit(SqlConnection connection, ClaimedList fixture, FullScan scan, KlaviyoPerson... people) {
        return memberships.commitPages(connection, fixture.lease(T0), fixture.runId, scan, MembershipRepositoryTest.onePage(people), LEASE);
    }

    private static Uni<List<String>> changes(SqlConnection connection, ClaimedList fixture) {
        return rows(connection, """
                select c.type || ' ' || coalesce(l.klaviyo_list_id, '-') || ' ' || s.klaviyo_profile_id as change
                  from member_change c
                  join subscriber s on s.id = c.subscriber_id
                  left join klaviyo_list l on l.id = c.list_id
                 where c.account_id = $1 order by c.txid, c.id""", fixture.account)
                .map(rows -> rows.stream().map(row -> row.getString("change")).toList());
    }

    private static KlaviyoPerson person(String id, String email, String phone, String smsConsent, Instant updated) {
        return new KlaviyoPerson(id, email, PHONES.normalise(phone), null, null, smsConsent, smsConsent == null ? null : updated,
                null, null, updated, T0);
    }

    private static PushedMember push(ClaimedList fixture, String profileId, String email) {
        return new PushedMember(fixture.listId, profileId, email, PHONES.normalise(null), null, null, T0.plusSeconds(300));
    }
}
