#!/bin/bash
# uml_mobility.sh - mobility (RFC 8046) with the real data path: the
# mobile host's address goes away and a new one comes while a TCP
# transfer over the HITs runs.  Needs a kernel with ESP:
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/scenario/uml_mobility.sh \
#       [BACKEND]
#
# BACKEND: xfrm (default) or pfkey.  Hosts: A (mobile) and B joined by a
# veth; M, a third party, hangs off B.  Checks:
#   - SCEN_MOVES (default 4) IPv6 -> IPv6 moves of A: address removed, a
#     new one added; UPDATEs seen on the wire; the first ESP packet from
#     the new address; SAs on the new locators on both hosts
#   - a forged UPDATE (right HITs, random MAC and signature) from M
#     announcing M's address changes nothing on B: same locator, same
#     SAs, no ESP to M, counted as dropped
#   - an IPv6 -> IPv4 move (BEET: inner HITs, outer IPv4)
#   - the paced transfer (never reset) arrives with the right SHA-256
# Figures: handover time (address change -> first ESP packet from the
# new address, seen on B's interface, with a ping every 0.2 s running
# beside the transfer; median over the moves) and UPDATE packets per
# move.  Timing under UML is only indicative.

set -u
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/uml_lib.sh"
scen_init mo
K=${1:-xfrm}
MOVES=${SCEN_MOVES:-4}
RATE=${SCEN_MOBILITY_RATE:-131072}	# bytes/s of the paced transfer
SPACING=4				# seconds between moves
WIRE_B=$SCEN_TMP/wire-b
WIRE_M=$SCEN_TMP/wire-m

conf=$SCEN_TMP/hipd.conf
cat > "$conf" <<EOF
kernel = $K
puzzle-difficulty = 4
msl = 2
log-level = debug
locator-debounce-ms = 100
EOF

netns_host a b m
netns_link a b
netns_link b m eth1 eth0
netns_addr a eth0 2001:db8:1::1/64
netns_addr b eth0 2001:db8:1::2/64 192.0.2.2/24
netns_addr b eth1 2001:db8:9::2/64
netns_addr m eth0 2001:db8:9::66/64
ip -n "$(netns_name m)" -6 route add 2001:db8:1::/64 via 2001:db8:9::2

hipd_start a -c "$conf" || scen_finish
hipd_start b -c "$conf" || scen_finish
HIT_A=$(hit_of a)
HIT_B=$(hit_of b)
hc a peer add "$HIT_B" 2001:db8:1::2 192.0.2.2 --name b
hc b peer add "$HIT_A" 2001:db8:1::1 --name a
check "connect: ESTABLISHED" hc_quiet a connect "$HIT_B" --wait 20
check "ping over the HITs" ping_until a "$HIT_B" 20

ip netns exec "$(netns_name b)" $PY "$here/wire_watch.py" eth0 "$WIRE_B" &
netns_on_cleanup "kill $! 2>/dev/null"
ip netns exec "$(netns_name m)" $PY "$here/wire_watch.py" eth0 "$WIRE_M" &
netns_on_cleanup "kill $! 2>/dev/null"

# A ping every 0.2 s over the HITs shows when the new path works: the
# TCP stream alone would show its retransmission back-off instead.
ip netns exec "$(netns_name a)" ping -i 0.2 -q "$HIT_B" > /dev/null 2>&1 &
netns_on_cleanup "kill $! 2>/dev/null"

# total: long enough for every move, the forged UPDATE and a tail
mib=$(( (RATE * (SPACING * (MOVES + 3) + 8) + 1048575) / 1048576 ))
xfer_start b a "$HIT_B" "$mib" 180 "$RATE"
sleep 2

# first_esp_from SRC T0: time of the first ESP packet from SRC seen on
# B's interface after T0 (empty if none yet).
first_esp_from() {
	awk -v s="$1" -v t="$2" '$2 == "esp" && $4 == s && $1 >= t {
		print $1; exit }' "$WIRE_B"
}

# first_esp_to DST T0: the same for ESP packets to DST.
first_esp_to() {
	awk -v d="$1" -v t="$2" '$2 == "esp" && $5 == d && $1 >= t {
		print $1; exit }' "$WIRE_B"
}

# updates_between T0 T1: UPDATE packets on the wire in [T0, T1).
updates_between() {
	awk -v a="$1" -v b="$2" '$2 == "hip" && $3 == 16 && $1 >= a &&
		$1 < b { n++ } END { print n + 0 }' "$WIRE_B"
}

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

# move OLD NEW PLEN: A swaps OLD for NEW; sets HANDOVER (s) or "".
HANDOVERS=()
BACK=()
MOVED=()
UPDATES=()
move() {
	local old=$1 new=$2 plen=$3 t0 t1 peer first
	case $new in *:*) peer=2001:db8:1::2 ;; *) peer=192.0.2.2 ;; esac
	t0=$(date +%s.%N)
	ip -n "$(netns_name a)" addr add "$new/$plen" dev eth0 nodad 2>/dev/null ||
		ip -n "$(netns_name a)" addr add "$new/$plen" dev eth0
	ip -n "$(netns_name a)" addr del "$old" dev eth0
	first=
	for _ in $(seq 150); do
		first=$(first_esp_from "$new" "$t0")
		[ -n "$first" ] && break
		sleep 0.1
	done
	if [ -n "$first" ]; then
		HANDOVER=$(echo "$first - $t0" | bc)
		HANDOVERS+=("$HANDOVER")
		ok "move $old -> $new: first ESP from $new after ${HANDOVER} s"
	else
		HANDOVER=
		fail "move $old -> $new: no ESP from $new within 15 s"
	fi
	# B sends there only once the address answered its ECHO_REQUEST
	first=
	for _ in $(seq 100); do
		first=$(first_esp_to "$new" "$t0")
		[ -n "$first" ] && break
		sleep 0.1
	done
	if [ -n "$first" ]; then
		BACK+=("$(echo "$first - $t0" | bc)")
		ok "  first ESP from B to $new after ${BACK[-1]} s"
	else
		fail "  no ESP from B to $new within 10 s more"
	fi
	# when hipd on A logged the move (its clock is the same)
	first=$(grep "SAs with .* moved: .* is now $new -> " "$SCEN_TMP/a.log" |
		tail -n 1 | cut -d' ' -f1)
	if [ -n "$first" ]; then
		MOVED+=("$(echo "$(date -d "$first" +%s.%N) - $t0" | bc)")
		ok "  hipd on A moved the SAs after ${MOVED[-1]} s"
	fi
	check "  A's SAs on the new locators" \
		netns_wait_for 5 xfrm_has a "$new" "$peer"
	check "  B's SAs on the new locators" \
		netns_wait_for 5 xfrm_has b "$peer" "$new"
	check "  no SA or policy of A left on ${old%/*}" \
		netns_wait_for 5 not_on a "${old%/*}"
	sleep $((SPACING - 1))
	t1=$(date +%s.%N)
	UPDATES+=("$(updates_between "$t0" "$t1")")
	check "  UPDATEs on the wire (${UPDATES[-1]})" test "${UPDATES[-1]}" -ge 2
}

cur=2001:db8:1::1
for i in $(seq "$MOVES"); do
	new=2001:db8:1::$((16 + i))
	move "$cur/64" "$new" 64
	cur=$new
done

# --- a forged UPDATE changes nothing -------------------------------------------
loc_before=$(ha_field b "$HIT_A" peer_locator)
spis_before=$(sa_spis b | tr '\n' ' ')
drop_before=$(counter b packets-dropped)
netns_exec m $PY "$here/hip_spoof.py" 2001:db8:9::66 2001:db8:1::2 \
	"$HIT_A" "$HIT_B" 2001:db8:9::66 > /dev/null
sleep 2
check "forged UPDATE: dropped by B ($drop_before -> $(counter b packets-dropped))" \
	test "$(counter b packets-dropped)" -gt "$drop_before"
check "forged UPDATE: B's locator for A unchanged ($loc_before)" \
	test "$(ha_field b "$HIT_A" peer_locator)" = "$loc_before"
check "forged UPDATE: B's SAs unchanged" \
	test "$(sa_spis b | tr '\n' ' ')" = "$spis_before"
check "forged UPDATE: no ESP and no UPDATE (ECHO) towards M" \
	bash -c "! grep -Eq ' (esp [^ ]*|hip 16) [^ ]* 2001:db8:9::66\$' '$WIRE_M'"
check "forged UPDATE: data still flows to A ($cur)" \
	netns_wait_for 3 xfrm_has b 2001:db8:1::2 "$cur"

# --- IPv6 -> IPv4 ------------------------------------------------------------------
move "$cur/64" 192.0.2.11 24
check "IPv4: the association's locators" test \
	"$(ha_field a "$HIT_B" local_locator) $(ha_field a "$HIT_B" peer_locator)" = \
	"192.0.2.11 192.0.2.2"

check "TCP over the moves: no reset, SHA-256 matches ($mib MiB)" xfer_wait
check "ping after the moves" ping_until a "$HIT_B" 5
check "locator moves counted (A $(counter a sa-migrations) migrations, $(counter a sa-migrate-fallbacks) fallbacks)" \
	test $(( $(counter a sa-migrations) + $(counter a sa-migrate-fallbacks) )) -ge $((MOVES + 1))

median() {
	printf '%s\n' "$@" | sort -n |
	awk 'NF { v[++n] = $1 } END { if (n == 0) print "?";
	      else if (n % 2) print v[(n + 1) / 2];
	      else printf "%.3f\n", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
echo "FIGURES $K handover (address change -> first ESP from the new" \
	"address, UML, indicative): median $(median "${HANDOVERS[@]}") s over" \
	"${#HANDOVERS[@]} moves (${HANDOVERS[*]});" \
	"SAs moved by hipd on A: median $(median "${MOVED[@]}") s" \
	"(${MOVED[*]}); back to the new address from B (after the ECHO" \
	"check): median" \
	"$(median "${BACK[@]}") s (${BACK[*]});" \
	"UPDATE packets per move: ${UPDATES[*]};" \
	"UPDATEs sent: A $(counter a updates-sent), B $(counter b updates-sent);" \
	"TCP retransmitted segments: $(tcp_retrans a)"

hipd_stop a
hipd_stop b
n="$(owned_xfrm a)$(owned_xfrm b)"
check "SIGTERM: nothing of ours left in either kernel ($n)" test "$n" = 00
scen_finish
