package io.github.klaviyosync.gateway.klaviyo;

import static io.github.klaviyosync.gateway.klaviyo.KlaviyoClientPagingTest.credentials;
import static io.github.klaviyosync.gateway.klaviyo.KlaviyoClientPagingTest.sizes;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile poll, the list poll and the batch look-ups by id and by email, against the simulator. */
@QuarkusTest
class KlaviyoClientProfilesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    @Inject
    KlaviyoClient client;

    @Inject
    KlaviyoSimulator simulator;

    /** Profiles created at T0 and updated one a second from T0 + 1000 s, in that order. */
    private static List<String> changedProfiles(SimulatedAccount account, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = account.addProfile(SimProfile.sms("+1415" + (5_550_000 + i)).email("p" + i + "@example.com"), T0);
            account.updateProfile(id, person -> person.names("Changed", null), T0.plusSeconds(1000 + i));
            ids.add(id);
        }
        return ids;
    }

    private static List<String> requests(SimulatedAccount account, String operationId) {
        return account.counters().recentRequests().stream().filter(request -> request.startsWith(operationId + " ")).toList();
    }

    private static <T> List<T> items(List<Page<T>> pages) {
        return pages.stream().flatMap(page -> page.items().stream()).toList();
    }

    @Test
    void profilesUpdatedSinceComeAHundredAPageOldestChangeFirstWithTheirConsent() {
        SimulatedAccount account = simulator.createAccount();
        List<String> ids = changedProfiles(account, 260);

        List<Page<MemberProfile>> pages = client.profilesUpdatedSince(credentials(account), T0.plusSeconds(1009), null)
                .collect().asList().await().atMost(WAIT);

        assertEquals(List.of(100, 100, 50), sizes(pages));
        List<MemberProfile> profiles = items(pages);
        assertEquals(ids.subList(10, 260), profiles.stream().map(MemberProfile::id).toList());
        assertEquals(T0.plusSeconds(1010), profiles.get(0).updated());
        assertEquals("SUBSCRIBED", profiles.get(0).smsConsent().consent());
        assertEquals(T0, profiles.get(0).smsConsent().consentTimestamp());
        String first = requests(account, "get_profiles").get(0);
        assertThat(first, containsString("filter=greater-than(updated,2026-11-28T03:16:49+00:00)"));
        assertThat(first, containsString("sort=updated"));
        assertThat(first, containsString("additional-fields[profile]=subscriptions"));
        assertThat(first, containsString("page[size]=100"));
        assertEquals(3, account.counters().requests("get_profiles"));
    }

    @Test
    void withoutATimeEveryProfileComesAndAFractionOfASecondIsDropped() {
        SimulatedAccount account = simulator.createAccount();
        List<String> ids = changedProfiles(account, 3);

        List<String> all = client.profilesUpdatedSince(credentials(account), null, null)
                .onItem().transformToIterable(Page::items).map(MemberProfile::id).collect().asList().await().atMost(WAIT);
        String unfiltered = requests(account, "get_profiles").get(0);
        List<String> after = client.profilesUpdatedSince(credentials(account), T0.plusSeconds(1000).plusMillis(900), null)
                .onItem().transformToIterable(Page::items).map(MemberProfile::id).collect().asList().await().atMost(WAIT);

        assertEquals(ids, all);
        assertThat(unfiltered, not(containsString("filter=")));
        assertEquals(ids.subList(1, 3), after);
        assertThat(requests(account, "get_profiles").get(1), containsString("greater-than(updated,2026-11-28T03:16:40+00:00)"));
    }

    @Test
    void aProfileChangedDuringThePollComesAgainWithItsNewConsent() {
        SimulatedAccount account = simulator.createAccount();
        List<String> ids = changedProfiles(account, 150);

        List<MemberProfile> seen = client.profilesUpdatedSince(credentials(account), T0, null)
                .invoke(page -> {
                    if (page.items().get(0).id().equals(ids.get(0))) {
                        account.changeSmsConsent(ids.get(5), SimProfile.UNSUBSCRIBED);
                        account.changeSmsConsent(ids.get(120), SimProfile.UNSUBSCRIBED);
                    }
                })
                .onItem().transformToIterable(Page::items).collect().asList().await().atMost(WAIT);

        assertEquals(151, seen.size());
        assertEquals(150, new HashSet<>(seen.stream().map(MemberProfile::id).toList()).size());
        MemberProfile last = seen.get(seen.size() - 1);
        assertThat(List.of(seen.get(149).id(), last.id()), containsInAnyOrder(ids.get(5), ids.get(120)));
        assertEquals("UNSUBSCRIBED", last.smsConsent().consent());
        assertTrue(last.updated().isAfter(T0.plusSeconds(2000)));
    }

    @Test
    void aProfilePollResumesAtACheckpointedPageAndARefusedCursorStartsAgainFromTheFilter() {
        SimulatedAccount account = simulator.createAccount();
        List<String> ids = changedProfiles(account, 250);
        KlaviyoCredentials credentials = credentials(account);
        String checkpoint = client.profilesUpdatedSince(credentials, T0, null).collect().first().await().atMost(WAIT).nextUrl();

        List<String> rest = client.profilesUpdatedSince(credentials, T0, checkpoint)
                .onItem().transformToIterable(Page::items).map(MemberProfile::id).collect().asList().await().atMost(WAIT);
        account.faults().refuseCursors(true);
        List<String> again = client.profilesUpdatedSince(credentials, T0.plusSeconds(1239), checkpoint)
                .onItem().transformToIterable(Page::items).map(MemberProfile::id).collect().asList().await().atMost(WAIT);

        assertEquals(ids.subList(100, 250), rest);
        assertEquals(ids.subList(240, 250), again);
    }

    @Test
    void listsUpdatedSinceFindTheNewAndTheRenamed() {
        SimulatedAccount account = simulator.createAccount();
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            old.add(account.createList("Old " + i, T0));
        }
        String renamed = old.get(4);
        account.renameList(renamed, "Renamed", T0.plusSeconds(600));
        String created = account.createList("New", T0.plusSeconds(700));

        List<ListItem> lists = client.listsUpdatedSince(credentials(account), T0.plusSeconds(300))
                .onItem().transformToIterable(Page::items).collect().asList().await().atMost(WAIT);
        List<Page<ListItem>> all = client.listsUpdatedSince(credentials(account), null).collect().asList().await().atMost(WAIT);

        assertThat(lists.stream().map(ListItem::id).toList(), containsInAnyOrder(renamed, created));
        ListItem renamedItem = lists.stream().filter(list -> list.id().equals(renamed)).findFirst().orElseThrow();
        assertEquals("Renamed", renamedItem.name());
        assertEquals(T0.plusSeconds(600), renamedItem.updated());
        assertEquals(List.of(10, 3), sizes(all));
        assertThat(requests(account, "get_lists").get(0), containsString("filter=greater-than(updated,2026-11-28T03:05:00+00:00)"));
    }

    @Test
    void profilesByIdsAskAHundredIdsARequestAndLeaveOutTheUnknown() {
        SimulatedAccount account = simulator.createAccount();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            ids.add(account.addProfile(SimProfile.sms("+1415" + (5_560_000 + i)), T0.plusSeconds(i)));
        }
        String old = account.addProfile("AbC123", SimProfile.sms("+15005550006"), T0);
        account.mergeProfiles(ids.get(0), ids.get(1));
        List<String> asked = new ArrayList<>(ids);
        asked.add(old);
        asked.add(ids.get(7));                        // twice
        asked.add("01GDDKASAP8TKDDA2GRZDSVP4H");      // unknown
        asked.add("with\"quote");                     // not carryable

        List<MemberProfile> found = client.profilesByIds(credentials(account), asked).await().atMost(WAIT);

        List<String> expected = new ArrayList<>(ids);
        expected.remove(ids.get(1));
        expected.add(old);
        assertThat(found.stream().map(MemberProfile::id).toList(), containsInAnyOrder(expected.toArray()));
        assertEquals("SUBSCRIBED", found.get(0).smsConsent().consent(), "with subscriptions");
        List<String> requests = requests(account, "get_profiles");
        assertEquals(3, requests.size(), "232 distinct ids, 100 a request");
        assertThat(requests.get(0), containsString("filter=any(id,[\"" + ids.get(0) + "\",\"" + ids.get(1) + "\""));
        assertThat(requests.get(2), containsString("\"AbC123\""));
        assertThat(requests.get(2), not(containsString("quote")));
    }

    @Test
    void profilesByEmailsFindTheirProfilesAndAskNothingForNothing() {
        SimulatedAccount account = simulator.createAccount();
        String ada = account.addProfile(SimProfile.empty().email("ada@example.com").emailConsent(SimProfile.SUBSCRIBED), T0);
        String grace = account.addProfile(SimProfile.empty().email("grace@example.com"), T0);
        account.addProfile(SimProfile.empty().email("other@example.com"), T0);

        List<MemberProfile> found = client.profilesByEmails(credentials(account),
                Arrays.asList("ada@example.com", "grace@example.com", "nobody@example.com", null, " ", "bad\\slash@example.com"))
                .await().atMost(WAIT);
        List<MemberProfile> none = client.profilesByEmails(credentials(account), List.of("\"@example.com")).await().atMost(WAIT);

        assertThat(found.stream().map(MemberProfile::id).toList(), containsInAnyOrder(ada, grace));
        assertEquals("SUBSCRIBED", found.stream().filter(profile -> profile.id().equals(ada)).findFirst().orElseThrow()
                .emailConsent().consent());
        assertEquals(List.of(), none);
        assertEquals(1, account.counters().requests("get_profiles"), "one request for the batch, none for nothing");
        assertThat(requests(account, "get_profiles").get(0),
                containsString("filter=any(email,[\"ada@example.com\",\"grace@example.com\",\"nobody@example.com\"])"));
    }

    @Test
    void aSixCharacterProfileIdIsReadLikeAnyOther() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        account.addProfile("AbC123", SimProfile.sms("+15005550006"), T0);
        account.addMember(listId, "AbC123", T0.plusSeconds(1));
        KlaviyoCredentials credentials = credentials(account);

        MemberProfile one = client.profile(credentials, "AbC123").await().atMost(WAIT);
        MemberProfile member = client.members(credentials, listId, null, null).collect().first().await().atMost(WAIT).items().get(0);
        List<MemberProfile> byId = client.profilesByIds(credentials, List.of("AbC123")).await().atMost(WAIT);
        List<String> listIds = client.profileListIds(credentials, "AbC123").await().atMost(WAIT);

        assertEquals("AbC123", one.id());
        assertEquals("AbC123", member.id());
        assertEquals(List.of("AbC123"), byId.stream().map(MemberProfile::id).toList());
        assertEquals(List.of(listId), listIds);
    }
}
