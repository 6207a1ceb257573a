#!/usr/bin/env bash
# Chaos: a Klaviyo account limited to 5 requests/s and 60/min, answering 5% of requests 503, with
# LISTS lists of MEMBERS members to backfill. Checks: every sync completes, and 429 answers stay
# under 5% of the requests made (the shared budget paces under the limits, the share of what Klaviyo's
# RateLimit-Limit announces, instead of hitting them).
source "$(dirname "$0")/lib.sh"
require_package

LISTS="${LISTS:-10}"
MEMBERS="${MEMBERS:-500}"
db=gwbench_chaos_storm
create_database "$db"
start_simulator
key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
for i in $(seq 1 "$LISTS"); do
    list="$(sim_admin "/accounts/$key/lists" "{\"name\":\"Storm $i\"}" | jq -r .id)"
    sim_admin "/accounts/$key/lists/$list/members" "{\"count\":$MEMBERS,\"firstJoinedAt\":\"2026-01-01T00:00:00Z\"}" >/dev/null
done
sim_admin "/accounts/$key/rate-limits" '{"burstPerSecond":5,"steadyPerMinute":60}' >/dev/null
sim_admin "/accounts/$key/faults" '{"unavailableRatio":0.05}' >/dev/null

start_gateway "$db" gateway GATEWAY_SYNC_TICK=1s
STARTED_MS="$(now_ms)"
api POST /api/accounts "{\"name\":\"Storm\",\"apiKey\":\"$key\"}" >/dev/null \
    || die "connecting failed (the key check itself met a 503 or 429 and was answered with an error)"
until [[ "$(pg_value "$db" "select count(*) from sync_run where kind = 'members' and status = 'succeeded'")" == "$LISTS" ]]; do
    (( $(now_ms) - STARTED_MS < 900000 )) || die "the syncs did not complete within 15 minutes"
    sleep 1
done
ELAPSED_S=$(( ($(now_ms) - STARTED_MS) / 1000 ))
counters="$(curl -sf "$SIM_URL/__admin/accounts/$key/counters")"
REQUESTS="$(jq .requests <<<"$counters")"
THROTTLED="$(jq .throttled <<<"$counters")"
FAILED_RUNS="$(pg_value "$db" "select count(*) from sync_run where status = 'failed'")"
MEMBERSHIPS="$(pg_value "$db" "select count(*) from list_membership")"
SHARE="$(awk -v t="$THROTTLED" -v r="$REQUESTS" 'BEGIN { printf "%.1f", 100 * t / r }')"

echo
echo "chaos: rate-limit storm (5/s, 60/min, 5% 503; $LISTS lists x $MEMBERS members)"
printf '  %-36s %s s\n' "all syncs completed after" "$ELAPSED_S"
printf '  %-36s %s of %s expected (runs failed and retried: %s)\n' "memberships stored" "$MEMBERSHIPS" "$((LISTS * MEMBERS))" "$FAILED_RUNS"
printf '  %-36s %s of %s requests = %s%% (goal < 5%%)\n' "answered 429" "$THROTTLED" "$REQUESTS" "$SHARE"
[[ "$MEMBERSHIPS" == "$((LISTS * MEMBERS))" ]] || die "members missing"
awk -v s="$SHARE" 'BEGIN { exit !(s < 5) }' || die "too many 429s"
echo "  all checks passed"
