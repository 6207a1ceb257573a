#!/usr/bin/env bash
# Benchmark 3, scheduling scale: ACCOUNTS accounts with LISTS_PER_ACCOUNT lists each (50,000 lists),
# the simulator answering every request after LATENCY_MS (empty lists: one empty page), one gateway
# instance with the member interval INTERVAL. Reports the lag (how long after its next_sync_at a
# list's sync starts) p50/p99/max over two intervals. Goal: p99 < 60 s with the 15-minute interval.
#
# Method: the accounts and lists are created in the simulator (admin API) and loaded into the
# gateway's tables with COPY (keys sealed like the gateway seals them, by bench/SealedAccounts.java),
# as a gateway looks after the nightly discovery: next discovery tomorrow, each list due once per
# interval at a time spread evenly over the interval (steady state, not the first backfill).
# The lag of a list's first run is measured against its loaded next_sync_at, of each later run
# against the previous run's start plus the interval (what the gateway schedules).
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/scheduling-scale.sh
source "$(dirname "$0")/lib.sh"
require_package

ACCOUNTS="${ACCOUNTS:-1000}"
LISTS_PER_ACCOUNT="${LISTS_PER_ACCOUNT:-50}"
LATENCY_MS="${LATENCY_MS:-50}"
INTERVAL="${INTERVAL:-15m}"
INTERVALS="${INTERVALS:-2}"
GOAL_P99_SECONDS=60
interval_seconds() {
    local value="$1"
    case "$value" in
        *m) echo $(( ${value%m} * 60 )) ;;
        *s) echo "${value%s}" ;;
        *) die "INTERVAL must be like 15m or 120s" ;;
    esac
}
INTERVAL_SECONDS="$(interval_seconds "$INTERVAL")"

log "server: $(describe_server)"
db=gwbench_schedule
create_database "$db"
start_simulator

log "seeding $ACCOUNTS accounts x $LISTS_PER_ACCOUNT lists in the simulator"
sim_admin /seed "{\"accounts\":$ACCOUNTS,\"listsPerAccount\":$LISTS_PER_ACCOUNT,\"membersPerList\":0}" >"$BENCH_WORK/seed.json"
jq -r '.accounts[] | "\(.apiKey) \(.klaviyoAccountId)"' "$BENCH_WORK/seed.json" >"$BENCH_WORK/keys.txt"
jq -r '.accounts[] | .apiKey' "$BENCH_WORK/seed.json" \
    | xargs -P 4 -I{} curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
        --data "{\"latencyMillis\":$LATENCY_MS}" "$SIM_URL/__admin/accounts/{}/faults"

# The schema, by a first start of the gateway (Flyway), then the rows.
start_gateway "$db" migrate
stop_process "$GW_PID"
GATEWAY_CRYPTO_KEY="$BENCH_CRYPTO_KEY" java "$BENCH_DIR/SealedAccounts.java" <"$BENCH_WORK/keys.txt" >"$BENCH_WORK/accounts.csv"
paste -d, <(cut -d, -f1 "$BENCH_WORK/accounts.csv") <(jq -r '.accounts[] | .lists | join(" ")' "$BENCH_WORK/seed.json") \
    | awk -F, -v n="$LISTS_PER_ACCOUNT" '{ split($2, lists, " "); for (i = 1; i <= n; i++) print $1 "," lists[i] ",Seeded list " i }' \
    >"$BENCH_WORK/lists.csv"
pg "$db" -c "\\copy account (id, name, klaviyo_account_id, api_key_enc) from '$BENCH_WORK/accounts.csv' with (format csv)" \
         -c "insert into list_discovery (account_id, last_discovery_at, next_discovery_at, last_list_check_at, next_list_check_at)
             select id, now(), now() + interval '1 day', now(), now() + random() * interval '5 minutes' from account" \
         -c "create temp table l (account_id uuid, klaviyo_list_id text, name text)" \
         -c "\\copy l from '$BENCH_WORK/lists.csv' with (format csv)" \
         -c "insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, last_synced_at)
             select account_id, klaviyo_list_id, name, 'discovery',
                    now() + interval '30 seconds' + random() * make_interval(secs => $INTERVAL_SECONDS), now()
               from l" \
         -c "create table bench_first_due as select id as list_id, next_sync_at as due from klaviyo_list"
log "loaded $(pg_value "$db" "select count(*) from account") accounts, $(pg_value "$db" "select count(*) from klaviyo_list") lists"

# CPU seconds (user + system) of processes (lib.sh's cpu_ticks), two decimals.
cpu_total() {
    awk -v t="$(cpu_ticks "$@")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

start_gateway "$db" gateway GATEWAY_SYNC_MEMBER_INTERVAL="$INTERVAL"
RUN_SECONDS=$(( INTERVALS * INTERVAL_SECONDS + 30 ))
log "one instance, interval $INTERVAL: measuring for ${RUN_SECONDS}s"
RUNS_BEFORE="$(pg_value "$db" "select count(*) from sync_run where kind = 'members' and status <> 'running'")"
# Claims of due lists the instance made (gateway_sync_claims_total, all owners).
claims_made() {
    curl -sf "$GW_MANAGEMENT_URL/q/metrics" | awk '/^gateway_sync_claims_total/ { n += $2 } END { printf "%d", n }'
}
CLAIMS_BEFORE="$(claims_made)"
mapfile -t BACKENDS < <(db_backends "$db")
CPU_GW_0="$(cpu_total "$GW_PID")" CPU_SIM_0="$(cpu_total "$SIM_PID")" CPU_PG_0="$(cpu_total "${BACKENDS[@]}")"
for (( waited = 0; waited < RUN_SECONDS; waited += 60 )); do
    sleep $(( RUN_SECONDS - waited < 60 ? RUN_SECONDS - waited : 60 ))
    log "  runs: $(pg_value "$db" "select count(*) || ' started, ' || count(*) filter (where status = 'failed') || ' failed' from sync_run where kind = 'members'"), RSS $(rss_mib "$GW_PID") MiB"
done
# Backends opened during the run count from zero (their whole life lies in it).
mapfile -t BACKENDS_END < <(db_backends "$db")
CPU_GW="$(awk -v a="$CPU_GW_0" -v b="$(cpu_total "$GW_PID")" 'BEGIN { printf "%.1f", b - a }')"
CPU_SIM="$(awk -v a="$CPU_SIM_0" -v b="$(cpu_total "$SIM_PID")" 'BEGIN { printf "%.1f", b - a }')"
CPU_PG="$(awk -v a="$CPU_PG_0" -v b="$(cpu_total "${BACKENDS_END[@]}")" 'BEGIN { printf "%.1f", b - a }')"
SYNCED="$(( $(pg_value "$db" "select count(*) from sync_run where kind = 'members' and status <> 'running'") - RUNS_BEFORE ))"
CLAIMS="$(( $(claims_made) - CLAIMS_BEFORE ))"
GW_RSS="$(rss_mib "$GW_PID")"
stop_process "$GW_PID"

# The lag of each run that started within the measured window. A run that the instance's stop at the
# end of the window handed over (recorded failed, the list resuming elsewhere) is not a failure.
read -r RUNS FAILED HANDED P50 P99 MAX LATE < <(pg_value "$db" "
    with runs as (
        select r.list_id, r.started_at, r.status, r.error,
               lag(r.started_at) over (partition by r.list_id order by r.started_at) as previous
          from sync_run r where r.kind = 'members'
    ), lags as (
        select runs.status, coalesce(runs.error like '%handed % over to another instance%', false) as handed_over,
               extract(epoch from runs.started_at - coalesce(runs.previous + make_interval(secs => $INTERVAL_SECONDS), f.due)) as lag
          from runs join bench_first_due f on f.list_id = runs.list_id
    )
    select count(*), count(*) filter (where status = 'failed' and not handed_over), count(*) filter (where handed_over),
           round(percentile_cont(0.5) within group (order by lag)::numeric, 2),
           round(percentile_cont(0.99) within group (order by lag)::numeric, 2),
           round(max(lag)::numeric, 2),
           count(*) filter (where lag > $GOAL_P99_SECONDS)
      from lags" | tr '|' ' ')
read -r D50 D99 < <(pg_value "$db" "
    select round(percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at))::numeric * 1000),
           round(percentile_cont(0.99) within group (order by extract(epoch from finished_at - started_at))::numeric * 1000)
      from sync_run where kind = 'members' and finished_at is not null" | tr '|' ' ')
NEVER="$(pg_value "$db" "select count(*) from bench_first_due f where f.due < now() - interval '$GOAL_P99_SECONDS seconds'
                          and not exists (select 1 from sync_run r where r.list_id = f.list_id)")"

echo
echo "scheduling scale ($ACCOUNTS accounts, $((ACCOUNTS * LISTS_PER_ACCOUNT)) lists, simulator latency ${LATENCY_MS} ms, interval $INTERVAL, ${INTERVALS} intervals, one instance)"
printf '  %-40s %s (%s failed, %s handed over at the stop)\n' "syncs started" "$RUNS" "$FAILED" "$HANDED"
printf '  %-40s p50 %s s, p99 %s s, max %s s   goal p99 < %s s: %s\n' "lag behind next_sync_at" "$P50" "$P99" "$MAX" "$GOAL_P99_SECONDS" \
    "$(awk -v v="$P99" -v g="$GOAL_P99_SECONDS" 'BEGIN { print (v < g ? "met" : "MISSED") }')"
printf '  %-40s %s\n' "syncs later than ${GOAL_P99_SECONDS}s" "$LATE"
printf '  %-40s %s\n' "lists due but never started" "$NEVER"
printf '  %-40s p50 %s ms, p99 %s ms\n' "a sync's duration (start to end)" "$D50" "$D99"
printf '  %-40s %s MiB\n' "gateway RSS at the end" "$GW_RSS"
printf '  %-40s %s syncs ended in %s s (%.1f a second)\n' "throughput" "$SYNCED" "$RUN_SECONDS" \
    "$(awk -v n="$SYNCED" -v s="$RUN_SECONDS" 'BEGIN { print n / s }')"
printf '  %-40s %s (%s a sync)\n' "claims of due lists" "$CLAIMS" "$(ratio "$CLAIMS" "$SYNCED")"
printf '  %-40s gateway %s s, PostgreSQL %s s, simulator %s s\n' "CPU over the run (split)" "$CPU_GW" "$CPU_PG" "$CPU_SIM"
printf '  %-40s gateway %s ms, PostgreSQL %s ms\n' "CPU per sync" \
    "$(awk -v c="$CPU_GW" -v n="$SYNCED" 'BEGIN { printf "%.2f", n ? 1000 * c / n : 0 }')" \
    "$(awk -v c="$CPU_PG" -v n="$SYNCED" 'BEGIN { printf "%.2f", n ? 1000 * c / n : 0 }')"
