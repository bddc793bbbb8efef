#!/usr/bin/env bash
# local-copy.sh: local copies (`rsync -a SRC/ DST/`, both roles on one machine) with stock rsync against
# jrsync (both roles in one JVM over OS pipes), measured in the same run, alternating.
#
# What it does
#   1. Picks the work directory: under /dev/shm (tmpfs) if it has room for everything below, else under
#      BENCH_DIR / $TMPDIR / /tmp; the first output line says which.
#   2. Generates, deterministically (Python random.Random with fixed seeds, fixed modes and mtimes):
#        tree/      FILES files (default 100000) in about DIRS directories (default 1000, two levels),
#                   sizes 0..MAX_KIB KiB (default 16) skewed towards small ones, as in a source tree
#        big1/      one incompressible file of BIG_MIB MiB (default 1024)
#        big2/      the same file with CHANGES (default 8) scattered 4 KiB regions rewritten, newer mtime
#   3. Times `--version` (startup: the fixed cost of one invocation) and these workloads, RUNS times each (default 3) per implementation, stock and jrsync alternating
#      (odd runs stock first, even runs jrsync first), every command `-a SRC/ DST/`:
#        tree-initial   tree/ into an empty destination
#        tree-nochange  tree/ again onto that destination (everything up to date: file list + quick check)
#        big-initial    big1/ into an empty destination
#        big-delta      big2/ onto a destination holding big1's file, --no-whole-file --stats (delta;
#                       literal/matched data are printed)
#        big-whole      the same, default options (rsync copies local files whole)
#      WARMUP (default 1) untimed tree-initial runs per implementation come first.
#   4. After every timed run checks the destination against the source with stock rsync as the checker:
#      `rsync -anci --delete` (content by checksum, names, modes, mtimes) for the tree, and cmp plus
#      `rsync -ani --delete` for the big file; any output or difference fails that cell.
#   5. Prints per workload the median wall time and median CPU user/sys (all processes and threads) of each
#      implementation and the ratio jrsync/stock of the wall times (lower is better), then the same table in
#      markdown.
#   The work directory is removed on exit (trap), whatever happened. Exit status 1 if any run or check
#   failed (the table still prints); timings never fail.
#
# Usage
#   bench/local-copy.sh [RUNS]
#
# Environment
#   RUNS        timed runs per (workload, implementation) (default 3; the first argument wins)
#   WARMUP      untimed tree-initial runs per implementation before the timed ones (default 1)
#   FILES       files in the tree (default 100000)
#   DIRS        directories the files are spread over (default 1000)
#   MAX_KIB     largest tree file in KiB (default 16)
#   BIG_MIB     size of the big file in MiB (default 1024)
#   CHANGES     4 KiB regions rewritten in the big file for the delta workloads (default 8)
#   WORKLOADS   space-separated subset of "tree big" (default both)
#   BENCH_DIR   use a work directory under this directory, never /dev/shm (default: /dev/shm if it has room,
#               else $TMPDIR or /tmp)
#   JAVA_HOME   JDK 25 for jrsync (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   JAVA_OPTS   extra JVM options for jrsync, e.g. "-XX:StartFlightRecording=filename=/tmp/j.jfr" (default none)
#   JRSYNC_JAR  the jar (default: <repo>/dist/target/jrsync.jar)
#   RSYNC       stock rsync binary, also the checker (default /usr/bin/rsync)
#
# Example
#   FILES=10000 BIG_MIB=128 RUNS=1 WARMUP=0 bench/local-copy.sh     # quick check, well under a minute
#   bench/local-copy.sh 5                                           # full size, median of 5

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
RUNS=${1:-${RUNS:-3}}
WARMUP=${WARMUP:-1}
FILES=${FILES:-100000}
DIRS=${DIRS:-1000}
MAX_KIB=${MAX_KIB:-16}
BIG_MIB=${BIG_MIB:-1024}
CHANGES=${CHANGES:-8}
WORKLOADS=${WORKLOADS:-tree big}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA_OPTS=${JAVA_OPTS:-}
JRSYNC_JAR=${JRSYNC_JAR:-$repo/dist/target/jrsync.jar}
RSYNC=${RSYNC:-/usr/bin/rsync}

die() { echo "local-copy: $*" >&2; exit 1; }
posint() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1: '$2' (expected: a positive integer)"; }
posint RUNS "$RUNS"; posint FILES "$FILES"; posint DIRS "$DIRS"; posint MAX_KIB "$MAX_KIB"
posint BIG_MIB "$BIG_MIB"; posint CHANGES "$CHANGES"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP: '$WARMUP' (expected: a non-negative integer)"
do_tree=0 do_big=0
for w in $WORKLOADS; do
    case $w in
        tree) do_tree=1 ;;
        big) do_big=1 ;;
        *) die "WORKLOADS: '$w' (expected: tree, big)" ;;
    esac
done
((do_tree + do_big > 0)) || die "WORKLOADS: empty"
[[ -x $RSYNC ]] || die "stock rsync not found at $RSYNC (install the Debian package 'rsync')"
[[ -f $JRSYNC_JAR ]] || die "no jar at $JRSYNC_JAR (build it: mvn -B -DskipTests package)"
java=$JAVA_HOME/bin/java
[[ -x $java ]] || die "no java at $java (set JAVA_HOME)"
command -v python3 >/dev/null || die "python3 not found (needed to generate the data)"

# Room needed, in KiB: the tree three times (source, two destinations; a file takes at least a 4 KiB page on
# tmpfs; mean size of the skewed distribution is MAX/3) and the big file four times (two sources, two
# destinations), plus 10 %.
need_kib=$(( (do_tree * 3 * FILES * (MAX_KIB / 3 + 4) + do_big * 4 * BIG_MIB * 1024) * 11 / 10 ))
avail_kib() { df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }
if [[ -z ${BENCH_DIR:-} && -d /dev/shm && -w /dev/shm && $(avail_kib /dev/shm || echo 0) -gt $need_kib ]]; then
    base=/dev/shm where="tmpfs (/dev/shm)"
else
    base=${BENCH_DIR:-${TMPDIR:-/tmp}} where="a temporary directory (not /dev/shm: BENCH_DIR set or too little room)"
    mkdir -p "$base"
    (($(avail_kib "$base") > need_kib)) || die "$base has less than $((need_kib / 1024)) MiB free"
fi
work=$(mktemp -d "$base/local-copy.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stock=("$RSYNC")
# shellcheck disable=SC2206 # JAVA_OPTS is a list of options on purpose
jrsync=("$java" --enable-native-access=ALL-UNNAMED $JAVA_OPTS -jar "$JRSYNC_JAR")

echo "local-copy: work dir $work on $where, needs about $((need_kib / 1024)) MiB"
echo "  $RUNS timed run(s) per cell, stock and jrsync alternating, $WARMUP warm-up tree copy per implementation"
echo "  stock:  $("$RSYNC" --version | head -n 1)"
echo "  jrsync: $JRSYNC_JAR ($("$java" -version 2>&1 | head -n 1))"
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPU(s)"

# Deterministic data: same names, sizes, bytes, modes and mtimes on every run.
python3 - "$work" "$do_tree" "$FILES" "$DIRS" "$MAX_KIB" "$do_big" "$BIG_MIB" "$CHANGES" <<'PY'
import os, random, sys
work = sys.argv[1]
do_tree, files, dirs, max_kib, do_big, big_mib, changes = map(int, sys.argv[2:])
EPOCH = 1704067200
if do_tree:
    root = os.path.join(work, "tree")
    top = max(1, int(dirs ** 0.5))
    r = random.Random(1)
    exts = (".java", ".java", ".c", ".h", ".py", ".md", ".txt", ".xml")
    total = 0
    for i in range(files):
        d = i % dirs
        rel = os.path.join(f"m{d % top:02d}", f"p{d // top:03d}", f"f{i:06d}{exts[i % len(exts)]}")
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        n = int(max_kib * 1024 * r.random() ** 2)
        with open(path, "wb") as f:
            f.write(r.randbytes(n))
        os.chmod(path, 0o644)
        os.utime(path, (EPOCH + i, EPOCH + i))
        total += n
    ndirs = 0
    for dp, dn, _ in os.walk(root, topdown=False):
        os.chmod(dp, 0o755)
        os.utime(dp, (EPOCH, EPOCH))
        ndirs += 1
    print(f"  tree: {files} files, {ndirs} dirs, {total} bytes ({total / 1048576:.1f} MiB)")
if do_big:
    size = big_mib * 1024 * 1024
    for d in ("big1", "big2"):
        os.makedirs(os.path.join(work, d))
    r = random.Random(2)
    chunk = 16 << 20
    with open(os.path.join(work, "big1", "big.bin"), "wb") as f:
        left = size
        while left:
            n = min(chunk, left)
            f.write(r.randbytes(n))
            left -= n
    os.utime(os.path.join(work, "big1", "big.bin"), (EPOCH, EPOCH))
    # big2: a copy with CHANGES 4 KiB regions rewritten, spread over the file (not block aligned).
    with open(os.path.join(work, "big1", "big.bin"), "rb") as src, open(os.path.join(work, "big2", "big.bin"), "wb") as dst:
        while True:
            b = src.read(chunk)
            if not b:
                break
            dst.write(b)
    r = random.Random(3)
    with open(os.path.join(work, "big2", "big.bin"), "r+b") as f:
        for k in range(changes):
            off = min(size - 4096, max(0, (k + 1) * size // (changes + 1) + r.randint(-65536, 65536)))
            f.seek(off)
            f.write(r.randbytes(min(4096, size)))
    os.utime(os.path.join(work, "big2", "big.bin"), (EPOCH + 100, EPOCH + 100))
    for d in ("big1", "big2"):
        os.chmod(os.path.join(work, d, "big.bin"), 0o644)
        os.chmod(os.path.join(work, d), 0o755)
        os.utime(os.path.join(work, d), (EPOCH, EPOCH))
    print(f"  big: {size} bytes ({big_mib} MiB), {changes} changed 4 KiB regions in the second version")
PY

failed=0
declare -A real_of user_of sys_of status_of note_of

# timed CELL NAME LOG CMD...: runs CMD with its output in LOG and appends wall/user/sys seconds to the cell.
timed() {
    local cell=$1 name=$2 log=$3 t
    shift 3
    local TIMEFORMAT='%3R %3U %3S'
    if ! { time "$@" >"$log" 2>&1; } 2>"$work/time.out"; then
        fail "$cell" "$name" "exited non-zero: $(tail -n 3 "$log" | tr '\n' ' ')"
        return 1
    fi
    read -r -a t <"$work/time.out"
    real_of[$cell,$name]+="${t[0]} " user_of[$cell,$name]+="${t[1]} " sys_of[$cell,$name]+="${t[2]} "
}
fail() {
    status_of[$1,$2]="FAILED"
    echo "  $1 $2: FAILED: $3" >&2
    failed=1
}
# check CELL NAME SRC DST [cmp]: DST must equal SRC by stock rsync's judgement (and by cmp of big.bin).
check() {
    local cell=$1 name=$2 src=$3 dst=$4 how=${5:-}
    local out
    if [[ $how == cmp ]]; then
        if ! cmp -s "$src/big.bin" "$dst/big.bin"; then
            fail "$cell" "$name" "destination content differs from the source (cmp)"
            return 1
        fi
        out=$(LC_ALL=C "$RSYNC" -ani --delete "$src/" "$dst/" 2>&1) || true
    else
        out=$(LC_ALL=C "$RSYNC" -anci --delete "$src/" "$dst/" 2>&1) || true
    fi
    if [[ -n $out ]]; then
        fail "$cell" "$name" "destination differs from the source: $(head -n 3 <<<"$out" | tr '\n' ' ')"
        return 1
    fi
}
run_tool() { local name=$1; shift; if [[ $name == stock ]]; then "${stock[@]}" "$@"; else "${jrsync[@]}" "$@"; fi; }
order() { if (($1 % 2)); then echo stock jrsync; else echo jrsync stock; fi; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
last() { local -a v; read -r -a v <<<"$1"; echo "${v[-1]}"; }

# startup: `--version`, the fixed cost of one invocation (for jrsync: JVM start, class loading).
cells=(startup)
for ((run = 1; run <= RUNS; run++)); do
    for name in $(order "$run"); do
        timed startup "$name" "$work/$name.log" run_tool "$name" --version || true
    done
done

if ((do_tree)); then
    cells+=(tree-initial tree-nochange)
    for ((w = 1; w <= WARMUP; w++)); do
        for name in $(order "$w"); do
            rm -rf "$work/dst-$name"
            run_tool "$name" -a "$work/tree/" "$work/dst-$name/" >"$work/warmup.log" 2>&1 ||
                echo "  warm-up $name: exited non-zero: $(tail -n 3 "$work/warmup.log" | tr '\n' ' ')" >&2
        done
    done
    for ((run = 1; run <= RUNS; run++)); do
        for name in $(order "$run"); do
            rm -rf "$work/dst-$name"
            if timed tree-initial "$name" "$work/$name.log" run_tool "$name" -a "$work/tree/" "$work/dst-$name/" &&
                check tree-initial "$name" "$work/tree" "$work/dst-$name"; then
                echo "  run $run tree-initial  $name: $(last "${real_of[tree-initial,$name]}") s"
                if timed tree-nochange "$name" "$work/$name.log" run_tool "$name" -a "$work/tree/" "$work/dst-$name/" &&
                    check tree-nochange "$name" "$work/tree" "$work/dst-$name"; then
                    echo "  run $run tree-nochange $name: $(last "${real_of[tree-nochange,$name]}") s"
                fi
            fi
        done
    done
    rm -rf "$work/dst-stock" "$work/dst-jrsync"
fi

if ((do_big)); then
    cells+=(big-initial big-delta big-whole)
    # reset DST: the destination holds big1's file (as a previous copy would leave it).
    reset() { rm -rf "$1"; mkdir -p "$1"; cp -p "$work/big1/big.bin" "$1/big.bin"; }
    for ((run = 1; run <= RUNS; run++)); do
        for name in $(order "$run"); do
            d=$work/dst-$name
            rm -rf "$d"
            if timed big-initial "$name" "$work/$name.log" run_tool "$name" -a "$work/big1/" "$d/" &&
                check big-initial "$name" "$work/big1" "$d" cmp; then
                echo "  run $run big-initial $name: $(last "${real_of[big-initial,$name]}") s"
            fi
            reset "$d"
            if timed big-delta "$name" "$work/$name.log" run_tool "$name" -a --no-whole-file --stats "$work/big2/" "$d/" &&
                check big-delta "$name" "$work/big2" "$d" cmp; then
                lit=$(awk -F': ' '/^Literal data:/ { print $2 }' "$work/$name.log")
                mat=$(awk -F': ' '/^Matched data:/ { print $2 }' "$work/$name.log")
                note_of[big-delta,$name]="literal $lit, matched $mat"
                echo "  run $run big-delta   $name: $(last "${real_of[big-delta,$name]}") s (${note_of[big-delta,$name]})"
            fi
            reset "$d"
            if timed big-whole "$name" "$work/$name.log" run_tool "$name" -a "$work/big2/" "$d/" &&
                check big-whole "$name" "$work/big2" "$d" cmp; then
                echo "  run $run big-whole   $name: $(last "${real_of[big-whole,$name]}") s"
            fi
        done
    done
    rm -rf "$work/dst-stock" "$work/dst-jrsync"
fi

echo "  load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
# cellfig CELL NAME KIND: median of that cell's figures, or the cell's status.
cellfig() {
    local -n arr=$3_of
    local v=${arr[$1,$2]:-}
    if [[ ${status_of[$1,$2]:-} == FAILED ]]; then echo FAILED
    elif [[ -z $v ]]; then echo n/a
    else read -r -a xs <<<"$v"; median "${xs[@]}"
    fi
}
ratio() { awk -v j="$1" -v s="$2" 'BEGIN { if (j + 0 > 0 && s + 0 > 0) printf "%.2f", j / s; else print "n/a" }'; }
echo "summary (medians of $RUNS, seconds; user/sys = CPU of all processes and threads; ratio jrsync/stock wall, lower is better):"
printf '  %-14s %9s %9s %9s %9s %9s %9s %7s\n' workload stock user sys jrsync user sys ratio
rows=()
for cell in "${cells[@]}"; do
    s=$(cellfig "$cell" stock real) su=$(cellfig "$cell" stock user) ss=$(cellfig "$cell" stock sys)
    j=$(cellfig "$cell" jrsync real) ju=$(cellfig "$cell" jrsync user) js=$(cellfig "$cell" jrsync sys)
    r=$(ratio "$j" "$s")
    printf '  %-14s %9s %9s %9s %9s %9s %9s %7s\n' "$cell" "$s" "$su" "$ss" "$j" "$ju" "$js" "$r"
    rows+=("| $cell | $s | $su | $ss | $j | $ju | $js | $r |")
done
for cell in "${cells[@]}"; do
    for name in stock jrsync; do
        if [[ -n ${note_of[$cell,$name]:-} ]]; then echo "  $cell $name: ${note_of[$cell,$name]}"; fi
    done
done
echo
echo "| workload | stock s | user | sys | jrsync s | user | sys | jrsync/stock |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
((failed == 0))
