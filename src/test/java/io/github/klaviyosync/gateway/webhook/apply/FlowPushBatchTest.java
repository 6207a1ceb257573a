package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.WebhookFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Consecutive flow pushes of an account are applied in batches: the outcome is the same as applying
 * them one by one in arrival order (later values win, empty ones never erase, a member who left is
 * back and counted, the first push of a member sets the join time), pushes that need Klaviyo are
 * applied on their own between the batches, and a bad push fails alone.
 */
@QuarkusTest
class FlowPushBatchTest {

    private static final String MEMBER = """
            select m.joined_at, m.removed_at, m.source from list_membership m
            join klaviyo_list l on l.id = m.list_id join subscriber s on s.id = m.subscriber_id
            where l.account_id = ? and l.klaviyo_list_id = ? and s.klaviyo_profile_id = ?""";

    @Inject
    TestAccounts accounts;

    @Inject
    WebhookApplier applier;

    @Inject
    Scheduler scheduler;

    @Test
    void aBatchOfPushesEndsAsIfEachWereAppliedInArrivalOrder() {
        TestAccount account = WebhookFixtures.account(accounts);
        String listA = WebhookFixtures.knownList(account);
        String listB = WebhookFixtures.knownList(account);
        String listInKlaviyoOnly = account.klaviyo().createList("Pushed before discovery");
        String left = WebhookFixtures.knownSubscriber(account.id());
        String knownEmail = TestSecrets.email();
        TestDatabase.execute("update subscriber set email = ? where account_id = ? and klaviyo_profile_id = ?",
                knownEmail, account.id(), left);
        TestDatabase.execute("""
                insert into list_membership (list_id, subscriber_id, account_id, joined_at, source, removed_at)
                select l.id, s.id, l.account_id, now() - interval '1 day', 'poll', now() - interval '1 hour'
                from klaviyo_list l join subscriber s on s.account_id = l.account_id
                where l.account_id = ? and l.klaviyo_list_id = ? and s.klaviyo_profile_id = ?""", account.id(), listA, left);
        String newcomer = WebhookFixtures.profileId();
        String other = WebhookFixtures.profileId();
        String newcomerEmail = TestSecrets.email();
        String phone = TestSecrets.phone();

        scheduler.pause(ApplierWakeUp.JOB);
        List<Long> events;
        try {
            events = List.of(
                    store(account, push(listA, left, "", "", "Ada", "")),
                    store(account, push(listA, newcomer, newcomerEmail, phone, "", "")),
                    store(account, push(listA, newcomer, "", "", "", "Lovelace")),
                    store(account, push(listInKlaviyoOnly, other, "", "", "", "")),
                    store(account, push(listB, newcomer, "", "", "Augusta", "")),
                    store(account, push(listA, other, "", "12", "", "")));
            applier.applyDue().await().indefinitely();
        } finally {
            scheduler.resume(ApplierWakeUp.JOB);
        }

        assertEquals(6, TestDatabase.count("""
                select count(*) from webhook_event where account_id = ? and status = 'applied' and attempts = 0""",
                account.id()));
        assertEquals(0, TestDatabase.count("select count(*) from webhook_claim where account_id = ?", account.id()),
                "the pass gave the account back");
        assertEquals(2L, memberCount(account, listA), "the newcomer and the other, each once; the member who left is not back");
        assertEquals(1L, memberCount(account, listB));
        assertEquals(1L, memberCount(account, listInKlaviyoOnly), "the unknown list was created by its push");
        assertEquals(2, TestDatabase.count("""
                select count(*) from list_membership m join klaviyo_list l on l.id = m.list_id
                where l.account_id = ? and l.klaviyo_list_id = ? and m.removed_at is null""", account.id(), listA));

        Map<String, Object> stillGone = TestDatabase.row(MEMBER, account.id(), listA, left);
        assertNotNull(stillGone.get("removed_at"), "a push never brings back a member a full sync found gone");
        assertEquals("poll", stillGone.get("source"));
        // Due at once: the engine may have polled it already (a run of trigger webhook), or not yet.
        assertEquals(1, TestDatabase.count("""
                select count(*) from klaviyo_list l
                 where l.account_id = ? and l.klaviyo_list_id = ?
                   and (l.pending_trigger = 'webhook'
                        or exists (select 1 from sync_run r where r.list_id = l.id and r.trigger = 'webhook'))""",
                account.id(), listA), "instead, the list is polled, where Klaviyo says whether they are back");
        assertEquals(receivedAt(events.get(1)), TestDatabase.row(MEMBER, account.id(), listA, newcomer).get("joined_at"),
                "the first push of the newcomer set the join time");

        Map<String, Object> leftNow = subscriber(account, left);
        assertEquals(knownEmail, leftNow.get("email"));
        assertNull(leftNow.get("first_name"), "a push never changes a person known from Klaviyo's API");
        assertEquals(false, leftNow.get("pushed"));
        Map<String, Object> newcomerNow = subscriber(account, newcomer);
        assertEquals(true, newcomerNow.get("pushed"), "a person the gateway did not know is created from the push, marked");
        assertEquals(newcomerEmail, newcomerNow.get("email"), "an empty pushed email never erases a pushed one");
        assertEquals(phone, newcomerNow.get("phone_e164"));
        assertEquals("Augusta", newcomerNow.get("first_name"), "the later push's value wins");
        assertEquals("Lovelace", newcomerNow.get("last_name"));
        Map<String, Object> otherNow = subscriber(account, other);
        assertEquals(true, otherNow.get("phone_invalid"));
        assertEquals("12", otherNow.get("phone_raw"));
    }

    @Test
    void aBadPushFailsAloneAndTheOthersOfItsBatchAreApplied() {
        TestAccount account = WebhookFixtures.account(accounts);
        String list = WebhookFixtures.knownList(account);

        // The database refuses one subscriber (a trigger of this test's own), so the batch's statement fails.
        String refused = "Refused" + WebhookFixtures.random(8);
        TestDatabase.execute("""
                create function refuse_%1$s() returns trigger language plpgsql as $$
                begin
                    if new.first_name = '%1$s' then raise exception 'refused by the test'; end if;
                    return new;
                end $$""".formatted(refused));
        TestDatabase.execute("create trigger refuse_%1$s before insert or update on subscriber for each row execute function refuse_%1$s()"
                .formatted(refused));
        scheduler.pause(ApplierWakeUp.JOB);
        try {
            // In one statement: a pass still running from an earlier test claims all four or none.
            List<Long> events = storeAll(account,
                    push(list, WebhookFixtures.profileId(), "", "", "", ""),
                    push(list, WebhookFixtures.profileId(), "", "", refused, ""),
                    "{\"list_id\": broken",
                    push(list, WebhookFixtures.profileId(), "", "", "", ""));
            applier.applyDue().await().indefinitely();
            // That pass may have claimed the batch before this one: it applies it.
            Eventually.until(Duration.ofSeconds(10), "the batch is applied", () -> "applied".equals(status(events.get(3))));

            assertEquals("applied", status(events.get(0)));
            for (long bad : List.of(events.get(1), events.get(2))) {
                Map<String, Object> row = TestDatabase.row("select status, attempts, error from webhook_event where id = ?", bad);
                assertTrue(!"applied".equals(row.get("status")), "a bad push is not applied");
                assertTrue(((Number) row.get("attempts")).intValue() >= 1, "its failed attempt is recorded");
                assertNotNull(row.get("error"));
            }
            assertEquals(2L, memberCount(account, list));
        } finally {
            scheduler.resume(ApplierWakeUp.JOB);
            TestDatabase.execute("drop trigger refuse_%1$s on subscriber".formatted(refused));
            TestDatabase.execute("drop function refuse_%1$s()".formatted(refused));
        }
    }

    private static String push(String listId, String profileId, String email, String phone, String first, String last) {
        return """
                {"list_id":"%s","profile_id":"%s","email":"%s","phone_number":"%s","first_name":"%s","last_name":"%s"}"""
                .formatted(listId, profileId, email, phone, first, last);
    }

    private static long store(TestAccount account, String payload) {
        return ((Number) TestDatabase.value(
                "insert into webhook_event (account_id, kind, payload) values (?, 'flow', ?) returning id",
                account.id(), payload)).longValue();
    }

    /** The events in one insert, in the order given (ids ascend with the rows). */
    private static List<Long> storeAll(TestAccount account, String... payloads) {
        String rows = String.join(", ", Collections.nCopies(payloads.length, "(?, 'flow', ?)"));
        Object[] parameters = new Object[payloads.length * 2];
        for (int i = 0; i < payloads.length; i++) {
            parameters[2 * i] = account.id();
            parameters[2 * i + 1] = payloads[i];
        }
        return TestDatabase.rows("insert into webhook_event (account_id, kind, payload) values " + rows + " returning id", parameters)
                .stream()
                .map(row -> ((Number) row.get("id")).longValue())
                .sorted()
                .toList();
    }

    private static Object receivedAt(long event) {
        return TestDatabase.value("select received_at from webhook_event where id = ?", event);
    }

    private static String status(long event) {
        return (String) TestDatabase.value("select status from webhook_event where id = ?", event);
    }

    private static long memberCount(TestAccount account, String listId) {
        return ((Number) TestDatabase.value("select member_count from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                account.id(), listId)).longValue();
    }

    private static Map<String, Object> subscriber(TestAccount account, String profileId) {
        return TestDatabase.row("select * from subscriber where account_id = ? and klaviyo_profile_id = ?",
                account.id(), profileId);
    }
}
