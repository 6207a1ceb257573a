package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
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
 * The {@code profile_sweep} table: each account's sweep schedule, cursor and claim across replicas.
 * Every write of the table is here, but for the page commit, which advances the cursor with the
 * page's people ({@link SubscriberRepository#SWEEP_PAGE}).
 */
@ApplicationScoped
public class ProfileSweepRepository implements PanacheRepositoryBase<ProfileSweep, UUID> {

    /*
     * Claim (SKIP LOCKED, ON CONFLICT), as discovery claims: active accounts whose sweep is due and
     * free, or that have no row yet (never swept: from the account's creation on). The account rows
     * are the ones locked, since a missing row cannot be. Each claim draws a new token, the fence of
     * its page commits, so a sweep that lost its claim (even to its own instance) writes nothing more.
     */
    static final String CLAIM = """
            with due as (
                select a.id, a.created_at
                  from account a
                  left join profile_sweep p on p.account_id = a.id
                 where a.status = $4
                   and (p.account_id is null
                        or p.next_sweep_at <= now() and (p.lease_until is null or p.lease_until <= now()))
                 order by p.next_sweep_at nulls first
                 limit $2
                 for no key update of a skip locked
            )
            insert into profile_sweep as p (account_id, updated_cursor, lease_owner, lease_until, lease_token)
            select id, created_at, $1::text, now() + make_interval(secs => $3), gen_random_uuid() from due
            on conflict (account_id) do update set
                lease_owner = excluded.lease_owner,
                lease_until = excluded.lease_until,
                lease_token = excluded.lease_token
             where p.next_sweep_at <= now() and (p.lease_until is null or p.lease_until <= now())
            returning p.account_id, p.updated_cursor, p.page_cursor, p.lease_token,
                      (select a.api_key_enc from account a where a.id = p.account_id) as api_key_enc,
                      (select a.klaviyo_account_id from account a where a.id = p.account_id) as klaviyo_account_id""";

    /** Renewal of every sweep an owner still holds (a bulk conditional update on an interval). */
    static final String RENEW = """
            update profile_sweep set lease_until = now() + make_interval(secs => $2)
             where lease_owner = $1 and lease_until > now()""";

    /**
     * The confirm step's fence, first in its transaction: the claim is still the sweep's and its
     * account active (as a page commit checks), held FOR SHARE so that another claim or a release
     * waits until the step's writes commit.
     */
    static final String HOLD = """
            select 1 from profile_sweep s
             where s.account_id = $1 and s.lease_token = $2
               and exists (select 1 from account a where a.id = $1 and a.status = $3)
               for share of s""";

    /** Completion, fenced by the claim: checked as of the sweep's start, due again one interval after it. */
    static final String COMPLETE = """
            update profile_sweep
               set page_cursor = null,
                   last_checked_at = $3,
                   next_sweep_at = $3::timestamptz + make_interval(secs => $4),
                   lease_owner = null,
                   lease_until = null,
                   lease_token = null
             where account_id = $1 and lease_token = $2""";

    /** Release after a failure, fenced by the claim: the cursors stay (the next sweep resumes there). */
    static final String RELEASE_FAILED = """
            update profile_sweep
               set next_sweep_at = now() + make_interval(secs => $3),
                   lease_owner = null,
                   lease_until = null,
                   lease_token = null
             where account_id = $1 and lease_token = $2""";

    /** Handover (a bulk conditional update): the owner's sweeps are given back, due as they stand, cursors kept. */
    static final String RELEASE_OWNED = """
            update profile_sweep set lease_owner = null, lease_until = null, lease_token = null where lease_owner = $1""";

    /** The sweep state of these accounts (those that were ever swept). */
    @WithSession
    public Uni<List<ProfileSweep>> findByAccounts(Collection<UUID> accountIds) {
        return accountIds.isEmpty() ? Uni.createFrom().item(List.of()) : list("accountId in ?1", accountIds);
    }

    Uni<List<ProfileSweepLease>> claim(SqlConnection connection, String owner, int limit, Duration lease) {
        Tuple parameters = Tuple.of(owner, limit, Rows.seconds(lease), AccountStatus.ACTIVE.wire());
        return connection.preparedQuery(CLAIM)
                .execute(parameters)
                .map(rows -> {
                    List<ProfileSweepLease> leases = new ArrayList<>();
                    rows.forEach(row -> leases.add(lease(row, owner)));
                    return leases;
                });
    }

    Uni<Integer> renew(SqlConnection connection, String owner, Duration lease) {
        return connection.preparedQuery(RENEW)
                .execute(Tuple.of(owner, Rows.seconds(lease)))
                .map(rows -> rows.rowCount());
    }

    /** Releases every sweep the owner holds; returns how many. */
    Uni<Integer> releaseOwned(SqlConnection connection, String owner) {
        return connection.preparedQuery(RELEASE_OWNED)
                .execute(Tuple.of(owner))
                .map(rows -> rows.rowCount());
    }

    /** Holds the sweep's claim for the rest of the caller's transaction; fails with {@link LeaseLostException} when it was lost. */
    Uni<Void> hold(SqlConnection connection, ProfileSweepLease lease) {
        return connection.preparedQuery(HOLD)
                .execute(Tuple.of(lease.accountId(), lease.token(), AccountStatus.ACTIVE.wire()))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLostException(lease, " before confirming pushed people");
                    }
                })
                .replaceWithVoid();
    }

    /** Ends a complete sweep that started at {@code startedAt}; false when the claim was lost meanwhile. */
    Uni<Boolean> complete(SqlConnection connection, ProfileSweepLease lease, Instant startedAt, Duration interval) {
        Tuple parameters = Tuple.of(lease.accountId(), lease.token(), Rows.timestamp(startedAt), Rows.seconds(interval));
        return connection.preparedQuery(COMPLETE)
                .execute(parameters)
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Integer> releaseFailed(SqlConnection connection, ProfileSweepLease lease, Duration retry) {
        return connection.preparedQuery(RELEASE_FAILED)
                .execute(Tuple.of(lease.accountId(), lease.token(), Rows.seconds(retry)))
                .map(rows -> rows.rowCount());
    }

    private static ProfileSweepLease lease(Row row, String owner) {
        return new ProfileSweepLease(
                row.getUUID("account_id"),
                row.getBuffer("api_key_enc").getBytes(),
                row.getString("klaviyo_account_id"),
                Rows.instant(row, "updated_cursor"),
                row.getString("page_cursor"),
                row.getUUID("lease_token"),
                owner);
    }
}
