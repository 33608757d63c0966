#!/bin/bash
# uml-run.sh - run a script as root inside Debian's User-Mode Linux
# kernel, which has ESP, BEET and PF_KEY (the host kernel may lack them).
#
#   test/uml/uml-run.sh [--mem 512M] [--timeout SECS] [--cwd DIR]
#                       [--keep] SCRIPT [ARGS...]
#
# The guest sees the host's root read-only (the host's /tmp too), a
# private tmpfs /run and TMPDIR=/run/tmp for scratch.  SCRIPT runs
# with ARGS in DIR (default: the current directory); its output is
# printed here and its exit status is ours.  While it runs, its output
# grows in /tmp/uml-run.*/output.  Environment
# variables named HIPD_* and those listed in UML_PASS_ENV (space
# separated names) are passed into the guest.
#
# Exit status: the script's; 1 when UML fails to boot or times out; 77
# (skip) when /usr/bin/linux.uml is missing AND UML_ALLOW_SKIP=1 is set,
# otherwise a missing UML kernel is an error.
#
# Needs: apt-get install user-mode-linux (and root for the tests that
# create namespaces inside the guest: not for UML itself).

set -u

mem=512M
tmo=600
cwd=$PWD
keep=0
uml=${UML_KERNEL:-/usr/bin/linux.uml}

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--mem) mem=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--cwd) cwd=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) echo "uml-run: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage

if [ ! -x "$uml" ]; then
	echo "uml-run: $uml not found: install Debian's User-Mode Linux" \
	     "kernel with 'apt-get install user-mode-linux'" >&2
	[ "${UML_ALLOW_SKIP:-0}" = 1 ] && exit 77
	exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
init=$here/uml-init.sh
script=$1
shift
cwd=$(cd "$cwd" && pwd) || exit 1
case $script in
/*) ;;
*)	# relative to where we were called from, else to DIR
	if [ -e "$script" ]; then
		script=$PWD/$script
	elif [ -e "$cwd/$script" ]; then
		script=$cwd/$script
	fi ;;
esac

out=$(mktemp -d "${TMPDIR:-/tmp}/uml-run.XXXXXX") || exit 1
chmod 755 "$out"
umlpid=

cleanup() {
	# UML forks one host process per guest process, all in the session
	# that setsid gave the kernel: stop whatever is left of it.
	if [ -n "$umlpid" ]; then
		kill -TERM "$umlpid" 2>/dev/null
		local pids
		pids=$(ps -o pid= -s "$umlpid" 2>/dev/null)
		[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
		wait "$umlpid" 2>/dev/null
		umlpid=
	fi
	if [ "$keep" = 1 ]; then
		echo "uml-run: kept $out" >&2
	else
		rm -rf "$out"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

{
	echo "# written by uml-run.sh"
	for v in $(compgen -e); do
		case " $v ${UML_PASS_ENV:-} " in
		" HIPD_"*|*" $v "*) printf 'export %s=%q\n' "$v" "${!v}" ;;
		esac
	done
	printf 'cd %q || exit 1\n' "$cwd"
	printf 'exec'
	printf ' %q' "$script" "$@"
	printf '\n'
} > "$out/job.sh"

t0=$(date +%s.%N)
# setsid: the kernel and its helpers get a session of their own, so that
# cleanup can find them by session id; TMPDIR is where UML puts the file
# backing guest memory.
TMPDIR=/dev/shm setsid timeout --kill-after=5 "$tmo" "$uml" \
	mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ ro \
	init="$init" con0=fd:0,fd:1 con=null quiet \
	hipd_uml_out="$out" < /dev/null > "$out/console.log" 2>&1 &
umlpid=$!
# UML sometimes aborts on its way down after the power-off; the status
# file, not the kernel's exit, tells how the script ended.
wait "$umlpid" 2>/dev/null
rc=$?
t1=$(date +%s.%N)
pids=$(ps -o pid= -s "$umlpid" 2>/dev/null)
[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
umlpid=

wall=$(echo "$t1 - $t0" | bc 2>/dev/null || echo "?")
if [ -s "$out/output" ]; then
	cat "$out/output"
fi
if [ ! -s "$out/status" ]; then
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "uml-run: UML timed out after $tmo s" >&2
	else
		echo "uml-run: UML stopped (exit $rc) before the script" \
		     "finished; console:" >&2
	fi
	tail -n 40 "$out/console.log" >&2
	exit 1
fi
status=$(cat "$out/status")
boot=$(cat "$out/boot-seconds" 2>/dev/null || echo "?")
echo "uml-run: exit $status; boot+modules ${boot} s, total ${wall} s" >&2
exit "$status"
