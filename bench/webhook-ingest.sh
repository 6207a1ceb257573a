#!/usr/bin/env bash
# Benchmark 2, webhook ingest: wrk sends unique flow pushes to the packaged gateway (prod profile),
# CONNECTIONS connections for DURATION after WARMUP seconds of the same load; requests/s, p50/p99/max
# latency, and a check that every push answered 202 is stored. Baseline, same server, same run: pgbench inserting one webhook_event
# row per transaction at the same concurrency. Goal (issue 18): >= 0.6x the baseline's TPS, p99 < 50 ms.
# Each run prints the CPU split over its middle (gateway, wrk or pgbench, the database's backends,
# the rest of the machine), in percent of one core.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/webhook-ingest.sh
source "$(dirname "$0")/lib.sh"
require_package wrk pgbench

CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-30}"
THREADS="${THREADS:-2}"
DRAIN_SECONDS="${DRAIN_SECONDS:-12}"
WARMUP="${WARMUP:-30}"
GOAL=0.6
P99_GOAL_MS=50

log "server: $(describe_server)"

baseline() {
    local db=gwbench_webhook_base script="$BENCH_WORK/insert.sql"
    create_database "$db"
    apply_schema "$db"
    pg "$db" -c "insert into account (id, name, api_key_enc) values ('00000000-0000-0000-0000-000000000002', 'baseline', '\\x00')"
    # The row a flow push stores: the account, the kind, the payload as received.
    cat >"$script" <<'SQL'
\set n random(1, 1000000000)
insert into webhook_event (account_id, kind, payload)
values ('00000000-0000-0000-0000-000000000002', 'flow',
        '{"list_id":"BENCH1","profile_id":"01JW01' || lpad(:n::text, 20, '0') || '","email":"","phone_number":"+14152000000","first_name":"Bench","last_name":"' || :n || '"}');
SQL
    PGPASSWORD="$PG_PASSWORD" pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared \
        -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" -f "$script" "$db" >"$BENCH_WORK/pgbench.txt" 2>&1 &
    local pgbench_pid=$!
    BASE_CPU="$(cpu_split "$DURATION" "$db" "pgbench=$pgbench_pid" | cpu_percentages)"
    wait "$pgbench_pid" || die "pgbench failed: $(cat "$BENCH_WORK/pgbench.txt")"
    BASE_TPS="$(awk '/^tps = / { printf "%.0f", $3 }' "$BENCH_WORK/pgbench.txt")"
    BASE_LATENCY="$(awk '/^latency average/ { print $4 }' "$BENCH_WORK/pgbench.txt")"
    log "baseline: pgbench $BASE_TPS TPS, latency average $BASE_LATENCY ms; CPU: $BASE_CPU"
}

gateway() {
    local db=gwbench_webhook
    create_database "$db"
    start_simulator
    local key list account
    key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
    list="$(sim_admin "/accounts/$key/lists" '{"name":"Flow list"}' | jq -r .id)"
    start_gateway "$db" gateway
    account="$(api POST /api/accounts "{\"name\":\"Benchmark\",\"apiKey\":\"$key\"}")"
    ACCOUNT_ID="$(jq -r .id <<<"$account")"
    local token
    token="$(jq -r .webhooks.flowToken <<<"$account")"
    # The list is known before the pushes, as in steady state (discovery found it).
    local started=$SECONDS
    until [[ "$(pg_value "$db" "select count(*) from klaviyo_list where klaviyo_list_id = '$list'")" == 1 ]]; do
        (( SECONDS - started < 60 )) || die "discovery did not find list $list"
        sleep 0.5
    done
    # A warm-up, not counted: the JIT compiles the intake and the applier for about a minute of load
    # on two cores (a third of a core still in a window after 5 s of warm-up, a twentieth after 30 s;
    # gateway_jit in the split shows it). The window measures a warm gateway, as in production.
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -s "$BENCH_DIR/flow-push.lua" "$GW_URL" -- "$ACCOUNT_ID" "$token" "$list" >/dev/null
    # Statistics, as autovacuum has them in any database a minute old: this one is seconds old, and
    # without them PostgreSQL plans one account's rows as a handful (whole-account scans a batch).
    pg "$db" -qc "analyze" >/dev/null
    local before applied_before
    before="$(pg_value "$db" "select count(*) from webhook_event")"
    applied_before="$(pg_value "$db" "select count(*) from webhook_event where status = 'applied'")"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$BENCH_DIR/flow-push.lua" "$GW_URL" \
        -- "$ACCOUNT_ID" "$token" "$list" >"$BENCH_WORK/wrk.txt" &
    local wrk_pid=$!
    GW_CPU="$(cpu_split "$DURATION" "$db" "gateway=$GW_PID" "gateway_jit=jit:$GW_PID" "wrk=$wrk_pid" | cpu_percentages)"
    wait "$wrk_pid" || die "wrk failed"
    local result
    result="$(grep '^RESULT' "$BENCH_WORK/wrk.txt")" || die "wrk printed no result: $(cat "$BENCH_WORK/wrk.txt")"
    for pair in ${result#RESULT }; do
        printf -v "WRK_${pair%%=*}" '%s' "${pair#*=}"
    done
    STORED=$(( $(pg_value "$db" "select count(*) from webhook_event") - before ))
    # The applier runs meanwhile (as in production): how far it kept up with the intake.
    APPLIED="$(pg_value "$db" "select count(*) from webhook_event where status = 'applied'")"
    APPLIED_DURING=$(( APPLIED - applied_before ))
    BACKLOG="$(pg_value "$db" "select count(*) from webhook_event where status = 'received'")"
    # Then the applier alone on the backlog left (no intake): its CPU per push applied.
    local drain_started
    drain_started="$(date +%s%N)"
    DRAIN_CPU="$(cpu_split "$DRAIN_SECONDS" "$db" "gateway=$GW_PID" | cpu_percentages)"
    DRAIN_ELAPSED="$(awk -v s="$drain_started" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')"
    DRAINED=$(( $(pg_value "$db" "select count(*) from webhook_event where status = 'applied'") - APPLIED ))
    DRAIN_RATE="$(awk -v n="$DRAINED" -v s="$DRAIN_ELAPSED" 'BEGIN { printf "%.0f", n / s }')"
    GW_RSS="$(rss_mib "$GW_PID")"
    log "gateway: $WRK_rps requests/s, p50 $WRK_p50_ms ms, p99 $WRK_p99_ms ms, max $WRK_max_ms ms; 202: $WRK_accepted, stored: $STORED"
    # Every 202 is stored; requests cut off when wrk stopped may be stored without an answer counted.
    (( STORED >= WRK_accepted )) || die "only $STORED events stored for $WRK_accepted answers 202"
    (( WRK_other == 0 )) || die "$WRK_other answers were neither 202 nor 503"
}

baseline
gateway

RESULT="$(ratio "$WRK_rps" "$BASE_TPS")"
echo
echo "webhook ingest ($CONNECTIONS connections, ${DURATION}s, unique flow pushes)"
printf '  %-30s %8s requests/s  p50 %s ms, p99 %s ms, max %s ms\n' "gateway (wrk)" "$WRK_rps" "$WRK_p50_ms" "$WRK_p99_ms" "$WRK_max_ms"
printf '  %-30s %8s\n' "answered 202 / stored" "$WRK_accepted / $STORED (503: $WRK_unavailable)"
printf '  %-30s %8s\n' "applied meanwhile / backlog" "$APPLIED / $BACKLOG (warm-up included; $APPLIED_DURING during the run)"
printf '  %-30s %s\n' "CPU (100% = one core)" "$GW_CPU"
# A backlog emptied before the window ended makes the rate a lower bound, not the applier's speed.
printf '  %-30s %8s pushes/s  (%s in %s s after the load%s)\n' "applier alone, backlog" "$DRAIN_RATE" "$DRAINED" "$DRAIN_ELAPSED" \
    "$( (( BACKLOG > 0 && DRAINED >= BACKLOG )) && echo "; the backlog emptied: a lower bound")"
printf '  %-30s %s\n' "CPU (100% = one core)" "$DRAIN_CPU"
printf '  %-30s %8s TPS  (latency average %s ms)\n' "baseline (pgbench, 1 row/tx)" "$BASE_TPS" "$BASE_LATENCY"
printf '  %-30s %s\n' "CPU (100% = one core)" "$BASE_CPU"
printf '  %-30s %8s     goal >= %s with p99 < %s ms: %s\n' "ratio" "$RESULT" "$GOAL" "$P99_GOAL_MS" \
    "$(awk -v r="$RESULT" -v g="$GOAL" -v p="$WRK_p99_ms" -v pg="$P99_GOAL_MS" 'BEGIN { print (r >= g && p < pg ? "met" : "MISSED") }')"
printf '  %-30s %8s MiB\n' "gateway RSS after the load" "$GW_RSS"
printf '  %-30s %s\n' "load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)"
