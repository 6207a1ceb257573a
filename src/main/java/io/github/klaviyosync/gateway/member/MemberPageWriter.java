package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.db.SqlParameters;
import io.github.klaviyosync.gateway.list.ListLease;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Commits one fetched page of members as one statement, hence one transaction: the subscribers
 * upserted (last writer wins by Klaviyo's {@code updated}, consent by its own timestamp), their
 * memberships upserted (a removed member who is listed again is back), the list's member count,
 * cursors and lease advanced, and the run's progress counted. A crash before it leaves nothing of
 * the page; after it, the sync resumes with the next page.
 */
@ApplicationScoped
public class MemberPageWriter {

    /*
     * The page travels as one JSON parameter, so the statement text is fixed whatever the page size
     * and is prepared once per connection. It runs on the reactive pool directly, like the webhook
     * inbox: the ingest's hot path needs no ORM session, and each page is its own transaction anyway.
     * The JSON goes as text (a String bound to a jsonb parameter would be sent as one JSON string).
     * Data-modifying CTEs see the table as it was before the statement, which is how `rejoined`
     * finds the memberships that were removed until now.
     */
    private static final String COMMIT_PAGE = """
            with v as (
                select * from jsonb_to_recordset(cast(cast($1 as text) as jsonb)) as x(
                    pid text, email text, phone text, raw text, invalid boolean, first text, last text,
                    sms text, "smsAt" timestamptz, em text, "emAt" timestamptz, upd timestamptz, joined timestamptz)
            ), s as (
                insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                             first_name, last_name, sms_consent, sms_consent_at,
                                             email_consent, email_consent_at, klaviyo_updated)
                select $2, pid, email, phone, raw, coalesce(invalid, false), first, last,
                       sms, "smsAt", em, "emAt", upd
                  from v
                 order by pid -- one lock order for every page: lists sharing members never deadlock
                on conflict (account_id, klaviyo_profile_id) do update set
                    email         = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.email else t.email end,
                    phone_e164    = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.phone_e164 else t.phone_e164 end,
                    phone_raw     = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.phone_raw else t.phone_raw end,
                    phone_invalid = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.phone_invalid else t.phone_invalid end,
                    first_name    = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.first_name else t.first_name end,
                    last_name     = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.last_name else t.last_name end,
                    klaviyo_updated = greatest(t.klaviyo_updated, excluded.klaviyo_updated),
                    sms_consent    = case when t.sms_consent_at is null or excluded.sms_consent_at >= t.sms_consent_at
                                          then coalesce(excluded.sms_consent, t.sms_consent) else t.sms_consent end,
                    sms_consent_at = greatest(t.sms_consent_at, excluded.sms_consent_at),
                    email_consent    = case when t.email_consent_at is null or excluded.email_consent_at >= t.email_consent_at
                                            then coalesce(excluded.email_consent, t.email_consent) else t.email_consent end,
                    email_consent_at = greatest(t.email_consent_at, excluded.email_consent_at),
                    updated_at = now()
                returning t.id, t.klaviyo_profile_id
            ), rejoining as (
                select m.subscriber_id
                  from list_membership m
                  join s on s.id = m.subscriber_id
                 where m.list_id = $3 and m.removed_at is not null
            ), m as (
                insert into list_membership as lm (list_id, subscriber_id, account_id, joined_at, source)
                select $3, s.id, $2, v.joined, 'poll'
                  from s join v on v.pid = s.klaviyo_profile_id
                on conflict (list_id, subscriber_id) do update set
                    joined_at = coalesce(excluded.joined_at, lm.joined_at),
                    removed_at = null,
                    updated_at = now()
                returning (lm.xmax = 0) as inserted, lm.subscriber_id
            ), counts as (
                select count(*) filter (where inserted) as added,
                       count(*) filter (where not inserted
                                        and subscriber_id in (select subscriber_id from rejoining)) as rejoined
                  from m
            ), l as (
                update klaviyo_list
                   set member_count = member_count + (select added + rejoined from counts),
                       member_cursor = greatest(member_cursor, cast($4 as timestamptz)),
                       page_cursor = cast($5 as text),
                       lease_until = now() + make_interval(secs => cast($6 as float8)),
                       updated_at = now()
                 where id = $3 and lease_owner = $7
                returning id
            ), r as (
                update sync_run
                   set pages = pages + 1,
                       profiles_seen = profiles_seen + cast($8 as integer),
                       profiles_added = profiles_added + (select added + rejoined from counts)
                 where id = $9
            )
            select (select added + rejoined from counts), (select count(*) from l)
            """;

    private final SqlParameters sqlParameters;
    private final Pool pool;

    MemberPageWriter(SqlParameters sqlParameters, Pool pool) {
        this.sqlParameters = sqlParameters;
        this.pool = pool;
    }

    /** What one committed page did. */
    public record Committed(int seen, int added) {
    }

    /**
     * Commits the page and checkpoints {@code nextUrl} (null on the last page) as the list's page
     * cursor. Fails with {@link LeaseLostException} when the lease is no longer this sync's; the
     * page's transaction is then rolled back.
     */
    public Uni<Committed> commit(ListLease lease, long runId, List<MemberRow> rows, String nextUrl, Duration leaseLength) {
        Instant cursor = rows.stream()
                .map(MemberRow::joined)
                .filter(joined -> joined != null)
                .max(Instant::compareTo)
                .orElse(null);
        Tuple parameters = Tuple.tuple()
                .addString(sqlParameters.json(rows))
                .addUUID(lease.accountId())
                .addLong(lease.listId())
                .addOffsetDateTime(cursor == null ? null : cursor.atOffset(ZoneOffset.UTC))
                .addString(nextUrl)
                .addDouble(SqlParameters.seconds(leaseLength))
                .addString(lease.owner())
                .addInteger(rows.size())
                .addLong(runId);
        return pool.withTransaction(connection -> connection.preparedQuery(COMMIT_PAGE)
                .execute(parameters)
                .map(result -> committed(lease, rows.size(), result.iterator().next())));
    }

    /** Throwing here, inside the transaction, rolls the page back when the lease was lost. */
    private static Committed committed(ListLease lease, int seen, Row row) {
        if (row.getLong(1) == 0) {
            throw new LeaseLostException(lease);
        }
        return new Committed(seen, row.getLong(0).intValue());
    }

}
