#!/usr/bin/env bash
# Runs upstream rsync's own test suite (runtests.py) against jrsync, next to stock rsync in the same
# run, and prints the counts side by side. Two kinds of run (see Modes): the daemon-transport tests
# with jrsync as every daemon the suite starts and stock rsync as every client (modes tcp, stdin),
# and the other tests -- local copies and remote-shell transfers through the suite's stand-in
# support/lsh.sh -- with jrsync as the rsync binary on both ends (mode binary).
#
#   interop/upstream/run-upstream-suite.sh [options] RSYNC_SRC [TEST_GLOB...]
#
# RSYNC_SRC is an rsync source tree at tag v3.5.0, outside this repository (never commit it), e.g.
#   mkdir -p /tmp/rsync-src && git -C <bare rsync mirror> archive v3.5.0 | tar -x -C /tmp/rsync-src
# If it is not built yet, the script runs `./configure --disable-md2man && make && make check-progs`
# there. That needs gcc, make, python3, autoconf + automake (a git export has no configure.sh) and the
# headers stock Debian builds with; on Debian:
#   apt-get install -y autoconf automake libssl-dev libxxhash-dev libzstd-dev liblz4-dev libacl1-dev libattr1-dev
# (and `acl` for setfacl, without which the suite skips acl-symlink-race).
# (--reduced-build configures with --disable-openssl/xxhash/zstd/lz4 instead of failing without them).
#
# Modes:
#   tcp    the 155 tests --daemon-tests-only picks, runtests.py --use-tcp: each test starts
#          `rsync --daemon --no-detach --address=127.0.0.1 --port=N --config=F` and connects to
#          rsync://localhost:N/.
#   stdin  the same 155 tests, runtests.py default transport: the client runs the daemon through
#          RSYNC_CONNECT_PROG (`rsync --config=F --daemon` with a socket on stdin/stdout, i.e. inetd
#          mode); no listener.
#   binary the other 190 tests (those runtests.py's --daemon-tests-only filter drops: they never
#          start a daemon), passed to runtests.py by name. They run local copies (`$RSYNC -a SRC DST`)
#          and remote-shell transfers (`-e support/lsh.sh`, `--rsync-path=$RSYNC_PEER`).
#          runtests.py's --rsync-bin (the suite's RSYNC, the client) and --rsync-bin2 (RSYNC_PEER,
#          the --rsync-path target) are both a generated wrapper that runs the implementation under
#          test for every invocation (`java -jar jrsync.jar ...`, or the stock binary), so jrsync is
#          the client, the local-copy server half and the remote-shell server. A directory whose
#          `rsync` is that same wrapper is put first on PATH, so a remote-shell command that names no
#          --rsync-path (lsh.sh then runs plain `rsync --server ...`) also reaches it.
# tcp/stdin: the daemon side is runtests.py's --rsync-bin2 ("peer") command. The script points it at
# a generated wrapper that runs `java -jar jrsync.jar ...` for every invocation with --daemon in its
# argv and the stock binary for everything else (remote-shell servers, --version), so clients stay
# stock. When stdin is a socket and the argv has no --address, the wrapper adds
# --address=127.0.0.1 (stock ignores it in inetd mode), so a daemon that wrongly opens a listener
# there listens on loopback only.
# All modes: the stock run uses the same kind of wrapper ending in the stock binary, so both runs
# see identical harness conditions. Every wrapper records each invocation's argv (and its role:
# client, server, daemon) in the test's log, and a daemon stderr that runtests.py discards (TCP
# mode) goes there too; in mode binary so does a copy of every invocation's stderr (see
# --no-record-stderr). The JVM runs through a symlink named jrsync-java, because the suite only
# signals pids whose command name contains "rsync". Every process a wrapper starts carries
# JRSYNC_UPSTREAM_RUN=<run id> in its environment; after each run (and on exit) the script kills, by
# PID, any such process still alive (e.g. a daemon that detached).
#
# Options:
#   --mode M[,M...]         tcp, stdin, binary, both (= tcp,stdin) or all (default both)
#   --jar PATH              jrsync jar (default $JRSYNC_JAR, else <repo>/dist/target/jrsync.jar)
#   --stock PATH            stock binary for clients and the stock daemon (default RSYNC_SRC/rsync)
#   --logs DIR              where per-test logs go (default a new /tmp/jrsync-upstream.XXXXXX)
#   --timeout SECS          per-test timeout passed to runtests.py (default 300, the suite's own)
#   --race-timeout SECS     passed to runtests.py (the TOCTOU race tests' budget; default: each
#                           test's own 5-15s). Lowering it speeds a run up and weakens those tests.
#   -j N                    tests run in parallel by runtests.py (default 2)
#   --exclude LIST          comma-separated test globs not to run (runtests.py --exclude)
#   --only jrsync|stock     run only that side (the table then shows only it)
#   --reuse-stock DIR       take the stock results from an earlier run's log directory instead of
#                           running stock again (e.g. to try another --jar)
#   --no-record-stderr      mode binary: do not copy each rsync's stderr into the test's record.
#                           By default the binary wrappers do (the tests capture most of rsync's
#                           stderr, so their own logs often lack the error); stderr then reaches
#                           the test through a pipe. On v3.5.0 both sides' outcomes were identical
#                           with and without the copy.
#   --reduced-build         configure without openssl/xxhash/zstd/lz4 if their headers are missing
# TEST_GLOB... narrows the run to those tests (still only the mode's own set: daemon-transport
# ones for tcp/stdin, the others for binary).
#
# Output: a table "mode | stock pass/fail/skip | jrsync pass/fail/skip", the tests stock passes and
# jrsync does not (each with a hint line from its log), and the log directory: LOGS/<impl>-<mode>/
# holds runtests.out (the runner's whole output), tests/<test>.log (the test's log, its rsyncd.log and
# the wrappers' argv/stderr record), results.txt and causes.txt (jrsync's failures -- of tests stock
# passes -- grouped by a first-guess cause: refused option, crash, timeout, ..., each group with one
# example command and its evidence, then the refused options by how many tests name them). CI does not run this script; it needs no
# network and binds loopback only.
set -euo pipefail
{ # the whole script is one block, parsed before it runs: editing the file mid-run cannot derail it

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

die() { echo "run-upstream-suite: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

modes="tcp stdin"; jar="${JRSYNC_JAR:-$repo/dist/target/jrsync.jar}"; stock=""; logs=""
timeout=300; race=""; tee=1; par=2; exclude=""; only=""; reuse=""; reduced=0; src=""; tests=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) shift; modes=""
      for m in ${1//,/ }; do
        case "$m" in tcp|stdin|binary) modes="$modes $m";; both) modes="$modes tcp stdin";; all) modes="$modes tcp stdin binary";;
          *) die "--mode takes tcp, stdin, binary, both or all (comma-separated)";; esac
      done
      modes="$(printf '%s\n' $modes | awk '!seen[$0]++' | tr '\n' ' ')"; modes="${modes% }"
      [ -n "$modes" ] || die "--mode takes tcp, stdin, binary, both or all";;
    --mode=*) set -- "--mode" "${1#--mode=}" "${@:2}"; continue;;
    --jar) shift; jar="${1:?}";;
    --stock) shift; stock="${1:?}";;
    --logs) shift; logs="${1:?}";;
    --timeout) shift; timeout="${1:?}";;
    --race-timeout) shift; race="${1:?}";;
    -j) shift; par="${1:?}";;
    --exclude) shift; exclude="${1:?}";;
    --reuse-stock) shift; reuse="$(cd "${1:?}" && pwd)" || die "no such directory: $1";;
    --only) shift; case "${1:-}" in jrsync|stock) only="$1";; *) die "--only takes jrsync or stock";; esac;;
    --reduced-build) reduced=1;;
    --no-record-stderr) tee="";;
    -h|--help) usage;;
    -*) die "unknown option $1 (see --help)";;
    *) if [ -z "$src" ]; then src="$1"; else tests+=("$1"); fi;;
  esac
  shift
done
[ -n "$src" ] || usage
src="$(cd "$src" && pwd)" || die "no such directory: $src"
[ -f "$src/runtests.py" ] && [ -f "$src/testsuite/rsyncfns.py" ] || die "$src is not an rsync source tree with runtests.py"
case "$src/" in "$repo"/*) die "keep the rsync source outside this repository ($src)";; esac
if grep -q 'RSYNC_VERSION "3.5.0"' "$src/version.h" 2>/dev/null; then :; else
  echo "run-upstream-suite: warning: $src/version.h does not say 3.5.0; counts are only comparable at v3.5.0" >&2
fi
command -v python3 >/dev/null || die "needs python3 (runtests.py is Python)"
command -v setfacl >/dev/null || echo "run-upstream-suite: note: no setfacl, so acl-symlink-race skips (apt-get install -y acl)" >&2

# ---- build rsync and its test helpers if needed -------------------------------------------------
helpers="rsync tls trimslash t_unsafe t_chmod_secure t_secure_relpath wildtest getgroups getfsdev"
need_build=0
for h in $helpers; do [ -x "$src/$h" ] || need_build=1; done
if [ $need_build = 1 ]; then
  echo "== building rsync in $src (configure --disable-md2man, make, make check-progs)"
  for t in gcc make; do command -v $t >/dev/null || die "building needs $t"; done
  if [ ! -f "$src/configure.sh" ]; then
    for t in autoconf autoheader aclocal; do
      command -v $t >/dev/null || die "a git export has no configure.sh; building it needs $t: apt-get install -y autoconf automake"
    done
  fi
  cfg=(--disable-md2man)
  missing=()
  hdr() { [ -f "/usr/include/$1" ] || [ -f "/usr/local/include/$1" ]; }
  hdr openssl/md5.h || { missing+=(libssl-dev); cfg+=(--disable-openssl); }
  hdr xxhash.h || { missing+=(libxxhash-dev); cfg+=(--disable-xxhash); }
  hdr zstd.h || { missing+=(libzstd-dev); cfg+=(--disable-zstd); }
  hdr lz4.h || { missing+=(liblz4-dev); cfg+=(--disable-lz4); }
  hdr sys/acl.h || missing+=(libacl1-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ $reduced = 1 ]; then
      echo "run-upstream-suite: building without ${missing[*]} (the build will not match stock's capabilities)" >&2
    else
      die "missing headers; install them (apt-get install -y ${missing[*]}) or pass --reduced-build"
    fi
  fi
  ( cd "$src" && { [ -f Makefile ] || ./configure "${cfg[@]}"; } ) >"${TMPDIR:-/tmp}/run-upstream-configure.log" 2>&1 \
    || die "configure failed; see ${TMPDIR:-/tmp}/run-upstream-configure.log"
  ( cd "$src" && make -j"$par" && make check-progs ) >"${TMPDIR:-/tmp}/run-upstream-make.log" 2>&1 \
    || die "make failed; see ${TMPDIR:-/tmp}/run-upstream-make.log"
fi
[ -n "$stock" ] || stock="$src/rsync"
[ -x "$stock" ] || die "stock binary $stock is not executable"
stock="$(cd "$(dirname "$stock")" && pwd)/$(basename "$stock")"

# ---- jrsync jar and a JDK >= 25 (found as bin/jrsync finds it) ----------------------------------
[ -f "$jar" ] || die "$jar is missing; build it first: (cd $repo && mvn -B -q -o -DskipTests package)"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
java=""
for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$c" ] && [ -x "$c" ] || continue
  v="$(java_major "$c")"
  if [ -n "$v" ] && [ "$v" -ge 25 ]; then java="$c"; break; fi
done
[ -n "$java" ] || die "needs a Java runtime >= 25 (set JAVA_HOME or put java 25 on the PATH)"

# ---- log directory, wrappers, straggler cleanup -------------------------------------------------
if [ -z "$logs" ]; then logs="$(mktemp -d /tmp/jrsync-upstream.XXXXXX)"; else mkdir -p "$logs"; logs="$(cd "$logs" && pwd)"; fi
runid="jrsync-upstream-$$-$(date +%s)"
mkdir -p "$logs/bin"

kill_stragglers() {
  local p pids=()
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    [ "$p" = "$$" ] && continue
    if grep -qzx "JRSYNC_UPSTREAM_RUN=$runid" "/proc/$p/environ" 2>/dev/null; then pids+=("$p"); fi
  done
  if [ ${#pids[@]} -gt 0 ]; then
    echo "   killing ${#pids[@]} leftover process(es) of this run: ${pids[*]}"
    for p in "${pids[@]}"; do
      echo "   leftover $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-200)"
    done >>"$logs/leftovers.txt"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    sleep 1
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
}
trap kill_stragglers EXIT

# write_wrapper NAME DAEMON_CMD...: the peer command runtests.py runs as --rsync-bin2.
write_wrapper() {
  local name="$1"; shift
  local daemon_cmd; daemon_cmd="$(printf '%q ' "$@")"
  cat >"$logs/bin/$name" <<EOF
#!/usr/bin/env bash
# Generated by run-upstream-suite.sh: the suite's daemon side. --daemon in argv -> $name's daemon.
export JRSYNC_UPSTREAM_RUN=$runid
rec="\${JRSYNC_UPSTREAM_PEERLOG:-/dev/null}/\${scratchdir##*/}.peer.log"
[ -d "\${JRSYNC_UPSTREAM_PEERLOG:-/dev/null}" ] || rec=/dev/null
daemon=0
addr=0
for a in "\$@"; do
  case "\$a" in --daemon) daemon=1;; --address|--address=*) addr=1;; esac
done
if [ \$daemon = 1 ]; then
  extra=()
  if [ \$addr = 0 ] && [ -S /dev/stdin ]; then extra=(--address=127.0.0.1); fi
  printf '%s pid=%s stdin=%s daemon: %s\n' "\$(date +%T.%N | cut -c1-12)" "\$\$" \
    "\$([ -S /dev/stdin ] && echo socket || echo other)" "\$(printf '%q ' "\${extra[@]}" "\$@")" >>"\$rec"
  # A daemon whose stderr is /dev/null (runtests.py's TCP daemons) writes it to the record instead.
  if [ "\$(readlink /proc/\$\$/fd/2)" = /dev/null ]; then exec 2>>"\$rec"; fi
  exec $daemon_cmd "\${extra[@]}" "\$@"
fi
printf '%s pid=%s stock: %s\n' "\$(date +%T.%N | cut -c1-12)" "\$\$" "\$(printf '%q ' "\$@")" >>"\$rec"
exec $(printf '%q' "$stock") "\$@"
EOF
  chmod +x "$logs/bin/$name"
}
write_wrapper peer-stock "$stock"
# The JVM runs through a symlink named jrsync-java: the suite's reapers only signal a pid whose
# `ps -o comm=` contains "rsync", and a process's comm is the name it was executed by.
ln -sf "$java" "$logs/bin/jrsync-java"
write_wrapper peer-jrsync "$logs/bin/jrsync-java" --enable-native-access=ALL-UNNAMED -jar "$jar"

# write_binary_wrapper NAME CMD...: mode binary's --rsync-bin and --rsync-bin2 (and PATH's rsync):
# every invocation, whatever its role, runs CMD.
write_binary_wrapper() {
  local name="$1"; shift
  local cmd; cmd="$(printf '%q ' "$@")"
  cat >"$logs/bin/$name" <<EOF
#!/usr/bin/env bash
# Generated by run-upstream-suite.sh (mode binary): the suite's rsync on both ends -> $name.
export JRSYNC_UPSTREAM_RUN=$runid
rec="\${JRSYNC_UPSTREAM_PEERLOG:-/dev/null}/\${scratchdir##*/}.peer.log"
[ -d "\${JRSYNC_UPSTREAM_PEERLOG:-/dev/null}" ] || rec=/dev/null
role=client
for a in "\$@"; do
  case "\$a" in --server) role=server;; --daemon) role=daemon; break;; esac
done
printf '%s pid=%s %s: %s\n' "\$(date +%T.%N | cut -c1-12)" "\$\$" "\$role" "\$(printf '%q ' "\$@")" >>"\$rec"
if [ -n "\${JRSYNC_UPSTREAM_TEE:-}" ] && [ "\$rec" != /dev/null ]; then
  # Unless --no-record-stderr: a copy of every stderr line goes to the record too (via a pipe).
  pid=\$\$
  exec 2> >(while IFS= read -r l || [ -n "\$l" ]; do printf '%s\n' "\$l" >&2; printf '  stderr pid=%s: %s\n' "\$pid" "\$l" >>"\$rec"; done)
fi
exec $cmd "\$@"
EOF
  chmod +x "$logs/bin/$name"
  mkdir -p "$logs/bin/path-$name"
  ln -sf "../$name" "$logs/bin/path-$name/rsync"
}
write_binary_wrapper rsync-stock "$stock"
write_binary_wrapper rsync-jrsync "$logs/bin/jrsync-java" --enable-native-access=ALL-UNNAMED -jar "$jar"

impls="stock jrsync"; [ -n "$only" ] && impls="$only"
echo "== rsync source: $src"
echo "== stock:  $stock ($("$stock" --version | head -1))"
echo "== jrsync: $java -jar $jar"
echo "== logs:   $logs"

run_one() { # impl mode
  local impl="$1" mode="$2" out="$logs/$1-$2"
  rm -rf "$out"; mkdir -p "$out/peer" "$out/tests" "$out/scratch"
  local args=(--always-log -j "$par" --timeout "$timeout") names=() path="$PATH" what="$impl daemon"
  [ -n "$race" ] && args+=(--race-timeout "$race")
  [ -n "$exclude" ] && args+=(--exclude "$exclude")
  if [ "$mode" = binary ]; then
    # runtests.py has no "non-daemon tests only": name them (the complement of its own filter).
    mapfile -t names < <(python3 "$here/upstream_report.py" nondaemon "$src" ${tests[@]+"${tests[@]}"})
    [ ${#names[@]} -gt 0 ] || die "no non-daemon test matches ${tests[*]:-}"
    args+=(--rsync-bin "$logs/bin/rsync-$impl" --rsync-bin2 "$logs/bin/rsync-$impl")
    path="$logs/bin/path-rsync-$impl:$PATH"; what="$impl on both ends"
  else
    args+=(--daemon-tests-only --rsync-bin "$stock" --rsync-bin2 "$logs/bin/peer-$impl")
    [ "$mode" = tcp ] && args+=(--use-tcp)
    names=(${tests[@]+"${tests[@]}"})
  fi
  echo "== $what, $mode mode: (cd $src && scratchbase=$out/scratch python3 runtests.py ${args[*]}" \
       "$([ "$mode" = binary ] && echo "<${#names[@]} non-daemon tests>" || echo "${names[*]:-}"))"
  local t0=$SECONDS rc=0
  ( cd "$src" && env -u RSYNC_CONNECT_PROG -u RSYNC_TEST_USE_TCP -u RSYNC_RSH scratchbase="$out/scratch" \
      JRSYNC_UPSTREAM_PEERLOG="$out/peer" PATH="$path" JRSYNC_UPSTREAM_TEE="$tee" \
      python3 runtests.py "${args[@]}" ${names[@]+"${names[@]}"} ) >"$out/runtests.out" 2>&1 || rc=$?
  kill_stragglers
  echo "   runtests.py exit $rc after $((SECONDS - t0))s"
  python3 "$here/upstream_report.py" split "$out"
  rm -rf "$out/scratch"
}

for mode in $modes; do
  for impl in $impls; do
    if [ "$impl" = stock ] && [ -n "$reuse" ]; then
      [ -f "$reuse/stock-$mode/results.txt" ] || die "$reuse/stock-$mode/results.txt is missing"
      echo "== stock, $mode mode: results of $reuse/stock-$mode (not run again)"
      rm -rf "$logs/stock-$mode"; cp -r "$reuse/stock-$mode" "$logs/stock-$mode"
      continue
    fi
    run_one "$impl" "$mode"
  done
done
python3 "$here/upstream_report.py" table "$logs" $modes
for mode in $modes; do
  [ -f "$logs/jrsync-$mode/results.txt" ] || continue
  stockdir=""; [ -f "$logs/stock-$mode/results.txt" ] && stockdir="$logs/stock-$mode"
  python3 "$here/upstream_report.py" causes "$logs/jrsync-$mode" $stockdir >"$logs/jrsync-$mode/causes.txt"
  echo "$mode: jrsync failures grouped by first-guess cause: $logs/jrsync-$mode/causes.txt"
done
exit
}
