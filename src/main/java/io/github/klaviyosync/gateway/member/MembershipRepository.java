package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.list.ListLease;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code list_membership} table, and with it the statements that bring people and memberships
 * in together: a page of a member sync, a batch of flow pushes, and the removal check of a full sync.
 */
@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<ListMembership, ListMembership.Key> {

    /*
     * Page commit, one round trip (hot path): one or more pages (a PageBatch: one row per person) with
     * their checkpoint; also writes klaviyo_list (the list's cursor, page cursor and lease, fenced by
     * the claim's token and the account being active) and sync_run (the run's progress: $26 pages,
     * $22 profiles). The people come as one typed array per column. Nothing is written when the fence does
     * not hold; `fenced` then answers 0. In a full sync ($24: the run that began it) every membership
     * of the page is stamped as seen, and a removed one Klaviyo lists again is back. Data-modifying CTEs
     * see the tables as they were before the statement, which is how `rejoining` finds the memberships
     * removed until now.
     */
    static final String COMMIT_PAGE = """
            with v as (
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[],
                                     $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::timestamptz[],
                                     $12::timestamptz[], $13::timestamptz[])
                    as x(pid, email, phone, raw, invalid, first, last, sms, sms_at, em, em_at, upd, joined)
            ), l as (
                update klaviyo_list
                   set member_cursor = greatest(member_cursor, $16::timestamptz),
                       page_cursor = $17,
                       lease_until = now() + make_interval(secs => $18),
                       full_scan_run = coalesce(full_scan_run, $24::bigint),
                       full_scan_started_at = case when $24::bigint is null then full_scan_started_at
                                                   else coalesce(full_scan_started_at, $25::timestamptz) end,
                       updated_at = now()
                 where id = $15 and account_id = $14 and lease_token = $19::uuid
                   and exists (select 1 from account a where a.id = $14 and a.status = $20)
                returning id
            ), s as (
                insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                             first_name, last_name, sms_consent, sms_consent_at,
                                             email_consent, email_consent_at, klaviyo_updated)
                select $14::uuid, pid, email, phone, raw, invalid, first, last, sms, sms_at, em, em_at, upd
                  from v
                 where exists (select 1 from l)
                 order by pid -- one lock order for every page: lists sharing members never deadlock
            """ + PersonMerge.FROM_KLAVIYO + """
                returning t.id, t.klaviyo_profile_id
            ), rejoining as (
                select m.subscriber_id
                  from list_membership m
                  join s on s.id = m.subscriber_id
                 where m.list_id = $15 and m.account_id = $14 and m.removed_at is not null
            ), m as (
                insert into list_membership as lm (list_id, subscriber_id, account_id, joined_at, source, seen_in_run)
                select $15::bigint, s.id, $14::uuid, v.joined, $21::text, $24::bigint
                  from s join v on v.pid = s.klaviyo_profile_id
                on conflict (list_id, subscriber_id) do update set
                    joined_at = coalesce(excluded.joined_at, lm.joined_at),
                    removed_at = null,
                    seen_in_run = coalesce(excluded.seen_in_run, lm.seen_in_run),
                    updated_at = now()
                 where lm.removed_at is not null or lm.joined_at is distinct from coalesce(excluded.joined_at, lm.joined_at)
                    or excluded.seen_in_run is not null
                returning (lm.xmax = 0) as inserted, lm.subscriber_id
            ), r as (
                update sync_run
                   set pages = pages + $26::integer,
                       profiles_seen = profiles_seen + $22::integer,
                       profiles_added = profiles_added + (select count(*) from m
                                                           where inserted or subscriber_id in (select subscriber_id from rejoining))
                 where id = $23 and account_id = $14 and exists (select 1 from l)
            )
            select (select count(*) from m where inserted or subscriber_id in (select subscriber_id from rejoining)) as added,
                   (select count(*) from l) as fenced""";

    /*
     * The end of a full sync's removal check (a bulk conditional update, fenced like the pages: the
     * list's row is read FOR SHARE, so the claim holds until the commit): memberships its pages did not
     * stamp, and not written since the check began (a push, a join), left the list.
     */
    static final String MARK_UNSTAMPED = """
            with l as (
                select id from klaviyo_list where id = $1 and account_id = $5 and lease_token = $4::uuid for share
            ), gone as (
                update list_membership
                   set removed_at = now(), updated_at = now()
                 where list_id = (select id from l) and account_id = $5
                   and removed_at is null
                   and seen_in_run is distinct from $2
                   and updated_at < $3
                returning 1
            )
            select (select count(*) from gone) as removed, (select count(*) from l) as fenced""";

    /*
     * A batch of flow pushes of one account (ON CONFLICT, unnest batch): their people by the push
     * rule, then their new memberships. A membership the list already has is left alone, a removed one
     * too: a push (perhaps replayed, or retried by Klaviyo long after) never brings back a member a full
     * sync found gone; the lists where that happened are answered, for the caller to have them polled.
     * People are locked in profile-id order, as member pages lock them.
     */
    static final String APPLY_PUSHES = """
            with s as (
                insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                             first_name, last_name, pushed)
                select $1::uuid, p.pid, p.email, p.e164, p.raw, p.invalid, p.first, p.last, true
                  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::text[])
                       as p(pid, email, e164, raw, invalid, first, last)
                 order by p.pid
            """ + PersonMerge.FROM_PUSH + """
                returning t.id, t.klaviyo_profile_id
            ), people as (
                select s.id, s.klaviyo_profile_id from s
                union
                select t.id, t.klaviyo_profile_id from subscriber t
                 where t.account_id = $1::uuid and t.klaviyo_profile_id = any($2::text[])
            ), j as (
                select j.list_id, people.id as subscriber_id, j.joined
                  from unnest($9::bigint[], $10::text[], $11::timestamptz[]) as j(list_id, pid, joined)
                  join people on people.klaviyo_profile_id = j.pid
            ), added as (
                insert into list_membership (list_id, subscriber_id, account_id, joined_at, source)
                select list_id, subscriber_id, $1::uuid, joined, $12::text from j
                on conflict (list_id, subscriber_id) do nothing
            )
            select distinct j.list_id
              from j join list_membership lm on lm.list_id = j.list_id and lm.subscriber_id = j.subscriber_id and lm.account_id = $1::uuid
             where lm.removed_at is not null""";

    /** Purge of a deleted account (a bounded batch by primary key): its memberships, before its people and lists. */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from list_membership where (list_id, subscriber_id) in (
                select list_id, subscriber_id from list_membership where account_id = $1 limit $2)""";

    /** What one commit did: pages and members seen, and members new to the list (or back on it). */
    public record Committed(int pages, int seen, int added) {
    }

    /** A full sync's removal check: the run that began it (its stamp) and when it began. */
    public record FullScan(long run, Instant startedAt) {
    }

    /** Members on the list now (removed ones excluded). */
    @WithSession
    public Uni<Long> countActive(long listId) {
        return count("listId = ?1 and removedAt is null", listId);
    }

    /** Deletes up to {@code batch} of the account's memberships; returns how many. */
    Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    /**
     * Commits fetched pages and checkpoints the batch's {@code nextUrl} (null after the last page) as
     * the list's page cursor, in one statement (atomic in itself: the caller need not open a
     * transaction for it, and a caller's transaction includes it); with {@code scan} (a full sync),
     * stamps the memberships as seen. Fails with {@link LeaseLostException} when the claim is no longer
     * this sync's (or the account was deleted meanwhile): nothing was written then.
     */
    Uni<Committed> commitPages(SqlConnection connection, ListLease lease, long runId, FullScan scan, PageBatch batch,
            Duration leaseLength) {
        List<KlaviyoPerson> people = batch.people();
        Instant cursor = people.stream()
                .map(KlaviyoPerson::joinedAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null);
        Tuple parameters = KlaviyoPerson.columns(people)
                .addArrayOfOffsetDateTime(Rows.column(people, person -> Rows.timestamp(person.joinedAt()), OffsetDateTime[]::new))
                .addUUID(lease.accountId())
                .addLong(lease.listId())
                .addOffsetDateTime(Rows.timestamp(cursor))
                .addString(batch.nextUrl())
                .addDouble(Rows.seconds(leaseLength))
                .addUUID(lease.token())
                .addString(AccountStatus.ACTIVE.wire())
                .addString(MembershipSource.POLL.wire())
                .addInteger(batch.seen())
                .addLong(runId)
                .addLong(scan == null ? null : scan.run())
                .addOffsetDateTime(scan == null ? null : Rows.timestamp(scan.startedAt()))
                .addInteger(batch.pages());
        return connection.preparedQuery(COMMIT_PAGE)
                .execute(parameters)
                .map(rows -> committed(lease, batch, Rows.single(rows)));
    }

    /**
     * Ends a full sync's removal check: the memberships {@code scan} did not stamp, and not written
     * since it began, are marked removed; returns how many. Fails with {@link LeaseLostException} when
     * the claim is no longer this sync's: nothing was written then.
     */
    Uni<Integer> markUnstamped(SqlConnection connection, ListLease lease, FullScan scan) {
        Tuple parameters = Tuple.of(lease.listId(), scan.run(), Rows.timestamp(scan.startedAt()), lease.token(), lease.accountId());
        return connection.preparedQuery(MARK_UNSTAMPED)
                .execute(parameters)
                .map(rows -> {
                    Row row = Rows.single(rows);
                    if (row.getLong("fenced") == 0) {
                        throw new LeaseLostException(lease);
                    }
                    return row.getLong("removed").intValue();
                });
    }

    /**
     * Applies one account's flow pushes in the caller's transaction, with the effect of applying them
     * one after another in the given (arrival) order: a later push's value wins, an empty one never
     * erases, and the first push of a member to a list sets the join time. Returns the lists (row ids)
     * where a push named a member a full sync had found gone, which the push does not bring back.
     */
    public Uni<List<Long>> applyPushes(SqlConnection connection, UUID accountId, List<PushedMember> pushes) {
        Map<String, PushedPerson> people = new LinkedHashMap<>();
        Map<String, PushedMember> memberships = new LinkedHashMap<>();
        for (PushedMember push : pushes) {
            people.computeIfAbsent(push.profileId(), PushedPerson::new).add(push);
            memberships.putIfAbsent(push.listId() + "/" + push.profileId(), push);
        }
        List<PushedPerson> merged = new ArrayList<>(people.values());
        List<PushedMember> joined = new ArrayList<>(memberships.values());
        Tuple parameters = Tuple.tuple()
                .addUUID(accountId)
                .addArrayOfString(Rows.column(merged, PushedPerson::profileId, String[]::new))
                .addArrayOfString(Rows.column(merged, person -> person.email, String[]::new))
                .addArrayOfString(Rows.column(merged, person -> person.e164, String[]::new))
                .addArrayOfString(Rows.column(merged, person -> person.raw, String[]::new))
                .addArrayOfBoolean(Rows.column(merged, person -> person.invalid, Boolean[]::new))
                .addArrayOfString(Rows.column(merged, person -> person.firstName, String[]::new))
                .addArrayOfString(Rows.column(merged, person -> person.lastName, String[]::new))
                .addArrayOfLong(Rows.column(joined, PushedMember::listId, Long[]::new))
                .addArrayOfString(Rows.column(joined, PushedMember::profileId, String[]::new))
                .addArrayOfOffsetDateTime(Rows.column(joined, push -> Rows.timestamp(push.receivedAt()), OffsetDateTime[]::new))
                .addString(MembershipSource.WEBHOOK.wire());
        return connection.preparedQuery(APPLY_PUSHES)
                .execute(parameters)
                .map(rows -> {
                    List<Long> lists = new ArrayList<>();
                    rows.forEach(row -> lists.add(row.getLong("list_id")));
                    return lists;
                });
    }

    private static Committed committed(ListLease lease, PageBatch batch, Row row) {
        if (row.getLong("fenced") == 0) {
            throw new LeaseLostException(lease);
        }
        return new Committed(batch.pages(), batch.seen(), row.getLong("added").intValue());
    }

    /** One person's values after a batch's pushes of them, applied in order. */
    private static final class PushedPerson {
        private final String profileId;
        private String email;
        private String e164;
        private String raw;
        private Boolean invalid = false;
        private String firstName;
        private String lastName;

        PushedPerson(String profileId) {
            this.profileId = profileId;
        }

        void add(PushedMember push) {
            email = push.email() != null ? push.email() : email;
            firstName = push.firstName() != null ? push.firstName() : firstName;
            lastName = push.lastName() != null ? push.lastName() : lastName;
            if (push.phone().raw() != null) {
                e164 = push.phone().e164();
                raw = push.phone().raw();
                invalid = push.phone().invalid();
            }
        }

        String profileId() {
            return profileId;
        }
    }
}
