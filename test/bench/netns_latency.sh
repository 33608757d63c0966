#!/bin/bash
# netns_latency.sh - base-exchange latency between two real hipd daemons
# in two network namespaces joined by veth (IPv6 locators,
# --no-data-plane, default puzzle difficulty).  A benchmark, not a test:
# nothing asserts a timing (test/bench/README.md).
#
#   test/bench/netns_latency.sh [-n N]     (default N = 50)
#
# Each round: "hipconf connect HIT_B --wait 10" on A, timed from just
# before the command to its return with A ESTABLISHED (date +%s%N, a
# wall clock read twice in one short interval); then "hipconf close" and
# a wait until the association is gone on both sides, so that every
# round is a fresh base exchange from UNASSOCIATED (msl = 1 in the
# configuration keeps CLOSING/CLOSED short).  Baselines from the same
# run: the same exchanges timed by A's own log (its info lines on
# state changes, 1 ms stamps), the veth round trip (ping), one "hipconf status" (process start
# plus a control socket round trip, part of every connect figure) and
# the in-process exchange latency of bench_hip.
#
# Needs root (skips with 77 otherwise).  Run from the build tree:
# ./hipd/hipd, ./hipconf/hipconf, ./test/bench/bench_hip.

set -u
N=50
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	*) echo "usage: $0 [-n N]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "SKIP: netns_latency.sh needs root (network namespaces)"; exit 77; }
command -v ip > /dev/null || { echo "SKIP: needs iproute2"; exit 77; }
. "$(cd "$(dirname "$0")" && pwd)/../scenario/lib.sh"
scen_init lat

# stats UNIT: "median X, p99 X, min X, max X" of the numbers on stdin
# (p99 = the ceil(0.99 n)-th smallest).
stats() {
	sort -g | awk -v u="$1" '{ v[NR] = $1 }
	END {
		if (NR == 0) { print "no samples"; exit }
		m = v[int((NR + 1) / 2)]
		p = int(NR * 0.99); if (p < NR * 0.99) p++
		printf "median %.3f %s, p99 %.3f %s, min %.3f %s, max %.3f %s (%d samples)\n",
			m, u, v[p], u, v[1], u, v[NR], u, NR
	}'
}

conf=$SCEN_TMP/hipd.conf
printf '# latency bench: short MSL, everything else default\nmsl = 1\n' > "$conf"

netns_host a b
netns_link a b
netns_addr a eth0 2001:db8:1::1/64
netns_addr b eth0 2001:db8:1::2/64
hipd_start a -c "$conf" --no-data-plane || scen_finish
hipd_start b -c "$conf" --no-data-plane || scen_finish
HIT_A=$(hit_of a)
HIT_B=$(hit_of b)
hc a peer add "$HIT_B" 2001:db8:1::2 > /dev/null || { fail "peer add"; scen_finish; }
echo "hipd A $HIT_A, B $HIT_B; $N base exchanges"

# gone_both: 0 once neither daemon lists an association (10 s at most).
gone_both() {
	local i
	for i in $(seq 200); do
		[ -z "$(hc a ha list)" ] && [ -z "$(hc b ha list)" ] && return 0
		sleep 0.05
	done
	return 1
}

lat=$SCEN_TMP/lat.txt
: > "$lat"
for i in $(seq "$N"); do
	t0=$(date +%s%N)
	hc a connect "$HIT_B" --wait 10 > /dev/null 2>&1; rc=$?
	t1=$(date +%s%N)
	if [ "$rc" != 0 ] || [ "$(ha_state a "$HIT_B")" != ESTABLISHED ]; then
		fail "round $i: connect failed ($rc)"
		break
	fi
	echo "scale=3; ($t1 - $t0) / 1000000" | bc >> "$lat"
	hc a close "$HIT_B" > /dev/null 2>&1
	gone_both || { fail "round $i: association not gone after close"; break; }
done
done_n=$(wc -l < "$lat")
[ "$done_n" = "$N" ] && ok "$N fresh base exchanges"

echo
echo "== base exchange, two hipd in netns (connect --wait to ESTABLISHED on A)"
echo "   $(stats ms < "$lat")"

# The daemon's view: A's log stamps (ms resolution) of its state changes,
# "-> I1-SENT" to "-> ESTABLISHED", without hipconf and its 100 ms poll.
echo "== same exchanges in A's hipd log (I1-SENT to ESTABLISHED, 1 ms stamps)"
awk '$2 == "info" && $3 == "engine:" && ($NF == "I1-SENT" || $NF == "ESTABLISHED") {
	split(substr($1, 12, 12), t, ":")
	s = t[1] * 3600 + t[2] * 60 + t[3]
	if ($NF == "I1-SENT") t0 = s
	else if (t0 != "") { d = s - t0; if (d < 0) d += 86400
		printf "%.3f\n", d * 1000; t0 = "" }
}' "$SCEN_TMP/a.log" > "$SCEN_TMP/log.txt"
echo "   $(stats ms < "$SCEN_TMP/log.txt")"

echo "== baseline: veth round trip (ping -6 -c 20 -i 0.2 A -> B)"
netns_ping a -6 -c 20 -i 0.2 2001:db8:1::2 2>/dev/null |
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' > "$SCEN_TMP/ping.txt"
echo "   $(stats ms < "$SCEN_TMP/ping.txt")"

echo "== baseline: one 'hipconf status' (process start + control socket), 20 times"
: > "$SCEN_TMP/hc.txt"
for i in $(seq 20); do
	t0=$(date +%s%N)
	hc a status > /dev/null
	t1=$(date +%s%N)
	echo "scale=3; ($t1 - $t0) / 1000000" | bc >> "$SCEN_TMP/hc.txt"
done
echo "   $(stats ms < "$SCEN_TMP/hc.txt")"

echo "== baseline: in-process exchange latency (bench_hip --n 200 exchange)"
bh=$(scen_real_bin "$PWD/test/bench/bench_hip")
if [ -x "$bh" ]; then
	"$bh" --n 200 exchange | grep '^latency' | sed 's/^/   /'
else
	echo "   (no $bh: make test/bench/bench_hip first)"
fi

hipd_stop a
hipd_stop b
scen_finish
