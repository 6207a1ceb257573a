package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Accounts, lists, members, runs and webhook events written straight into the tests' database, each
 * with random ids so tests never see each other's data. Secrets follow {@link TestSecrets}: sealed
 * like the gateway seals them, with the marker in their middle. Lists are not due and accounts not
 * due for discovery, list checks or profile sweeps, so a sync engine running in the same test JVM
 * leaves them alone.
 */
public final class ApiFixtures {

    public static final String TOKEN = "test-token-for-the-test-suite";
    public static final String SECOND_TOKEN = "second-test-token-for-the-test-suite";

    private final SecretBox secretBox;

    public ApiFixtures(SecretBox secretBox) {
        this.secretBox = secretBox;
    }

    /** An account as stored, with the plaintext of its secrets for the tests' checks. */
    public record FixtureAccount(UUID id, String klaviyoAccountId, String apiKey, String webhookSecret, String flowToken) {
    }

    public FixtureAccount account() {
        return account("active");
    }

    public FixtureAccount account(String status) {
        UUID id = UUID.randomUUID();
        String apiKey = TestSecrets.apiKey();
        String webhookSecret = TestSecrets.secret("whsec");
        String flowToken = TestSecrets.secret("flow");
        String klaviyoAccountId = "K" + random();
        Instant now = now();
        // Discovered and swept just now and never due again, in the same statement: fixture keys are not Klaviyo's.
        TestDatabase.execute("""
                with created as (
                    insert into account (id, name, klaviyo_account_id, api_key_enc, webhook_secret_enc, flow_token_hash,
                                         status, created_at, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    returning id
                ), discovery as (
                    insert into list_discovery (account_id, last_discovery_at, next_discovery_at)
                    select id, ?, 'infinity' from created)
                insert into profile_sweep (account_id, updated_cursor, next_sweep_at)
                select id, ?, 'infinity' from created""",
                id, "Fixture " + id.toString().substring(0, 8), klaviyoAccountId,
                secretBox.seal(apiKey, SecretField.API_KEY, id), secretBox.seal(webhookSecret, SecretField.WEBHOOK_SECRET, id),
                Tokens.hash(flowToken), status, now, now, now, now);
        return new FixtureAccount(id, klaviyoAccountId, apiKey, webhookSecret, flowToken);
    }

    /** An active list, synced an hour ago and due tomorrow; returns its row id. */
    public long list(UUID accountId, String klaviyoListId) {
        Instant now = now();
        return (Long) TestDatabase.execute("""
                insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_at, discovered_via,
                                          last_synced_at, next_sync_at, created_at, updated_at)
                values (?, ?, ?, ?, 'discovery', ?, ?, ?, ?) returning id""",
                accountId, klaviyoListId, "List " + klaviyoListId, now.minus(1, ChronoUnit.DAYS),
                now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS), now, now);
    }

    public String newListId() {
        return "L" + random();
    }

    /** A subscriber with a marked email and phone; returns its row id. */
    public long subscriber(UUID accountId, String smsConsent) {
        Instant now = now();
        String phone = TestSecrets.phone();
        return (Long) TestDatabase.execute("""
                insert into subscriber (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, sms_consent,
                                        email_consent, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, 'NEVER_SUBSCRIBED', ?, ?) returning id""",
                accountId, "01P" + random(), TestSecrets.email(), phone, phone, smsConsent, now, now);
    }

    public void membership(long listId, long subscriberId, UUID accountId, Instant joinedAt, Instant removedAt) {
        Instant now = now();
        TestDatabase.execute("""
                insert into list_membership (list_id, subscriber_id, account_id, joined_at, source, removed_at,
                                             first_seen_at, updated_at)
                values (?, ?, ?, ?, 'poll', ?, ?, ?)""",
                listId, subscriberId, accountId, joinedAt, removedAt, now, now);
    }

    /** A membership brought in by {@code source} ("poll" or "webhook"), first stored at {@code firstSeenAt}. */
    public void membershipSeen(long listId, long subscriberId, UUID accountId, String source, Instant firstSeenAt) {
        TestDatabase.execute("""
                insert into list_membership (list_id, subscriber_id, account_id, joined_at, source, first_seen_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?)""",
                listId, subscriberId, accountId, firstSeenAt, source, firstSeenAt, firstSeenAt);
    }

    /** A run; {@code listId} null for discovery. Returns its id. */
    public long run(UUID accountId, Long listId, String status, Instant startedAt) {
        return (Long) TestDatabase.execute("""
                insert into sync_run (account_id, list_id, kind, trigger, status, started_at, finished_at, pages,
                                      profiles_seen, profiles_added, error)
                values (?, ?, ?, 'schedule', ?, ?, ?, 2, 150, 7, ?) returning id""",
                accountId, listId, listId == null ? "discovery" : "members", status, startedAt,
                "running".equals(status) ? null : startedAt.plusSeconds(3),
                "failed".equals(status) ? "Klaviyo answered 503" : null);
    }

    /** A stored webhook event that no applier will pick up (its next attempt is far away). */
    public long webhookEvent(UUID accountId, String status) {
        return (Long) TestDatabase.execute("""
                insert into webhook_event (account_id, kind, external_id, topic, payload, status, next_attempt_at, received_at)
                values (?, 'system', ?, 'event:klaviyo.subscribed_to_sms_marketing', '{}', ?, ?, ?) returning id""",
                accountId, "ext-" + random(), status, now().plus(365, ChronoUnit.DAYS), now());
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
