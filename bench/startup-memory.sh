#!/usr/bin/env bash
# Benchmark 4, start-up and memory of the packaged gateway (prod profile, JVM): time from `java`
# to /q/health/ready answering 200 (and Quarkus's own "started in"), over STARTS starts on a
# migrated database after a first start that migrates; resident memory (RSS) idle, and after the
# load of benchmark 2 (wrk, unique flow pushes, 32 connections, 30 s). Goals: < 2 s, < 200 MB idle.
# The JVM options are BENCH_JAVA_OPTS (see lib.sh); the figures hold for those.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/startup-memory.sh
source "$(dirname "$0")/lib.sh"
require_package wrk

STARTS="${STARTS:-5}"
IDLE_SECONDS="${IDLE_SECONDS:-15}"
DURATION="${DURATION:-30}"
log "server: $(describe_server); JVM options: $BENCH_JAVA_OPTS"

db=gwbench_startup
create_database "$db"
start_simulator

# One start; sets READY_MS (java to ready) and STARTED_IN (Quarkus's figure); the gateway keeps running.
timed_start() {
    local name="$1"
    start_gateway "$db" "$name"
    READY_MS=$(( ($(date +%s%N) - GW_STARTED_NS) / 1000000 ))
    STARTED_IN="$(grep -o 'started in [0-9.]*s' "$BENCH_WORK/$name.log" | grep -o '[0-9.]*' | head -1)"
}

timed_start first
first="$READY_MS $STARTED_IN"
stop_process "$GW_PID"
log "first start (migrates an empty database): ${first% *} ms to ready, Quarkus: ${first#* } s"

READY=()
QUARKUS=()
for i in $(seq 1 "$STARTS"); do
    timed_start "start-$i"
    READY+=("$READY_MS")
    QUARKUS+=("$STARTED_IN")
    if (( i < STARTS )); then
        stop_process "$GW_PID"
    fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
READY_MEDIAN="$(median "${READY[@]}")"
QUARKUS_MEDIAN="$(median "${QUARKUS[@]}")"
log "starts on a migrated database: ready after ${READY[*]} ms; Quarkus: ${QUARKUS[*]} s"

sleep "$IDLE_SECONDS"
RSS_IDLE="$(rss_mib "$GW_PID")"
log "RSS idle (${IDLE_SECONDS}s after ready): $RSS_IDLE MiB"

key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
list="$(sim_admin "/accounts/$key/lists" '{"name":"Flow list"}' | jq -r .id)"
account="$(api POST /api/accounts "{\"name\":\"Benchmark\",\"apiKey\":\"$key\"}")"
wrk -t 2 -c 32 -d "${DURATION}s" -s "$BENCH_DIR/flow-push.lua" "$GW_URL" \
    -- "$(jq -r .id <<<"$account")" "$(jq -r .webhooks.flowToken <<<"$account")" "$list" >"$BENCH_WORK/wrk.txt"
RSS_LOADED="$(rss_mib "$GW_PID")"
log "RSS after the webhook load: $RSS_LOADED MiB ($(grep -o 'rps=[0-9]*' "$BENCH_WORK/wrk.txt"))"

echo
echo "start-up and memory (JVM options: $BENCH_JAVA_OPTS)"
printf '  %-42s %8s ms   (Quarkus: %s s)\n' "first start, migrating an empty database" "${first% *}" "${first#* }"
printf '  %-42s %8s ms   (Quarkus: %s s)   goal < 2000 ms: %s\n' "start, median of $STARTS" "$READY_MEDIAN" "$QUARKUS_MEDIAN" \
    "$(awk -v v="$READY_MEDIAN" 'BEGIN { print (v < 2000 ? "met" : "MISSED") }')"
printf '  %-42s %8s MiB  goal < 200 MiB: %s\n' "RSS idle" "$RSS_IDLE" "$(awk -v v="$RSS_IDLE" 'BEGIN { print (v < 200 ? "met" : "MISSED") }')"
printf '  %-42s %8s MiB\n' "RSS after ${DURATION}s of webhook load" "$RSS_LOADED"
