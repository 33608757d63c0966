# test/scenario/lib.sh - hipd daemons in network namespaces, for the
# scenario scripts.  Source it from bash after setting nothing; it
# sources test/netns/lib.sh.
#
#   scen_init TAG              namespaces prefix, scratch dir, cleanup trap
#   hipd_start HOST [ARGS...]  start hipd -f -v in HOST with its own state
#                              and run directories; waits for its socket
#   hipd_stop HOST             SIGTERM, wait for the exit
#   hipd_kill9 HOST            SIGKILL (a crash), wait for it
#   hc HOST ARGS...            hipconf against HOST's daemon
#   hit_of HOST                HOST's default HIT
#   ha_state HOST PEER_HIT     association state ("none" if there is none)
#   wait_state HOST PEER_HIT STATE SECS
#   ok/fail MESSAGE, scen_finish   results; exit status 1 on any failure
#
# Environment: HIPD, HIPCONF (default: ./hipd/hipd, ./hipconf/hipconf in
# the build tree, the current directory).

scen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$scen_dir/../netns/lib.sh"

HIPD=${HIPD:-$PWD/hipd/hipd}
HIPCONF=${HIPCONF:-$PWD/hipconf/hipconf}
# The system's python3 (a pyenv shim can take seconds per start).
PY=${PYTHON3:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

# libtool wrapper scripts cost a second each on a loaded machine: run
# the real binaries of the build tree, with its libraries.
scen_real_bin() {
	local d b
	d=$(dirname "$1")
	b=$(basename "$1")
	if [ -x "$d/.libs/$b" ] && [ -z "${SCEN_NO_LIBTOOL_SKIP:-}" ]; then
		echo "$d/.libs/$b"
	else
		echo "$1"
	fi
}
if [ -d "$PWD/libhipcore/.libs" ]; then
	export LD_LIBRARY_PATH=$PWD/libhipcore/.libs:$PWD/libpfkey/.libs:$PWD/hipd/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
HIPD=$(scen_real_bin "$HIPD")
HIPCONF=$(scen_real_bin "$HIPCONF")
SCEN_TMP=
SCEN_FAILS=0
SCEN_T0=$(date +%s.%N)
declare -A HIPD_PIDS

ok() {
	printf 'ok   %6.2fs %s\n' "$(scen_elapsed)" "$*"
}

fail() {
	printf 'FAIL %6.2fs %s\n' "$(scen_elapsed)" "$*"
	SCEN_FAILS=$((SCEN_FAILS + 1))
}

# check DESCRIPTION CMD...: ok when CMD succeeds, fail otherwise.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

scen_elapsed() {
	echo "$(date +%s.%N) - $SCEN_T0" | bc
}

scen_init() {
	[ -x "$HIPD" ] || { echo "no hipd at $HIPD (set HIPD)"; exit 99; }
	[ -x "$HIPCONF" ] || { echo "no hipconf at $HIPCONF"; exit 99; }
	command -v "$PY" > /dev/null || { echo "SKIP: needs python3"; exit 77; }
	netns_init "$1"
	SCEN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hipd-scen.XXXXXX") || exit 99
	chmod 755 "$SCEN_TMP"
	netns_on_cleanup "rm -rf '$SCEN_TMP'"
	netns_on_cleanup "scen_show_logs"
}

# On failure, the daemons' logs are the first thing to read.
scen_show_logs() {
	local f
	[ "$SCEN_FAILS" -gt 0 ] || [ "${SCEN_VERBOSE:-0}" = 1 ] || return 0
	for f in "$SCEN_TMP"/*.log; do
		[ -e "$f" ] || continue
		echo "---- $(basename "$f") (last ${SCEN_LOG_LINES:-40} lines)"
		tail -n "${SCEN_LOG_LINES:-40}" "$f"
	done
}

scen_finish() {
	local t
	t=$(scen_elapsed)
	if [ "$SCEN_FAILS" -gt 0 ]; then
		echo "$SCEN_FAILS check(s) failed after ${t}s"
		exit 1
	fi
	echo "all checks passed in ${t}s"
	exit 0
}

sock_of() {
	echo "$SCEN_TMP/$1/run/hipd.sock"
}

hc() {
	local h=$1
	shift
	"$HIPCONF" -s "$(sock_of "$h")" "$@"
}

# hc_quiet HOST ARGS...: hc without output (for check).
hc_quiet() {
	hc "$@" > /dev/null
}

# hipd_start HOST [ARGS...]
hipd_start() {
	local h=$1 i
	shift
	mkdir -p "$SCEN_TMP/$h/run"
	netns_spawn "$h" "$HIPD" -f -v --state-dir "$SCEN_TMP/$h/state" \
		--run-dir "$SCEN_TMP/$h/run" "$@" >> "$SCEN_TMP/$h.log" 2>&1
	HIPD_PIDS[$h]=$NETNS_PID
	for i in $(seq 50); do
		hc "$h" status > /dev/null 2>&1 && return 0
		kill -0 "$NETNS_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "hipd in $h did not start"
	tail -n 20 "$SCEN_TMP/$h.log"
	return 1
}

hipd_stop() {
	netns_stop "${HIPD_PIDS[$1]}"
	unset "HIPD_PIDS[$1]"
	scen_check_log "$1"
}

# scen_check_log HOST: fail on sanitizer reports in HOST's hipd log
# (hipd built with --enable-sanitizers reports there, leaks at exit).
scen_check_log() {
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' \
		"$SCEN_TMP/$1.log"; then
		fail "sanitizer report in $1's hipd log"
		grep -E -A12 'AddressSanitizer|LeakSanitizer|runtime error:' \
			"$SCEN_TMP/$1.log" | head -40
	fi
}

hipd_kill9() {
	local pid=${HIPD_PIDS[$1]} i keep=()
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for i in "${NETNS_PIDS[@]}"; do
		[ "$i" = "$pid" ] || keep+=("$i")
	done
	NETNS_PIDS=("${keep[@]}")
	unset "HIPD_PIDS[$1]"
}

hit_of() {
	hc "$1" --json hi list | "$PY" -c '
import json, sys
print([i["hit"] for i in json.load(sys.stdin) if i["default"]][0])'
}

# ha_field HOST PEER_HIT FIELD: one field of the association's JSON.
ha_field() {
	hc "$1" --json ha list | "$PY" -c '
import json, sys
peer, field = sys.argv[1], sys.argv[2]
for a in json.load(sys.stdin):
    if a["peer_hit"] == peer:
        print(a[field]); break
else:
    print("none")' "$2" "$3"
}

ha_state() {
	ha_field "$1" "$2" state
}

# wait_state HOST PEER_HIT STATE SECS: 0 once the state is reached.
wait_state() {
	local n=$(($4 * 10))
	while [ $n -gt 0 ]; do
		[ "$(ha_state "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# counter HOST NAME: a status counter.
counter() {
	hc "$1" --json status | "$PY" -c '
import json, sys
print(json.load(sys.stdin)["counters"][sys.argv[1]])' "$2"
}

# owned_xfrm HOST: number of hipd's SAs (reqid) and policies (priority)
# in HOST, i.e. those in the 0x4849xxxx ranges.  Larval SAs (SPI 0) of
# pending ACQUIREs are not counted: they cannot be deleted by SPI and
# expire by themselves (net.core.xfrm_acq_expires).
owned_xfrm() {
	local ns
	ns=$(netns_name "$1")
	{
		ip -n "$ns" xfrm state |
			grep -o 'spi 0x[0-9a-f]* reqid [0-9]*' |
			awk '$2 != "0x00000000" { print "reqid", $4 }'
		ip -n "$ns" xfrm policy | grep -o 'priority [0-9]*'
	} | awk '$2 >= 1212743680 && $2 <= 1212809215' | wc -l
}
