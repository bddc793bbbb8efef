#!/bin/sh
# A stand-in for ssh in the interop tests: `rsh-standin [-l USER] [ssh options] HOST COMMAND [ARG...]` connects to
# nowhere; it runs the command here, as the current user, the way sshd would run it on HOST:
#   - the words after HOST are joined with single spaces into one string and handed to `sh -c` (ssh sends the
#     remote command as one string and the remote user's shell splits it again), so an argument the client did not
#     quote for a shell is split, expanded or mangled exactly as over real ssh;
#   - it runs in $HOME, like a command started by sshd;
#   - its own failures exit with 255, like ssh's.
# Every invocation is appended, as "HOST<TAB>COMMAND", to invocations.log next to this script, so tests can check
# that the remote shell was used and what it was asked to run.
# Installed and made executable by dev.jrsync.interop.support.RemoteShell.
log="$(dirname "$0")/invocations.log"
user=

die() {
    echo "rsh-standin: $*" >&2
    exit 255
}

while [ $# -gt 0 ]; do
    case "$1" in
    -l) [ $# -ge 2 ] || die "option -l needs an argument"; user=$2; shift 2 ;;
    -l?*) user=${1#-l}; shift ;;
    # ssh options that take an argument, separate or attached.
    -[BbcDEeFIiJLmOopQRSWw]) [ $# -ge 2 ] || die "option $1 needs an argument"; shift 2 ;;
    -[BbcDEeFIiJLmOopQRSWw]?*) shift ;;
    --) shift; break ;;
    # Flags (-4 -6 -A -a -C -q -T -t -v -x ...), alone or bundled.
    -?*) shift ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || die "no host given"
host=$1
shift
[ $# -ge 1 ] || die "no command given for $host (an interactive login is not supported)"
me=$(id -un) || die "cannot tell the current user"
if [ -n "$user" ] && [ "$user" != "$me" ]; then
    die "cannot log in as $user (only as the current user, $me)"
fi

IFS=' '
command="$*"
printf '%s\t%s\n' "$host" "$command" >>"$log" || die "cannot append to $log"
cd "${HOME:-/}" || die "cannot change to the home directory ${HOME:-/}"
exec sh -c "$command"
