#!/usr/bin/env bash
# push-1g.sh: push throughput of the jrsync daemon against stock rsyncd, measured in the same run.
#
# What it does
#   1. Writes a random file of SIZE_MIB MiB (default 1024 = 1 GiB) into a fresh work directory.
#   2. Starts stock `rsync --daemon` and the jrsync daemon (java -jar dist/target/jrsync.jar --daemon), each
#      --no-detach on 127.0.0.1 and a free port, each with one writable module.
#   3. For each daemon, after WARMUP untimed pushes (default 1: lets the JIT and the page cache settle),
#      RUNS times (default 3): empties the module, then times
#        rsync -a --whole-file FILE rsync://127.0.0.1:PORT/mod/
#      with the stock client, and prints MB/s (10^6 bytes per second) per run and the median.
#   4. Rewrites 1 MiB in the middle of FILE and pushes it again without --whole-file to each daemon (the
#      destination holds the old version), printing time, MB/s and rsync's literal/matched data.
#   5. Prints the ratio jrsync/stock of the median whole-file throughput and of the delta time, and checks
#      with cmp that every destination equals the source.
#   Every daemon is stopped by PID on exit (trap), and the work directory is removed.
#   If the jrsync jar is missing or its daemon does not come up, its lines say so and the stock figures still
#   print; the exit status is then 0. A failed stock run exits non-zero. Timings never fail a build: this is
#   not a test.
#
# Usage
#   bench/push-1g.sh [RUNS]
#
# Environment
#   RUNS        whole-file runs per daemon (default 3; the first argument wins)
#   WARMUP      untimed whole-file pushes per daemon before the timed ones (default 1)
#   SIZE_MIB    size of the test file in MiB (default 1024)
#   BENCH_DIR   directory under which the work directory is created (default: $TMPDIR or /tmp);
#               needs about 3 x SIZE_MIB of free space
#   JAVA_HOME   JDK 25 for the jrsync daemon (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   JRSYNC_JAR  the jar (default: <repo>/dist/target/jrsync.jar)
#   RSYNC       stock rsync binary, client and daemon (default /usr/bin/rsync)
#
# Example
#   SIZE_MIB=256 RUNS=5 bench/push-1g.sh

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
RUNS=${1:-${RUNS:-3}}
SIZE_MIB=${SIZE_MIB:-1024}
WARMUP=${WARMUP:-1}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JRSYNC_JAR=${JRSYNC_JAR:-$repo/dist/target/jrsync.jar}
RSYNC=${RSYNC:-/usr/bin/rsync}
START_TIMEOUT_S=30
STOP_GRACE_S=5

die() { echo "push-1g: $*" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS: '$RUNS' (expected: a positive integer)"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP: '$WARMUP' (expected: a non-negative integer)"
[[ $SIZE_MIB =~ ^[1-9][0-9]*$ ]] || die "SIZE_MIB: '$SIZE_MIB' (expected: a positive integer)"
[[ -x $RSYNC ]] || die "stock rsync not found at $RSYNC (install the Debian package 'rsync')"

mkdir -p "${BENCH_DIR:-${TMPDIR:-/tmp}}"
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/push-1g.XXXXXX")
daemon_pids=()

# Stops each daemon we started, by PID: its per-connection children first, then TERM, then KILL after a bound.
cleanup() {
    local pid child i
    for pid in "${daemon_pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
            kill -TERM "$child" 2>/dev/null || true
        done
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < STOP_GRACE_S * 10; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port below the kernel's ephemeral range (so outgoing connections do not take it) that nothing listens on.
pick_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        if ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then
            echo "$p"
            return
        fi
    done
}

# True once PID (not some other process) listens on 127.0.0.1:PORT; false if PID died or the bound expired.
wait_listening() {
    local pid=$1 port=$2 i
    for ((i = 0; i < START_TIMEOUT_S * 20; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if command -v ss >/dev/null; then
            ss -Htlnp "sport = :$port" 2>/dev/null | grep -q "pid=$pid," && return 0
        elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# start_daemon NAME DEST CMD...: writes NAME.conf, starts CMD --config=... --port=P --address=127.0.0.1 and
# sets $port and $pid. Retries on another port if the daemon dies (it lost the port). Returns 1 on failure.
start_daemon() {
    local name=$1 dest=$2 attempt
    shift 2
    local conf=$work/$name.conf log=$work/$name.log
    cat >"$conf" <<EOF
pid file = $work/$name.pid
log file = $log
[mod]
path = $dest
read only = no
use chroot = no
munge symlinks = no
uid = $(id -u)
gid = $(id -g)
EOF
    for attempt in 1 2 3 4 5; do
        port=$(pick_port)
        rm -f "$work/$name.pid"
        "$@" --daemon --no-detach "--config=$conf" "--port=$port" --address=127.0.0.1 \
            >>"$work/$name.out" 2>&1 </dev/null &
        pid=$!
        daemon_pids+=("$pid")
        if wait_listening "$pid" "$port"; then
            return 0
        fi
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            break                       # alive but not listening in time: not a port race
        fi
        wait "$pid" 2>/dev/null || true
        grep -q "Address already in use" "$log" "$work/$name.out" 2>/dev/null || break
    done
    echo "  $name daemon did not start; its output:" >&2
    tail -n 20 "$log" "$work/$name.out" 2>/dev/null | sed 's/^/    /' >&2
    return 1
}

now_ns() { date +%s%N; }
mbps() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.1f", (b / 1e6) / (ns / 1e9) }'; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# push NAME PORT [rsync options]: one timed push of $file; prints elapsed ns on stdout, rsync output to $work/NAME.last.
push() {
    local name=$1 p=$2 t0 t1
    shift 2
    sync
    t0=$(now_ns)
    if ! LC_ALL=C.UTF-8 "$RSYNC" -a "$@" "$file" "rsync://127.0.0.1:$p/mod/" >"$work/$name.last" 2>&1; then
        return 1
    fi
    t1=$(now_ns)
    echo $((t1 - t0))
}

file=$work/source.bin
bytes=$((SIZE_MIB * 1024 * 1024))
echo "push-1g: $SIZE_MIB MiB, $WARMUP warm-up and $RUNS timed whole-file run(s) per daemon, work dir $work"
echo "  stock: $("$RSYNC" --version | head -n 1)"
head -c "$bytes" /dev/urandom >"$file"
# Fixed mtimes: rsync's quick check compares whole seconds, and the delta edit may fall in the same second.
touch -d @1600000000 "$file"

declare -A port_of pid_of median_of delta_of status_of
mkdir -p "$work/dest-stock" "$work/dest-jrsync"
if start_daemon stock "$work/dest-stock" "$RSYNC"; then
    port_of[stock]=$port pid_of[stock]=$pid status_of[stock]=ok
else
    die "stock rsync daemon failed to start"
fi
java=$JAVA_HOME/bin/java
if [[ ! -f $JRSYNC_JAR ]]; then
    status_of[jrsync]="not available: no jar at $JRSYNC_JAR (build dist first)"
elif [[ ! -x $java ]]; then
    status_of[jrsync]="not available: no java at $java (set JAVA_HOME)"
elif start_daemon jrsync "$work/dest-jrsync" "$java" --enable-native-access=ALL-UNNAMED -jar "$JRSYNC_JAR"; then
    port_of[jrsync]=$port pid_of[jrsync]=$pid status_of[jrsync]=ok
else
    status_of[jrsync]="not available: its daemon did not start (output above)"
fi

for name in stock jrsync; do
    if [[ ${status_of[$name]} != ok ]]; then
        echo "  $name: ${status_of[$name]}"
        continue
    fi
    rates=()
    for ((run = 1 - WARMUP; run <= RUNS; run++)); do
        find "$work/dest-$name" -mindepth 1 -delete
        if ! ns=$(push "$name" "${port_of[$name]}" --whole-file); then
            status_of[$name]="failed: whole-file push exited non-zero: $(tail -n 3 "$work/$name.last" | tr '\n' ' ')"
            break
        fi
        ((run >= 1)) || continue
        rate=$(mbps "$bytes" "$ns")
        rates+=("$rate")
        echo "  $name whole-file run $run: $(secs "$ns") s, $rate MB/s"
    done
    if [[ ${status_of[$name]} == ok ]]; then
        if ! cmp -s "$file" "$work/dest-$name/source.bin"; then
            status_of[$name]="failed: destination differs from the source after the whole-file push"
        else
            median_of[$name]=$(median "${rates[@]}")
            echo "  $name whole-file median: ${median_of[$name]} MB/s"
        fi
    fi
    [[ ${status_of[$name]} == ok ]] || echo "  $name: ${status_of[$name]}"
done

# Delta: both destinations hold the old version; rewrite 1 MiB in the middle of the source once.
dd if=/dev/urandom of="$file" bs=1M seek=$((SIZE_MIB / 2)) count=1 conv=notrunc status=none
touch -d @1600000100 "$file"
for name in stock jrsync; do
    [[ ${status_of[$name]} == ok ]] || continue
    if ! ns=$(push "$name" "${port_of[$name]}" --no-whole-file --stats); then
        status_of[$name]="failed: delta push exited non-zero: $(tail -n 3 "$work/$name.last" | tr '\n' ' ')"
        echo "  $name: ${status_of[$name]}"
        continue
    fi
    literal=$(awk -F': ' '/^Literal data:/ { print $2 }' "$work/$name.last")
    matched=$(awk -F': ' '/^Matched data:/ { print $2 }' "$work/$name.last")
    if ! cmp -s "$file" "$work/dest-$name/source.bin"; then
        status_of[$name]="failed: destination differs from the source after the delta push"
        echo "  $name: ${status_of[$name]}"
        continue
    fi
    delta_of[$name]=$ns
    echo "  $name delta run: $(secs "$ns") s, $(mbps "$bytes" "$ns") MB/s of file, literal $literal, matched $matched"
done

echo "summary:"
for name in stock jrsync; do
    if [[ ${status_of[$name]} == ok ]]; then
        echo "  $name: whole-file median ${median_of[$name]} MB/s, delta $(secs "${delta_of[$name]}") s"
    else
        echo "  $name: ${status_of[$name]}"
    fi
done
if [[ ${status_of[jrsync]} == ok && ${status_of[stock]} == ok ]]; then
    awk -v j="${median_of[jrsync]}" -v s="${median_of[stock]}" 'BEGIN { printf "  ratio jrsync/stock whole-file throughput: %.2f\n", j / s }'
    awk -v j="${delta_of[jrsync]}" -v s="${delta_of[stock]}" 'BEGIN { printf "  ratio jrsync/stock delta time: %.2f (lower is better)\n", j / s }'
else
    echo "  ratio jrsync/stock: n/a (jrsync not measured)"
fi
[[ ${status_of[stock]} == ok ]]
