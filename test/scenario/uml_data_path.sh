#!/bin/bash
# uml_data_path.sh - two hipd daemons with the real data path: BEET-mode
# ESP through XFRM.  Needs a kernel with ESP, so it runs inside
# User-Mode Linux:
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/scenario/uml_data_path.sh
#
# or `make check-kernel` in the build tree.  Checks:
#   - ping to the peer's HIT: ACQUIRE -> base exchange -> SAs and
#     policies -> replies (the first packets are lost to the larval SA)
#   - SA packet counters rise on both hosts; the Responder leaves
#     R2-SENT when ESP arrives
#   - a TCP transfer of 16 MiB over the HITs arrives with the same SHA-256
#   - hipconf close: SAs and per-association policies gone on both hosts
#   - kill -9 and restart: leftovers cleared at start, re-established by
#     traffic while the peer still had the old association
#   - IPv4 locators: the same over IPv4
#   - SIGTERM: nothing of ours left in the kernel
# Prints the time of each step.
#
# HIPD_KERNEL=pfkey runs the same checks with hipd's PF_KEY backend
# (`kernel = pfkey` in the daemons' configuration); the default is xfrm.

set -u
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
scen_init ud
XFER="$PY $here/tcp_xfer.py"
MB=${SCEN_XFER_MIB:-16}

conf=$SCEN_TMP/hipd.conf
printf 'puzzle-difficulty = 4\nmsl = 2\nlog-level = debug\n' > "$conf"
KERNEL=${HIPD_KERNEL:-xfrm}
printf 'kernel = %s\n' "$KERNEL" >> "$conf"

netns_host a b
netns_link a b
netns_addr a eth0 2001:db8:1::1/64 192.0.2.1/24
netns_addr b eth0 2001:db8:1::2/64 192.0.2.2/24

hipd_start a -c "$conf" || scen_finish
hipd_start b -c "$conf" || scen_finish
HIT_A=$(hit_of a)
HIT_B=$(hit_of b)
ok "daemons up with a data plane: A $HIT_A, B $HIT_B"
check "status: data plane" \
	bash -c "'$HIPCONF' -s '$(sock_of a)' status | grep -q 'kernel: $KERNEL, data plane'"
hc a peer add "$HIT_B" 2001:db8:1::2 --name b
hc b peer add "$HIT_A" 2001:db8:1::1 --name a

# esp_packets HOST: packets counted on HOST's ESP SAs ("lifetime
# current: N(bytes), M(packets)").
esp_packets() {
	ip -n "$(netns_name "$1")" -s xfrm state |
		grep -o '[0-9]*(packets)' | tr -d '(packets)' |
		awk '{ s += $1 } END { print s + 0 }'
}

# ping_until HOST DST SECS: ping once a second until a reply comes.
ping_until() {
	local n=$3
	while [ "$n" -gt 0 ]; do
		netns_ping "$1" -c 1 -W 1 "$2" > /dev/null 2>&1 && return 0
		n=$((n - 1))
	done
	return 1
}

# data_path TAG: ping, states, counters, policies.
data_path() {
	local tag=$1 t0 t before after
	t0=$(date +%s.%N)
	# 40 s: after a close or a crash the larval SA of the previous
	# ACQUIRE for the same flow (ICMP between the same HITs) blocks new
	# ACQUIREs until it expires (net.core.xfrm_acq_expires, 30 s): the
	# kernel cannot delete a larval ESP SA by SPI.
	check "$tag: ping to B's HIT gets replies (exchange on ACQUIRE)" \
		ping_until a "$HIT_B" 40
	t=$(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5)
	ok "$tag:   first reply after $t s"
	check "$tag: A ESTABLISHED" wait_state a "$HIT_B" ESTABLISHED 5
	before="$(esp_packets a) $(esp_packets b)"
	out=$(netns_ping a -c 3 -i 0.3 -W 2 "$HIT_B" 2>&1)
	check "$tag: ping -c 3: 3 received" \
		grep -q ' 3 received' <<< "$out"
	after="$(esp_packets a) $(esp_packets b)"
	check "$tag: ESP packet counters rise on both hosts ($before -> $after)" \
		test "${after% *}" -gt "${before% *}" -a \
		"${after#* }" -gt "${before#* }"
	check "$tag: B ESTABLISHED (ESP seen in R2-SENT)" \
		wait_state b "$HIT_A" ESTABLISHED 5
	n=$(owned_xfrm a)
	check "$tag: A has 2 SAs + 2 policies + 2 trigger policies ($n)" \
		test "$n" = 6
	check "$tag: bytes counted in ha list" \
		test "$(ha_field a "$HIT_B" bytes_out)" -gt 0
}

data_path IPv6
ip -n "$(netns_name a)" xfrm state | grep -q 'src 2001:db8:1::1 dst 2001:db8:1::2' &&
	ok "IPv6: outer addresses are the IPv6 locators" ||
	fail "IPv6: outer addresses are the IPv6 locators"

# --- TCP transfer ---------------------------------------------------------------
t0=$(date +%s.%N)
ready=$SCEN_TMP/ready
netns_exec b $XFER recv "$HIT_B" 5001 "$ready" > "$SCEN_TMP/recv.out" \
	2> "$SCEN_TMP/recv.err" &
rpid=$!
netns_on_cleanup "kill $rpid 2>/dev/null"
netns_wait_for 10 test -e "$ready"
sent=$(netns_exec a $XFER send "$HIT_B" 5001 $((MB * 1048576)) 120 2>&1)
wait $rpid
got=$(cat "$SCEN_TMP/recv.out")
t=$(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5)
check "TCP: $MB MiB over the HITs, SHA-256 matches ($t s)" \
	test -n "$got" -a "$sent" = "$got" -a "${got% *}" = $((MB * 1048576))
[ "$sent" = "$got" ] || echo "  sent: $sent / received: $got $(cat "$SCEN_TMP/recv.err")"

# owned_is HOST N: HOST has N owned SAs and policies (evaluated on every
# try of netns_wait_for, unlike a "$(...)" argument).
owned_is() {
	test "$(owned_xfrm "$1")" = "$2"
}

# --- close ---------------------------------------------------------------------
check "close" hc a close "$HIT_B"
check "close: A's SAs and association policies gone" \
	netns_wait_for 5 owned_is a 2
check "close: B's too (CLOSE received)" \
	netns_wait_for 5 owned_is b 2
wait_state a "$HIT_B" none 5

# --- crash and restart ------------------------------------------------------------
ping_until a "$HIT_B" 40
check "re-established before the crash" wait_state a "$HIT_B" ESTABLISHED 5
hipd_kill9 a
n=$(owned_xfrm a)
check "kill -9: A's SAs and policies stay behind ($n)" test "$n" = 6
hipd_start a -c "$conf" || scen_finish
n=$(owned_xfrm a)
check "restart: leftovers cleared, only the trigger policies ($n)" \
	test "$n" = 2
check "restart: logged" grep -q "removed 6 SAs and policies left" \
	"$SCEN_TMP/a.log"
data_path "after restart"

# --- IPv4 locators -------------------------------------------------------------------
hc a close "$HIT_B"
netns_wait_for 5 owned_is b 2
wait_state a "$HIT_B" none 5
wait_state b "$HIT_A" none 5
hc a peer add "$HIT_B" 192.0.2.2 --name b
hc b peer add "$HIT_A" 192.0.2.1 --name a
data_path IPv4
check "IPv4: the association's locators" test \
	"$(ha_field a "$HIT_B" local_locator) $(ha_field a "$HIT_B" peer_locator)" = \
	"192.0.2.1 192.0.2.2"
ip -n "$(netns_name a)" xfrm state | grep -q 'src 192.0.2.1 dst 192.0.2.2' &&
	ok "IPv4: outer addresses are the IPv4 locators" ||
	fail "IPv4: outer addresses are the IPv4 locators"

# --- stop ------------------------------------------------------------------------------
hipd_stop a
hipd_stop b
n="$(owned_xfrm a)$(owned_xfrm b)"
check "SIGTERM: nothing of ours left in either kernel ($n)" test "$n" = 00
scen_finish
