#!/bin/bash
# xfrm_uml_test.sh - hipd's XFRM backend carrying real traffic: two hosts
# (network namespaces joined by veth), BEET-mode ESP SAs and policies
# installed with xfrm_tool, HITs on a dummy device; ping over the HITs
# must work and the SA counters must rise on both sides.  Needs a kernel
# with ESP: run it under User-Mode Linux,
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/kernel/xfrm_uml_test.sh
#
# or `make check-kernel` in the build tree, which does just that.
# Scenarios: IPv6 and IPv4 locators; suites 8 (AES-CBC/HMAC-SHA-256),
# 9, 12 and 13 (AES-GCM), 7 (NULL) and 1 (HMAC-SHA-1); an SPI reserved
# with ALLOCSPI; a wrong key (traffic must stop, integrity failures
# counted); MIGRATE to new locators (also IPv6 -> IPv4) with ping still
# working; flush_owned removing everything of ours and nothing else.
#
# Arguments pick tests (default: all; see the end of this file).
# Environment: XFRM_TOOL (default ./test/kernel/xfrm_tool).

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../netns/lib.sh"

TOOL=${XFRM_TOOL:-$PWD/test/kernel/xfrm_tool}
[ -x "$TOOL" ] || { echo "no xfrm_tool at $TOOL (set XFRM_TOOL)"; exit 99; }

HIT_A=2001:20::a
HIT_B=2001:20::b
L6_A=2001:db8:1::1
L6_B=2001:db8:1::2
L4_A=192.0.2.1
L4_B=192.0.2.2
M6_A=2001:db8:2::1
M6_B=2001:db8:2::2
M4_A=198.51.100.1
M4_B=198.51.100.2

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

rnd_hex() {	# N bytes of random hex
	od -An -tx1 -N "$1" /dev/urandom | tr -d ' \n'
}

tool() {	# tool HOST ARGS...
	local h=$1
	shift
	netns_exec "$h" "$TOOL" "$@"
}

keylens() {	# suite -> "enc auth" in bytes
	case $1 in
	1) echo "16 20" ;;
	7) echo "0 32" ;;
	8) echo "16 32" ;;
	9) echo "32 32" ;;
	12|13) echo "20 0" ;;
	esac
}

netns_init x
netns_host a b
netns_link a b
netns_addr a eth0 "$L6_A/64" "$L4_A/24" "$M6_A/64" "$M4_A/24"
netns_addr b eth0 "$L6_B/64" "$L4_B/24" "$M6_B/64" "$M4_B/24"
for h in a b; do
	# SPI reservations (alloc-spi) live xfrm_acq_expires seconds, 30 by
	# default; a loaded machine can take longer than that between
	# alloc-spi and add-sa under UML.
	netns_exec "$h" sysctl -qw net.core.xfrm_acq_expires=600 || exit 99
	netns_exec "$h" ip link add hit0 type dummy || exit 99
	netns_exec "$h" ip link set hit0 up
done
netns_addr a hit0 "$HIT_A/128"
netns_addr b hit0 "$HIT_B/128"
netns_exec a ip -6 route add 2001:20::/28 dev hit0 src "$HIT_A"
netns_exec b ip -6 route add 2001:20::/28 dev hit0 src "$HIT_B"
netns_ping a -c 1 -W 2 "$L6_B" > /dev/null || { echo "no link"; exit 99; }

# The trigger policies stay in place throughout: per-association
# policies must win over them, and plain traffic between HITs must not
# get through.
for h in a b; do
	tool "$h" trigger || exit 99
done
keys() {	# ENC AUTH -> the add-sa key words (a suite may have no enc
	# key, NULL, or no auth key, GCM)
	[ -n "$1" ] && printf 'enc %s ' "$1"
	[ -n "$2" ] && printf 'auth %s' "$2"
	return 0
}

# setup_pair SUITE LOC_A LOC_B [BAD]: SAs and policies for A <-> B.  The
# SPI of each inbound SA is reserved on its host with alloc-spi first.
# With BAD, B's inbound SA gets a different integrity key.  One
# xfrm_tool run per host and step: starting processes is slow in UML.
setup_pair() {
	local suite=$1 la=$2 lb=$3 bad=${4:-} el al k1e k1a k2e k2a bkey
	read -r el al <<< "$(keylens "$suite")"
	k1e=$(rnd_hex "$el") k1a=$(rnd_hex "$al")
	k2e=$(rnd_hex "$el") k2a=$(rnd_hex "$al")
	R_AB=0x48490101 R_BA=0x48490102
	SPI_AB=$(tool b alloc-spi outer "$la" "$lb" reqid $R_AB \
		 min 0x10000 max 0x1ffff) || return 1
	SPI_BA=$(tool a alloc-spi outer "$lb" "$la" reqid $R_BA \
		 min 0x20000 max 0x2ffff) || return 1
	bkey=$k1a
	[ -n "$bad" ] && bkey=$(rnd_hex "$al")
	tool a - <<-EOF || return 1
	add-sa dir out spi $SPI_AB suite $suite inner $HIT_A $HIT_B outer $la $lb reqid $R_AB $(keys "$k1e" "$k1a")
	add-sa dir in spi $SPI_BA suite $suite inner $HIT_B $HIT_A outer $lb $la reqid $R_BA $(keys "$k2e" "$k2a") reserved
	add-policy dir out inner $HIT_A $HIT_B outer $la $lb reqid $R_AB
	add-policy dir in inner $HIT_B $HIT_A outer $lb $la reqid $R_BA
	EOF
	tool b - <<-EOF || return 1
	add-sa dir out spi $SPI_BA suite $suite inner $HIT_B $HIT_A outer $lb $la reqid $R_BA $(keys "$k2e" "$k2a")
	add-sa dir in spi $SPI_AB suite $suite inner $HIT_A $HIT_B outer $la $lb reqid $R_AB $(keys "$k1e" "$bkey") reserved
	add-policy dir out inner $HIT_B $HIT_A outer $lb $la reqid $R_BA
	add-policy dir in inner $HIT_A $HIT_B outer $la $lb reqid $R_AB
	EOF
}

# flush both hosts; only the trigger policies are put back.
flush_pair() {
	local h
	for h in a b; do
		printf 'flush\n' | tool "$h" - > /dev/null || fail "flush on $h"
		if [ -n "$(netns_exec "$h" ip xfrm state)$(netns_exec "$h" ip xfrm policy)" ]
		then
			fail "flush left state on $h"
			netns_exec "$h" ip xfrm state
			netns_exec "$h" ip xfrm policy
		fi
		tool "$h" trigger || fail "trigger on $h"
	done
}

# counters HOST DST SPI DST SPI: "packets integrity" of two SAs, a line
# each.
counters() {
	local h=$1
	printf 'stats dst %s spi %s\nstats dst %s spi %s\n' "$2" "$3" "$4" "$5" |
		tool "$h" - | awk '{ print $2, $8 }'
}

# traffic LA LB LABEL: ping over the HITs; counters of both SAs on both
# hosts must show the three echo requests and replies.
traffic() {
	local la=$1 lb=$2 label=$3 c
	if ! netns_ping a -6 -c 3 -i 0.2 -W 2 "$HIT_B" > /dev/null; then
		fail "$label: ping $HIT_B"
		return
	fi
	c="$(counters a "$lb" "$SPI_AB" "$la" "$SPI_BA") $(counters b "$lb" "$SPI_AB" "$la" "$SPI_BA")"
	# c: packets/integrity of a:out a:in b:in b:out
	if echo $c | awk '{ exit !($1 >= 3 && $3 >= 3 && $5 >= 3 && $7 >= 3) }'
	then
		ok "$label: ping over HITs; packets/integrity failures" \
		   "A out/in, B in/out:" $c
	else
		fail "$label: SA counters too low:" $c
	fi
}

scenario() {	# SUITE FAMILY
	local suite=$1 fam=$2 la lb t0 t1
	if [ "$fam" = 4 ]; then la=$L4_A lb=$L4_B; else la=$L6_A lb=$L6_B; fi
	t0=$(date +%s.%N)
	if setup_pair "$suite" "$la" "$lb"; then
		traffic "$la" "$lb" "suite $suite, IPv$fam locators"
	else
		fail "suite $suite, IPv$fam: setup"
	fi
	flush_pair
	t1=$(date +%s.%N)
	echo "   ($(echo "$t1 - $t0" | bc) s)"
}

test_nosa() {
	if netns_ping a -6 -c 1 -W 1 "$HIT_B" > /dev/null 2>&1; then
		fail "ping over HITs without SAs went through"
	else
		ok "no SA: no traffic between HITs"
	fi
}

# A wrong integrity key: nothing gets through, and B counts the
# packets that failed verification.
test_badkey() {
	local n
	if setup_pair 8 $L6_A $L6_B bad; then
		if netns_ping a -6 -c 2 -i 0.2 -W 1 "$HIT_B" > /dev/null 2>&1; then
			fail "wrong key: ping went through"
		else
			n=$(counters b $L6_B "$SPI_AB" $L6_A "$SPI_BA" |
			    awk 'NR == 1 { print $2 }')
			if [ "${n:-0}" -ge 1 ]; then
				ok "wrong key: no traffic, $n integrity failures counted"
			else
				fail "wrong key: no integrity failures counted ($n)"
			fi
		fi
	else
		fail "wrong key: setup"
	fi
	flush_pair
}

# MIGRATE: the pair moves to new IPv6 locators, the old ones vanish,
# ping keeps working over the same SAs (same SPIs, same keys); then to
# IPv4 locators.
test_migrate() {
	local t0 t1
	t0=$(date +%s.%N)
	if setup_pair 13 $L6_A $L6_B; then
		traffic $L6_A $L6_B "before migrate"
		tool a migrate inner $HIT_A $HIT_B old $L6_A $L6_B new $M6_A $M6_B \
			reqid-out $R_AB reqid-in $R_BA &&
		tool b migrate inner $HIT_B $HIT_A old $L6_B $L6_A new $M6_B $M6_A \
			reqid-out $R_BA reqid-in $R_AB || fail "migrate to $M6_A"
		netns_del_addr a eth0 "$L6_A/64"
		netns_del_addr b eth0 "$L6_B/64"
		if netns_exec a ip xfrm state | grep -q "$L6_B"; then
			fail "migrate: old locator still in A's SAs"
		fi
		traffic $M6_A $M6_B "after migrate to new IPv6 locators"
		tool a migrate inner $HIT_A $HIT_B old $M6_A $M6_B new $M4_A $M4_B \
			reqid-out $R_AB reqid-in $R_BA &&
		tool b migrate inner $HIT_B $HIT_A old $M6_B $M6_A new $M4_B $M4_A \
			reqid-out $R_BA reqid-in $R_AB || fail "migrate to IPv4"
		traffic $M4_A $M4_B "after migrate from IPv6 to IPv4 locators"
		netns_addr a eth0 "$L6_A/64"
		netns_addr b eth0 "$L6_B/64"
	else
		fail "migrate: setup"
	fi
	flush_pair
	t1=$(date +%s.%N)
	echo "   ($(echo "$t1 - $t0" | bc) s)"
}

# flush_owned removes exactly ours: a foreign SA and policy survive.
test_flush() {
	local n left
	netns_exec a ip xfrm state add src $L6_A dst $L6_B proto esp spi 0x77 \
		reqid 7 mode transport enc 'cbc(aes)' 0x$(rnd_hex 16) \
		auth-trunc 'hmac(sha256)' 0x$(rnd_hex 32) 128 || fail "foreign SA"
	netns_exec a ip xfrm policy add src 2001:db8:f::/64 dst 2001:db8:e::/64 \
		dir out priority 100 tmpl proto esp mode transport reqid 7 ||
		fail "foreign policy"
	setup_pair 8 $L6_A $L6_B || fail "flush: setup"
	n=$(tool a flush)
	left=$(netns_exec a ip xfrm state; netns_exec a ip xfrm policy)
	if [ "$n" = 6 ] && echo "$left" | grep -q "spi 0x00000077" &&
	   echo "$left" | grep -q "2001:db8:f::/64" &&
	   ! echo "$left" | grep -q "1212743"; then
		ok "flush_owned: removed $n of ours, the foreign SA and policy remain"
	else
		fail "flush_owned: removed $n; left: $left"
	fi
}

# Arguments pick the tests (default: all): nosa, SUITE:FAMILY (e.g.
# 8:6, 13:4), badkey, migrate, flush.
[ $# -gt 0 ] ||
	set -- nosa 8:6 8:4 12:6 13:6 13:4 9:6 7:6 1:4 badkey migrate flush
for t in "$@"; do
	case $t in
	nosa|badkey|migrate|flush) "test_$t" ;;
	*:4|*:6) scenario "${t%:*}" "${t#*:}" ;;
	*) echo "unknown test $t"; exit 99 ;;
	esac
done

echo "xfrm_uml_test: $failures failure(s)"
[ "$failures" = 0 ]
