package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.changes.api.ChangeView;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.status.api.MemberView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads the recorded changes in commit order. A change is served only once every transaction that
 * could still commit an earlier one has ended: only changes of transactions older than the oldest
 * one in flight ({@code pg_snapshot_xmin}) are read, in {@code (txid, id)} order. Transaction ids are
 * handed out before commit and commit out of order, so a cursor on ids alone would skip a change
 * that commits after a reader passed it; below {@code xmin} nothing can commit any more.
 * Runs on any client: the API's pool for pages, the stream's own connection for the stream.
 */
@ApplicationScoped
public class ChangeFeed {

    /*
     * A page after ($1, $2), at most $3 changes (a lateral join, so that the bounds come back on an
     * empty page too), each with the member's current state; whether ($1, $2) lies behind what
     * retention deleted, or ahead of every transaction the database has begun (restored from a backup,
     * or failed over to a replica that lagged: changes after it would be skipped); and whether
     * committed changes wait behind an older transaction in flight.
     * A person deleted since is named by the profile id their deletion's changes kept (V11); the
     * other changes of a deleted person, naming no one, are passed over.
     */
    private static final String PAGE = """
            with bound as (
                select pg_snapshot_xmin(pg_current_snapshot()) as xmin, pg_snapshot_xmax(pg_current_snapshot()) as xmax
            )
            select b.xmin::text as servable_below,
                   ($1::text::xid8, $2::bigint) < (h.txid, h.id) as expired,
                   $1::text::xid8 > b.xmax as ahead,
                   exists (select 1 from member_change w where w.txid >= b.xmin) as waiting,
                   c.*
              from bound b
             cross join member_change_horizon h
              left join lateral (
                  select c.txid::text as txid, c.id, c.at, c.account_id, c.type, l.klaviyo_list_id,
                         coalesce(s.klaviyo_profile_id, c.profile_id) as klaviyo_profile_id, s.id is null as person_gone, s.email, s.phone_e164, s.phone_raw, s.sms_consent, s.email_consent, m.joined_at, m.source, m.removed_at
                    from member_change c
                    left join subscriber s on s.id = c.subscriber_id
                    left join klaviyo_list l on l.id = c.list_id
                    left join list_membership m on m.list_id = c.list_id and m.subscriber_id = c.subscriber_id
                   where (c.txid, c.id) > ($1::text::xid8, $2::bigint) and c.txid < b.xmin %s
                   order by c.txid, c.id
                   limit $3
              ) c on true""";

    /** Every account's changes (the feed index). */
    static final String PAGE_ALL = PAGE.formatted("");

    /** One account's changes (its own index). */
    static final String PAGE_OF_ACCOUNT = PAGE.formatted("and c.account_id = $4");

    /** Whether an account exists (deleted ones too: their changes stay readable). */
    private static final String ACCOUNT_EXISTS = "select exists (select 1 from account where id = $1) as known";

    /** Where a reader stands that has read everything committed so far. */
    private static final String TAIL = "select pg_snapshot_xmin(pg_current_snapshot())::text as servable_below";

    /**
     * The changes after {@code after} (from the oldest kept when null), of one account or all; fails
     * with a 410 when {@code after} lies behind what retention deleted.
     */
    public Uni<FeedPage> page(SqlClient client, ChangeCursor after, UUID accountId, int limit) {
        return page(client, after, accountId, limit, true);
    }

    /** As {@link #page(SqlClient, ChangeCursor, UUID, int)}; without {@code horizon}, a cursor behind retention reads on. */
    Uni<FeedPage> page(SqlClient client, ChangeCursor after, UUID accountId, int limit, boolean horizon) {
        ChangeCursor from = after == null ? ChangeCursor.START : after;
        Tuple parameters = Tuple.of(Long.toString(from.txid()), from.id(), limit);
        if (accountId != null) {
            parameters.addUUID(accountId);
        }
        return client.preparedQuery(accountId == null ? PAGE_ALL : PAGE_OF_ACCOUNT)
                .execute(parameters)
                .map(rows -> {
                    List<Row> all = new ArrayList<>();
                    rows.forEach(all::add);
                    return toPage(all, horizon ? after : null, from, limit);
                });
    }

    /** 404 for an account id that names no account. */
    public Uni<Void> requireAccount(SqlClient client, UUID accountId) {
        if (accountId == null) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(ACCOUNT_EXISTS)
                .execute(Tuple.of(accountId))
                .invoke(rows -> {
                    if (!Rows.single(rows).getBoolean("known")) {
                        throw ApiProblem.notFound("no account " + accountId);
                    }
                })
                .replaceWithVoid();
    }

    /** The position after every change committed so far. */
    public Uni<ChangeCursor> tail(SqlClient client) {
        return client.query(TAIL)
                .execute()
                .map(rows -> ChangeCursor.before(Long.parseLong(Rows.single(rows).getString("servable_below"))));
    }

    private static FeedPage toPage(List<Row> rows, ChangeCursor after, ChangeCursor from, int limit) {
        Row first = rows.get(0);
        if (after != null && first.getBoolean("expired")) {
            throw ApiProblem.withStatus(410, "the changes after this cursor are older than the feed keeps "
                    + "(GATEWAY_CHANGES_RETENTION): read the lists' members again, then follow the feed from the `next` "
                    + "of a read without `after`");
        }
        if (after != null && first.getBoolean("ahead")) {
            throw ApiProblem.withStatus(410, "this cursor lies ahead of every transaction of the database (restored "
                    + "from a backup, or failed over to a replica that lagged): read the lists' members again, then "
                    + "follow the feed from the `next` of a read without `after`");
        }
        List<FeedEntry> entries = new ArrayList<>();
        ChangeCursor last = from;
        int read = 0;
        for (Row row : rows) {
            if (row.getString("txid") == null) {
                continue;
            }
            read++;
            last = new ChangeCursor(Long.parseLong(row.getString("txid")), row.getLong("id"));
            if (row.getString("klaviyo_profile_id") != null) {
                entries.add(new FeedEntry(last, row.getUUID("account_id"), view(last, row)));
            }
        }
        boolean full = read == limit;
        // A page cut short has read everything below xmin: the next one starts there, past other
        // accounts' changes and past retention's horizon, whatever this page held.
        ChangeCursor next = full ? last : ChangeCursor.max(last, ChangeCursor.before(Long.parseLong(first.getString("servable_below"))));
        return new FeedPage(entries, next, full, first.getBoolean("waiting"));
    }

    private static ChangeView view(ChangeCursor cursor, Row row) {
        if (row.getBoolean("person_gone")) {
            return personGone(cursor, row);
        }
        boolean ofList = row.getString("klaviyo_list_id") != null && row.getString("source") != null;
        MemberView member = new MemberView(
                row.getString("klaviyo_profile_id"),
                row.getString("email"),
                row.getString("phone_e164"),
                row.getString("phone_raw"),
                row.getString("sms_consent"),
                row.getString("email_consent"),
                ofList ? Rows.instant(row, "joined_at") : null,
                ofList ? row.getString("source") : null,
                ofList ? Rows.instant(row, "removed_at") : null);
        return new ChangeView(cursor.encode(), Rows.instant(row, "at"), row.getUUID("account_id"),
                row.getString("klaviyo_list_id"), row.getString("klaviyo_profile_id"), row.getString("type"), member);
    }

    /** A person deleted while on the list (merged into another profile in Klaviyo): off it since the change. */
    private static ChangeView personGone(ChangeCursor cursor, Row row) {
        Instant at = Rows.instant(row, "at");
        MemberView member = new MemberView(row.getString("klaviyo_profile_id"), null, null, null, null, null, null, null, at);
        return new ChangeView(cursor.encode(), at, row.getUUID("account_id"), row.getString("klaviyo_list_id"),
                row.getString("klaviyo_profile_id"), row.getString("type"), member);
    }
}
