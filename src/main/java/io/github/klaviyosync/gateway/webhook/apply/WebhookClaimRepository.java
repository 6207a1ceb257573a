package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.WebhookStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code webhook_claim} table (migration V13): which apply pass holds which account's due events,
 * until when. The events themselves are not written by a claim; the writes of a pass are fenced by
 * its account's claim row ({@code WebhookEventRepository}'s mark and failed attempt).
 */
@ApplicationScoped
public class WebhookClaimRepository {

    /** Serialises claimers (an advisory lock, held to the end of the claim's transaction). */
    static final String LOCK_CLAIMERS = "select pg_advisory_xact_lock($1)";

    /*
     * Claim: the oldest due received events of accounts no live claim holds, and a claim row for each
     * of their accounts, taken afresh or over an expired one. One account's events are never split
     * between two passes and stay in arrival order. Read through webhook_event_due (account_id, id),
     * V15: each account's first received event (a recursive skip scan, one entry per account), from
     * there the first due one of each account not held (past those waiting for a retry), the $3
     * accounts whose first due event is oldest, up to $3 received events of each from that one (the
     * scan bounded by the account on both sides), and of those the oldest $3 that are due (the
     * oldest $3 due events of all can only belong to those accounts). A claim so reads an entry per
     * account with received events, the retries waiting at their heads, and the events it takes,
     * never the backlog of an account another pass holds. Every read is ordered by (account_id, id),
     * an order only that index gives (an equality on account_id would reduce it to id, and by id
     * alone the primary key gives it too, through the account's applied events, which a planner
     * that takes most events for received walked). The status is written out, not bound: a generic
     * plan only uses a partial index whose predicate the statement's text implies.
     */
    static final String CLAIM = """
            with recursive held as (
                select h.account_id from webhook_claim h where h.claimed_until >= now()),
            firsts as (
                (select c.account_id, c.id from webhook_event c
                  where c.status = '%1$s'
                  order by c.account_id, c.id limit 1)
                union all
                select next.account_id, next.id from firsts f
                 cross join lateral (
                    select c.account_id, c.id from webhook_event c
                     where c.status = '%1$s' and c.account_id > f.account_id
                     order by c.account_id, c.id limit 1) next),
            heads as (
                select f.account_id, first_due.id from firsts f
                 cross join lateral (
                    select c.id from webhook_event c
                     where c.status = '%1$s' and (c.account_id, c.id) >= (f.account_id, f.id) and c.account_id <= f.account_id
                       and c.next_attempt_at <= now()
                     order by c.account_id, c.id limit 1) first_due
                 where f.account_id not in (select account_id from held)),
            oldest as (
                select h.account_id, h.id from heads h
                 order by h.id
                 limit $3),
            due as (
                select e.id, e.account_id, e.kind from oldest o
                 cross join lateral (
                    select c.id, c.account_id, c.kind, c.next_attempt_at from webhook_event c
                     where c.status = '%1$s' and (c.account_id, c.id) >= (o.account_id, o.id) and c.account_id <= o.account_id
                     order by c.account_id, c.id limit $3) e
                 where e.next_attempt_at <= now()
                 order by e.id
                 limit $3),
            taken as (
                insert into webhook_claim as h (account_id, claimed_by, claimed_until)
                select distinct account_id, $1::text, now() + make_interval(secs => $2) from due
                on conflict (account_id) do update set claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
                where h.claimed_until < now()
                returning h.account_id)
            select d.id, d.account_id, d.kind from due d join taken t on t.account_id = d.account_id"""
            .formatted(WebhookStatus.RECEIVED.wire());

    /** An event claimed by a pass: its id and account (events of one account are applied in id order). */
    public record Claimed(long id, UUID accountId, WebhookKind kind) {
    }

    /** A pass wrote the account's events of its batch: the account is free for the next claim. */
    static final String RELEASE = "delete from webhook_claim where account_id = $1 and claimed_by = $2";

    /** The claims of passes that ended abruptly, or that a handover stopped (an array of pass ids). */
    static final String RELEASE_PASSES = "delete from webhook_claim where claimed_by = any($1::text[])";

    /** Claims up to {@code limit} due events for {@code pass}, oldest first; claimers take turns. */
    public Uni<List<Claimed>> claim(SqlConnection connection, long claimLock, String pass, Duration lease, int limit) {
        return connection.preparedQuery(LOCK_CLAIMERS)
                .execute(Tuple.of(claimLock))
                .chain(() -> connection.preparedQuery(CLAIM)
                        .execute(Tuple.of(pass, Rows.seconds(lease), limit)))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    rows.forEach(row -> claimed.add(new Claimed(row.getLong("id"), row.getUUID("account_id"),
                            WireValue.parse(WebhookKind.class, row.getString("kind")))));
                    return claimed;
                });
    }

    /** Gives the account back if {@code pass} still holds it; returns whether it did. */
    public Uni<Boolean> release(SqlConnection connection, String pass, UUID accountId) {
        return connection.preparedQuery(RELEASE)
                .execute(Tuple.of(accountId, pass))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Gives back every account these passes hold; returns how many. */
    public Uni<Integer> releasePasses(SqlConnection connection, List<String> passes) {
        return connection.preparedQuery(RELEASE_PASSES)
                .execute(Tuple.of(passes.toArray(String[]::new)))
                .map(rows -> rows.rowCount());
    }
}
