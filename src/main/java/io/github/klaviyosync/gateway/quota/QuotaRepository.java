package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaGrant;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLease;
import io.github.klaviyosync.gateway.klaviyo.QuotaLedger.QuotaLimits;
import io.github.klaviyosync.gateway.klaviyo.RateTier;
import io.github.klaviyosync.gateway.syncrun.SyncStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The {@code klaviyo_quota} table (migration V6): each account's budget per Klaviyo tier, leased in
 * slices by every instance. Each statement is one round trip on its own (a single statement is
 * atomic; a transaction around it would only add round trips to the client's hot path).
 */
@ApplicationScoped
public class QuotaRepository {

    /*
     * A lease (one row locked; the rules read as the CTEs go): the window and the burst window start
     * afresh when the clock passed them; the holder's unused permits of this window come back; a
     * ceiling proposed for this window replaces the row's, a lowered one regains $14 per window; the
     * grant is what the want asks, within the window's cap, the even pace through the window (the cap
     * reached at the window's end less the guard) as it will be $10 ms from now (the priority's lead
     * and the reservation horizon: the holder spends each permit when the pace, less the lead,
     * reaches it) and the burst budget, and nothing while paused or in the guard at the window's end.
     */
    static final String LEASE = """
            with clock as (
                select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms
            ), cur as (
                select q.budget_key, q.tier, c.now_ms,
                       c.now_ms - mod(c.now_ms, $8::bigint) as window_ms,
                       c.now_ms - mod(c.now_ms, $9::bigint) as burst_ms,
                       q.window_start_ms, q.granted, q.ceiling, q.burst_start_ms, q.burst_granted, q.paused_until_ms
                  from klaviyo_quota q, clock c
                 where q.budget_key = $1 and q.tier = $2
                   for update of q
            ), rolled as (
                select cur.*,
                       cur.window_start_ms = cur.window_ms as same_window,
                       case when cur.window_start_ms <> cur.window_ms then 0
                            when $5::bigint = cur.window_ms then greatest(0, cur.granted - $4::integer)
                            else cur.granted end as used,
                       case when cur.burst_start_ms = cur.burst_ms then cur.burst_granted else 0 end as burst_used,
                       case when $12::integer is not null and $13::bigint = cur.window_ms then $12::integer
                            when cur.window_start_ms = cur.window_ms then cur.ceiling
                            else cur.ceiling + $14::integer end as proposed
                  from cur
            ), capped as (
                select rolled.*,
                       case when rolled.proposed < $6::integer then rolled.proposed end as ceiling_now,
                       least($6::integer, coalesce(rolled.proposed, $6::integer)) as cap,
                       rolled.now_ms - rolled.window_ms as elapsed
                  from rolled
            ), decided as (
                select capped.*,
                       case when coalesce(capped.paused_until_ms, 0) > capped.now_ms
                              or capped.elapsed >= $8::bigint - $11::bigint then 0
                            else greatest(0, least($3::integer,
                                    least(capped.cap, ceil(capped.cap::numeric * (capped.elapsed + $10::bigint)
                                                           / ($8::bigint - $11::bigint))::integer) - capped.used,
                                    $7::integer - capped.burst_used)) end as grant_now
                  from capped
            )
            update klaviyo_quota q
               set budget = $6,
                   window_start_ms = d.window_ms,
                   granted = d.used + d.grant_now,
                   ceiling = d.ceiling_now,
                   burst_start_ms = d.burst_ms,
                   burst_granted = d.burst_used + d.grant_now,
                   last_window_start_ms = case when d.same_window then q.last_window_start_ms else q.window_start_ms end,
                   last_granted = case when d.same_window then q.last_granted else q.granted end,
                   updated_at = now()
              from decided d
             where q.budget_key = d.budget_key and q.tier = d.tier
            returning d.grant_now, d.now_ms, d.window_ms, d.used + d.grant_now as window_used, d.cap, d.burst_ms,
                      d.burst_used + d.grant_now as burst_used, q.paused_until_ms""";

    /** The first lease of a budget finds no row: this makes it (ON CONFLICT: two first leases race). */
    static final String CREATE = """
            insert into klaviyo_quota (budget_key, tier, budget) values ($1, $2, $3)
            on conflict (budget_key, tier) do nothing""";

    /*
     * A pause (ON CONFLICT, so it lands whether or not the budget has a row yet): every instance's
     * leases wait until then; a 429 counts; a spent window (Klaviyo's was) takes no more leases.
     */
    static final String PAUSE = """
            with clock as (
                select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms
            )
            insert into klaviyo_quota as q (budget_key, tier, budget, paused_until_ms, throttled, throttled_at)
            select $1, $2, $3, c.now_ms + $4::bigint, $5::integer, case when $5::integer > 0 then now() end
              from clock c
            on conflict (budget_key, tier) do update set
                paused_until_ms = greatest(coalesce(q.paused_until_ms, 0), excluded.paused_until_ms),
                throttled = q.throttled + excluded.throttled,
                throttled_at = coalesce(excluded.throttled_at, q.throttled_at),
                ceiling = case when $6::boolean and q.window_start_ms = (select now_ms - mod(now_ms, $7::bigint) from clock)
                               then least(coalesce(q.ceiling, q.budget), q.granted) else q.ceiling end,
                updated_at = now()""";

    /** Budgets nobody used for the retention time (a bulk conditional delete). */
    static final String DELETE_IDLE = """
            delete from klaviyo_quota
             where updated_at < now() - make_interval(secs => $1)
               and coalesce(paused_until_ms, 0) < (extract(epoch from clock_timestamp()) * 1000)::bigint""";

    /** The budgets of some accounts, with the database's clock to read their windows by. */
    static final String OF_BUDGETS = """
            select q.*, (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms
              from klaviyo_quota q
             where q.budget_key = any($1::text[])""";

    /** Budget rows of accounts that are not deleted, with the Klaviyo account id their metrics are labelled with. */
    static final String ACCOUNT_BUDGETS = """
            select q.*, (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms,
                   a.id as account_id, a.klaviyo_account_id
              from klaviyo_quota q
              join account a on a.id::text = q.budget_key
             where a.status <> $1""";

    /** Running backfills that know their list's size (sync_run and klaviyo_list are only read here). */
    static final String RUNNING_BACKFILLS = """
            select r.account_id, a.klaviyo_account_id, l.klaviyo_list_id, r.pages, r.profiles_seen, r.expected_profiles
              from sync_run r
              join klaviyo_list l on l.id = r.list_id
              join account a on a.id = r.account_id
             where r.status = $1 and r.expected_profiles is not null
               and ($2::uuid[] is null or r.account_id = any($2::uuid[]))""";

    /** A budget row with the account it belongs to. */
    record LabelledRow(QuotaRow row, UUID accountId, String klaviyoAccountId) {
    }

    /** Leases up to {@code lease.want()} permits; null when the budget has no row yet ({@link #create} first). */
    Uni<QuotaGrant> lease(SqlConnection connection, QuotaLease lease) {
        QuotaLimits limits = lease.limits();
        Tuple parameters = Tuple.tuple()
                .addString(lease.budgetKey())
                .addString(lease.tier().wire())
                .addInteger(lease.want())
                .addInteger(lease.returned())
                .addLong(lease.returnedWindow())
                .addInteger(limits.perWindow())
                .addInteger(limits.perBurst())
                .addLong(limits.windowMillis())
                .addLong(limits.burstMillis())
                .addLong(limits.leadMillis() + limits.horizonMillis())
                .addLong(limits.guardMillis())
                .addInteger(lease.ceiling())
                .addLong(lease.ceilingWindow())
                .addInteger(limits.recovery());
        return connection.preparedQuery(LEASE)
                .execute(parameters)
                .map(QuotaRepository::grant);
    }

    Uni<Void> create(SqlConnection connection, String budgetKey, RateTier tier, int budget) {
        return connection.preparedQuery(CREATE)
                .execute(Tuple.of(budgetKey, tier.wire(), budget))
                .replaceWithVoid();
    }

    Uni<Void> pause(SqlConnection connection, String budgetKey, RateTier tier, QuotaLimits limits, long pauseMillis,
            boolean throttled, boolean windowSpent) {
        Tuple parameters = Tuple.tuple()
                .addString(budgetKey)
                .addString(tier.wire())
                .addInteger(limits.perWindow())
                .addLong(pauseMillis)
                .addInteger(throttled ? 1 : 0)
                .addBoolean(windowSpent)
                .addLong(limits.windowMillis());
        return connection.preparedQuery(PAUSE)
                .execute(parameters)
                .replaceWithVoid();
    }

    Uni<Integer> deleteIdle(SqlConnection connection, Duration retention) {
        return connection.preparedQuery(DELETE_IDLE)
                .execute(Tuple.of(Rows.seconds(retention)))
                .map(RowSet::rowCount);
    }

    /** Every tier's budget of these accounts (by the client's account key). */
    Uni<List<QuotaRow>> ofBudgets(SqlConnection connection, Collection<String> budgetKeys) {
        return connection.preparedQuery(OF_BUDGETS)
                .execute(Tuple.of(budgetKeys.toArray(String[]::new)))
                .map(rows -> {
                    List<QuotaRow> found = new ArrayList<>();
                    rows.forEach(row -> found.add(QuotaRow.of(row)));
                    return found;
                });
    }

    Uni<List<LabelledRow>> accountBudgets(SqlConnection connection) {
        return connection.preparedQuery(ACCOUNT_BUDGETS)
                .execute(Tuple.of(AccountStatus.DELETED.wire()))
                .map(rows -> {
                    List<LabelledRow> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new LabelledRow(QuotaRow.of(row), row.getUUID("account_id"),
                            row.getString("klaviyo_account_id"))));
                    return found;
                });
    }

    /** Running backfills of these accounts (null: of every account) that know their list's size. */
    Uni<List<BackfillRow>> runningBackfills(SqlConnection connection, Collection<UUID> accountIds) {
        UUID[] accounts = accountIds == null ? null : accountIds.toArray(UUID[]::new);
        return connection.preparedQuery(RUNNING_BACKFILLS)
                .execute(Tuple.of(SyncStatus.RUNNING.wire(), accounts))
                .map(rows -> {
                    List<BackfillRow> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new BackfillRow(row.getUUID("account_id"), row.getString("klaviyo_account_id"),
                            row.getString("klaviyo_list_id"), row.getInteger("pages"), row.getInteger("profiles_seen"),
                            row.getInteger("expected_profiles"))));
                    return found;
                });
    }

    private static QuotaGrant grant(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return null;
        }
        Row row = Rows.single(rows);
        Long paused = row.getLong("paused_until_ms");
        return new QuotaGrant(row.getInteger("grant_now"), row.getLong("now_ms"), row.getLong("window_ms"),
                row.getInteger("window_used"), row.getInteger("cap"), row.getLong("burst_ms"), row.getInteger("burst_used"),
                paused == null ? 0 : paused);
    }
}
