#!/bin/bash
# demo-hosts.sh - the two-host demonstration, run by tools/demo inside
# User-Mode Linux (a kernel with ESP) from the build directory:
# two hosts (network namespaces joined by a veth link), one hipd each;
# A pings B's HIT, the kernel's ACQUIRE starts the base exchange, the
# ping goes through BEET-mode ESP.  Shows the association tables, the
# ping and the ESP counters, then stops everything.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../test/scenario/lib.sh"
scen_init demo

step() { printf '\n== %s\n' "$*"; }

netns_host a
netns_host b
netns_link a b
netns_addr a eth0 2001:db8:1::1/64 192.0.2.1/24
netns_addr b eth0 2001:db8:1::2/64 192.0.2.2/24

step "host A (2001:db8:1::1) and host B (2001:db8:1::2) start hipd"
hipd_start a || scen_finish
hipd_start b || scen_finish
HIT_A=$(hit_of a)
HIT_B=$(hit_of b)
hc a status
echo "host A's HIT: $HIT_A"
echo "host B's HIT: $HIT_B"

step "each host learns where the other's HIT is (hipconf peer add HIT LOCATOR)"
echo "A# hipconf peer add $HIT_B 2001:db8:1::2"
hc a peer add "$HIT_B" 2001:db8:1::2 --name b
hc b peer add "$HIT_A" 2001:db8:1::1 --name a
echo "A# hipconf ha list"
hc a ha list

step "A pings B's HIT: the kernel asks hipd for SAs (ACQUIRE), the base exchange runs"
replies=0
for i in $(seq 20); do
	if netns_ping a -c 1 -W 1 "$HIT_B" > /dev/null 2>&1; then
		replies=1
		break
	fi
done
if [ "$replies" = 1 ]; then
	ok "first reply over the HITs after $i attempt(s)"
else
	fail "no reply from B's HIT"
fi
echo "A# ping -6 -c 4 $HIT_B"
check "ping -c 4 over the HITs" netns_ping a -c 4 -i 0.3 "$HIT_B"

step "the associations (hipconf ha list) on both hosts"
echo "A# hipconf ha list"
hc a ha list
echo "B# hipconf ha list"
hc b ha list

step "the kernel's BEET-mode ESP SAs on A (ip -s xfrm state): packets counted"
ip -n "$(netns_name a)" -s xfrm state |
	grep -E '^src|mode|lifetime current|bytes|sel ' | sed 's/^/  /'

step "hipconf close: CLOSE/CLOSE_ACK, the association's SAs and policies go away"
# esp_sas HOST: the ESP SAs in HOST (larval SPI-0 states of pending
# ACQUIREs not counted).
esp_sas() {
	ip -n "$(netns_name "$1")" xfrm state | grep -o 'proto esp spi 0x[0-9a-f]*' |
		grep -vc 'spi 0x00000000'
}
echo "A# hipconf close $HIT_B"
hc a close "$HIT_B"
for i in $(seq 50); do
	[ "$(esp_sas a)" = 0 ] && [ "$(esp_sas b)" = 0 ] && break
	sleep 0.1
done
echo "A# hipconf ha list    (CLOSED is kept for the RFC's MSL, then forgotten)"
hc a ha list
check "ESP SAs left after close: A $(esp_sas a), B $(esp_sas b)" \
	test "$(esp_sas a)" = 0 -a "$(esp_sas b)" = 0

step "stopping both daemons (SIGTERM): everything hipd put in the kernel is removed"
hipd_stop a
hipd_stop b
check "hipd-owned SAs and policies left after stop: A $(owned_xfrm a), B $(owned_xfrm b)" \
	test "$(owned_xfrm a)" = 0 -a "$(owned_xfrm b)" = 0
scen_finish
