#!/usr/bin/env bash
# push-ab.sh: before/after check of two jrsync jars with bench/push-1g.sh, alternating.
#
# What it does
#   Runs bench/push-1g.sh ROUNDS times (default 3) with JRSYNC_JAR=BEFORE and ROUNDS times with
#   JRSYNC_JAR=AFTER, alternating (odd rounds BEFORE first, even rounds AFTER first). Every push-1g.sh run
#   also measures stock rsyncd, so each round yields, per jar: the jrsync whole-file median MB/s, the
#   jrsync delta time, and the same run's jrsync/stock ratios (which cancel part of the machine's load).
#   Prints every round, then the medians over the rounds and the ratios after/before (throughput: higher
#   is better; delta time: lower is better). push-1g.sh's own options (SIZE_MIB, RUNS, WARMUP, BENCH_DIR,
#   JAVA_HOME, RSYNC) pass through the environment; each run's full output goes to OUT_DIR (default: a
#   temporary directory, removed unless KEEP=1).
#
# Usage
#   bench/push-ab.sh BEFORE.jar AFTER.jar [ROUNDS]
#
# Example
#   SIZE_MIB=256 RUNS=3 BENCH_DIR=/dev/shm bench/push-ab.sh /tmp/old.jar dist/target/jrsync.jar 3

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "push-ab: $*" >&2; exit 1; }
[[ $# -ge 2 && $# -le 3 ]] || die "usage: push-ab.sh BEFORE.jar AFTER.jar [ROUNDS]"
before=$1 after=$2 rounds=${3:-${ROUNDS:-3}}
[[ -f $before ]] || die "no jar at $before"
[[ -f $after ]] || die "no jar at $after"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS: '$rounds' (expected: a positive integer)"
out=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/push-ab.XXXXXX")}
mkdir -p "$out"
[[ ${KEEP:-0} == 1 || -n ${OUT_DIR:-} ]] || trap 'rm -rf "$out"' EXIT

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A wf dt rw rd
echo "push-ab: before $before, after $after, $rounds round(s) of bench/push-1g.sh (SIZE_MIB=${SIZE_MIB:-1024} RUNS=${RUNS:-3} WARMUP=${WARMUP:-1})"
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order="before after"; else order="after before"; fi
    for which in $order; do
        jar=$before
        [[ $which == after ]] && jar=$after
        log=$out/round$r-$which.log
        JRSYNC_JAR=$jar "$here/push-1g.sh" >"$log" 2>&1 || die "push-1g.sh failed with $jar; see $log: $(tail -n 3 "$log")"
        grep -q '^  jrsync: whole-file median' "$log" || die "jrsync not measured with $jar; see $log: $(tail -n 5 "$log")"
        read -r j_wf j_dt <<<"$(awk '/^  jrsync: whole-file median/ { print $4, $7 }' "$log")"
        read -r s_wf s_dt <<<"$(awk '/^  stock: whole-file median/ { print $4, $7 }' "$log")"
        wf[$which]+="$j_wf " dt[$which]+="$j_dt "
        rw[$which]+="$(awk -v j="$j_wf" -v s="$s_wf" 'BEGIN { printf "%.3f", j / s }') "
        rd[$which]+="$(awk -v j="$j_dt" -v s="$s_dt" 'BEGIN { printf "%.3f", j / s }') "
        echo "  round $r $which: jrsync whole-file $j_wf MB/s, delta $j_dt s; stock $s_wf MB/s, $s_dt s (load $(cut -d' ' -f1 /proc/loadavg))"
    done
done
med() { local -a xs; read -r -a xs <<<"$1"; median "${xs[@]}"; }
echo "summary (medians over $rounds rounds):"
printf '  %-7s %18s %14s %20s %18s\n' jar "whole-file MB/s" "delta s" "whole-file j/stock" "delta j/stock"
for which in before after; do
    printf '  %-7s %18s %14s %20s %18s\n' "$which" "$(med "${wf[$which]}")" "$(med "${dt[$which]}")" \
        "$(med "${rw[$which]}")" "$(med "${rd[$which]}")"
done
awk -v a="$(med "${wf[after]}")" -v b="$(med "${wf[before]}")" -v c="$(med "${dt[after]}")" -v d="$(med "${dt[before]}")" \
    -v e="$(med "${rw[after]}")" -v f="$(med "${rw[before]}")" -v g="$(med "${rd[after]}")" -v h="$(med "${rd[before]}")" 'BEGIN {
    printf "  ratio after/before whole-file throughput: %.2f (higher is better; of jrsync/stock: %.2f)\n", a / b, e / f
    printf "  ratio after/before delta time: %.2f (lower is better; of jrsync/stock: %.2f)\n", c / d, g / h }'
[[ -n ${OUT_DIR:-} || ${KEEP:-0} == 1 ]] && echo "  logs: $out"
true
