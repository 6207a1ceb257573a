#!/usr/bin/env bash
# Benchmark 5, status at scale: GET /api/status over 2,000,000 people, 5,000,000 memberships and
# 2,000,000 webhook events (101 accounts, 2,002 lists), p50/p99/max of 100 calls after 10 warm-up
# calls; goal p99 < 50 ms. Before: the full-scan counts the status API ran until then, timed in
# psql on the same data. The answer is checked against full counts. Then the largest account
# (500,000 people, 1,000,000 memberships, 200,000 events) is purged through the API: time to the
# last row, the longest purge transaction seen, and the status API's p99 meanwhile.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/status-counts.sh
source "$(dirname "$0")/lib.sh"
require_package

GOAL_P99_MS=50
DB=gwbench_status
BIG=00000000-0000-0000-0000-000000000000
# The loaded accounts are auth_failed (shown by the status API, never synced): nothing calls Klaviyo.
SIM_URL="http://127.0.0.1:9"

log "server: $(describe_server)"
create_database "$DB"
start_gateway "$DB" gateway
log "gateway ready on $GW_URL; loading (the counting triggers run as in production)"

started="$(now_ms)"
pg "$DB" <<'SQL'
create temporary table bench_account as
select n, ('00000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid as id,
       case when n = 0 then 500000 else 15000 end as people,
       case when n = 0 then 2 else 20 end as lists,
       case when n = 0 then 500000 else 2000 end as per_list,
       case when n = 0 then 200000 else 18000 end as events
  from generate_series(0, 100) n;

insert into account (id, name, klaviyo_account_id, api_key_enc, status)
select id, 'Bench ' || n, 'KBENCH' || n, '\x00', 'auth_failed' from bench_account;

insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, last_synced_at, next_sync_at)
select a.id, 'L' || a.n || '-' || l, 'List ' || l, 'discovery', now() - interval '5 minutes', now() + interval '10 minutes'
  from bench_account a, generate_series(1, a.lists) l;

insert into subscriber (account_id, klaviyo_profile_id, email, phone_e164, sms_consent, email_consent)
select a.id, 'P' || i, 'p' || i || '@example.com', '+1415' || lpad(i::text, 7, '0'), 'SUBSCRIBED', 'NEVER_SUBSCRIBED'
  from bench_account a, generate_series(0, a.people - 1) i
 order by a.n, i;

create temporary table bench_base as
select account_id, min(id) as base from subscriber group by account_id;

-- Each list of a regular account holds 2,000 of its 15,000 people (a window moved 750 per list);
-- the big account's two lists hold all 500,000 each.
insert into list_membership (list_id, subscriber_id, account_id, joined_at, source)
select l.id, b.base + (((l.ord - 1) * 750 + g) % a.people), a.id, now() - interval '1 day', 'poll'
  from bench_account a
  join bench_base b on b.account_id = a.id
  join (select id, account_id, row_number() over (partition by account_id order by id) as ord from klaviyo_list) l
    on l.account_id = a.id
  cross join lateral generate_series(0, a.per_list - 1) g;

-- As in production: stored received (one trigger call per row, as the inbox stores one per
-- statement), then applied or failed by a later statement; 5% stay received (a backlog).
insert into webhook_event (account_id, kind, payload, received_at)
select a.id, 'flow',
       '{"list_id":"L' || a.n || '-1","profile_id":"P' || i || '","email":"p' || i || '@example.com","phone_number":"",'
           || '"first_name":"Bench","last_name":"' || i || '"}',
       now() - (i % 518400) * interval '1 second'
  from bench_account a, generate_series(0, a.events - 1) i;

update webhook_event
   set status = case id % 20 when 0 then 'failed' else 'applied' end,
       applied_at = case id % 20 when 0 then null else now() end
 where id % 20 <> 1;

vacuum analyze;
SQL
log "loaded in $(( ($(now_ms) - started) / 1000 )) s"

truth() {
    pg_value "$DB" "select (select count(*) from subscriber s join account a on a.id = s.account_id and a.status <> 'deleted')
        || ' ' || (select count(*) from list_membership m join account a on a.id = m.account_id and a.status <> 'deleted'
                   where m.removed_at is null)
        || ' ' || (select count(*) from webhook_event w join account a on a.id = w.account_id and a.status <> 'deleted')"
}
answered() {
    api GET /api/status | jq -r '"\(.subscribers) \(.memberships) \(.webhooks.received)"'
}
# Latencies in ms of $1 calls of GET /api/status, sorted.
latencies() {
    local i
    for (( i = 0; i < $1; i++ )); do
        curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $BENCH_API_TOKEN" "$GW_URL/api/status"
    done | awk '{ printf "%.1f\n", $1 * 1000 }' | sort -n
}
# p50 p99 max of sorted latencies on stdin.
summary() {
    awk '{ v[NR] = $1 } END { printf "p50 %s ms, p99 %s ms, max %s ms (%d calls)", v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)], v[NR], NR }'
}

log "rows: $(pg_value "$DB" "select (select count(*) from subscriber) || ' people, ' || (select count(*) from list_membership)
    || ' memberships, ' || (select count(*) from webhook_event) || ' events, ' || (select count(*) from klaviyo_list) || ' lists'")"

# --- before: the full-scan counts the status API ran until now, on the same data ------------
before_ms=()
for _ in 1 2 3; do
    t0="$(now_ms)"
    pg "$DB" -At >/dev/null <<'SQL'
select count(*) from subscriber s where s.account_id in (select a.id from account a where a.status <> 'deleted');
select count(*) from list_membership m where m.removed_at is null and m.account_id in (select a.id from account a where a.status <> 'deleted');
select w.status, count(*) from webhook_event w where w.account_id in (select a.id from account a where a.status <> 'deleted') group by w.status;
SQL
    before_ms+=("$(( $(now_ms) - t0 ))")
done
log "before (full scans, psql): ${before_ms[*]} ms per status answer"

# --- after: the API -------------------------------------------------------------------------
latencies 10 >/dev/null
latencies 100 >"$BENCH_WORK/latencies.txt"
p99="$(awk '{ v[NR] = $1 } END { print v[99] }' "$BENCH_WORK/latencies.txt")"
log "after (GET /api/status): $(summary <"$BENCH_WORK/latencies.txt")"
[[ "$(answered)" == "$(truth)" ]] || die "the answer ($(answered)) differs from full counts ($(truth))"
log "the answer equals full counts: $(answered) (people, memberships, events)"

# --- the purge of the largest account -------------------------------------------------------
t0="$(now_ms)"
curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $BENCH_API_TOKEN" "$GW_URL/api/accounts/$BIG?purge=true"
answered_ms="$(( $(now_ms) - t0 ))"
longest=0
during="$BENCH_WORK/during.txt"
: >"$during"
while [[ "$(pg_value "$DB" "select count(*) from account where id = '$BIG'")" != 0 ]]; do
    age="$(pg_value "$DB" "select coalesce(max(extract(epoch from now() - xact_start) * 1000)::bigint, 0) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle' and query ilike '%delete from%'")"
    (( age > longest )) && longest="$age"
    latencies 5 >>"$during"
done
purge_s="$(awk -v ms="$(( $(now_ms) - t0 ))" 'BEGIN { printf "%.1f", ms / 1000 }')"
log "purge: answered in $answered_ms ms; every row gone after $purge_s s; longest purge transaction seen $longest ms;"
log "  status during the purge: $(sort -n "$during" | summary)"
[[ "$(answered)" == "$(truth)" ]] || die "after the purge the answer ($(answered)) differs from full counts ($(truth))"
log "after the purge the answer equals full counts: $(answered)"

awk -v p99="$p99" -v goal="$GOAL_P99_MS" 'BEGIN { exit !(p99 < goal) }' \
    && log "goal p99 < $GOAL_P99_MS ms: met" || log "goal p99 < $GOAL_P99_MS ms: MISSED"
