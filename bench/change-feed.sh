#!/usr/bin/env bash
# Benchmark 5, the change feed, three figures in one run:
#  1. Recording cost: bench/member-ingest.sh (MEMBERS members, gateway part only) with the recording
#     triggers on and off (RECORD_CHANGES=0 disables them in that run's database), RUNS pairs in
#     alternating order; goal: recording costs at most 15% of the rate (median of each side).
#  2. Push to stream: flow pushes at RATE/s for DURATION s to a list the gateway knows, one open
#     stream; latency from just before a push is sent to its "joined" event read (bench/stream-latency.py).
#     Goal: p99 < 500 ms.
#  3. CONSUMERS concurrent streams: the gateway's database connections before and while they are
#     open (pg_stat_activity), and every consumer gets every change; goal: at most 2 for the streams.
# Then the README's consumer (bench/feed-consumer.py) is killed (-9) and restarted while pushes come,
# and must end with every stored membership and its consent. PARTS="ingest" or "stream" runs one part.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/change-feed.sh
source "$(dirname "$0")/lib.sh"
require_package python3 sqlite3

RUNS="${RUNS:-2}"
MEMBERS="${MEMBERS:-100000}"
RATE="${RATE:-100}"
DURATION="${DURATION:-30}"
CONSUMERS="${CONSUMERS:-100}"
export BENCH_PG_URL BENCH_JAVA_OPTS BENCH_BUILD_DIR

log "server: $(describe_server)"

# --- 1. recording cost ---------------------------------------------------------------------
ingest() {
    local record="$1" line
    line="$(MEMBERS="$MEMBERS" RECORD_CHANGES="$record" BASELINE=0 "$BENCH_DIR/member-ingest.sh" | grep '^RESULT')" \
        || die "member-ingest.sh (RECORD_CHANGES=$record) failed"
    log "ingest, recording $record: $line"
    sed -E 's/.* rate=([0-9]+).*/\1/' <<<"$line"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

recording_cost() {
    local with=() without=()
    for run in $(seq 1 "$RUNS"); do
        if (( run % 2 )); then
            with+=("$(ingest 1)"); without+=("$(ingest 0)")
        else
            without+=("$(ingest 0)"); with+=("$(ingest 1)")
        fi
    done
    WITH_RATES="${with[*]}"
    WITHOUT_RATES="${without[*]}"
    WITH_MEDIAN="$(printf '%s\n' "${with[@]}" | median)"
    WITHOUT_MEDIAN="$(printf '%s\n' "${without[@]}" | median)"
    COST="$(awk -v a="$WITH_MEDIAN" -v b="$WITHOUT_MEDIAN" 'BEGIN { printf "%.1f", (1 - a / b) * 100 }')"
}

# --- 2 and 3. the stream ---------------------------------------------------------------------
gateway_connections() {
    pg_value "$1" "select count(*) from pg_stat_activity where datname = '$1' and backend_type = 'client backend'
                   and application_name not in ('psql', 'PostgreSQL JDBC Driver')"
}

stream_connections() {
    pg_value "$1" "select count(*) from pg_stat_activity where datname = '$1'
                   and application_name like 'klaviyo-sync-gateway-changes-%'"
}

push() {
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -H "X-Gateway-Token: $FLOW_TOKEN" \
        --data "{\"list_id\":\"$LIST\",\"profile_id\":\"01BF$(od -An -N11 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)\",\"email\":\"\",\"phone_number\":\"\",\"first_name\":\"Feed\",\"last_name\":\"\"}" \
        "$GW_URL/webhooks/klaviyo/$ACCOUNT_ID/flow"
}

stream() {
    local db=gwbench_feed
    create_database "$db"
    start_simulator
    local key account
    key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
    LIST="$(sim_admin "/accounts/$key/lists" '{"name":"Feed list"}' | jq -r .id)"
    start_gateway "$db" gateway
    account="$(api POST /api/accounts "{\"name\":\"Feed benchmark\",\"apiKey\":\"$key\"}")"
    ACCOUNT_ID="$(jq -r .id <<<"$account")"
    FLOW_TOKEN="$(jq -r .webhooks.flowToken <<<"$account")"
    local started=$SECONDS
    until [[ "$(pg_value "$db" "select count(*) from klaviyo_list where klaviyo_list_id = '$LIST'")" == 1 ]]; do
        (( SECONDS - started < 60 )) || die "discovery did not find list $LIST"
        sleep 0.5
    done

    log "push to stream: $RATE pushes/s for ${DURATION}s"
    # A second consumer beside the measuring one (curl), as a witness of what the stream sent.
    curl -sN -H "Authorization: Bearer $BENCH_API_TOKEN" "$GW_URL/api/changes/stream?accountId=$ACCOUNT_ID" \
        >"$BENCH_WORK/witness.txt" 2>/dev/null &
    local witness=$!
    _PIDS+=("$witness")
    local result
    result="$(python3 "$BENCH_DIR/stream-latency.py" "$GW_URL" "$BENCH_API_TOKEN" "$ACCOUNT_ID" "$FLOW_TOKEN" "$LIST" "$RATE" "$DURATION" \
        | grep '^RESULT')" || die "stream-latency.py printed no result"
    for pair in ${result#RESULT }; do
        printf -v "LAT_${pair%%=*}" '%s' "${pair#*=}"
    done
    kill "$witness" 2>/dev/null || true
    WITNESS="$(grep -c '^data:' "$BENCH_WORK/witness.txt" || true)"
    log "latency: $result (the witness stream got $WITNESS changes)"
    # The part of it before the stream: the push stored (received_at) to the change written (its transaction's start).
    local apply
    apply="$(pg_value "$db" "select round((percentile_cont(0.5) within group (order by ms))::numeric), round((percentile_cont(0.99) within group (order by ms))::numeric)
                              from (select extract(epoch from c.at - e.received_at) * 1000 as ms
                                      from webhook_event e
                                      join subscriber s on s.account_id = e.account_id and s.klaviyo_profile_id = e.payload::json->>'profile_id'
                                      join member_change c on c.subscriber_id = s.id and c.type = 'joined'
                                     where e.kind = 'flow') t")"
    IFS='|' read -r APPLY_p50 APPLY_p99 <<<"$apply"

    log "$CONSUMERS consumers"
    CONN_BEFORE="$(gateway_connections "$db")"
    local pids=() i
    for i in $(seq 1 "$CONSUMERS"); do
        curl -sN -H "Authorization: Bearer $BENCH_API_TOKEN" "$GW_URL/api/changes/stream?accountId=$ACCOUNT_ID" \
            >"$BENCH_WORK/consumer-$i.txt" 2>/dev/null &
        pids+=("$!")
        _PIDS+=("$!")
    done
    started=$SECONDS
    until (( $(grep -l '^id:' "$BENCH_WORK"/consumer-*.txt 2>/dev/null | wc -l) == CONSUMERS )); do
        (( SECONDS - started < 60 )) || die "not every stream opened"
        sleep 0.2
    done
    for i in $(seq 1 10); do push; done
    started=$SECONDS
    until (( $(for f in "$BENCH_WORK"/consumer-*.txt; do grep -c '^data:' "$f"; done | awk '$1 >= 10' | wc -l) == CONSUMERS )); do
        (( SECONDS - started < 60 )) || die "not every consumer got the 10 changes"
        sleep 0.2
    done
    CONN_DURING="$(gateway_connections "$db")"
    CONN_STREAM="$(stream_connections "$db")"
    pg_value "$db" "select application_name, count(*) from pg_stat_activity where datname = '$db' group by 1 order by 1" \
        | sed 's/^/    /' >&2
    kill "${pids[@]}" 2>/dev/null || true
    log "connections: $CONN_BEFORE before, $CONN_DURING with $CONSUMERS streams open ($CONN_STREAM of the stream)"

    log "the README's consumer, killed and restarted while pushes come"
    local consumer_db="$BENCH_WORK/platform.db" consumer
    GATEWAY="$GW_URL" GATEWAY_TOKEN="$BENCH_API_TOKEN" CONSUMER_DB="$consumer_db" python3 "$BENCH_DIR/feed-consumer.py" &
    consumer=$!
    _PIDS+=("$consumer")
    for i in $(seq 1 100); do push; sleep 0.02; done
    kill -9 "$consumer"
    for i in $(seq 1 100); do push; sleep 0.02; done
    GATEWAY="$GW_URL" GATEWAY_TOKEN="$BENCH_API_TOKEN" CONSUMER_DB="$consumer_db" python3 "$BENCH_DIR/feed-consumer.py" &
    consumer=$!
    _PIDS+=("$consumer")
    local expected got
    expected="$(pg_value "$db" "select count(*) from list_membership m join subscriber s on s.id = m.subscriber_id
                                 where m.account_id = '$ACCOUNT_ID' and m.removed_at is null")"
    started=$SECONDS
    until [[ "$(sqlite3 "$consumer_db" 'select count(*) from member where on_list' 2>/dev/null)" == "$expected" ]]; do
        (( SECONDS - started < 60 )) || die "the consumer has $(sqlite3 "$consumer_db" 'select count(*) from member') of $expected"
        sleep 0.5
    done
    kill "$consumer" 2>/dev/null || true
    pg_value "$db" "select l.klaviyo_list_id || '|' || s.klaviyo_profile_id || '|' || coalesce(s.sms_consent, '') || '|' || coalesce(s.email_consent, '')
                      from list_membership m join subscriber s on s.id = m.subscriber_id join klaviyo_list l on l.id = m.list_id
                     where m.account_id = '$ACCOUNT_ID' and m.removed_at is null order by 1" >"$BENCH_WORK/stored.txt"
    sqlite3 "$consumer_db" "select list_id || '|' || profile_id || '|' || coalesce(sms, '') || '|' || coalesce(email, '')
                              from member where on_list order by 1" >"$BENCH_WORK/rebuilt.txt"
    cmp -s "$BENCH_WORK/stored.txt" "$BENCH_WORK/rebuilt.txt" || die "the consumer's members differ from the stored ones"
    REBUILT="$expected"
    log "the consumer rebuilt all $expected memberships with their consent across a kill -9"
}

PARTS="${PARTS:-ingest stream}"
[[ "$PARTS" != *ingest* ]] || recording_cost
[[ "$PARTS" != *stream* ]] || stream

echo
echo "change feed"
if [[ "$PARTS" == *ingest* ]]; then
    printf '  %-44s %s profiles/s (runs: %s)\n' "member ingest, recording on (median)" "$WITH_MEDIAN" "$WITH_RATES"
    printf '  %-44s %s profiles/s (runs: %s)\n' "member ingest, recording off (median)" "$WITHOUT_MEDIAN" "$WITHOUT_RATES"
    printf '  %-44s %s%%   goal <= 15%%: %s\n' "cost of recording" "$COST" \
        "$(awk -v c="$COST" 'BEGIN { print (c <= 15 ? "met" : "MISSED") }')"
fi
if [[ "$PARTS" == *stream* ]]; then
    printf '  %-44s p50 %s ms, p99 %s ms, max %s ms; %s of %s received   goal p99 < 500 ms: %s\n' \
        "push to stream at $RATE/s" "$LAT_p50_ms" "$LAT_p99_ms" "$LAT_max_ms" "$LAT_received" "$LAT_sent" \
        "$(awk -v p="$LAT_p99_ms" -v m="$LAT_missing" 'BEGIN { print (p < 500 && m == 0 ? "met" : "MISSED") }')"
    printf '  %-44s apply p50 %s ms, p99 %s ms (a push stored to its change written, before the stream)\n' \
        "of which the webhook applier" "$APPLY_p50" "$APPLY_p99"
    printf '  %-44s %s before, %s with them open, %s of the stream   goal <= 2: %s\n' \
        "$CONSUMERS streams: database connections" "$CONN_BEFORE" "$CONN_DURING" "$CONN_STREAM" \
        "$(awk -v s="$CONN_STREAM" -v b="$CONN_BEFORE" -v d="$CONN_DURING" 'BEGIN { print (s <= 2 && d <= b ? "met" : "MISSED") }')"
    printf '  %-44s %s memberships with consent, after a kill -9\n' "README consumer rebuilt" "$REBUILT"
fi
