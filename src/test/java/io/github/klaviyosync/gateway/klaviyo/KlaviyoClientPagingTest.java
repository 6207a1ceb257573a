package io.github.klaviyosync.gateway.klaviyo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
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
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KlaviyoClientPagingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    @Inject
    KlaviyoClient client;

    @Inject
    KlaviyoSimulator simulator;

    static KlaviyoCredentials credentials(SimulatedAccount account) {
        return new KlaviyoCredentials(UUID.randomUUID().toString(), account.klaviyoAccountId(), account.apiKey());
    }

    static <T> List<Integer> sizes(List<Page<T>> pages) {
        return pages.stream().map(page -> page.items().size()).toList();
    }

    private static String lastRequest(SimulatedAccount account) {
        List<String> requests = account.counters().recentRequests();
        return requests.get(requests.size() - 1);
    }

    @Test
    void readsTheKeysOwnAccount() {
        SimulatedAccount account = simulator.createAccount();

        AccountInfo info = client.account(credentials(account)).await().atMost(WAIT);

        assertEquals(account.klaviyoAccountId(), info.id());
        assertEquals(account.organizationName(), info.organizationName());
    }

    @Test
    void listsComeTenAPageFollowingNextUntilTheLastPage() {
        SimulatedAccount account = simulator.createAccount();
        for (int i = 0; i < 23; i++) {
            account.createList("List " + i, T0.plusSeconds(i));
        }

        List<Page<ListItem>> pages = client.lists(credentials(account), null).collect().asList().await().atMost(WAIT);

        assertEquals(List.of(10, 10, 3), sizes(pages));
        assertEquals(List.of(false, false, true), pages.stream().map(Page::isLast).toList());
        List<String> ids = pages.stream().flatMap(page -> page.items().stream()).map(ListItem::id).toList();
        assertEquals(new HashSet<>(account.listIds()), new HashSet<>(ids));
        assertEquals(23, ids.size());
        assertEquals(3, account.counters().requests("get_lists"));
    }

    @Test
    void listsCreatedAfterAMomentAreFilteredByKlaviyo() {
        SimulatedAccount account = simulator.createAccount();
        account.createList("Old", T0.minusSeconds(3600));
        String recent = account.createList("Recent", T0.plusSeconds(60));

        List<ListItem> lists = client.lists(credentials(account), T0).onItem().transformToIterable(Page::items)
                .collect().asList().await().atMost(WAIT);

        assertEquals(List.of(recent), lists.stream().map(ListItem::id).toList());
        assertEquals(T0.plusSeconds(60), lists.get(0).created());
        assertThat(lastRequest(account), containsString("filter=greater-than(created,2026-11-28T03:00:00+00:00)"));
    }

    @Test
    void membersComeAHundredAPageInJoinOrderWithTheirConsent() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 250, T0);

        List<Page<MemberProfile>> pages = client.members(credentials(account), listId, null, null)
                .collect().asList().await().atMost(WAIT);

        assertEquals(List.of(100, 100, 50), sizes(pages));
        List<MemberProfile> members = pages.stream().flatMap(page -> page.items().stream()).toList();
        assertEquals(ids, members.stream().map(MemberProfile::id).toList());
        assertEquals(T0, members.get(0).joinedGroupAt());
        assertEquals(T0.plusSeconds(249), members.get(249).joinedGroupAt());
        assertThat(members.get(0).phoneNumber(), startsWith("+1415"));
        assertEquals("SUBSCRIBED", members.get(0).smsConsent().consent());
        assertEquals("NEVER_SUBSCRIBED", members.get(0).emailConsent().consent());
        assertEquals(3, account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void membersCarryEveryAttributeKlaviyoSends() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("VIP");
        Instant consentAt = Instant.parse("2026-11-01T10:00:00Z");
        String profileId = account.addMember(listId, SimProfile.sms("+15005550006").email("ada@example.com")
                .names("Ada", "Lovelace").externalId("pos-1").emailConsent("UNSUBSCRIBED").consentAt(consentAt), T0);

        MemberProfile member = client.members(credentials(account), listId, null, null)
                .collect().first().await().atMost(WAIT).items().get(0);

        assertEquals(profileId, member.id());
        assertEquals(26, member.id().length());
        assertEquals("ada@example.com", member.email());
        assertEquals("+15005550006", member.phoneNumber());
        assertEquals("Ada", member.firstName());
        assertEquals("Lovelace", member.lastName());
        assertEquals("pos-1", member.externalId());
        assertEquals(consentAt, member.smsConsent().consentTimestamp());
        assertEquals("UNSUBSCRIBED", member.emailConsent().consent());
        assertNotNull(member.created());
    }

    @Test
    void anEmptyListIsOneEmptyLastPage() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("Empty");

        List<Page<MemberProfile>> pages = client.members(credentials(account), listId, null, null)
                .collect().asList().await().atMost(WAIT);

        assertEquals(List.of(0), sizes(pages));
        assertTrue(pages.get(0).isLast());
    }

    @Test
    void aLastPageWithoutNextEndsTheStream() {
        SimulatedAccount account = simulator.createAccount();
        account.setLastPageLinks(SimulatedAccount.LastPageLinks.OMITTED);
        String listId = account.createList("SMS");
        account.addMembers(listId, 150, T0);

        List<Page<MemberProfile>> pages = client.members(credentials(account), listId, null, null)
                .collect().asList().await().atMost(WAIT);

        assertEquals(List.of(100, 50), sizes(pages));
        assertEquals(2, account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void aLastPageWithNextNullEndsTheStream() {
        SimulatedAccount account = simulator.createAccount();
        account.setLastPageLinks(SimulatedAccount.LastPageLinks.NULL);
        String listId = account.createList("SMS");
        account.addMembers(listId, 150, T0);

        List<Page<MemberProfile>> pages = client.members(credentials(account), listId, null, null)
                .collect().asList().await().atMost(WAIT);

        assertEquals(List.of(100, 50), sizes(pages));
        assertEquals(2, account.counters().requests("get_profiles_for_list"));
    }

    @Test
    void onlyMembersWhoJoinedAtOrAfterTheCursorAreFetched() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 30, T0);

        List<MemberProfile> members = client.members(credentials(account), listId, T0.plusSeconds(20), null)
                .onItem().transformToIterable(Page::items).collect().asList().await().atMost(WAIT);

        assertEquals(ids.subList(20, 30), members.stream().map(MemberProfile::id).toList());
        String request = lastRequest(account);
        assertThat(request, containsString("filter=greater-or-equal(joined_group_at,2026-11-28T03:00:20+00:00)"));
        assertThat(request, containsString("sort=joined_group_at"));
        assertThat(request, containsString("additional-fields[profile]=subscriptions"));
        assertThat(request, containsString("page[size]=100"));
    }

    @Test
    void aStreamResumesAtACheckpointedPage() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 250, T0);
        KlaviyoCredentials credentials = credentials(account);
        String checkpoint = client.members(credentials, listId, null, null).collect().first().await().atMost(WAIT).nextUrl();

        List<MemberProfile> rest = client.members(credentials, listId, null, checkpoint)
                .onItem().transformToIterable(Page::items).collect().asList().await().atMost(WAIT);

        assertEquals(ids.subList(100, 250), rest.stream().map(MemberProfile::id).toList());
    }

    @Test
    void aRefusedCursorStartsAgainFromTheJoinedAtFilter() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 250, T0);
        KlaviyoCredentials credentials = credentials(account);
        String checkpoint = client.members(credentials, listId, T0, null).collect().first().await().atMost(WAIT).nextUrl();
        account.faults().refuseCursors(true);
        List<String> late = account.addMembers(listId, 5, T0.plusSeconds(1000));

        List<String> members = client.members(credentials, listId, T0.plusSeconds(240), checkpoint)
                .onItem().transformToIterable(Page::items).map(MemberProfile::id).collect().asList().await().atMost(WAIT);

        assertEquals(15, members.size());
        assertEquals(ids.subList(240, 250), members.subList(0, 10));
        assertEquals(late, members.subList(10, 15));
    }

    @Test
    void membersAddedAndRemovedDuringASyncShiftNothing() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");
        List<String> ids = account.addMembers(listId, 200, T0);

        List<String> seen = client.members(credentials(account), listId, null, null)
                .invoke(page -> {
                    if (page.items().get(0).id().equals(ids.get(0))) {
                        account.removeMember(listId, ids.get(50));
                        account.removeMember(listId, ids.get(150));
                        account.addMembers(listId, 3, T0.plusSeconds(5000));
                    }
                })
                .onItem().transformToIterable(Page::items).map(MemberProfile::id)
                .collect().asList().await().atMost(WAIT);

        assertEquals(202, seen.size());
        assertEquals(202, new HashSet<>(seen).size());
        assertThat(seen, hasItem(ids.get(50)));
        assertThat(seen, not(hasItem(ids.get(150))));
    }

    @Test
    void readsOneListOneProfileAndTheListsOfAProfile() {
        SimulatedAccount account = simulator.createAccount();
        String first = account.createList("First", T0);
        String second = account.createList("Second", T0);
        account.createList("Third", T0);
        String profileId = account.addMember(first, SimProfile.sms("+15005550007"), T0);
        account.addMember(second, profileId, T0.plusSeconds(5));
        KlaviyoCredentials credentials = credentials(account);

        ListItem list = client.list(credentials, first).await().atMost(WAIT);
        MemberProfile profile = client.profile(credentials, profileId).await().atMost(WAIT);
        List<String> listIds = client.profileListIds(credentials, profileId).await().atMost(WAIT);

        assertEquals("First", list.name());
        assertEquals(T0, list.created());
        assertEquals("+15005550007", profile.phoneNumber());
        assertEquals("SUBSCRIBED", profile.smsConsent().consent());
        assertNull(profile.joinedGroupAt());
        assertThat(listIds, containsInAnyOrder(first, second));
    }
}
