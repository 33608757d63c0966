#!/bin/bash
# uml_msrd_move.sh - moves driven through the MSRD (hipconf msrd) with
# the real data path, under User-Mode Linux:
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/scenario/uml_msrd_move.sh \
#       [BACKEND]
#
# BACKEND: xfrm (default) or pfkey.  Hosts A (mobile) and B on one veth.
# A has all its addresses from the start, so rtnetlink alone moves
# nothing: only the MSRD records decide.  Checks:
#   - extended ACQUIRE: a record bound to A's and B's HITs before any
#     association; a ping to B's HIT makes the example watcher
#     (examples/msrd-watch) print an SADB_ACQUIRE with SADB_X_REF naming
#     the record's MPI, its care-of and peer addresses, and the exchange
#     goes to the record's peer (A has no peer entry for B)
#   - deleting that record hands the association back to A's locators
#   - a shell "mobility daemon": msrd put (care-of = another address of
#     A, peer = B) + msrd bind to the HIT pair while a paced TCP transfer
#     over the HITs runs, then further puts changing the care-of
#     address; each time UPDATEs (LOCATOR_SET, ECHO) on the wire, ESP
#     from and to the new address, SAs on it in both kernels, none left
#     on the old one
#   - the transfer (never reset) arrives with the right SHA-256
# Figures: time from `hipconf msrd put` to the first ESP packet from the
# new care-of address on B's interface (a ping every 0.2 s beside the
# transfer; median over the moves) and UPDATE packets per move.  The
# first move's time includes the `msrd bind` (an unbound record moves
# nothing) and the hipconf start-ups.  Timing under UML is only
# indicative.

set -u
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/uml_lib.sh"
WATCH=$(scen_real_bin "${MSRD_WATCH:-$PWD/examples/msrd-watch}")
[ -x "$WATCH" ] || { echo "no msrd-watch at $WATCH"; exit 99; }
scen_init mm
K=${1:-xfrm}
MOVES=${SCEN_MOVES:-3}
RATE=${SCEN_MOBILITY_RATE:-131072}	# bytes/s of the paced transfer
SPACING=4				# seconds between moves
WIRE_B=$SCEN_TMP/wire-b
MPI_ACQ=0x5a01				# the record of the extended ACQUIRE
MPI_MOVE=0x5a02				# the mobility daemon's record
PEER=2001:db8:1::2

conf=$SCEN_TMP/hipd.conf
cat > "$conf" <<EOF
kernel = $K
puzzle-difficulty = 4
msl = 2
log-level = debug
locator-debounce-ms = 100
EOF

netns_host a b
netns_link a b
# A's care-of addresses for the moves are there from the start (one
# more than the moves: whichever hipd picks first is not a target).
addrs_a=(2001:db8:1::1/64)
for i in $(seq $((MOVES + 1))); do
	addrs_a+=("2001:db8:1::$((16 + i))/64")
done
netns_addr a eth0 "${addrs_a[@]}"
netns_addr b eth0 $PEER/64

hipd_start a -c "$conf" || scen_finish
hipd_start b -c "$conf" || scen_finish
HIT_A=$(hit_of a)
HIT_B=$(hit_of b)
MSOCK=$SCEN_TMP/a/run/msrd.sock

# ms ARGS...: hipconf msrd against A's MSRD, output dropped.
ms() {
	"$HIPCONF" msrd --msrd "$MSOCK" "$@" > /dev/null
}

# --- extended ACQUIRE ------------------------------------------------------
check "record $MPI_ACQ (care-of 2001:db8:1::1, peer B) bound to the HITs" \
	sh -c "'$HIPCONF' msrd --msrd '$MSOCK' put $MPI_ACQ --coa 2001:db8:1::1 --peer $PEER > /dev/null &&
	       '$HIPCONF' msrd --msrd '$MSOCK' bind $MPI_ACQ local=$HIT_A,peer=$HIT_B > /dev/null"
"$WATCH" -s "$MSOCK" -n 1 -t 30 > "$SCEN_TMP/watch.out" 2>&1 &
WATCH_PID=$!
NETNS_PIDS+=("$WATCH_PID")
check "watcher subscribed" netns_wait_for 5 grep -q '^watching' "$SCEN_TMP/watch.out"
netns_ping a -6 -c 1 -W 1 "$HIT_B" > /dev/null 2>&1
for _ in $(seq 100); do
	kill -0 "$WATCH_PID" 2>/dev/null || break
	sleep 0.1
done
kill -TERM "$WATCH_PID" 2>/dev/null
wait "$WATCH_PID"
rc=$?
check "watcher got one event and ended with 0 ($rc)" test "$rc" = 0
mpi_hex=$(printf '%x' "$MPI_ACQ")
check "  ACQUIRE with SADB_X_REF MPI $MPI_ACQ" \
	grep -q "^ACQUIRE seq [0-9]* .* ref mpi 0x$mpi_hex\$" "$SCEN_TMP/watch.out"
check "  addresses: the record's care-of -> its peer" \
	grep -q "^ACQUIRE seq [0-9]* 2001:db8:1::1 -> $PEER " "$SCEN_TMP/watch.out"
check "  the record as read back: care-of and peer" \
	grep -q "^record 0x$mpi_hex seq [0-9]* coa 2001:db8:1::1 peer $PEER" "$SCEN_TMP/watch.out"
[ "$SCEN_FAILS" = 0 ] || sed 's/^/    watch: /' "$SCEN_TMP/watch.out"
check "exchange to the record's peer: ESTABLISHED (no peer entry on A)" \
	wait_state a "$HIT_B" ESTABLISHED 20
check "  B: ESTABLISHED" wait_state b "$HIT_A" ESTABLISHED 10
check "ping over the HITs" ping_until a "$HIT_B" 20
check "delete $MPI_ACQ" ms del "$MPI_ACQ"
check "  the association is back on A's own locators" \
	netns_wait_for 5 grep -q "association .* is back on the host's locators" "$SCEN_TMP/a.log"

# --- moves by a mobility daemon script ---------------------------------------
ip netns exec "$(netns_name b)" $PY "$here/wire_watch.py" eth0 "$WIRE_B" &
netns_on_cleanup "kill $! 2>/dev/null"
ip netns exec "$(netns_name a)" ping -i 0.2 -q "$HIT_B" > /dev/null 2>&1 &
netns_on_cleanup "kill $! 2>/dev/null"
mib=$(( (RATE * (SPACING * (MOVES + 1) + 8) + 1048575) / 1048576 ))
xfer_start b a "$HIT_B" "$mib" 150 "$RATE"
sleep 2

# xfrm_has HOST SRC DST: HOST has an SA from SRC to DST.
xfrm_has() {
	ip -n "$(netns_name "$1")" xfrm state | grep -q "^src $2 dst $3\$"
}
# not_on HOST ADDR: no SA and no policy template of HOST uses ADDR.
not_on() {
	! { ip -n "$(netns_name "$1")" xfrm state
	    ip -n "$(netns_name "$1")" xfrm policy; } |
		grep -Eq "(src|dst) $2( |\$)"
}
# updates_between T0 T1: UPDATE packets on B's wire in [T0, T1).
updates_between() {
	awk -v a="$1" -v b="$2" '$2 == "hip" && $3 == 16 && $1 >= a &&
		$1 < b { n++ } END { print n + 0 }' "$WIRE_B"
}

HANDOVERS=()
BACK=()
UPDATES=()
# move N OLD NEW: the daemon's put of care-of NEW (and, on the first
# move, its bind); then the checks.
move() {
	local n=$1 old=$2 new=$3 t0 t1 first
	t0=$(date +%s.%N)
	check "move $n: msrd put $MPI_MOVE care-of $new" \
		ms put "$MPI_MOVE" --coa "$new" --peer "$PEER"
	[ "$n" = 1 ] && check "  msrd bind $MPI_MOVE to the HIT pair" \
		ms bind "$MPI_MOVE" "local=$HIT_A,peer=$HIT_B"
	first=
	for _ in $(seq 150); do
		first=$(wire_first_esp "$WIRE_B" src "$new" "$t0")
		[ -n "$first" ] && break
		sleep 0.1
	done
	if [ -n "$first" ]; then
		HANDOVERS+=("$(echo "$first - $t0" | bc)")
		ok "  first ESP from $new after ${HANDOVERS[-1]} s"
	else
		fail "  no ESP from $new within 15 s"
	fi
	first=
	for _ in $(seq 100); do
		first=$(wire_first_esp "$WIRE_B" dst "$new" "$t0")
		[ -n "$first" ] && break
		sleep 0.1
	done
	if [ -n "$first" ]; then
		BACK+=("$(echo "$first - $t0" | bc)")
		ok "  first ESP from B to $new after ${BACK[-1]} s"
	else
		fail "  no ESP from B to $new within 10 s more"
	fi
	check "  A's association: local locator $new" \
		test "$(ha_field a "$HIT_B" local_locator)" = "$new"
	check "  B's association: peer locator $new" \
		test "$(ha_field b "$HIT_A" peer_locator)" = "$new"
	check "  A's SAs on the new locator" netns_wait_for 5 xfrm_has a "$new" $PEER
	check "  B's SAs on the new locator" netns_wait_for 5 xfrm_has b $PEER "$new"
	check "  no SA or policy of A left on $old" netns_wait_for 5 not_on a "$old"
	check "  no SA or policy of B left on $old" netns_wait_for 5 not_on b "$old"
	sleep $((SPACING - 1))
	t1=$(date +%s.%N)
	UPDATES+=("$(updates_between "$t0" "$t1")")
	check "  UPDATE/ECHO on the wire (${UPDATES[-1]} UPDATE packets)" \
		test "${UPDATES[-1]}" -ge 2
}

# Back on its own locators, A uses one of its addresses; the moves go
# to the others, each once (wire_watch.py logs the first packet of an
# SPI from an address only: a way back would not show).
cur=$(ha_field a "$HIT_B" local_locator)
check "association on one of A's addresses ($cur)" \
	grep -q "^$cur/" <<< "$(printf '%s\n' "${addrs_a[@]}")"
targets=()
for a in "${addrs_a[@]:1}"; do
	[ "${a%/*}" = "$cur" ] || targets+=("${a%/*}")
done
for i in $(seq "$MOVES"); do
	new=${targets[$((i - 1))]}
	move "$i" "$cur" "$new"
	cur=$new
done
check "the record on A names the binding" \
	sh -c "'$HIPCONF' msrd --msrd '$MSOCK' get $MPI_MOVE | grep -qi '$HIT_B'"

check "TCP over the moves: no reset, SHA-256 matches ($mib MiB)" xfer_wait
check "ping after the moves" ping_until a "$HIT_B" 5
check "locator moves counted (A: $(counter a sa-migrations) migrations, $(counter a sa-migrate-fallbacks) fallbacks)" \
	test $(( $(counter a sa-migrations) + $(counter a sa-migrate-fallbacks) )) -ge "$MOVES"

echo "FIGURES $K MSRD-driven handover (msrd put -> first ESP from the new" \
	"care-of address, UML, indicative): median $(median "${HANDOVERS[@]}") s" \
	"over ${#HANDOVERS[@]} moves (${HANDOVERS[*]});" \
	"back to it from B (after the ECHO check): median" \
	"$(median "${BACK[@]}") s (${BACK[*]});" \
	"UPDATE packets per move: ${UPDATES[*]};" \
	"UPDATEs sent: A $(counter a updates-sent), B $(counter b updates-sent);" \
	"TCP retransmitted segments: $(tcp_retrans a)"

hipd_stop a
hipd_stop b
n="$(owned_xfrm a)$(owned_xfrm b)"
check "SIGTERM: nothing of ours left in either kernel ($n)" test "$n" = 00
scen_finish
