package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.WireValue;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The {@code webhook_event} table, the inbox: the intake stores events here before it answers 202,
 * apply passes claim them across instances, apply them and record how it went.
 */
@ApplicationScoped
public class WebhookEventRepository implements PanacheRepository<WebhookEvent> {

    /*
     * Inbox insert, one per event of a group commit (hot path; ON CONFLICT): the request was verified
     * with credentials read earlier (perhaps from an instance's cache), so the row goes in only if the
     * account still holds them, checked in the same statement: a rotated-out token or a replaced secret
     * is never accepted, whichever instance changed it.
     */
    static final String INSERT_CHECKED = """
            with allowed as (
                select 1 from account
                where id = $1::uuid and status <> $10::text
                  and case when $2::text = $11::text then flow_token_hash = $7::text
                           else webhook_secret_enc = $8::bytea and klaviyo_account_id is not distinct from $9::text end),
            inserted as (
                insert into webhook_event (account_id, kind, external_id, topic, payload, occurred_at)
                select $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::timestamptz from allowed
                on conflict (account_id, external_id) do nothing
                returning 1)
            select (select count(*) from allowed) as allowed, (select count(*) from inserted) as inserted""";

    /** Serialises claimers (an advisory lock, held to the end of the claim's transaction). */
    static final String LOCK_CLAIMERS = "select pg_advisory_xact_lock($1)";

    /*
     * Claim (SKIP LOCKED): due received events, oldest first, of accounts no live claim holds, so one
     * account's events are never split between two passes and stay in arrival order. The accounts with
     * a live claim are found once, through a small partial index.
     */
    static final String CLAIM = """
            update webhook_event e set claimed_by = $1, claimed_until = now() + make_interval(secs => $2)
            where e.id in (
                select c.id from webhook_event c
                where c.status = $4 and c.next_attempt_at <= now()
                  and (c.claimed_until is null or c.claimed_until < now())
                  and c.account_id not in (select o.account_id from webhook_event o
                                           where o.status = $4 and o.claimed_until >= now())
                order by c.id
                limit $3
                for update skip locked)
            returning e.id, e.account_id, e.kind""";

    /** A failed attempt (CASE on the row's own attempts): due again after a doubling back-off, or failed after the last. */
    static final String RELEASE_FAILED = """
            update webhook_event set attempts = attempts + 1, error = $1, claimed_by = null, claimed_until = null,
                status = case when attempts + 1 >= $2 then $7 else $8 end,
                next_attempt_at = now() + make_interval(secs => least($3, $4 * power(2, attempts)))
            where id = $5 and claimed_by = $6 and status = $8
            returning status""";

    /** The claims of passes that ended abruptly, given back untouched (an array of pass ids). */
    static final String RELEASE_PASSES = """
            update webhook_event set claimed_by = null, claimed_until = null
            where claimed_by = any($1::text[]) and status = $2""";

    /** The fence of an apply (FOR UPDATE): the events of the batch still received and claimed by the pass. */
    static final String LOCK_CLAIMED = """
            select id from webhook_event where id = any($1::bigint[]) and status = $2 and claimed_by = $3 for update""";

    /** Applied events (an array of ids). */
    static final String MARK_APPLIED = """
            update webhook_event set status = $2, applied_at = now(), claimed_by = null, claimed_until = null, error = null
            where id = any($1::bigint[])""";

    /*
     * Retention (a bounded batch: Panache cannot limit a delete): events of one status received before
     * the cutoff, found through the index on received_at, whatever their account (deleted ones too).
     */
    static final String DELETE_EXPIRED_BATCH = """
            delete from webhook_event where id in (
                select id from webhook_event where received_at < $1 and status = $2 limit $3)""";

    /** Purge of a deleted account (a bounded batch): its events, whatever their status. */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from webhook_event where id in (
                select id from webhook_event where account_id = $1 limit $2)""";

    /** The payloads of claimed events, for planning their apply (hot path: every pass; an array of ids). */
    static final String CLAIMED_PAYLOADS = """
            select id, payload, received_at from webhook_event where id = any($1::bigint[])""";

    /** An event claimed by a pass: its id and account (events of one account are applied in id order). */
    public record Claimed(long id, UUID accountId, WebhookKind kind) {
    }

    /** A claimed event's payload as stored, and when it was received. */
    public record StoredPayload(long id, String payload, Instant receivedAt) {
    }

    /** What the inbox did with one event. */
    public enum Stored { STORED, DUPLICATE, REFUSED }

    @WithSession
    public Uni<List<WebhookEvent>> listRecent(UUID accountId, int limit) {
        return find("accountId = ?1 order by id desc", accountId).page(0, limit).list();
    }

    @WithSession
    public Uni<List<WebhookEvent>> listByStatus(UUID accountId, WebhookStatus status, int limit) {
        return find("accountId = ?1 and status = ?2 order by id desc", accountId, status).page(0, limit).list();
    }

    /** The account's event with this id, or null. */
    @WithSession
    public Uni<WebhookEvent> findOfAccount(UUID accountId, long eventId) {
        return find("id = ?1 and accountId = ?2", eventId, accountId).firstResult();
    }

    /** The payloads of the events with these ids (any order), read without an ORM session. */
    public Uni<List<StoredPayload>> payloads(SqlConnection connection, Collection<Long> ids) {
        return connection.preparedQuery(CLAIMED_PAYLOADS)
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(rows -> {
                    List<StoredPayload> payloads = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        payloads.add(new StoredPayload(row.getLong("id"), row.getString("payload"),
                                Rows.instant(row, "received_at")));
                    }
                    return payloads;
                });
    }

    /** Replay: the event is due now, as if just received; false when the account has no such event. */
    public Uni<Boolean> reset(UUID accountId, long eventId) {
        return update("status = ?1, attempts = 0, nextAttemptAt = ?2, error = null, claimedBy = null, claimedUntil = null"
                        + " where id = ?3 and accountId = ?4", WebhookStatus.RECEIVED, Instant.now(), eventId, accountId)
                .map(updated -> updated > 0);
    }

    /** Stores events, each only where the account still holds {@code verifiedWith}; one outcome per event, in order. */
    public Uni<List<Stored>> insertChecked(SqlConnection connection, List<WebhookCredentials> verifiedWith, List<NewEvent> events) {
        List<Tuple> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            rows.add(insertRow(verifiedWith.get(i), events.get(i)));
        }
        return connection.preparedQuery(INSERT_CHECKED)
                .executeBatch(rows)
                .map(WebhookEventRepository::outcomes);
    }

    /** Claims up to {@code limit} due events for {@code pass}, oldest first; claimers take turns. */
    public Uni<List<Claimed>> claim(SqlConnection connection, long claimLock, String pass, Duration lease, int limit) {
        return connection.preparedQuery(LOCK_CLAIMERS)
                .execute(Tuple.of(claimLock))
                .chain(() -> connection.preparedQuery(CLAIM)
                        .execute(Tuple.of(pass, Rows.seconds(lease), limit, WebhookStatus.RECEIVED.wire())))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    rows.forEach(row -> claimed.add(new Claimed(row.getLong("id"), row.getUUID("account_id"),
                            WireValue.parse(WebhookKind.class, row.getString("kind")))));
                    return claimed;
                });
    }

    /** Records a failed attempt; returns whether the event is now failed for good. */
    public Uni<Boolean> releaseFailed(SqlConnection connection, String pass, long eventId, String error, int maxAttempts,
            Duration backoffInitial, Duration backoffMax) {
        Tuple parameters = Rows.parameters(error, maxAttempts, Rows.seconds(backoffMax), Rows.seconds(backoffInitial), eventId, pass,
                WebhookStatus.FAILED.wire(), WebhookStatus.RECEIVED.wire());
        return connection.preparedQuery(RELEASE_FAILED)
                .execute(parameters)
                .map(rows -> rows.rowCount() > 0 && WebhookStatus.FAILED.wire().equals(Rows.single(rows).getString("status")));
    }

    public Uni<Integer> releasePasses(SqlConnection connection, List<String> passes) {
        return connection.preparedQuery(RELEASE_PASSES)
                .execute(Tuple.of(passes.toArray(String[]::new), WebhookStatus.RECEIVED.wire()))
                .map(rows -> rows.rowCount());
    }

    /** Locks the events still received and claimed by {@code pass}, in the caller's transaction; returns their ids. */
    public Uni<List<Long>> lockClaimed(SqlConnection connection, String pass, Collection<Long> eventIds) {
        return connection.preparedQuery(LOCK_CLAIMED)
                .execute(Tuple.of(eventIds.toArray(Long[]::new), WebhookStatus.RECEIVED.wire(), pass))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    return ids;
                });
    }

    public Uni<Integer> markApplied(SqlConnection connection, Collection<Long> eventIds) {
        return connection.preparedQuery(MARK_APPLIED)
                .execute(Tuple.of(eventIds.toArray(Long[]::new), WebhookStatus.APPLIED.wire()))
                .map(rows -> rows.rowCount());
    }

    /** Deletes up to {@code batch} events of {@code status} received before {@code before}; returns how many. */
    public Uni<Integer> deleteExpired(SqlConnection connection, WebhookStatus status, Instant before, int batch) {
        return connection.preparedQuery(DELETE_EXPIRED_BATCH)
                .execute(Tuple.of(Rows.timestamp(before), status.wire(), batch))
                .map(rows -> rows.rowCount());
    }

    /** Deletes up to {@code batch} of the account's events; returns how many. */
    public Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    private static Tuple insertRow(WebhookCredentials verifiedWith, NewEvent event) {
        byte[] secret = verifiedWith.webhookSecretSealed();
        return Tuple.of(event.accountId(), event.kind().wire(), event.externalId(), event.topic())
                .addString(event.payload())
                .addOffsetDateTime(Rows.timestamp(event.occurredAt()))
                .addString(verifiedWith.flowTokenHash())
                .addValue(secret == null ? null : Buffer.buffer(secret))
                .addString(verifiedWith.klaviyoAccountId())
                .addString(AccountStatus.DELETED.wire())
                .addString(WebhookKind.FLOW.wire());
    }

    private static List<Stored> outcomes(RowSet<Row> first) {
        List<Stored> outcomes = new ArrayList<>();
        for (RowSet<Row> result = first; result != null; result = result.next()) {
            Row row = Rows.single(result);
            if (row.getLong("allowed") == 0) {
                outcomes.add(Stored.REFUSED);
            } else {
                outcomes.add(row.getLong("inserted") > 0 ? Stored.STORED : Stored.DUPLICATE);
            }
        }
        return outcomes;
    }
}
