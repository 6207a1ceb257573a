package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The {@code webhook_event} table, the inbox: the intake stores events here before it answers 202,
 * apply passes (holding their accounts' claims, {@code webhook_claim}) apply them and record how it went.
 */
@ApplicationScoped
public class WebhookEventRepository implements PanacheRepository<WebhookEvent> {

    /*
     * Inbox insert of a whole group commit in one statement (hot path; typed arrays, ON CONFLICT): each
     * request was verified with credentials read earlier (perhaps from an instance's cache), so an
     * event goes in only if its account still holds them, checked in the same statement: a rotated-out
     * token or a replaced secret is never accepted, whichever instance changed it. One row per event,
     * in the order given: allowed, and inserted (a system event already stored, or given twice, is
     * inserted once: the first time it is given).
     */
    static final String INSERT_CHECKED = """
            with input as (
                select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                                     $7::text[], $8::bytea[], $9::text[])
                    with ordinality as i(account_id, kind, external_id, topic, payload, occurred_at,
                                         flow_token_hash, webhook_secret_enc, klaviyo_account_id, n)),
            allowed as (
                select i.* from input i join account a on a.id = i.account_id
                where a.status <> $10::text
                  and case when i.kind = $11::text then a.flow_token_hash = i.flow_token_hash
                           else a.webhook_secret_enc = i.webhook_secret_enc
                                and a.klaviyo_account_id is not distinct from i.klaviyo_account_id end),
            inserted as (
                insert into webhook_event (account_id, kind, external_id, topic, payload, occurred_at)
                select account_id, kind, external_id, topic, payload, occurred_at from allowed order by n
                on conflict (account_id, external_id) where external_id is not null do nothing
                returning account_id, external_id)
            select a.n is not null as allowed,
                   a.n is not null and (i.external_id is null
                       or (exists (select 1 from inserted s
                                   where s.account_id = i.account_id and s.external_id = i.external_id)
                           and i.n = (select min(b.n) from allowed b
                                      where b.account_id = i.account_id and b.external_id = i.external_id))) as inserted
            from input i left join allowed a on a.n = i.n
            order by i.n""";

    /*
     * A failed attempt (CASE on the row's own attempts), fenced by the pass's claim on the account
     * (webhook_claim, V13): due again after a doubling back-off, or failed after the last.
     */
    static final String RELEASE_FAILED = """
            update webhook_event e set attempts = attempts + 1, error = $1,
                status = case when attempts + 1 >= $2 then $7 else $8 end,
                next_attempt_at = now() + make_interval(secs => least($3, $4 * power(2, attempts)))
            where e.id = $5 and e.status = $8
              and exists (select 1 from webhook_claim h where h.account_id = e.account_id and h.claimed_by = $6)
            returning e.status""";

    /*
     * The fence of an apply, and its mark, in one statement: the events of the batch still received,
     * while the pass holds their account's claim (webhook_claim, V13), are marked applied (the update
     * locks them to the end of the transaction, which writes their effects next: an event is applied
     * once even when a claim ran out and another instance took it); their ids are answered.
     */
    static final String MARK_CLAIMED_APPLIED = """
            update webhook_event set status = $5, applied_at = now(), error = null
            where id = any($1::bigint[]) and status = $2 and account_id = $4
              and exists (select 1 from webhook_claim h where h.account_id = $4 and h.claimed_by = $3)
            returning id""";

    /*
     * Retention (a bounded batch: Panache cannot limit a delete): events of one status received before
     * the cutoff, found through the index on received_at, whatever their account (deleted ones too).
     */
    static final String DELETE_EXPIRED_BATCH = """
            delete from webhook_event where id in (
                select id from webhook_event where received_at < $1 and status = $2 limit $3)""";

    /*
     * Purge of a deleted account (a bounded batch): its events, whatever their status, found through
     * the index of those done (webhook_event_by_status, partial since V14) and the received ones
     * through webhook_event_due (V12); the statuses are written out, as those indexes' predicates are.
     */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from webhook_event where id in (
                (select id from webhook_event where account_id = $1 and status in ('%1$s', '%2$s') limit $2)
                union all
                (select id from webhook_event where account_id = $1 and status = '%3$s' limit $2)
                limit $2)""".formatted(WebhookStatus.APPLIED.wire(), WebhookStatus.FAILED.wire(), WebhookStatus.RECEIVED.wire());

    /** The payloads of claimed events, for planning their apply (hot path: every pass; an array of ids). */
    static final String CLAIMED_PAYLOADS = """
            select id, payload, received_at from webhook_event where id = any($1::bigint[]) and account_id = $2""";

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

    /** The payloads of the account's events with these ids (any order), read without an ORM session. */
    public Uni<List<StoredPayload>> payloads(SqlConnection connection, UUID accountId, Collection<Long> ids) {
        return connection.preparedQuery(CLAIMED_PAYLOADS)
                .execute(Tuple.of(ids.toArray(Long[]::new), accountId))
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
        return update("status = ?1, attempts = 0, nextAttemptAt = ?2, error = null"
                        + " where id = ?3 and accountId = ?4", WebhookStatus.RECEIVED, Instant.now(), eventId, accountId)
                .map(updated -> updated > 0);
    }

    /**
     * Stores events, each only where the account still holds {@code verifiedWith}; one outcome per
     * event, in order. One statement, atomic in itself: on a pool it commits on its own (no BEGIN and
     * COMMIT round trips), on a connection in a transaction it is part of it.
     */
    public Uni<List<Stored>> insertChecked(SqlClient client, List<WebhookCredentials> verifiedWith, List<NewEvent> events) {
        return client.preparedQuery(INSERT_CHECKED)
                .execute(insertRows(verifiedWith, events))
                .map(WebhookEventRepository::outcomes);
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

    /**
     * Marks applied, in the caller's transaction, the account's events still received and claimed by
     * {@code pass} (locked until it ends); returns their ids. The caller writes their effects in the
     * same transaction, or rolls it back.
     */
    public Uni<List<Long>> markClaimedApplied(SqlConnection connection, UUID accountId, String pass, Collection<Long> eventIds) {
        return connection.preparedQuery(MARK_CLAIMED_APPLIED)
                .execute(Tuple.of(eventIds.toArray(Long[]::new), WebhookStatus.RECEIVED.wire(), pass, accountId,
                        WebhookStatus.APPLIED.wire()))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    return ids;
                });
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

    /** The events as the columns of INSERT_CHECKED: one array per column, event i at index i. */
    private static Tuple insertRows(List<WebhookCredentials> verifiedWith, List<NewEvent> events) {
        int size = events.size();
        UUID[] accounts = new UUID[size];
        String[] kinds = new String[size];
        String[] externalIds = new String[size];
        String[] topics = new String[size];
        String[] payloads = new String[size];
        OffsetDateTime[] occurredAt = new OffsetDateTime[size];
        String[] tokenHashes = new String[size];
        Buffer[] secrets = new Buffer[size];
        String[] klaviyoAccounts = new String[size];
        for (int i = 0; i < size; i++) {
            NewEvent event = events.get(i);
            WebhookCredentials credentials = verifiedWith.get(i);
            accounts[i] = event.accountId();
            kinds[i] = event.kind().wire();
            externalIds[i] = event.externalId();
            topics[i] = event.topic();
            payloads[i] = event.payload();
            occurredAt[i] = Rows.timestamp(event.occurredAt());
            tokenHashes[i] = credentials.flowTokenHash();
            byte[] secret = credentials.webhookSecretSealed();
            secrets[i] = secret == null ? null : Buffer.buffer(secret);
            klaviyoAccounts[i] = credentials.klaviyoAccountId();
        }
        return Tuple.tuple()
                .addArrayOfUUID(accounts)
                .addArrayOfString(kinds)
                .addArrayOfString(externalIds)
                .addArrayOfString(topics)
                .addArrayOfString(payloads)
                .addArrayOfOffsetDateTime(occurredAt)
                .addArrayOfString(tokenHashes)
                .addValue(secrets)
                .addArrayOfString(klaviyoAccounts)
                .addString(AccountStatus.DELETED.wire())
                .addString(WebhookKind.FLOW.wire());
    }

    private static List<Stored> outcomes(RowSet<Row> rows) {
        List<Stored> outcomes = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (!row.getBoolean("allowed")) {
                outcomes.add(Stored.REFUSED);
            } else {
                outcomes.add(row.getBoolean("inserted") ? Stored.STORED : Stored.DUPLICATE);
            }
        }
        return outcomes;
    }
}
