#!/usr/bin/env bash
# Benchmark 1, member ingest: the simulator serves one list of MEMBERS members (100 a page, no rate
# limit); the packaged gateway (prod profile) syncs it; profiles/s from the sync's start to the last
# page committed (the run's started_at to its finished_at). Baseline, same server, same run: the same
# rows upserted by psql into the same tables in MEMBERS/100 transactions of 100-row multi-VALUES
# upserts (subscriber + list_membership). Goal: >= 0.6x the baseline (issue 18).
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/member-ingest.sh
#
# RECORD_CHANGES=0 disables the change feed's recording triggers in the gateway's database before the
# sync (a switch only benchmarks set: bench/change-feed.sh compares both); BASELINE=0 skips the psql run.
# WARMUP members (default 20,000) of another account are synced first and not measured, so that the
# measured sync runs on a compiled JVM, as a long-running gateway does; WARMUP=0 measures a cold one.
# Klaviyo runs on other machines; the simulator shares these cores. So that the measured window
# charges the gateway's run with the gateway's and PostgreSQL's work rather than the rendering of
# Klaviyo's pages (as psql's baseline reads input written before its timer), the list's pages are
# read once before the timer (SIM_PRERENDER=1, the default): the simulator keeps each member's JSON
# while the profile and its membership stay as they are, and serves the same bytes again. The
# simulator still answers every request (HTTP, authentication, rate limits, paging, the links) in
# the window, and the run reports how many members it rendered meanwhile (0 expected).
# SIM_PRERENDER=0 leaves the rendering in the window, as before.
source "$(dirname "$0")/lib.sh"
require_package

MEMBERS="${MEMBERS:-100000}"
WARMUP="${WARMUP:-20000}"
RECORD_CHANGES="${RECORD_CHANGES:-1}"
SIM_PRERENDER="${SIM_PRERENDER:-1}"
(( MEMBERS % 100 == 0 )) || die "MEMBERS must be a multiple of 100"
GOAL=0.6

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
    local started ended TIMEFORMAT='%U %S'
    start_pg_cpu "$db"
    started="$(now_ms)"
    { time pg "$db" -f "$sql" >/dev/null; } 2>"$BENCH_WORK/psql-time"
    ended="$(now_ms)"
    BASE_PG_CPU="$(stop_pg_cpu)"
    BASE_CLIENT_CPU="$(awk '{ printf "%.2f", $1 + $2 }' "$BENCH_WORK/psql-time")"
    local stored
    stored="$(pg_value "$db" "select count(*) from list_membership")"
    [[ "$stored" == "$MEMBERS" ]] || die "baseline stored $stored memberships, not $MEMBERS"
    BASE_SECONDS="$(awk -v ms=$((ended - started)) 'BEGIN { printf "%.2f", ms / 1000 }')"
    BASE_RATE="$(awk -v n="$MEMBERS" -v ms=$((ended - started)) 'BEGIN { printf "%.0f", n * 1000 / ms }')"
    log "baseline: $MEMBERS profiles in ${BASE_SECONDS}s = $BASE_RATE profiles/s; CPU: PostgreSQL ${BASE_PG_CPU}s, psql ${BASE_CLIENT_CPU}s"
}

# --- the gateway -------------------------------------------------------------------------
gateway() {
    local db=gwbench_member
    create_database "$db"
    start_simulator
    local key list
    key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
    list="$(sim_admin "/accounts/$key/lists" '{"name":"Benchmark list"}' | jq -r .id)"
    # Profiles created long before the account is connected, as a real list's are: the account's
    # first profile sweep (profiles updated since its connection, less a minute) then finds none,
    # instead of reading all MEMBERS profiles again beside the backfill.
    sim_admin "/accounts/$key/lists/$list/members" \
        "{\"count\":$MEMBERS,\"firstJoinedAt\":\"2026-01-01T00:00:00Z\",\"created\":\"2025-12-31T00:00:00Z\"}" >/dev/null
    sim_admin "/accounts/$key/rate-limits" '{"burstPerSecond":1000000,"steadyPerMinute":60000000}' >/dev/null
    log "simulator: list $list with $MEMBERS members"
    if [[ "$SIM_PRERENDER" == 1 ]]; then
        read_members "$key" "$list"
        log "simulator: the list's pages read once before the timer ($(sim_counter "$key" membersRendered) members rendered)"
    fi
    # A warm-up account of its own, synced before the measured one: a gateway in production has run
    # for a while, and a fresh JVM spends about half its CPU of the first backfill compiling (JIT).
    local warm_key=""
    if (( WARMUP > 0 )); then
        warm_key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
        local warm_list
        warm_list="$(sim_admin "/accounts/$warm_key/lists" '{"name":"Warm-up list"}' | jq -r .id)"
        sim_admin "/accounts/$warm_key/lists/$warm_list/members" \
            "{\"count\":$WARMUP,\"firstJoinedAt\":\"2026-01-01T00:00:00Z\",\"created\":\"2025-12-31T00:00:00Z\"}" >/dev/null
        sim_admin "/accounts/$warm_key/rate-limits" '{"burstPerSecond":1000000,"steadyPerMinute":60000000}' >/dev/null
        # Read first too, so that the simulator's JIT compiles the path of a list read again during
        # the warm-up rather than in the measured window.
        [[ "$SIM_PRERENDER" != 1 ]] || read_members "$warm_key" "$warm_list"
    fi
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
    if [[ -n "$warm_key" ]]; then
        api POST /api/accounts "{\"name\":\"Warm-up\",\"apiKey\":\"$warm_key\"}" >/dev/null
        await_backfill "$db" Warm-up
        log "warm-up: $WARMUP members synced first"
    fi
    local gw_cpu sim_cpu rendered
    rendered="$(sim_counter "$key" membersRendered)"
    gw_cpu="$(cpu_seconds "$GW_PID")"
    sim_cpu="$(cpu_seconds "$SIM_PID")"
    start_pg_cpu "$db"
    api POST /api/accounts "{\"name\":\"Benchmark\",\"apiKey\":\"$key\"}" >/dev/null
    log "account connected; waiting for the backfill of list $list"
    await_backfill "$db" Benchmark
    # CPU from the account's connection to the sync seen succeeded (polled each second: the idle
    # second at the end costs the three processes little).
    GW_PG_CPU="$(stop_pg_cpu)"
    GW_CPU="$(awk -v a="$(cpu_seconds "$GW_PID")" -v b="$gw_cpu" 'BEGIN { printf "%.2f", a - b }')"
    SIM_CPU="$(awk -v a="$(cpu_seconds "$SIM_PID")" -v b="$sim_cpu" 'BEGIN { printf "%.2f", a - b }')"
    SIM_RENDERED="$(sim_counter "$key" membersRendered)"
    [[ -n "$SIM_RENDERED" && -n "$rendered" ]] && SIM_RENDERED=$((SIM_RENDERED - rendered)) || SIM_RENDERED="n/a"
    local row
    row="$(pg_value "$db" "select profiles_seen, pages, round(extract(epoch from finished_at - started_at)::numeric, 2)
                           from sync_run where kind = 'members' and status = 'succeeded'
                            and account_id = (select id from account where name = 'Benchmark')")"
    IFS='|' read -r GW_SEEN GW_PAGES GW_SECONDS <<<"$row"
    local stored
    stored="$(pg_value "$db" "select count(*) from list_membership m join account a on a.id = m.account_id
                               where a.name = 'Benchmark'")"
    [[ "$stored" == "$MEMBERS" ]] || die "the gateway stored $stored memberships, not $MEMBERS"
    GW_RATE="$(awk -v n="$GW_SEEN" -v s="$GW_SECONDS" 'BEGIN { printf "%.0f", n / s }')"
    CHANGES="$(pg_value "$db" "select count(*) from member_change c join account a on a.id = c.account_id
                                where a.name = 'Benchmark'")"
    GW_RSS="$(rss_mib "$GW_PID")"
    curl -s "$GW_MANAGEMENT_URL/q/metrics" >"$BENCH_WORK/metrics.txt" || true
    log "gateway: $GW_SEEN profiles in $GW_PAGES pages, ${GW_SECONDS}s = $GW_RATE profiles/s (RSS ${GW_RSS} MiB), $CHANGES changes recorded"
    log "gateway run CPU: gateway ${GW_CPU}s, simulator ${SIM_CPU}s, PostgreSQL ${GW_PG_CPU}s; simulator rendered $SIM_RENDERED members meanwhile"
    if [[ "${BENCH_THREADS:-0}" == 1 ]]; then
        log "gateway threads, CPU seconds since start:"
        thread_cpu "$GW_PID" >&2
        log "simulator threads, CPU seconds since start:"
        thread_cpu "$SIM_PID" >&2
    fi
}

# Reads every page of list $2 of the simulator's account $1 as the gateway's backfill asks for them
# (the same additional fields and page size, the same host in the links), so that the simulator
# renders each member once, before the timer (see SIM_PRERENDER above).
read_members() {
    python3 - "$SIM_URL" "$1" "$2" <<'PY'
import json, sys, urllib.request
base, key, list_id = sys.argv[1:4]
url = base + "/api/lists/" + list_id + "/profiles?sort=joined_group_at&additional-fields%5Bprofile%5D=subscriptions&page%5Bsize%5D=100"
while url:
    request = urllib.request.Request(url, headers={"Authorization": "Klaviyo-API-Key " + key, "revision": "2026-07-15",
                                                   "Accept": "application/vnd.api+json"})
    with urllib.request.urlopen(request) as answer:
        url = json.load(answer)["links"].get("next")
PY
}

# The simulator's counter $2 of account $1 (GET /__admin/accounts/{key}/counters); empty when an
# older simulator has no such counter.
sim_counter() {
    curl -sf "$SIM_URL/__admin/accounts/$1/counters" | jq -r ".$2 // empty"
}

# Waits for the members sync of the account named $2 (database $1) to succeed; dies if it fails.
await_backfill() {
    local db="$1" name="$2" status="" started=$SECONDS
    local runs="from sync_run where kind = 'members' and account_id = (select id from account where name = '$name')"
    until [[ "$status" == succeeded ]]; do
        (( SECONDS - started < 900 )) || die "the sync of $name did not finish within 900s"
        sleep 1
        status="$(pg_value "$db" "select status $runs order by id desc limit 1")"
        [[ "$status" != failed ]] || die "the sync of $name failed: $(pg_value "$db" "select error $runs order by id desc limit 1")"
    done
}

# CPU seconds $1 per 100,000 members.
per_100k() {
    awk -v s="$1" -v n="$MEMBERS" 'BEGIN { printf "%.1f", s * 100000 / n }'
}

if [[ "${BASELINE:-1}" == 0 ]]; then
    gateway
    echo "RESULT rate=$GW_RATE seconds=$GW_SECONDS changes=$CHANGES record=$RECORD_CHANGES pg_cpu=$GW_PG_CPU gateway_cpu=$GW_CPU simulator_cpu=$SIM_CPU rendered=$SIM_RENDERED"
    exit 0
fi
LOAD_BEFORE="$(load_average)"
baseline
gateway

RESULT="$(ratio "$GW_RATE" "$BASE_RATE")"
echo
echo "member ingest ($MEMBERS members, 100 a page)"
printf '  %-34s %10s profiles/s  (%ss)\n' "gateway (sync start to last page)" "$GW_RATE" "$GW_SECONDS"
printf '  %-34s %10s profiles/s  (%ss)\n' "baseline (psql, 100-row upserts)" "$BASE_RATE" "$BASE_SECONDS"
printf '  %-34s %10s   goal >= %s: %s\n' "ratio" "$RESULT" "$GOAL" \
    "$(awk -v r="$RESULT" -v g="$GOAL" 'BEGIN { print (r >= g ? "met" : "MISSED") }')"
echo "CPU seconds per 100,000 members (user + system; PostgreSQL: the database's backends)"
printf '  %-34s PostgreSQL %5s  gateway %5s  simulator %5s\n' "gateway run" \
    "$(per_100k "$GW_PG_CPU")" "$(per_100k "$GW_CPU")" "$(per_100k "$SIM_CPU")"
printf '  %-34s PostgreSQL %5s  psql    %5s\n' "baseline" "$(per_100k "$BASE_PG_CPU")" "$(per_100k "$BASE_CLIENT_CPU")"
echo "simulator: pages read before the timer: $SIM_PRERENDER; members rendered during the gateway's run: $SIM_RENDERED"
echo "load average: $LOAD_BEFORE before, $(load_average) after; $(date -u +%Y-%m-%dT%H:%MZ)"
