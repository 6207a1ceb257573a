package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NewAccountSyncTest {

    @Inject
    TestAccounts accounts;

    @Test
    void discoversEveryListOfANewAccountAndBackfillsAllMembersWithConsentAndPhones() {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        Instant joined = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String spring = klaviyo.createList("Spring popup");
        String footer = klaviyo.createList("Footer form");
        String vip = klaviyo.createList("VIP");
        addMembers(klaviyo, spring, 1000, joined);
        addMembers(klaviyo, footer, 1000, joined);
        addMembers(klaviyo, vip, 500, joined);

        UUID accountId = accounts.register(klaviyo);

        Eventually.until(Duration.ofSeconds(90), "2,500 memberships stored", () -> activeMemberships(accountId) == 2500);
        Eventually.until(Duration.ofSeconds(10), "every list's backfill recorded as done", () -> (long) row(
                "select count(*) as n from klaviyo_list where account_id = ? and last_synced_at is not null", accountId)
                .get("n") == 3);
        // A run is finished in its own step after the list's completion: wait until none of the account's runs is running.
        Eventually.until(Duration.ofSeconds(10), "the discovery and the backfills finished", () -> (long) row(
                "select count(*) as n from sync_run where account_id = ? and status = 'running'", accountId)
                .get("n") == 0);

        List<Map<String, Object>> lists = rows("""
                select klaviyo_list_id, name, discovered_via, status, member_count, page_cursor
                  from klaviyo_list where account_id = ? order by name""", accountId);
        assertEquals(3, lists.size());
        assertEquals(List.of("Footer form", "Spring popup", "VIP"), lists.stream().map(l -> l.get("name")).toList());
        for (Map<String, Object> list : lists) {
            assertEquals("discovery", list.get("discovered_via"));
            assertEquals("active", list.get("status"));
            assertNull(list.get("page_cursor"), "a finished sync leaves no page cursor behind");
        }
        assertEquals(List.of(1000, 1000, 500), lists.stream().map(l -> l.get("member_count")).toList());

        // Every fourth member has a national-format number, every tenth none, every seventh a broken one.
        Map<String, Object> phones = row("""
                select count(*) filter (where phone_e164 like '+1%' and not phone_invalid) as e164,
                       count(*) filter (where phone_invalid and phone_e164 is null and phone_raw = 'call me maybe') as kept_raw,
                       count(*) filter (where phone_raw is null and phone_e164 is null) as none
                  from subscriber where account_id = ?""", accountId);
        long broken = expectedCount(2500, i -> i % 7 == 0 && i % 10 != 0);
        long none = expectedCount(2500, i -> i % 10 == 0);
        assertEquals(broken, phones.get("kept_raw"));
        assertEquals(none, phones.get("none"));
        assertEquals(2500 - broken - none, phones.get("e164"));

        Map<String, Object> consent = row("""
                select count(*) filter (where sms_consent = 'SUBSCRIBED' and sms_consent_at is not null) as subscribed,
                       count(*) filter (where sms_consent = 'UNSUBSCRIBED') as unsubscribed,
                       count(*) filter (where sms_consent = 'NEVER_SUBSCRIBED') as never,
                       count(*) filter (where email_consent = 'SUBSCRIBED') as email_subscribed
                  from subscriber where account_id = ?""", accountId);
        assertEquals(expectedCount(2500, i -> i % 3 == 0), consent.get("subscribed"));
        assertEquals(expectedCount(2500, i -> i % 3 == 1), consent.get("unsubscribed"));
        assertEquals(expectedCount(2500, i -> i % 3 == 2), consent.get("never"));
        assertEquals(expectedCount(2500, i -> i % 2 == 0), consent.get("email_subscribed"));

        Map<String, Object> discovery = row("""
                select trigger, status, lists_seen, lists_added, finished_at
                  from sync_run where account_id = ? and kind = 'discovery'""", accountId);
        assertEquals("connect", discovery.get("trigger"));
        assertEquals("succeeded", discovery.get("status"));
        assertEquals(3, discovery.get("lists_seen"));
        assertEquals(3, discovery.get("lists_added"));
        assertNotNull(discovery.get("finished_at"));

        List<Map<String, Object>> backfills = rows("""
                select trigger, status, pages, profiles_seen, profiles_added
                  from sync_run where account_id = ? and kind = 'members' order by profiles_added""", accountId);
        assertEquals(3, backfills.size());
        for (Map<String, Object> run : backfills) {
            assertEquals("connect", run.get("trigger"));
            assertEquals("succeeded", run.get("status"));
        }
        assertEquals(List.of(500, 1000, 1000), backfills.stream().map(r -> r.get("profiles_added")).toList());
        assertEquals(List.of(5, 10, 10), backfills.stream().map(r -> r.get("pages")).toList());
        assertTrue(row("select next_discovery_at from list_discovery where account_id = ?", accountId).get("next_discovery_at") != null,
                "the next nightly discovery is scheduled");
    }

    private static long activeMemberships(UUID accountId) {
        return (long) row("select count(*) as n from list_membership where account_id = ? and removed_at is null", accountId)
                .get("n");
    }

    private static long expectedCount(int total, java.util.function.IntPredicate which) {
        return java.util.stream.IntStream.range(0, total).filter(which).count();
    }

    /** Members numbered across the account, so the mix of phones and consent is known exactly. */
    private int next;

    private void addMembers(SimulatedAccount klaviyo, String listId, int count, Instant firstJoined) {
        for (int n = 0; n < count; n++, next++) {
            int i = next;
            String phone = i % 10 == 0 ? null
                    : i % 7 == 0 ? "call me maybe"
                    : i % 4 == 0 ? "(415) 555-" + String.format("%04d", i % 10_000)
                    : TestSecrets.phone();
            SimProfile person = SimProfile.empty()
                    .phone(phone)
                    .email("member" + i + "@example.com")
                    .names("Member", Integer.toString(i))
                    .smsConsent(i % 3 == 0 ? SimProfile.SUBSCRIBED : i % 3 == 1 ? SimProfile.UNSUBSCRIBED : SimProfile.NEVER_SUBSCRIBED)
                    .emailConsent(i % 2 == 0 ? SimProfile.SUBSCRIBED : SimProfile.NEVER_SUBSCRIBED);
            klaviyo.addMember(listId, person, firstJoined.plusSeconds(i));
        }
    }
}
