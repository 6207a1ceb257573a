package io.github.klaviyosync.gateway.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.klaviyosync.gateway.account.Account;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.list.DiscoveredVia;
import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.list.ListStatus;
import io.github.klaviyosync.gateway.member.Consent;
import io.github.klaviyosync.gateway.member.ListMembership;
import io.github.klaviyosync.gateway.member.MembershipRepository;
import io.github.klaviyosync.gateway.member.MembershipSource;
import io.github.klaviyosync.gateway.member.Subscriber;
import io.github.klaviyosync.gateway.member.SubscriberRepository;
import io.github.klaviyosync.gateway.syncrun.SyncKind;
import io.github.klaviyosync.gateway.syncrun.SyncRun;
import io.github.klaviyosync.gateway.syncrun.SyncRunRepository;
import io.github.klaviyosync.gateway.syncrun.SyncStatus;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.github.klaviyosync.gateway.webhook.WebhookEvent;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.WebhookStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.TestReactiveTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every entity survives a write and a read through its repository with every column intact, its
 * enums stored as CONTRACT.md's words (read back with native SQL). Each test rolls back and makes
 * its own account, so the tests share the database without seeing each other.
 */
@QuarkusTest
class EntityRoundTripTest {

    @Inject
    AccountRepository accounts;
    @Inject
    ListRepository lists;
    @Inject
    SubscriberRepository subscribers;
    @Inject
    MembershipRepository memberships;
    @Inject
    SyncRunRepository runs;
    @Inject
    WebhookEventRepository events;
    @Inject
    SecretBox secretBox;

    @Test
    @RunOnVertxContext
    @TestReactiveTransaction
    void accountKeepsItsSealedSecretsAndItsStatusAsAWord(UniAsserter asserter) {
        Account account = Fixtures.account(AccountStatus.AUTH_FAILED);
        account.apiKeySealed = secretBox.seal("pk_live_round_trip", SecretField.API_KEY, account.id);
        account.webhookSecretSealed = secretBox.seal("whsec_round_trip", SecretField.WEBHOOK_SECRET, account.id);
        account.flowTokenHash = Tokens.hash("flow-token-round-trip");
        account.statusReason = "Klaviyo rejected the API key";
        byte[] sealedKey = account.apiKeySealed.clone();

        asserter.execute(() -> accounts.persist(account));
        asserter.execute(EntityRoundTripTest::flushAndForget);
        asserter.assertThat(() -> accounts.findById(account.id), found -> {
            assertNotSame(account, found);
            assertArrayEquals(sealedKey, found.apiKeySealed);
            assertEquals("pk_live_round_trip", secretBox.open(found.apiKeySealed, SecretField.API_KEY, found.id));
            assertEquals("whsec_round_trip", secretBox.open(found.webhookSecretSealed, SecretField.WEBHOOK_SECRET, found.id));
            assertEquals(account.flowTokenHash, found.flowTokenHash);
            assertEquals(AccountStatus.AUTH_FAILED, found.status);
            assertEquals(account.statusReason, found.statusReason);
            assertEquals(account.createdAt, found.createdAt);
        });
        asserter.assertEquals(() -> words("select status from account where id = :id", account.id), List.of("auth_failed"));
    }

    @Test
    @RunOnVertxContext
    @TestReactiveTransaction
    void listKeepsItsSyncStateAndItsWords(UniAsserter asserter) {
        Account account = Fixtures.account(AccountStatus.ACTIVE);
        KlaviyoList list = Fixtures.list(account, "Ldev" + account.id.toString().substring(0, 6));
        list.discoveredVia = DiscoveredVia.WEBHOOK;
        list.status = ListStatus.DELETED;
        list.pendingTrigger = SyncTrigger.MANUAL;
        list.pendingFull = true;
        list.memberCursor = Fixtures.now().minusSeconds(60);
        list.pageCursor = "https://a.klaviyo.com/api/lists/X/profiles?page[cursor]=abc";
        list.memberCount = 42;

        asserter.execute(() -> accounts.persist(account));
        asserter.execute(() -> lists.persist(list));
        asserter.execute(EntityRoundTripTest::flushAndForget);
        asserter.assertThat(() -> lists.findByKlaviyoId(account.id, list.klaviyoListId), found -> {
            assertNotSame(list, found);
            assertNotNull(found.id);
            assertEquals(DiscoveredVia.WEBHOOK, found.discoveredVia);
            assertEquals(ListStatus.DELETED, found.status);
            assertEquals(SyncTrigger.MANUAL, found.pendingTrigger);
            assertEquals(true, found.pendingFull);
            assertEquals(list.memberCursor, found.memberCursor);
            assertEquals(list.pageCursor, found.pageCursor);
            assertEquals(42, found.memberCount);
            assertEquals(list.nextSyncAt, found.nextSyncAt);
        });
        asserter.assertEquals(() -> words("select discovered_via || ' ' || status || ' ' || pending_trigger from klaviyo_list where account_id = :id",
                account.id), List.of("webhook deleted manual"));
    }

    @Test
    @RunOnVertxContext
    @TestReactiveTransaction
    void subscriberKeepsItsPhoneAndConsentWords(UniAsserter asserter) {
        Account account = Fixtures.account(AccountStatus.ACTIVE);
        Subscriber subscriber = Fixtures.subscriber(account, "01PROFILE");
        subscriber.phoneRaw = "(415) 555-0100";
        subscriber.phoneE164 = "+14155550100";
        subscriber.smsConsent = Consent.SUBSCRIBED;
        subscriber.smsConsentAt = Fixtures.now().minusSeconds(10);
        subscriber.emailConsent = Consent.NEVER_SUBSCRIBED;

        asserter.execute(() -> accounts.persist(account));
        asserter.execute(() -> subscribers.persist(subscriber));
        asserter.execute(EntityRoundTripTest::flushAndForget);
        asserter.assertThat(() -> subscribers.findByProfileId(account.id, "01PROFILE"), found -> {
            assertNotSame(subscriber, found);
            assertEquals("+14155550100", found.phoneE164);
            assertEquals("(415) 555-0100", found.phoneRaw);
            assertEquals(Consent.SUBSCRIBED, found.smsConsent);
            assertEquals(subscriber.smsConsentAt, found.smsConsentAt);
            assertEquals(Consent.NEVER_SUBSCRIBED, found.emailConsent);
            assertNull(found.emailConsentAt);
            assertEquals(subscriber.email, found.email);
        });
        asserter.assertEquals(() -> words("select sms_consent || ' ' || email_consent from subscriber where account_id = :id", account.id),
                List.of("SUBSCRIBED NEVER_SUBSCRIBED"));
    }

    @Test
    @RunOnVertxContext
    @TestReactiveTransaction
    void membershipIsFoundByItsCompositeKey(UniAsserter asserter) {
        Account account = Fixtures.account(AccountStatus.ACTIVE);
        KlaviyoList list = Fixtures.list(account, "LMEMBERS");
        Subscriber subscriber = Fixtures.subscriber(account, "01MEMBER");
        ListMembership membership = new ListMembership();

        asserter.execute(() -> accounts.persist(account));
        asserter.execute(() -> lists.persist(list));
        asserter.execute(() -> subscribers.persist(subscriber));
        asserter.execute(() -> {
            membership.listId = list.id;
            membership.subscriberId = subscriber.id;
            membership.accountId = account.id;
            membership.joinedAt = Fixtures.now().minusSeconds(5);
            membership.source = MembershipSource.WEBHOOK;
            membership.firstSeenAt = Fixtures.now();
            membership.updatedAt = Fixtures.now();
            return memberships.persist(membership);
        });
        asserter.execute(EntityRoundTripTest::flushAndForget);
        asserter.assertThat(() -> memberships.findById(new ListMembership.Key(list.id, subscriber.id)), found -> {
            assertNotSame(membership, found);
            assertEquals(MembershipSource.WEBHOOK, found.source);
            assertEquals(membership.joinedAt, found.joinedAt);
            assertNull(found.removedAt);
        });
        asserter.assertEquals(() -> memberships.countActive(list.id), 1L);
        asserter.assertEquals(() -> words("select source from list_membership where account_id = :id", account.id), List.of("webhook"));
    }

    @Test
    @RunOnVertxContext
    @TestReactiveTransaction
    void syncRunKeepsItsCountsAndWords(UniAsserter asserter) {
        Account account = Fixtures.account(AccountStatus.ACTIVE);
        KlaviyoList list = Fixtures.list(account, "LRUNS");
        SyncRun run = new SyncRun();

        asserter.execute(() -> accounts.persist(account));
        asserter.execute(() -> lists.persist(list));
        asserter.execute(() -> {
            run.accountId = account.id;
            run.listId = list.id;
            run.kind = SyncKind.MEMBERS;
            run.trigger = SyncTrigger.CONNECT;
            run.status = SyncStatus.FAILED;
            run.fullSync = true;
            run.startedAt = Fixtures.now().minusSeconds(30);
            run.finishedAt = Fixtures.now();
            run.pages = 3;
            run.profilesSeen = 250;
            run.profilesAdded = 17;
            run.profilesRemoved = 2;
            run.error = "Klaviyo unavailable (503) after 6 attempts";
            return runs.persist(run);
        });
        asserter.execute(EntityRoundTripTest::flushAndForget);
        asserter.assertThat(() -> runs.recentForList(account.id, list.id, 10), found -> {
            assertEquals(1, found.size());
            SyncRun read = found.get(0);
            assertNotSame(run, read);
            assertEquals(SyncKind.MEMBERS, read.kind);
            assertEquals(SyncTrigger.CONNECT, read.trigger);
            assertEquals(SyncStatus.FAILED, read.status);
            assertEquals(List.of(3, 250, 17, 2), List.of(read.pages, read.profilesSeen, read.profilesAdded, read.profilesRemoved));
            assertEquals(run.error, read.error);
            assertEquals(run.finishedAt, read.finishedAt);
        });
        asserter.assertEquals(() -> words("select kind || ' ' || trigger || ' ' || status from sync_run where account_id = :id", account.id),
                List.of("members connect failed"));
    }

    @Test
    @RunOnVertxContext
    @TestReactiveTransaction
    void webhookEventKeepsItsPayloadAndWords(UniAsserter asserter) {
        Account account = Fixtures.account(AccountStatus.ACTIVE);
        WebhookEvent event = new WebhookEvent();
        event.kind = WebhookKind.SYSTEM;
        event.externalId = "01JEVENT" + account.id.toString().substring(0, 8);
        event.topic = "event:klaviyo.subscribed_to_sms_marketing";
        event.payload = "{\"type\":\"event\",\"id\":\"abc\"}";
        event.status = WebhookStatus.APPLIED;
        event.attempts = 1;
        event.occurredAt = Fixtures.now().minusSeconds(2);
        event.receivedAt = Fixtures.now();
        event.nextAttemptAt = Fixtures.now();
        event.appliedAt = Fixtures.now();

        asserter.execute(() -> accounts.persist(account));
        asserter.execute(() -> {
            event.accountId = account.id;
            return events.persist(event);
        });
        asserter.execute(EntityRoundTripTest::flushAndForget);
        asserter.assertThat(() -> events.listByStatus(account.id, WebhookStatus.APPLIED, 10), found -> {
            assertEquals(1, found.size());
            WebhookEvent read = found.get(0);
            assertNotSame(event, read);
            assertEquals(event.externalId, read.externalId);
            assertEquals(event.payload, read.payload);
            assertEquals(WebhookKind.SYSTEM, read.kind);
            assertEquals(event.occurredAt, read.occurredAt);
        });
        asserter.assertEquals(() -> words("select kind || ' ' || status from webhook_event where account_id = :id", account.id),
                List.of("system applied"));
    }

    /** Writes what the session holds and empties it, so the next read comes from the database. */
    private static Uni<Void> flushAndForget() {
        return Panache.getSession()
                .call(session -> session.flush())
                .invoke(session -> session.clear())
                .replaceWithVoid();
    }

    private static Uni<List<String>> words(String sql, Object accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(sql, String.class).setParameter("id", accountId).getResultList());
    }
}
