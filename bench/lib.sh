# Shared by the benchmark and chaos scripts: the database server, the simulator, the packaged
# gateway, and clean-up. Sourced, never run. Needs: java 17, psql, curl, jq.
#
# Database: BENCH_PG_URL, a libpq URL of a role that may create databases, e.g.
#   postgresql://postgres:secret@127.0.0.1:5432/postgres   (the default is the system PostgreSQL)
# Each script creates its own databases on that server (gwbench_*), and drops them at the end
# unless BENCH_KEEP=1.

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
# The build to run: target/ of this checkout, or a copy of its quarkus-app/ and simulator-classes/
# (BENCH_BUILD_DIR), so that a long run survives a rebuild of the checkout.
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT_DIR/target}"
APP_JAR="$BUILD_DIR/quarkus-app/quarkus-run.jar"
SIM_CP="$BUILD_DIR/simulator-classes:$BUILD_DIR/quarkus-app/lib/main/*:$BUILD_DIR/quarkus-app/lib/boot/*"
BENCH_PG_URL="${BENCH_PG_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}"
# The gateway's JVM, as a container with a 768 MiB limit would size it (run-java.sh: half for the heap).
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx384m}"
BENCH_WORK="${BENCH_WORK:-$(mktemp -d /tmp/gwbench.XXXXXX)}"
BENCH_API_TOKEN="bench-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
BENCH_CRYPTO_KEY="$(head -c 32 /dev/urandom | base64)"

_PIDS=()
_DATABASES=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

require_package() {
    [[ -f "$APP_JAR" && -d "$BUILD_DIR/simulator-classes" ]] \
        || die "no packaged gateway: run 'bin/mvn -B -ntp package -DskipTests' first"
    for tool in java psql curl jq "$@"; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
}

# --- the database server -------------------------------------------------------------------

# Splits BENCH_PG_URL into PG_USER, PG_PASSWORD, PG_HOST, PG_PORT, PG_ADMIN_DB.
parse_pg_url() {
    local re='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?(/([^?]*))?'
    [[ "$BENCH_PG_URL" =~ $re ]] || die "BENCH_PG_URL is not postgresql://user[:password]@host[:port]/db"
    PG_USER="${BASH_REMATCH[2]}"
    PG_PASSWORD="${BASH_REMATCH[4]}"
    PG_HOST="${BASH_REMATCH[5]}"
    PG_PORT="${BASH_REMATCH[7]:-5432}"
    PG_ADMIN_DB="${BASH_REMATCH[9]:-postgres}"
}
parse_pg_url

# psql on database $1 of the server, quiet and failing on the first error.
pg() {
    local db="$1"; shift
    PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" \
        -v ON_ERROR_STOP=1 -X -q "$@"
}

# One value of a query on database $1.
pg_value() {
    pg "$1" -At -c "$2"
}

# Creates an empty database (dropped at exit unless BENCH_KEEP=1).
create_database() {
    local db="$1"
    pg "$PG_ADMIN_DB" -c "drop database if exists $db" -c "create database $db"
    _DATABASES+=("$db")
}

# The server's version and settings that matter for the figures.
describe_server() {
    pg_value "$PG_ADMIN_DB" "select 'PostgreSQL ' || current_setting('server_version') || ', shared_buffers '
        || current_setting('shared_buffers') || ', synchronous_commit ' || current_setting('synchronous_commit')
        || ', fsync ' || current_setting('fsync')"
}

# The gateway's schema in database $1, for the raw baselines ("the same tables").
apply_schema() {
    pg "$1" -f "$ROOT_DIR/src/main/resources/db/migration/V1__schema.sql"
}

# --- processes -----------------------------------------------------------------------------

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until curl gets $2 (default 200) from URL $1, or dies after $3 seconds (default 120).
await_http() {
    local url="$1" expected="${2:-200}" timeout="${3:-120}" started=$SECONDS
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" == "$expected" ]]; do
        (( SECONDS - started < timeout )) || die "$url did not answer $expected within ${timeout}s"
        sleep 0.1
    done
}

# Starts the standalone simulator (JVM options: BENCH_SIM_JAVA_OPTS, default -Xmx1g, e.g. to add a
# flight recording); sets SIM_PORT, SIM_PID, SIM_URL.
start_simulator() {
    SIM_PORT="$(free_port)"
    java ${BENCH_SIM_JAVA_OPTS:--Xmx1g} -cp "$SIM_CP" io.github.klaviyosync.gateway.simulator.SimulatorMain \
        --port="$SIM_PORT" --seed="${BENCH_SEED:-42}" >"$BENCH_WORK/simulator.log" 2>&1 &
    SIM_PID=$!
    _PIDS+=("$SIM_PID")
    SIM_URL="http://127.0.0.1:$SIM_PORT"
    await_http "$SIM_URL/__admin/accounts/none/counters" 404 60
}

# POST JSON $2 to the simulator's admin path $1; prints the answer.
sim_admin() {
    curl -sf -X POST -H 'Content-Type: application/json' --data "$2" "$SIM_URL/__admin$1"
}

# Environment of a gateway on database $1, HTTP port $2 and management port $3 (/q/*; extra
# VAR=value pairs follow, then those of BENCH_GATEWAY_ENV, e.g.
# BENCH_GATEWAY_ENV="GATEWAY_SYNC_PAGES_PER_COMMIT=1").
gateway_env() {
    local db="$1" port="$2" management_port="$3"; shift 3
    printf '%s\n' \
        "QUARKUS_HTTP_PORT=$port" \
        "QUARKUS_MANAGEMENT_PORT=$management_port" \
        "QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://$PG_HOST:$PG_PORT/$db" \
        "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/$db" \
        "QUARKUS_DATASOURCE_USERNAME=$PG_USER" \
        "QUARKUS_DATASOURCE_PASSWORD=$PG_PASSWORD" \
        "GATEWAY_API_TOKENS=$BENCH_API_TOKEN" \
        "GATEWAY_CRYPTO_KEY=$BENCH_CRYPTO_KEY" \
        "GATEWAY_KLAVIYO_BASE_URL=$SIM_URL" \
        "$@" \
        ${BENCH_GATEWAY_ENV:-}
}

# Starts the packaged gateway (prod profile) on database $1, named $2 (its log is $BENCH_WORK/$2.log);
# extra VAR=value pairs follow. Sets GW_PORT, GW_PID, GW_URL, GW_MANAGEMENT_URL (health, metrics),
# GW_STARTED_NS (when java was started). Another build runs with GW_JAVA (default: java on the PATH),
# GW_JAR (default: $APP_JAR) and GW_JAVA_OPTS (default: $BENCH_JAVA_OPTS) set.
start_gateway() {
    local db="$1" name="$2"; shift 2
    GW_PORT="$(free_port)"
    local management_port
    management_port="$(free_port)"
    local -a environment
    mapfile -t environment < <(gateway_env "$db" "$GW_PORT" "$management_port" "$@")
    GW_STARTED_NS="$(date +%s%N)"
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$HOME" "${environment[@]}" \
        "${GW_JAVA:-java}" ${GW_JAVA_OPTS:-$BENCH_JAVA_OPTS} -jar "${GW_JAR:-$APP_JAR}" >"$BENCH_WORK/$name.log" 2>&1 &
    GW_PID=$!
    _PIDS+=("$GW_PID")
    GW_URL="http://127.0.0.1:$GW_PORT"
    GW_MANAGEMENT_URL="http://127.0.0.1:$management_port"
    await_http "$GW_MANAGEMENT_URL/q/health/ready" 200 180
}

# Resident memory of process $1 in MiB.
rss_mib() {
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# CPU time (user + system) process $1 has used so far, in milliseconds.
cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f", ($12 + $13) * 1000 / hz }' "/proc/$1/stat"
}

# Calls the gateway's API: api METHOD PATH [JSON].
api() {
    local method="$1" path="$2" body="${3:-}"
    curl -sf -X "$method" -H "Authorization: Bearer $BENCH_API_TOKEN" -H 'Content-Type: application/json' \
        ${body:+--data "$body"} "$GW_URL$path"
}

# SIGTERM, then SIGKILL after 25 s: a gateway drains first (quarkus.shutdown.delay 5 s, then up to
# quarkus.shutdown.timeout 15 s for requests in flight).
stop_process() {
    local pid="$1"
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 250); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    local pid db
    for pid in "${_PIDS[@]}"; do
        stop_process "$pid"
    done
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
        for db in "${_DATABASES[@]}"; do
            pg "$PG_ADMIN_DB" -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
        done
        rm -rf "$BENCH_WORK"
    else
        log "kept: databases ${_DATABASES[*]:-none}, work directory $BENCH_WORK"
    fi
}
trap cleanup EXIT

# --- figures -------------------------------------------------------------------------------

# ratio A B: A/B with two decimals.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'
}

# Milliseconds since epoch.
now_ms() {
    date +%s%3N
}

# --- CPU -----------------------------------------------------------------------------------

# CPU seconds (user + system) process $1 has used so far (with its reaped children), two decimals.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13 + $14 + $15) / hz }' "/proc/$1/stat"
}

# Starts sampling the CPU of database $1's backends (bench/cpu-sampler.py); stop_pg_cpu prints it.
start_pg_cpu() {
    _PG_CPU_FILE="$BENCH_WORK/pg-cpu-$1"
    python3 "$BENCH_DIR/cpu-sampler.py" "$1" "$_PG_CPU_FILE" &
    _PG_CPU_PID=$!
    _PIDS+=("$_PG_CPU_PID")
    sleep 0.3
}

# Stops the sampler; prints the backends' CPU seconds while it ran (called in $(...): no wait).
stop_pg_cpu() {
    kill "$_PG_CPU_PID"
    for _ in $(seq 1 50); do
        [[ -s "$_PG_CPU_FILE" ]] && break
        sleep 0.1
    done
    awk '{ print $1 }' "$_PG_CPU_FILE"
}

# The load average of the last minute.
load_average() {
    awk '{ print $1 }' /proc/loadavg
}

# CPU seconds of process $1's threads, grouped by name with digits dropped (C2 compilers, GC, event
# loops...), the busiest first.
thread_cpu() {
    local hz task
    hz="$(getconf CLK_TCK)"
    for task in /proc/"$1"/task/*; do
        printf '%s\t%s\n' "$(tr -d '0-9' <"$task/comm")" "$(sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }')"
    done | awk -F'\t' -v hz="$hz" '{ cpu[$1] += $2 } END { for (n in cpu) if (cpu[n] > 0) printf "%.2f\t%s\n", cpu[n] / hz, n }' \
        | sort -rn | head -12
}

# --- CPU split ------------------------------------------------------------------------------

# CPU ticks (user + system, 1/CLK_TCK s) of the processes $@, all their threads; gone ones count 0.
cpu_ticks() {
    local pid files=()
    for pid in "$@"; do files+=("/proc/$pid/stat"); done
    (( ${#files[@]} )) || { echo 0; return; }
    # Field 2 (comm) may hold spaces: cut after its closing parenthesis; utime and stime are then 12, 13.
    { cat "${files[@]}" 2>/dev/null || true; } | awk '{ sub(/^.*\) /, ""); total += $12 + $13 } END { print total + 0 }'
}

# CPU ticks of the JIT compiler threads (C1, C2) of JVM process $1: part of that process's ticks.
jit_ticks() {
    local task total=0
    for task in /proc/"$1"/task/*; do
        [[ "$(cat "$task/comm" 2>/dev/null)" == C[12]\ Compiler* ]] || continue
        total=$(( total + $(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{ print $12 + $13 }') ))
    done
    echo "$total"
}

# Ticks of one cpu_split entry: a process ("PID"), or the JIT threads of one ("jit:PID").
entry_ticks() {
    if [[ "$1" == jit:* ]]; then jit_ticks "${1#jit:}"; else cpu_ticks "$1"; fi
}

# The server processes serving database $1 (backends, by their process title), on this machine.
db_backends() {
    local pid
    for pid in $(pgrep -f "^postgres: .* $1 " || true); do
        echo "$pid"
    done
}

# The whole machine's busy ticks (all CPUs), from /proc/stat.
machine_busy_ticks() {
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# cpu_split WINDOW DB NAME=PID... : samples the CPU of each named process and of database DB's
# backends (named postgres) over the middle of a run that started now and lasts WINDOW seconds: from
# 1 s in to 3 s before its end (sampling itself takes time on a loaded machine). Prints "name ticks"
# lines, then "rest" (everything else on the machine, other users' builds included), "idle" (of all
# cores) and "elapsed" (ticks of one core); a process gone before the end counts as "gone". An entry
# NAME=jit:PID is the JIT compiler threads of process PID, already counted in that process's share
# (a JVM still compiling spends a core's fraction on it that a warm one spends on the load).
cpu_split() {
    local window="$1" db="$2"; shift 2
    local started_ns tck cores names=() pids=() pair
    started_ns="$(date +%s%N)"
    tck="$(getconf CLK_TCK)"
    cores="$(nproc)"
    for pair in "$@"; do
        names+=("${pair%%=*}")
        pids+=("${pair#*=}")
    done
    sleep 1
    local backends before=() pg_before machine_before start_ns
    mapfile -t backends < <(db_backends "$db")
    for pair in "${pids[@]}"; do before+=("$(entry_ticks "$pair")"); done
    pg_before="$(cpu_ticks "${backends[@]}")"
    machine_before="$(machine_busy_ticks)"
    start_ns="$(date +%s%N)"
    sleep "$(awk -v end="$(( started_ns + (window - 3) * 1000000000 ))" -v now="$(date +%s%N)" \
        'BEGIN { s = (end - now) / 1e9; print (s > 0 ? s : 0) }')"
    local elapsed_ticks i used sum=0 pg_used machine_used
    for i in "${!pids[@]}"; do
        if ! kill -0 "${pids[$i]#jit:}" 2>/dev/null; then
            printf '%s gone\n' "${names[$i]}"
            continue
        fi
        used=$(( $(entry_ticks "${pids[$i]}") - ${before[$i]} ))
        [[ "${pids[$i]}" == jit:* ]] || sum=$(( sum + used ))
        printf '%s %s\n' "${names[$i]}" "$used"
    done
    pg_used=$(( $(cpu_ticks "${backends[@]}") - pg_before ))
    machine_used=$(( $(machine_busy_ticks) - machine_before ))
    elapsed_ticks=$(( ($(date +%s%N) - start_ns) * tck / 1000000000 ))
    printf '%s %s\n' postgres "$pg_used" rest $(( machine_used - sum - pg_used )) \
        idle $(( elapsed_ticks * cores - machine_used )) elapsed "$elapsed_ticks"
}

# Formats cpu_split's lines as "name N%, ..." (percent of one core).
cpu_percentages() {
    awk '$1 == "elapsed" { e = $2; next } { name[++n] = $1; t[n] = $2 }
         END { for (i = 1; i <= n; i++) printf "%s%s %s", (i > 1 ? ", " : ""), name[i],
                   (t[i] == "gone" ? "(gone)" : sprintf("%.0f%%", e ? 100 * t[i] / e : 0)); print "" }'
}
