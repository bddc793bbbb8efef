#!/usr/bin/env bash
# compress-wire.sh: bytes on the wire and wall time per compression algorithm, stock rsyncd against the jrsync
# daemon, measured in the same run over the repository's benchmark tree (bench/tree.sh).
#
# What it does
#   1. Builds the benchmark tree with bench/tree.sh (SIZE_MIB MiB, default 200), or uses BENCH_TREE as is.
#   2. Starts stock `rsync --daemon` and the jrsync daemon (java -jar dist/target/jrsync.jar --daemon), each
#      --no-detach on 127.0.0.1 and a free port, each with a writable module [mod] and a read-only module
#      [src] serving the tree.
#   3. For each ALGO in ALGOS (default: none zstd lz4 zlibx zlib; none = no -z, the others --zc=ALGO) and each
#      direction, with the stock client:
#        push  rsync -a --stats [--zc=ALGO] TREE/ rsync://127.0.0.1:PORT/mod/   into the emptied module;
#              records "Total bytes sent" (the stock client compresses: this measures the daemon's decoder
#              and the protocol overhead)
#        pull  rsync -a --stats [--zc=ALGO] rsync://127.0.0.1:PORT/src/ OUT/    into an emptied directory;
#              records "Total bytes received" (the daemon compresses: this measures jrsync's compressor)
#      against the stock daemon and the jrsync daemon alternately, RUNS times (default 1), and keeps the
#      median wall time. WARMUP (default 1) untimed push+pull of TREE/src (the whole tree if it has no src/)
#      per daemon precede each algorithm's timed runs, so the JIT has compiled that codec.
#   4. Checks every result against the source with `rsync -a -n -c -i --delete` (content by checksum, names,
#      sizes, modes, mtimes) and fails loudly (exit 1, after the table) if any differs or any transfer fails.
#   5. Prints the table, ratios jrsync/stock (bytes: 1.00 = same size; time: lower is better), then the same
#      table in markdown.
#   Every daemon is stopped by PID on exit (trap); the work directory is removed (a generated tree too).
#   Byte counts differ by a few bytes per entry even without compression: stock-to-stock uses incremental
#   recursion (directories' file lists sent as the transfer goes), which jrsync declines.
#
# Usage
#   bench/compress-wire.sh [RUNS]
#
# Environment
#   RUNS        timed runs per (algorithm, direction, daemon) (default 1; the first argument wins)
#   WARMUP      untimed push+pull rounds per daemon before each algorithm (default 1)
#   ALGOS       space-separated algorithm list (default "none zstd lz4 zlibx zlib")
#   SIZE_MIB    size of the generated tree in MiB (default 200)
#   BENCH_TREE  use this existing directory as the tree instead of generating one (never modified)
#   BENCH_DIR   directory under which the work directory is created (default: $TMPDIR or /tmp);
#               needs about 4 x SIZE_MIB of free space
#   JAVA_HOME   JDK 25 for the jrsync daemon (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   JRSYNC_JAR  the jar (default: <repo>/dist/target/jrsync.jar)
#   RSYNC       stock rsync binary, client and daemon (default /usr/bin/rsync)
#
# Example
#   SIZE_MIB=20 bench/compress-wire.sh            # quick check, well under a minute
#   RUNS=3 bench/compress-wire.sh                 # default 200 MiB tree, median of 3

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
RUNS=${1:-${RUNS:-1}}
WARMUP=${WARMUP:-1}
ALGOS=${ALGOS:-none zstd lz4 zlibx zlib}
SIZE_MIB=${SIZE_MIB:-200}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JRSYNC_JAR=${JRSYNC_JAR:-$repo/dist/target/jrsync.jar}
RSYNC=${RSYNC:-/usr/bin/rsync}
START_TIMEOUT_S=30
STOP_GRACE_S=5

die() { echo "compress-wire: $*" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS: '$RUNS' (expected: a positive integer)"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP: '$WARMUP' (expected: a non-negative integer)"
[[ $SIZE_MIB =~ ^[1-9][0-9]*$ ]] || die "SIZE_MIB: '$SIZE_MIB' (expected: a positive integer)"
[[ -x $RSYNC ]] || die "stock rsync not found at $RSYNC (install the Debian package 'rsync')"
[[ -f $JRSYNC_JAR ]] || die "no jar at $JRSYNC_JAR (build it: mvn -B -DskipTests package)"
java=$JAVA_HOME/bin/java
[[ -x $java ]] || die "no java at $java (set JAVA_HOME)"
read -r -a algos <<<"$ALGOS"
((${#algos[@]} > 0)) || die "ALGOS: empty (expected: e.g. 'none zstd lz4 zlibx zlib')"
for algo in "${algos[@]}"; do
    [[ $algo =~ ^[a-z0-9]+$ ]] || die "ALGOS: '$algo' (expected: names like zstd, or none)"
done
if [[ -n ${BENCH_TREE:-} ]]; then
    [[ -d $BENCH_TREE ]] || die "BENCH_TREE: '$BENCH_TREE' is not a directory"
fi

mkdir -p "${BENCH_DIR:-${TMPDIR:-/tmp}}"
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/compress-wire.XXXXXX")
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

# start_daemon NAME DEST CMD...: writes NAME.conf with [mod] (writable, DEST) and [src] (read-only, $tree),
# starts CMD --config=... --port=P --address=127.0.0.1 and sets $port and $pid. Retries on another port if
# the daemon dies (it lost the port). Returns 1 on failure. uid/gid: as root, a daemon without them would
# drop to nobody and could not write DEST nor set owners.
start_daemon() {
    local name=$1 dest=$2 attempt
    shift 2
    local conf=$work/$name.conf log=$work/$name.log
    cat >"$conf" <<EOF
pid file = $work/$name.pid
log file = $log
use chroot = no
munge symlinks = no
uid = $(id -u)
gid = $(id -g)
[mod]
path = $dest
read only = no
[src]
path = $tree
read only = yes
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
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "n/a" }'; }
# "Total bytes sent: 1,234" -> 1234
stat_of() { awk -F': ' -v k="$2" '$1 == k { gsub(/[^0-9]/, "", $2); print $2 }' "$1"; }
empty_dir() { mkdir -p "$1" && find "$1" -mindepth 1 -delete; }

# transfer NAME DIR ALGO SRC DST: empties the local target, runs one timed transfer with the stock client and
# sets $elapsed (ns); rsync's output goes to $work/last.out. DIR is push or pull. Returns 1 if rsync fails.
transfer() {
    local name=$1 dir=$2 algo=$3 src=$4 dst=$5 t0 t1
    local opts=(-a --stats)
    [[ $algo == none ]] || opts+=("--zc=$algo")
    if [[ $dir == push ]]; then empty_dir "$work/dest-$name"; else empty_dir "$work/pull-$name"; fi
    sync
    t0=$(now_ns)
    if ! LC_ALL=C.UTF-8 "$RSYNC" "${opts[@]}" "$src" "$dst" >"$work/last.out" 2>&1; then
        return 1
    fi
    t1=$(now_ns)
    elapsed=$((t1 - t0))
}

# verify DIR: empty output of a checksum dry run means DIR equals the tree (content, names, modes, mtimes).
verify() {
    local diffs
    diffs=$(LC_ALL=C.UTF-8 "$RSYNC" -a -n -c -i --delete "$tree/" "$1/" 2>&1) || diffs="rsync -n failed: $diffs"
    [[ -z $diffs ]] && return 0
    printf '%s\n' "$diffs" | head -n 10 | sed 's/^/      /' >&2
    return 1
}

if [[ -n ${BENCH_TREE:-} ]]; then
    tree=$(cd "$BENCH_TREE" && pwd)
    tree_summary="tree: $tree (BENCH_TREE)"
else
    tree=$work/tree
    tree_summary=$("$here/tree.sh" "$tree" "$SIZE_MIB")
fi
tree_bytes=$(find "$tree" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
tree_files=$(find "$tree" -type f | wc -l)
warm_src=$tree/src
[[ -d $warm_src ]] || warm_src=$tree

header="compress-wire: $("$RSYNC" --version | head -n 1 | tr -s ' '); jrsync $(basename "$JRSYNC_JAR"); \
$(nproc) cpus ($(uname -m)); $tree_files files, $tree_bytes bytes; runs $RUNS, warm-up $WARMUP"
echo "$header"
echo "  $tree_summary"

declare -A port_of bytes_of time_of
for name in stock jrsync; do mkdir -p "$work/dest-$name" "$work/pull-$name"; done
start_daemon stock "$work/dest-stock" "$RSYNC" || die "stock rsync daemon failed to start"
port_of[stock]=$port
start_daemon jrsync "$work/dest-jrsync" "$java" --enable-native-access=ALL-UNNAMED -jar "$JRSYNC_JAR" ||
    die "jrsync daemon failed to start"
port_of[jrsync]=$port

failures=()
fail() {
    failures+=("$1")
    echo "  FAILED: $1" >&2
}

for algo in "${algos[@]}"; do
    for ((w = 0; w < WARMUP; w++)); do
        for name in stock jrsync; do
            p=${port_of[$name]}
            if ! transfer "$name" push "$algo" "$warm_src/" "rsync://127.0.0.1:$p/mod/" ||
                ! transfer "$name" pull "$algo" "rsync://127.0.0.1:$p/src/" "$work/pull-$name/"; then
                echo "  warm-up $name $algo failed: $(tail -n 2 "$work/last.out" | tr '\n' ' ')" >&2
            fi
        done
    done
    for dir in push pull; do
        declare -A times=([stock]="" [jrsync]="")
        for ((run = 1; run <= RUNS; run++)); do
            for name in stock jrsync; do
                key="$dir $algo $name"
                [[ ${bytes_of[$key]:-} == FAIL ]] && continue
                p=${port_of[$name]}
                if [[ $dir == push ]]; then
                    src="$tree/" dst="rsync://127.0.0.1:$p/mod/" out=$work/dest-$name stat="Total bytes sent"
                else
                    src="rsync://127.0.0.1:$p/src/" dst="$work/pull-$name/" out=$work/pull-$name stat="Total bytes received"
                fi
                if ! transfer "$name" "$dir" "$algo" "$src" "$dst"; then
                    fail "$key run $run: rsync exited non-zero: $(tail -n 3 "$work/last.out" | tr '\n' ' ')"
                    bytes_of[$key]=FAIL
                    continue
                fi
                b=$(stat_of "$work/last.out" "$stat")
                if ! verify "$out"; then
                    fail "$key run $run: the result differs from the source tree (listing above)"
                    bytes_of[$key]=FAIL
                    continue
                fi
                bytes_of[$key]=$b
                times[$name]+=" $elapsed"
                echo "  $dir $algo $name run $run: $b bytes, $(secs "$elapsed") s"
            done
        done
        for name in stock jrsync; do
            # shellcheck disable=SC2086 # the list of times is meant to split
            [[ ${bytes_of["$dir $algo $name"]} == FAIL ]] || time_of["$dir $algo $name"]=$(median ${times[$name]})
        done
        unset times
    done
done

# row DIR ALGO: the fields of one table row, tab-separated.
row() {
    local dir=$1 algo=$2 sb jb st jt
    sb=${bytes_of["$dir $algo stock"]} jb=${bytes_of["$dir $algo jrsync"]}
    st=${time_of["$dir $algo stock"]:-} jt=${time_of["$dir $algo jrsync"]:-}
    local br=n/a tq=n/a ss=FAIL js=FAIL
    [[ -n $st ]] && ss=$(secs "$st")
    [[ -n $jt ]] && js=$(secs "$jt")
    [[ $sb != FAIL && $jb != FAIL ]] && br=$(ratio "$jb" "$sb" 4) && tq=$(ratio "$jt" "$st")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dir" "$algo" "$sb" "$jb" "$br" "$ss" "$js" "$tq"
}
columns="direction algo stock_bytes jrsync_bytes bytes_ratio stock_s jrsync_s time_ratio"
rows=$(for dir in push pull; do for algo in "${algos[@]}"; do row "$dir" "$algo"; done; done)

echo
echo "$header"
{
    echo "$columns" | tr ' ' '\t'
    echo "$rows"
} | awk -F'\t' '{ printf "%-9s %-5s %12s %12s %11s %8s %8s %10s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
echo "(tree $tree_bytes bytes; ratios are jrsync/stock; push bytes = client's Total bytes sent,"
echo " pull bytes = client's Total bytes received, of the last run; times are medians of $RUNS run(s))"

echo
echo "$header"
echo
echo "| ${columns// / | } |"
echo "|---|---|--:|--:|--:|--:|--:|--:|"
echo "$rows" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }'

if ((${#failures[@]} > 0)); then
    echo >&2
    echo "compress-wire: ${#failures[@]} FAILURE(S):" >&2
    printf '  %s\n' "${failures[@]}" >&2
    exit 1
fi
