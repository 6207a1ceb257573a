#!/usr/bin/env bash
# Benchmark 4, start-up and memory of the packaged gateway (prod profile), in the same run: the
# default JVM build (the baseline), the aot profile's build (JDK 25 with the ahead-of-time cache
# that AotTrainingIT recorded) and, to tell the cache's share from the JVM's and the flags', the
# aot build on the same JVM and flags without its cache (nocache), and the aot build with C2 on (c2:
# Dockerfile.aot compiles with C1 alone, which starts faster for a lower peak; this build prints
# that trade in the same run). For each: time from `java` to /q/health/ready answering 200 on
# the management port (and Quarkus's own "started in"), and the CPU time the JVM used until then,
# median of STARTS starts on a migrated database (the builds take turns, so all see the same
# machine), after a first start that migrates; resident memory (RSS) IDLE_SECONDS after ready, and
# after the load of benchmark 2 (wrk, unique flow pushes, 32 connections, DURATION s).
# Goals (issue 18): < 1 s and < 200 MB idle for the JVM build.
#
# The two builds, side by side in target/ (the second needs JDK 25; see the README):
#   bin/mvn -B -ntp package -DskipTests                                   # target/quarkus-app
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bin/mvn -B -ntp verify -Paot \
#       -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AotTrainingIT   # target/quarkus-app-aot
#
# JVMs: `java` on the PATH and BENCH_JAVA_OPTS (lib.sh) for the default build; AOT_JAVA (default
# Temurin 25) and AOT_JAVA_OPTS for the other three: by default Dockerfile.aot's flags, with
# -XX:MaxRAM=768m standing in for the container's memory limit (the JVM sizes itself from it); c2
# appends C2_OPTS (the later flag wins), as the image's JAVA_OPTS_APPEND would.
#
#   BENCH_PG_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres bench/startup-memory.sh
source "$(dirname "$0")/lib.sh"
require_package wrk

STARTS="${STARTS:-5}"
IDLE_SECONDS="${IDLE_SECONDS:-15}"
DURATION="${DURATION:-30}"
AOT_APP_DIR="${AOT_APP_DIR:-$BUILD_DIR/quarkus-app-aot}"
AOT_JAVA="${AOT_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
# The flags of Dockerfile.aot (why each: see there) in a 768 MiB container; the aot build adds its cache.
AOT_JAVA_OPTS="${AOT_JAVA_OPTS:--XX:MaxRAM=768m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=5}"
AOT_CACHE_OPTS="-XX:AOTCache=$AOT_APP_DIR/app.aot"
# What the image's JAVA_OPTS_APPEND adds to turn C2 back on (see Dockerfile.aot).
C2_OPTS="-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=1"
[[ -f "$AOT_APP_DIR/app.aot" ]] || die "no AOT cache at $AOT_APP_DIR/app.aot: build with -Paot (see the header)"
[[ -x "$AOT_JAVA" ]] || die "no JDK 25 at $AOT_JAVA (AOT_JAVA)"
DEFAULT_JAVA_VERSION="$(java -version 2>&1 | head -1)"
AOT_JAVA_VERSION="$("$AOT_JAVA" -version 2>&1 | head -1)"
log "server: $(describe_server)"
log "default: $DEFAULT_JAVA_VERSION, $BENCH_JAVA_OPTS"
log "aot: $AOT_JAVA_VERSION, $AOT_CACHE_OPTS $AOT_JAVA_OPTS; nocache: the same without the cache; c2: with $C2_OPTS"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

start_simulator

# Selects build $1 (default, nocache, aot or c2) for start_gateway.
use_build() {
    case "$1" in
        aot) GW_JAVA="$AOT_JAVA" GW_JAR="$AOT_APP_DIR/quarkus-run.jar" GW_JAVA_OPTS="$AOT_CACHE_OPTS $AOT_JAVA_OPTS" ;;
        c2) GW_JAVA="$AOT_JAVA" GW_JAR="$AOT_APP_DIR/quarkus-run.jar" GW_JAVA_OPTS="$AOT_CACHE_OPTS $AOT_JAVA_OPTS $C2_OPTS" ;;
        nocache) GW_JAVA="$AOT_JAVA" GW_JAR="$AOT_APP_DIR/quarkus-run.jar" GW_JAVA_OPTS="$AOT_JAVA_OPTS" ;;
        *) GW_JAVA=java GW_JAR="$APP_JAR" GW_JAVA_OPTS="$BENCH_JAVA_OPTS" ;;
    esac
}

# One start of build $1 on its database, named $2; sets READY_MS (java to ready), CPU_MS (the JVM's
# CPU time by then) and STARTED_IN (Quarkus's figure); the gateway keeps running.
timed_start() {
    local build="$1" name="$2"
    use_build "$build"
    start_gateway "gwbench_startup_$build" "$name"
    CPU_MS="$(cpu_ms "$GW_PID")"
    READY_MS=$(( ($(date +%s%N) - GW_STARTED_NS) / 1000000 ))
    # The management port may answer before the "started in" line is written.
    for _ in $(seq 1 50); do
        grep -q 'started in [0-9.]*s' "$BENCH_WORK/$name.log" && break
        sleep 0.1
    done
    STARTED_IN="$(grep -o 'started in [0-9.]*s' "$BENCH_WORK/$name.log" | grep -o '[0-9.]*' | head -1 || true)"
    # A cache the JVM cannot use is only a warning, and the start would be measured without it.
    if [[ "$build" == aot ]] && grep -q '\[error *\]\[aot' "$BENCH_WORK/$name.log"; then
        die "the AOT cache was not used: $(grep '\[aot' "$BENCH_WORK/$name.log" | head -3)"
    fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

declare -A FIRST READY QUARKUS CPU RSS_IDLE RSS_LOADED RPS
BUILDS=(default nocache aot c2)
for build in "${BUILDS[@]}"; do
    create_database "gwbench_startup_$build"
    timed_start "$build" "$build-first"
    FIRST[$build]="$READY_MS $STARTED_IN"
    stop_process "$GW_PID"
    log "$build, first start (migrates an empty database): $READY_MS ms to ready, Quarkus: $STARTED_IN s"
done

for i in $(seq 1 "$STARTS"); do
    for build in "${BUILDS[@]}"; do
        timed_start "$build" "$build-start-$i"
        READY[$build]+="$READY_MS "
        QUARKUS[$build]+="$STARTED_IN "
        CPU[$build]+="$CPU_MS "
        stop_process "$GW_PID"
    done
done
for build in "${BUILDS[@]}"; do
    log "$build, starts on a migrated database: ready after ${READY[$build]}ms; Quarkus: ${QUARKUS[$build]}s; CPU ${CPU[$build]}ms"
done

key="$(sim_admin /accounts '{}' | jq -r .apiKey)"
list="$(sim_admin "/accounts/$key/lists" '{"name":"Flow list"}' | jq -r .id)"
for build in "${BUILDS[@]}"; do
    timed_start "$build" "$build-memory"
    sleep "$IDLE_SECONDS"
    RSS_IDLE[$build]="$(rss_mib "$GW_PID")"
    log "$build, RSS idle (${IDLE_SECONDS}s after ready): ${RSS_IDLE[$build]} MiB"
    account="$(api POST /api/accounts "{\"name\":\"Benchmark $build\",\"apiKey\":\"$key\"}")"
    wrk -t 2 -c 32 -d "${DURATION}s" -s "$BENCH_DIR/flow-push.lua" "$GW_URL" \
        -- "$(jq -r .id <<<"$account")" "$(jq -r .webhooks.flowToken <<<"$account")" "$list" >"$BENCH_WORK/wrk-$build.txt"
    RSS_LOADED[$build]="$(rss_mib "$GW_PID")"
    RPS[$build]="$(grep -o 'rps=[0-9]*' "$BENCH_WORK/wrk-$build.txt" | cut -d= -f2)"
    log "$build, RSS after the webhook load: ${RSS_LOADED[$build]} MiB (${RPS[$build]} req/s)"
    stop_process "$GW_PID"
done

goal() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v < limit ? "met" : "MISSED") }'; }
# shellcheck disable=SC2086
median_of() { median ${1}; }
# One line of the table: label, unit, then a figure per build (BUILDS' order) and each one's ratio
# to the default build's.
row() {
    local label="$1" unit="$2" figure; shift 2
    printf '  %-40s' "$label"
    for figure in "$@"; do printf ' %8s %-3s' "$figure" "$unit"; done
    printf ' '
    for figure in "${@:2}"; do printf ' %5s' "$(ratio "$figure" "$1")"; done
    echo
}
# The figures of associative array $1 in BUILDS' order ("median" takes each build's median).
per_build() {
    local -n of_build="$1"; local build
    for build in "${BUILDS[@]}"; do
        if [[ "${2:-}" == median ]]; then median_of "${of_build[$build]}"; else echo "${of_build[$build]% *}"; fi
    done
}
echo
echo "start-up and memory, $(date -u '+%Y-%m-%d %H:%M'), load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  default: $DEFAULT_JAVA_VERSION, $BENCH_JAVA_OPTS"
echo "  aot:     $AOT_JAVA_VERSION, $AOT_CACHE_OPTS $AOT_JAVA_OPTS (nocache: without -XX:AOTCache; c2: with $C2_OPTS)"
printf '  %-40s %12s %12s %12s %12s  %5s %5s %5s\n' "" "${BUILDS[@]}" "nc/d" "aot/d" "c2/d"
mapfile -t figures < <(per_build FIRST); row "first start, migrating (ms)" ms "${figures[@]}"
mapfile -t figures < <(per_build READY median); row "start to ready, median of $STARTS" ms "${figures[@]}"
echo "   goal < 1000 ms (aot): $(goal "$(median_of "${READY[aot]}")" 1000)"
mapfile -t figures < <(per_build QUARKUS median); row "Quarkus \"started in\", median" s "${figures[@]}"
mapfile -t figures < <(per_build CPU median); row "JVM CPU time until ready, median" ms "${figures[@]}"
mapfile -t figures < <(per_build RSS_IDLE); row "RSS idle (${IDLE_SECONDS} s after ready)" MiB "${figures[@]}"
echo "   goal < 200 MB (aot): $(goal "$(awk -v m="${RSS_IDLE[aot]}" 'BEGIN { print m * 1.048576 }')" 200)"
mapfile -t figures < <(per_build RSS_LOADED); row "RSS after ${DURATION} s of webhook load" MiB "${figures[@]}"
mapfile -t figures < <(per_build RPS); row "webhook load (req/s)" /s "${figures[@]}"
for build in "${BUILDS[@]}"; do
    echo "  $build: ready after ${READY[$build]}ms; CPU ${CPU[$build]}ms"
done
