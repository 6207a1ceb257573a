#!/usr/bin/env bash
# Chaos: flow pushes at a steady RATE per second while the database is stopped for OUTAGE seconds
# and started again. Checks: every push answered 202 is applied (its member is on the list); every
# other push was answered 503 (none lost, none answered anything else).
# Stopping the server needs commands: BENCH_PG_STOP / BENCH_PG_START (default: the system cluster,
# `pg_ctlcluster 15 main stop|start`). It stops the WHOLE server: run it alone.
source "$(dirname "$0")/lib.sh"
require_package

RATE="${RATE:-50}"
OUTAGE="${OUTAGE:-30}"
BEFORE="${BEFORE:-10}"
AFTER="${AFTER:-20}"
PG_STOP="${BENCH_PG_STOP:-pg_ctlcluster --skip-systemctl-redirect 15 main stop -m fast}"
PG_START="${BENCH_PG_START:-pg_ctlcluster --skip-systemctl-redirect 15 main start}"
db=gwbench_chaos_outage
create_database "$db"
start_simulator
key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
list="$(sim_admin "/accounts/$key/lists" '{"name":"Outage list"}' | jq -r .id)"
start_gateway "$db" gateway GATEWAY_SYNC_TICK=1s
account="$(api POST /api/accounts "{\"name\":\"Outage\",\"apiKey\":\"$key\"}")"
ACCOUNT_ID="$(jq -r .id <<<"$account")"
TOKEN="$(jq -r .webhooks.flowToken <<<"$account")"
until [[ "$(pg_value "$db" "select count(*) from klaviyo_list")" == 1 ]]; do sleep 0.5; done

# The pusher: one push every 1/RATE s, each in the background; records "<profile> <status>".
push() {
    local n="$1" profile
    profile="$(printf '01JW%022d' "$n")"  # a profile id of Klaviyo's form (ULID characters)
    status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST -H 'Content-Type: application/json' \
        -H "X-Gateway-Token: $TOKEN" --data "{\"list_id\":\"$list\",\"profile_id\":\"$profile\",\"email\":\"\",\"phone_number\":\"\",\"first_name\":\"\",\"last_name\":\"\"}" \
        "$GW_URL/webhooks/klaviyo/$ACCOUNT_ID/flow")"
    echo "$profile $status" >>"$BENCH_WORK/answers.txt"
}
TOTAL=$(( RATE * (BEFORE + OUTAGE + AFTER) ))
(
    for n in $(seq 1 "$TOTAL"); do
        push "$n" &
        sleep "$(awk -v r="$RATE" 'BEGIN { print 1 / r }')"
    done
    wait
) &
PUSHER=$!
sleep "$BEFORE"
log "stopping the database for ${OUTAGE}s"
$PG_STOP
sleep "$OUTAGE"
$PG_START
log "database started again"
wait "$PUSHER"
ACCEPTED="$(awk '$2 == 202' "$BENCH_WORK/answers.txt" | wc -l)"
UNAVAILABLE="$(awk '$2 == 503' "$BENCH_WORK/answers.txt" | wc -l)"
OTHER="$(awk '$2 != 202 && $2 != 503' "$BENCH_WORK/answers.txt" | wc -l)"
awk '$2 == 202 { print $1 }' "$BENCH_WORK/answers.txt" | sort >"$BENCH_WORK/accepted.txt"
started=$SECONDS
until [[ "$(pg_value "$db" "select count(*) from webhook_event where status = 'applied'")" -ge "$ACCEPTED" ]]; do
    (( SECONDS - started < 300 )) || break
    sleep 1
done
pg_value "$db" "select s.klaviyo_profile_id from list_membership m join subscriber s on s.id = m.subscriber_id" | sort >"$BENCH_WORK/applied.txt"
MISSING="$(comm -23 "$BENCH_WORK/accepted.txt" "$BENCH_WORK/applied.txt" | wc -l)"

echo
echo "chaos: database outage (${OUTAGE}s) under $RATE flow pushes/s"
printf '  %-34s %s\n' "pushes sent" "$TOTAL"
printf '  %-34s %s, of which not applied: %s\n' "answered 202" "$ACCEPTED" "$MISSING"
printf '  %-34s %s\n' "answered 503" "$UNAVAILABLE"
printf '  %-34s %s\n' "answered anything else" "$OTHER"
(( MISSING == 0 && OTHER == 0 && ACCEPTED + UNAVAILABLE == TOTAL )) || die "a check failed"
echo "  all checks passed"
