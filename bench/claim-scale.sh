#!/usr/bin/env bash
# Benchmark 7, the member-sync claim at scale: what one claim costs PostgreSQL with ACCOUNTS x
# LISTS_PER_ACCOUNT lists (1,000,000) due once per 15 minutes, LEASED of them held by other
# instances, and the lists of INACTIVE_ACCOUNTS (auth_failed, deleted) due among them, which it must
# leave out. Two moments: the steady state at the target (about STEADY_DUE lists due: claims lag a
# second behind) and a backlog (BACKLOG_DUE due, after an outage). With INACTIVE_OVERDUE=1 the
# inactive accounts' lists are overdue by a day, as they are once such an account has stopped being
# synced (nothing moves their next_sync_at); by default they are spread like the others.
# Docs: docs/SCALING.md.
#
# Method: the schema by the gateway's migrations, the rows by SQL, VACUUM ANALYZE; PostgreSQL's
# now() is pinned to each moment (a constant now() ahead of pg_catalog's on the search_path, as cheap
# as the real one), so that the same lists stay due round after round. The gateway's statement, as
# the packaged build holds it (bench/Statement.java), runs under EXPLAIN ANALYZE inside a transaction
# rolled back, ROUNDS times after one to warm the cache, for a freed slot (limit 1) and a tick's
# free slots (limit 16), with custom and generic plans.
# Baseline in the same run: the plain FIFO claim on the same tables (the oldest due lists of active
# accounts, FOR UPDATE SKIP LOCKED, leased the same way): what the per-account ranking and cap cost.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/claim-scale.sh
source "$(dirname "$0")/lib.sh"
require_package

ACCOUNTS="${ACCOUNTS:-20000}"
LISTS_PER_ACCOUNT="${LISTS_PER_ACCOUNT:-50}"
INACTIVE_ACCOUNTS="${INACTIVE_ACCOUNTS:-200}"
INACTIVE_OVERDUE="${INACTIVE_OVERDUE:-0}"
LEASED="${LEASED:-100}"
STEADY_DUE="${STEADY_DUE:-1500}"
BACKLOG_DUE="${BACKLOG_DUE:-50000}"
ROUNDS="${ROUNDS:-10}"
INTERVAL_SECONDS=900
EPOCH="2026-12-01 00:00:00+00"

log "server: $(describe_server)"
db=gwbench_claim
create_database "$db"
for migration in $(find "$ROOT_DIR/src/main/resources/db/migration" -name 'V*__*.sql' | sort -V); do
    pg "$db" -f "$migration"
done

lists=$(( ACCOUNTS * LISTS_PER_ACCOUNT ))
# The moment at which about $1 of the active accounts' lists are due.
moment() {
    awk -v due="$1" -v lists="$lists" -v interval="$INTERVAL_SECONDS" 'BEGIN { printf "%.3f", due / lists * interval }'
}
STEADY_AT="$(moment "$STEADY_DUE")"
BACKLOG_AT="$(moment "$BACKLOG_DUE")"

log "loading $ACCOUNTS active and $INACTIVE_ACCOUNTS inactive accounts x $LISTS_PER_ACCOUNT lists"
pg "$db" <<SQL
create schema bench_clock;
insert into account (id, name, klaviyo_account_id, api_key_enc, status)
select gen_random_uuid(), 'Store ' || n, 'K' || n, '\\x00'::bytea,
       case when n <= $INACTIVE_ACCOUNTS then (array['auth_failed', 'deleted'])[1 + n % 2] else 'active' end
  from generate_series(1, $ACCOUNTS + $INACTIVE_ACCOUNTS) n;
insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, last_synced_at)
select a.id, 'L' || a.klaviyo_account_id || '-' || n, 'List ' || n, 'discovery',
       timestamptz '$EPOCH' + random() * interval '$INTERVAL_SECONDS seconds', timestamptz '$EPOCH' - interval '15 minutes'
  from account a, generate_series(1, $LISTS_PER_ACCOUNT) n;
update klaviyo_list l set next_sync_at = timestamptz '$EPOCH' - interval '1 day'
  from account a
 where $INACTIVE_OVERDUE = 1 and a.id = l.account_id and a.status <> 'active';
-- As the gateway flags them when it marks their account (migration V18).
update klaviyo_list l set account_active = false
  from account a
 where a.id = l.account_id and a.status <> 'active';
update klaviyo_list
   set lease_owner = 'elsewhere', lease_token = gen_random_uuid(), lease_until = timestamptz '$EPOCH' + interval '1 hour'
 where id in (select l.id from klaviyo_list l join account a on a.id = l.account_id and a.status = 'active'
               where l.next_sync_at <= timestamptz '$EPOCH' + interval '$STEADY_AT seconds' order by random() limit $LEASED);
vacuum analyze;
SQL

APP_CP="$BUILD_DIR/quarkus-app/app/*:$BUILD_DIR/quarkus-app/lib/main/*"
CLAIM="$(java -cp "$APP_CP" "$BENCH_DIR/Statement.java" list.ListRepository CLAIM)"
FIFO="with picked as (
    select l.id
      from klaviyo_list l
     where l.status = 'active'
       and l.account_active
       and l.next_sync_at <= now()
       and (l.lease_until is null or l.lease_until <= now())
       and not exists (select 1 from account a where a.id = l.account_id and a.status <> 'active')
     order by l.next_sync_at
     limit \$2
     for update of l skip locked
)
update klaviyo_list l
   set lease_owner = \$1, lease_token = gen_random_uuid(), lease_until = now() + make_interval(secs => \$4), updated_at = now()
  from picked p
 where l.id = p.id
returning l.id, l.lease_token, l.account_id, l.next_sync_at, \$3::int"

# The milliseconds of each timed round of statement $1 at moment $2 (seconds after the epoch),
# limit $3, plan mode $4, one a line.
time_claim() {
    local statement="$1" at="$2" limit="$3" mode="$4" round
    {
        echo "set search_path = bench_clock, public, pg_catalog;"
        echo "create or replace function bench_clock.now() returns timestamptz language sql immutable"
        echo "    as \$\$ select timestamptz '$EPOCH' + interval '$at seconds' \$\$;"
        echo "set plan_cache_mode = $mode;"
        echo "prepare claim as $statement;"
        for round in $(seq 0 "$ROUNDS"); do
            echo "begin;"
            echo "explain (analyze) execute claim('bench', $limit, 8, 30);"
            echo "rollback;"
        done
    } | pg "$db" -At | awk '/^Execution Time:/ { if (seen++) print $3 }'
}

# "median p90" of the numbers on stdin.
median_p90() {
    sort -n | awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)] }'
}

due_now() {
    pg_value "$db" "select count(*) from klaviyo_list l join account a on a.id = l.account_id and a.status = 'active'
                    where l.next_sync_at <= timestamptz '$EPOCH' + interval '$1 seconds'
                      and (l.lease_until is null or l.lease_until <= timestamptz '$EPOCH' + interval '$1 seconds')"
}

LOAD_BEFORE="$(load_average)"
RESULTS=()
for moment_name in steady backlog; do
    at="$STEADY_AT"
    [[ "$moment_name" == backlog ]] && at="$BACKLOG_AT"
    due="$(due_now "$at")"
    for limit in 1 16; do
        for mode in force_custom_plan force_generic_plan; do
            log "$moment_name ($due due), limit $limit, $mode"
            read -r claim_median claim_p90 < <(time_claim "$CLAIM" "$at" "$limit" "$mode" | median_p90)
            read -r fifo_median fifo_p90 < <(time_claim "$FIFO" "$at" "$limit" "$mode" | median_p90)
            plan="${mode#force_}"
            RESULTS+=("$(printf '  %-8s %7s %5s  %-7s %9s %9s %9s %9s %7s' "$moment_name" "$due" "$limit" "${plan%_plan}" \
                "$claim_median" "$claim_p90" "$fifo_median" "$fifo_p90" "$(ratio "$claim_median" "$fifo_median")")")
        done
    done
done

echo
echo "member-sync claim, $lists lists of $ACCOUNTS active accounts (+ $INACTIVE_ACCOUNTS inactive$([[ "$INACTIVE_OVERDUE" == 1 ]] && echo ", their lists overdue")), $LEASED leased; ms per claim over $ROUNDS rounds"
printf '  %-8s %7s %5s  %-7s %9s %9s %9s %9s %7s\n' moment due limit plan "claim p50" "claim p90" "FIFO p50" "FIFO p90" ratio
printf '%s\n' "${RESULTS[@]}"
echo "ratio: the gateway's claim (per-account ranking and cap) over the plain FIFO claim, medians"
echo "load average: $LOAD_BEFORE before, $(load_average) after; $(date -u +%Y-%m-%dT%H:%MZ)"
