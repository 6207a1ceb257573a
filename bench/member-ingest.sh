#!/usr/bin/env bash
# Benchmark 1, member ingest: the simulator serves one list of MEMBERS members (100 a page, no rate
# limit); the packaged gateway (prod profile) syncs it; profiles/s from the sync's start to the last
# page committed (the run's started_at to its finished_at). Baseline, same server, same run: the same
# rows upserted by psql into the same tables in MEMBERS/100 transactions of 100-row multi-VALUES
# upserts (subscriber + list_membership). Goal: >= 0.8x the baseline.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/member-ingest.sh
#
# RECORD_CHANGES=0 disables the change feed's recording triggers in the gateway's database before the
# sync (a switch only benchmarks set: bench/change-feed.sh compares both); BASELINE=0 skips the psql run.
source "$(dirname "$0")/lib.sh"
require_package

MEMBERS="${MEMBERS:-100000}"
RECORD_CHANGES="${RECORD_CHANGES:-1}"
(( MEMBERS % 100 == 0 )) || die "MEMBERS must be a multiple of 100"
GOAL=0.8

log "server: $(describe_server)"

# --- baseline: psql, 100-row multi-VALUES upserts, one transaction each ---------------------
baseline() {
    local db=gwbench_member_base sql="$BENCH_WORK/baseline.sql"
    create_database "$db"
    apply_schema "$db"
    pg "$db" -c "insert into account (id, name, api_key_enc) values ('00000000-0000-0000-0000-000000000001', 'baseline', '\\x00')" \
             -c "insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via)
                 values ('00000000-0000-0000-0000-000000000001', 'BASE01', 'baseline', 'discovery')"
    # The rows the simulator serves: a profile id, a US phone (raw and E.164), names, SMS consent
    # with its time, Klaviyo's updated time and joined_group_at one second apart.
    awk -v members="$MEMBERS" 'BEGIN {
        for (tx = 0; tx < members / 100; tx++) {
            print "with v (pid, phone, first, last, sms_at, upd, joined) as (values"
            for (i = 0; i < 100; i++) {
                n = tx * 100 + i
                printf "  (%s, %s, %s, %s, %s, %s, %s)%s\n",
                    sprintf("'"'"'01JBENCH%018d'"'"'", n), sprintf("'"'"'+1415%07d'"'"'", 2000000 + n),
                    "'"'"'Member'"'"'", sprintf("'"'"'%d'"'"'", n + 1),
                    "timestamptz '"'"'2026-11-28T00:00:00Z'"'"'", "timestamptz '"'"'2026-11-28T00:00:00Z'"'"'",
                    sprintf("timestamptz '"'"'2026-01-01T00:00:00Z'"'"' + interval '"'"'%d seconds'"'"'", n),
                    i < 99 ? "," : ""
            }
            print "), s as ("
            print "  insert into subscriber as t (account_id, klaviyo_profile_id, phone_e164, phone_raw, first_name, last_name,"
            print "                              sms_consent, sms_consent_at, email_consent, email_consent_at, klaviyo_updated)"
            print "  select '"'"'00000000-0000-0000-0000-000000000001'"'"', pid, phone, phone, first, last,"
            print "         '"'"'SUBSCRIBED'"'"', sms_at, '"'"'NEVER_SUBSCRIBED'"'"', sms_at, upd from v"
            print "  on conflict (account_id, klaviyo_profile_id) do update set"
            print "    phone_e164 = excluded.phone_e164, phone_raw = excluded.phone_raw, first_name = excluded.first_name,"
            print "    last_name = excluded.last_name, sms_consent = excluded.sms_consent, sms_consent_at = excluded.sms_consent_at,"
            print "    klaviyo_updated = excluded.klaviyo_updated, updated_at = now()"
            print "  returning t.id, t.klaviyo_profile_id)"
            print "insert into list_membership (list_id, subscriber_id, account_id, joined_at, source)"
            print "select 1, s.id, '"'"'00000000-0000-0000-0000-000000000001'"'"', v.joined, '"'"'poll'"'"'"
            print "  from s join v on v.pid = s.klaviyo_profile_id"
            print "on conflict (list_id, subscriber_id) do update set joined_at = excluded.joined_at, removed_at = null, updated_at = now();"
        }
    }' >"$sql"
    local started ended
    started="$(now_ms)"
    pg "$db" -f "$sql" >/dev/null
    ended="$(now_ms)"
    local stored
    stored="$(pg_value "$db" "select count(*) from list_membership")"
    [[ "$stored" == "$MEMBERS" ]] || die "baseline stored $stored memberships, not $MEMBERS"
    BASE_SECONDS="$(awk -v ms=$((ended - started)) 'BEGIN { printf "%.2f", ms / 1000 }')"
    BASE_RATE="$(awk -v n="$MEMBERS" -v ms=$((ended - started)) 'BEGIN { printf "%.0f", n * 1000 / ms }')"
    log "baseline: $MEMBERS profiles in ${BASE_SECONDS}s = $BASE_RATE profiles/s"
}

# --- the gateway -------------------------------------------------------------------------
gateway() {
    local db=gwbench_member
    create_database "$db"
    start_simulator
    local key list
    key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
    list="$(sim_admin "/accounts/$key/lists" '{"name":"Benchmark list"}' | jq -r .id)"
    sim_admin "/accounts/$key/lists/$list/members" "{\"count\":$MEMBERS,\"firstJoinedAt\":\"2026-01-01T00:00:00Z\"}" >/dev/null
    sim_admin "/accounts/$key/rate-limits" '{"burstPerSecond":1000000,"steadyPerMinute":60000000}' >/dev/null
    log "simulator: list $list with $MEMBERS members"
    start_gateway "$db" gateway \
        GATEWAY_SYNC_TICK=1s \
        GATEWAY_KLAVIYO_RATE_LIMITS_L_BURST_PER_SECOND=1000000 \
        GATEWAY_KLAVIYO_RATE_LIMITS_L_STEADY_PER_MINUTE=60000000
    if [[ "$RECORD_CHANGES" == 0 ]]; then
        pg "$db" -c "alter table list_membership disable trigger list_membership_change_insert" \
                 -c "alter table list_membership disable trigger list_membership_change_update" \
                 -c "alter table subscriber disable trigger subscriber_change_update"
        log "change recording disabled"
    fi
    api POST /api/accounts "{\"name\":\"Benchmark\",\"apiKey\":\"$key\"}" >/dev/null
    log "account connected; waiting for the backfill of list $list"
    local status="" started=$SECONDS
    until [[ "$status" == succeeded ]]; do
        (( SECONDS - started < 900 )) || die "the sync did not finish within 900s"
        sleep 1
        status="$(pg_value "$db" "select status from sync_run where kind = 'members' order by id desc limit 1")"
        [[ "$status" != failed ]] || die "the sync failed: $(pg_value "$db" "select error from sync_run where kind = 'members' order by id desc limit 1")"
    done
    local row
    row="$(pg_value "$db" "select profiles_seen, pages, round(extract(epoch from finished_at - started_at)::numeric, 2)
                           from sync_run where kind = 'members' and status = 'succeeded' order by id desc limit 1")"
    IFS='|' read -r GW_SEEN GW_PAGES GW_SECONDS <<<"$row"
    local stored
    stored="$(pg_value "$db" "select count(*) from list_membership")"
    [[ "$stored" == "$MEMBERS" ]] || die "the gateway stored $stored memberships, not $MEMBERS"
    GW_RATE="$(awk -v n="$GW_SEEN" -v s="$GW_SECONDS" 'BEGIN { printf "%.0f", n / s }')"
    CHANGES="$(pg_value "$db" "select count(*) from member_change")"
    GW_RSS="$(rss_mib "$GW_PID")"
    curl -s "$GW_MANAGEMENT_URL/q/metrics" >"$BENCH_WORK/metrics.txt" || true
    log "gateway: $GW_SEEN profiles in $GW_PAGES pages, ${GW_SECONDS}s = $GW_RATE profiles/s (RSS ${GW_RSS} MiB), $CHANGES changes recorded"
}

if [[ "${BASELINE:-1}" == 0 ]]; then
    gateway
    echo "RESULT rate=$GW_RATE seconds=$GW_SECONDS changes=$CHANGES record=$RECORD_CHANGES"
    exit 0
fi
baseline
gateway

RESULT="$(ratio "$GW_RATE" "$BASE_RATE")"
echo
echo "member ingest ($MEMBERS members, 100 a page)"
printf '  %-34s %10s profiles/s  (%ss)\n' "gateway (sync start to last page)" "$GW_RATE" "$GW_SECONDS"
printf '  %-34s %10s profiles/s  (%ss)\n' "baseline (psql, 100-row upserts)" "$BASE_RATE" "$BASE_SECONDS"
printf '  %-34s %10s   goal >= %s: %s\n' "ratio" "$RESULT" "$GOAL" \
    "$(awk -v r="$RESULT" -v g="$GOAL" 'BEGIN { print (r >= g ? "met" : "MISSED") }')"
