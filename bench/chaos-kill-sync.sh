#!/usr/bin/env bash
# Chaos, full size: the packaged gateway backfilling a list of MEMBERS members is killed with
# SIGKILL at a random page and started again on the same database. Checks: the interrupted sync
# resumes within a minute of the restart (its lease expires; it is due at once), completes, every
# member is stored once, and only the pages in flight at the kill are fetched again.
# (KilledSyncIT runs the same at 20,000 members in `mvn verify`.)
source "$(dirname "$0")/lib.sh"
require_package

MEMBERS="${MEMBERS:-100000}"
PAGES=$(( MEMBERS / 100 ))
# A sync commits up to GATEWAY_SYNC_PAGES_PER_COMMIT pages at once and reads as many ahead: at a
# kill, at most twice that many pages were fetched and not committed.
PER_COMMIT="$(sed -n 's/.*GATEWAY_SYNC_PAGES_PER_COMMIT=\([0-9]*\).*/\1/p' <<<"${BENCH_GATEWAY_ENV:-}")"
IN_FLIGHT=$(( 2 * ${PER_COMMIT:-8} ))
ENGINE=(GATEWAY_SYNC_TICK=1s GATEWAY_KLAVIYO_RATE_LIMITS_L_BURST_PER_SECOND=1000000
        GATEWAY_KLAVIYO_RATE_LIMITS_L_STEADY_PER_MINUTE=60000000)
db=gwbench_chaos_kill
create_database "$db"
start_simulator
key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
list="$(sim_admin "/accounts/$key/lists" '{"name":"Killed list"}' | jq -r .id)"
sim_admin "/accounts/$key/lists/$list/members" "{\"count\":$MEMBERS,\"firstJoinedAt\":\"2026-01-01T00:00:00Z\"}" >/dev/null
sim_admin "/accounts/$key/rate-limits" '{"burstPerSecond":1000000,"steadyPerMinute":60000000}' >/dev/null

start_gateway "$db" first "${ENGINE[@]}"
api POST /api/accounts "{\"name\":\"Chaos\",\"apiKey\":\"$key\"}" >/dev/null
KILL_AT=$(( PAGES / 10 + RANDOM % (PAGES * 7 / 10) ))
log "killing the gateway once page $KILL_AT of $PAGES is committed"
until (( $(pg_value "$db" "select coalesce(max(pages), 0) from sync_run where kind = 'members'") >= KILL_AT )); do
    sleep 0.05
done
kill -9 "$GW_PID"
wait "$GW_PID" 2>/dev/null || true
KILLED_MS="$(now_ms)"
COMMITTED="$(pg_value "$db" "select pages from sync_run where kind = 'members'")"
log "killed with $COMMITTED pages committed"

start_gateway "$db" second "${ENGINE[@]}"
RESTARTED_MS="$(now_ms)"
until (( $(pg_value "$db" "select count(*) from sync_run where kind = 'members' and started_at > to_timestamp($KILLED_MS / 1000.0)") > 0 )); do
    (( $(now_ms) - RESTARTED_MS < 120000 )) || die "the interrupted sync did not resume within 120 s"
    sleep 0.2
done
RESUMED_AFTER=$(( $(now_ms) - RESTARTED_MS ))
until [[ "$(pg_value "$db" "select count(*) from sync_run where kind = 'members' and status = 'succeeded'")" == 1 ]]; do
    sleep 0.5
done
STORED="$(pg_value "$db" "select count(*) || ' memberships, ' || count(distinct subscriber_id) || ' distinct' from list_membership")"
SUBSCRIBERS="$(pg_value "$db" "select count(*) from subscriber")"
RESUMED_PAGES="$(pg_value "$db" "select pages from sync_run where kind = 'members' and status = 'succeeded'")"
REQUESTS="$(curl -sf "$SIM_URL/__admin/accounts/$key/counters" | jq '.byOperation.get_profiles_for_list')"
FETCHED_AGAIN=$(( REQUESTS - PAGES ))

echo
echo "chaos: kill -9 mid-sync ($MEMBERS members, $PAGES pages)"
printf '  %-44s %s\n' "killed after page" "$COMMITTED"
printf '  %-44s %s ms after the restart was ready (goal < 60 s)\n' "interrupted sync resumed" "$RESUMED_AFTER"
printf '  %-44s %s pages (%s + %s = %s)\n' "pages committed, killed run + resumed run" "$((COMMITTED + RESUMED_PAGES))" "$COMMITTED" "$RESUMED_PAGES" "$PAGES"
printf '  %-44s %s; subscribers %s (expected %s)\n' "stored" "$STORED" "$SUBSCRIBERS" "$MEMBERS"
printf '  %-44s %s (goal <= %s: the pages committing and those read ahead)\n' "pages fetched again" "$FETCHED_AGAIN" "$IN_FLIGHT"
[[ "$STORED" == "$MEMBERS memberships, $MEMBERS distinct" && "$SUBSCRIBERS" == "$MEMBERS" ]] || die "members lost or doubled"
(( RESUMED_AFTER < 60000 && COMMITTED + RESUMED_PAGES == PAGES && FETCHED_AGAIN >= 0 && FETCHED_AGAIN <= IN_FLIGHT )) || die "a check failed"
echo "  all checks passed"
