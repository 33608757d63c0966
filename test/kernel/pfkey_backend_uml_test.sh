#!/bin/bash
# pfkey_backend_uml_test.sh - hipd's PF_KEY backend ("pfkey") against a
# real kernel with af_key and ESP: run it under User-Mode Linux,
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/kernel/pfkey_backend_uml_test.sh
#
# or `make check-kernel-pfkey` in the build tree.  Two hosts (network
# namespaces joined by veth) with HITs on a dummy device, driven by
# xfrm_tool -k pfkey.  Checks:
#   - probe; SAs and policies for a pair (SPIs reserved with GETSPI),
#     ping over the HITs, packet counters from SADB_GET, full HIT
#     selectors on the SAs;
#   - the af_key finding: an inbound BEET SA added by SADB_ADD
#     (pfkey_tool) has the selector ::/0 -> ::/0 and decapsulates to the
#     wrong addresses (no ping, Ip6InAddrErrors rises); the backend's
#     own SA in its place carries the traffic;
#   - X_MIGRATE to new locators with ping still working;
#   - ACQUIRE from the /28 trigger policy and from a per-peer policy,
#     decoded to the exact HIT pair; EXPIRE soft then hard;
#   - SAs and policies of others are neither deleted nor flushed;
#   - then xfrm_uml_test.sh's AES-GCM scenario over IPv4 locators
#     through the pfkey backend.
# A promiscuous PF_KEY socket per host counts the PF_KEY messages the
# backend and the kernel exchanged; they are listed at the end.
#
# Environment: XFRM_TOOL, PFKEY_TOOL (default ./test/kernel/...).

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../netns/lib.sh"

TOOL=${XFRM_TOOL:-$PWD/test/kernel/xfrm_tool}
PFKEY_TOOL=${PFKEY_TOOL:-$PWD/test/kernel/pfkey_tool}
PY=${PYTHON3:-/usr/bin/python3}
[ -x "$TOOL" ] || { echo "no xfrm_tool at $TOOL (set XFRM_TOOL)"; exit 99; }
[ -x "$PY" ] || PY=python3

HIT_A=2001:20::a
HIT_B=2001:20::b
L6_A=2001:db8:1::1
L6_B=2001:db8:1::2
M6_A=2001:db8:2::1
M6_B=2001:db8:2::2

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}
check() {	# check DESCRIPTION CMD...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

rnd_hex() {
	od -An -tx1 -N "$1" /dev/urandom | tr -d ' \n'
}

tool() {	# tool HOST ARGS...: xfrm_tool -k pfkey in HOST
	local h=$1
	shift
	netns_exec "$h" "$TOOL" -k pfkey "$@"
}

netns_init pk
work=$(mktemp -d "${TMPDIR:-/tmp}/pfkey-test.XXXXXX") || exit 99
netns_on_cleanup "rm -rf '$work'"
netns_host a b
netns_link a b
netns_addr a eth0 "$L6_A/64" "$M6_A/64"
netns_addr b eth0 "$L6_B/64" "$M6_B/64"
for h in a b; do
	netns_exec "$h" sysctl -qw net.core.xfrm_acq_expires=600 || exit 99
	netns_exec "$h" ip link add hit0 type dummy || exit 99
	netns_exec "$h" ip link set hit0 up
done
netns_addr a hit0 "$HIT_A/128"
netns_addr b hit0 "$HIT_B/128"
netns_exec a ip -6 route add 2001:20::/28 dev hit0 src "$HIT_A"
netns_exec b ip -6 route add 2001:20::/28 dev hit0 src "$HIT_B"
netns_ping a -c 1 -W 2 "$L6_B" > /dev/null || { echo "no link"; exit 99; }

for h in a b; do
	netns_spawn "$h" "$PY" "$here/pfkey_monitor.py" "$work/mon.$h"
	netns_wait_for 10 grep -q "monitor ready" "$work/mon.$h" ||
		{ echo "PF_KEY monitor did not start in $h"; exit 99; }
done

check "probe: af_key, ESP and BEET usable" tool a probe
for h in a b; do
	tool "$h" trigger || fail "trigger policies on $h"
done
check "inbound trigger policy installed by SADB_X_SPDADD (reqid 0)" \
	bash -c "ip -n $(netns_name a) xfrm policy | grep -A3 'dir in priority 1212744192' | grep -q 'reqid 0 mode beet'"

# setup_pair SUITE LA LB [noesn]: SAs (inbound SPIs from GETSPI) and
# policies for A <-> B.
setup_pair() {
	local suite=$1 la=$2 lb=$3 esn=${4:-} el al
	case $suite in
	1) el=16 al=20 ;;
	8) el=16 al=32 ;;
	esac
	K1E=$(rnd_hex $el) K1A=$(rnd_hex $al) K2E=$(rnd_hex $el) K2A=$(rnd_hex $al)
	R_AB=0x48490101 R_BA=0x48490102
	SPI_AB=$(tool b alloc-spi outer "$la" "$lb" reqid $R_AB \
		 min 0x10000 max 0x1ffff) || return 1
	SPI_BA=$(tool a alloc-spi outer "$lb" "$la" reqid $R_BA \
		 min 0x20000 max 0x2ffff) || return 1
	tool a - <<-EOF || return 1
	add-sa dir out spi $SPI_AB suite $suite inner $HIT_A $HIT_B outer $la $lb reqid $R_AB enc $K1E auth $K1A $esn
	add-sa dir in spi $SPI_BA suite $suite inner $HIT_B $HIT_A outer $lb $la reqid $R_BA enc $K2E auth $K2A reserved $esn
	add-policy dir out inner $HIT_A $HIT_B outer $la $lb reqid $R_AB
	add-policy dir in inner $HIT_B $HIT_A outer $lb $la reqid $R_BA
	EOF
	tool b - <<-EOF || return 1
	add-sa dir out spi $SPI_BA suite $suite inner $HIT_B $HIT_A outer $lb $la reqid $R_BA enc $K2E auth $K2A $esn
	add-sa dir in spi $SPI_AB suite $suite inner $HIT_A $HIT_B outer $la $lb reqid $R_AB enc $K1E auth $K1A reserved $esn
	add-policy dir out inner $HIT_B $HIT_A outer $lb $la reqid $R_BA
	add-policy dir in inner $HIT_A $HIT_B outer $la $lb reqid $R_AB
	EOF
}

# packets HOST DST SPI: the SA's packet count (SADB_GET)
packets() {
	tool "$1" stats dst "$2" spi "$3" | awk '{ print $2 }'
}

ping_ok() {
	netns_ping a -6 -c 3 -i 0.2 -W 2 "$HIT_B" > /dev/null 2>&1
}

# --- a pair, ping, counters -------------------------------------------------
if setup_pair 8 $L6_A $L6_B; then
	check "suite 8, IPv6: ping over the HITs" ping_ok
	n="$(packets a $L6_B "$SPI_AB") $(packets b $L6_B "$SPI_AB") $(packets b $L6_A "$SPI_BA") $(packets a $L6_A "$SPI_BA")"
	check "SADB_GET counts packets on all four SAs ($n)" \
		bash -c "echo $n | awk '{ exit !(\$1 >= 3 && \$2 >= 3 && \$3 >= 3 && \$4 >= 3) }'"
	check "the SAs carry the full HIT selector" \
		bash -c "ip -n $(netns_name b) xfrm state | grep -q 'sel src $HIT_A/128 dst $HIT_B/128'"
else
	fail "suite 8, IPv6: setup"
fi

# --- X_MIGRATE --------------------------------------------------------------
if tool a migrate inner $HIT_A $HIT_B old $L6_A $L6_B new $M6_A $M6_B \
	reqid-out $R_AB reqid-in $R_BA &&
   tool b migrate inner $HIT_B $HIT_A old $L6_B $L6_A new $M6_B $M6_A \
	reqid-out $R_BA reqid-in $R_AB; then
	ok "SADB_X_MIGRATE of both directions on both hosts"
	check "migrate: the SA moved to the new locators" \
		bash -c "ip -n $(netns_name a) xfrm state | grep -q 'src $M6_A dst $M6_B'"
	check "migrate: the outbound policy's template moved" \
		bash -c "ip -n $(netns_name a) xfrm policy | grep -q 'tmpl src $M6_A dst $M6_B'"
	check "migrate: ping over the HITs still works" ping_ok
	check "migrate: same SPI, counters went on" \
		test "$(packets a $M6_B "$SPI_AB")" -ge 6
	# and back, for what follows
	tool a migrate inner $HIT_A $HIT_B old $M6_A $M6_B new $L6_A $L6_B \
		reqid-out $R_AB reqid-in $R_BA &&
	tool b migrate inner $HIT_B $HIT_A old $M6_B $M6_A new $L6_B $L6_A \
		reqid-out $R_BA reqid-in $R_AB || fail "migrate back"
else
	fail "SADB_X_MIGRATE"
fi
check "migrate of an unknown pair fails, nothing moved" \
	bash -c "! '$TOOL' -k pfkey migrate inner 2001:20::e 2001:20::f old $L6_A $L6_B new $M6_A $M6_B reqid-out $R_AB reqid-in $R_BA 2>/dev/null"

# --- del-policy, del-sa, flush ---------------------------------------------------
check "del-policy (SADB_X_SPDDUMP + SADB_X_SPDDELETE)" \
	tool a del-policy dir out inner $HIT_A $HIT_B
check "del-policy again: no such policy" \
	bash -c "! ip netns exec $(netns_name a) '$TOOL' -k pfkey del-policy dir out inner $HIT_A $HIT_B 2>/dev/null"
check "del-sa (SADB_GET + SADB_DELETE)" tool a del-sa dst $L6_B spi "$SPI_AB"
check "del-sa: the SA is gone" \
	bash -c "! ip -n $(netns_name a) xfrm state | grep -q 'spi $(printf 0x%08x "$SPI_AB")'"
n=$(tool a flush)
check "flush_owned on A removed 4 (inbound SA, inbound and 2 trigger policies: $n)" \
	test "$n" = 4
n=$(tool b flush)
check "flush_owned on B removed 6 ($n)" test "$n" = 6
for h in a b; do
	left="$(netns_exec "$h" ip xfrm state)$(netns_exec "$h" ip xfrm policy)"
	check "flush left nothing on $h" test -z "$left"
	tool "$h" trigger || fail "trigger on $h"
done

# --- the af_key finding: SADB_ADD of an inbound BEET SA --------------------------
if [ -x "$PFKEY_TOOL" ] && setup_pair 1 $L6_A $L6_B noesn; then
	check "suite 1 without ESN (what SADB_ADD can express): ping" ping_ok
	addr_err() {
		netns_exec b cat /proc/net/snmp6 |
			awk '$1 == "Ip6InAddrErrors" { print $2 }'
	}
	tool b del-sa dst $L6_B spi "$SPI_AB" || fail "del-sa of B's inbound SA"
	netns_exec b "$PFKEY_TOOL" add spi "$SPI_AB" src $L6_A dst $L6_B \
		mode beet reqid $R_AB enc aes enc-key "$K1E" auth sha1 \
		auth-key "$K1A" replay 32 > /dev/null ||
		fail "SADB_ADD of B's inbound SA (pfkey_tool)"
	check "SADB_ADD: the BEET SA's selector is ::/0 -> ::/0" \
		bash -c "ip -n $(netns_name b) xfrm state | grep -q 'sel src ::/0 dst ::/0'"
	e0=$(addr_err)
	p0=$(packets b $L6_B "$SPI_AB")
	if netns_ping a -6 -c 2 -i 0.2 -W 1 "$HIT_B" > /dev/null 2>&1; then
		fail "SADB_ADD's SA: ping went through"
	else
		ok "SADB_ADD's SA: no ping over the HITs"
	fi
	e1=$(addr_err)
	p1=$(packets b $L6_B "$SPI_AB")
	check "SADB_ADD's SA decrypted the packets ($p0 -> $p1) and the stack dropped them as misaddressed (Ip6InAddrErrors $e0 -> $e1)" \
		test "$p1" -ge $((p0 + 2)) -a "$e1" -ge $((e0 + 2))
	netns_exec b "$PFKEY_TOOL" delete spi "$SPI_AB" src $L6_A dst $L6_B \
		> /dev/null || fail "SADB_DELETE (pfkey_tool)"
	tool b add-sa dir in spi "$SPI_AB" suite 1 inner $HIT_A $HIT_B \
		outer $L6_A $L6_B reqid $R_AB enc "$K1E" auth "$K1A" noesn ||
		fail "backend add-sa in its place"
	check "the backend's SA in its place (through XFRM): ping" ping_ok
elif [ ! -x "$PFKEY_TOOL" ]; then
	echo "skip: no pfkey_tool at $PFKEY_TOOL: SADB_ADD check not run"
else
	fail "suite 1: setup"
fi
for h in a b; do
	tool "$h" flush > /dev/null || fail "flush on $h"
	tool "$h" trigger || fail "trigger on $h"
done

# --- events ------------------------------------------------------------------------
# listen_to HOST COUNT FILE: a listener for COUNT events in the
# background (PID in LPID), once it is subscribed.
listen_to() {
	netns_exec "$1" "$TOOL" -k pfkey listen count "$2" timeout 60 \
		> "$3" 2>&1 &
	LPID=$!
	netns_on_cleanup "kill $LPID 2>/dev/null"
	netns_wait_for 10 grep -q listening "$3"
}

listen_to a 1 "$work/acq1"
netns_ping a -6 -c 1 -W 1 2001:20::c > /dev/null 2>&1
wait $LPID
check "ACQUIRE from the /28 trigger policy: the exact HIT pair ($(grep acquire "$work/acq1"))" \
	grep -q "^acquire inner $HIT_A/128 2001:20::c/128 outer none reqid 0x48490000 dir out" "$work/acq1"

tool a add-policy dir out inner $HIT_A 2001:20::d outer $L6_A $L6_B \
	reqid 0x48490109 || fail "per-peer policy"
listen_to a 1 "$work/acq2"
netns_ping a -6 -c 1 -W 1 2001:20::d > /dev/null 2>&1
wait $LPID
check "ACQUIRE from a per-peer policy: HIT pair and locators ($(grep acquire "$work/acq2"))" \
	grep -q "^acquire inner $HIT_A/128 2001:20::d/128 outer $L6_A $L6_B reqid 0x48490109 dir out" "$work/acq2"

listen_to a 2 "$work/exp"
tool a add-sa dir out spi 0x7001 suite 8 inner $HIT_A 2001:20::e \
	outer $L6_A $L6_B reqid 0x4849010a enc "$(rnd_hex 16)" \
	auth "$(rnd_hex 32)" soft-sec 2 hard-sec 4 || fail "add-sa with lifetimes"
wait $LPID
check "EXPIRE soft, then hard ($(tr '\n' ';' < "$work/exp"))" \
	bash -c "grep -q '^expire soft spi 0x00007001 reqid 0x4849010a outer $L6_A $L6_B' '$work/exp' && grep -q '^expire hard spi 0x00007001 reqid 0x4849010a outer $L6_A $L6_B' '$work/exp'"

# --- others' state ---------------------------------------------------------------
netns_exec a ip xfrm state add src $L6_A dst $L6_B proto esp spi 0x77 \
	reqid 7 mode transport enc 'cbc(aes)' 0x$(rnd_hex 16) \
	auth-trunc 'hmac(sha256)' 0x$(rnd_hex 32) 128 || fail "foreign SA"
netns_exec a ip xfrm policy add src 2001:db8:f::/64 dst 2001:db8:e::/64 \
	dir out priority 100 tmpl proto esp mode transport reqid 7 ||
	fail "foreign policy"
check "del-sa refuses an SA of another key manager" \
	bash -c "! ip netns exec $(netns_name a) '$TOOL' -k pfkey del-sa dst $L6_B spi 0x77 2>/dev/null"
check "del-policy refuses a policy of another key manager" \
	bash -c "! ip netns exec $(netns_name a) '$TOOL' -k pfkey del-policy dir out inner 2001:db8:f::/64 2001:db8:e::/64 2>/dev/null"
# owned HOST: our SAs (by reqid) and policies (by priority) left in
# HOST; the larval SAs of the ACQUIREs above (SPI 0) cannot be deleted
# and expire by themselves.
owned() {
	{
		netns_exec "$1" ip xfrm state |
			grep -o 'spi 0x[0-9a-f]* reqid [0-9]*' |
			awk '$2 != "0x00000000" { print "reqid", $4 }'
		netns_exec "$1" ip xfrm policy | grep -o 'priority [0-9]*'
	} | awk '$2 >= 1212743680 && $2 <= 1212809215' | wc -l
}
n=$(tool a flush)
left=$(netns_exec a ip xfrm state; netns_exec a ip xfrm policy)
check "flush_owned removed ours ($n) and left the foreign SA and policy" \
	bash -c "echo '$left' | grep -q 'spi 0x00000077' && echo '$left' | grep -q '2001:db8:f::/64' && [ $(owned a) = 0 ]"

# --- the PF_KEY messages seen ------------------------------------------------------
sort "$work/mon.a" "$work/mon.b" | awk '$1 ~ /^SADB/ { n[$1]++ } END { for (t in n) printf "  %-20s %d\n", t, n[t] }' |
	sort > "$work/types"
echo "PF_KEY messages seen (requests, replies and broadcasts, both hosts):"
cat "$work/types"
for t in SADB_REGISTER SADB_GETSPI SADB_GET SADB_DELETE SADB_DUMP \
	 SADB_ACQUIRE SADB_EXPIRE SADB_X_SPDADD SADB_X_SPDDELETE \
	 SADB_X_SPDDELETE2 SADB_X_SPDGET SADB_X_SPDDUMP SADB_X_MIGRATE; do
	grep -q "^  $t " "$work/types" || fail "no $t exchanged"
done

# --- xfrm_uml_test.sh's scenarios through the pfkey backend -----------------------
printf '#!/bin/sh\nexec %s -k pfkey "$@"\n' "$TOOL" > "$work/tool-pfkey"
chmod 755 "$work/tool-pfkey"
if XFRM_TOOL=$work/tool-pfkey "$here/xfrm_uml_test.sh" 13:4; then
	ok "xfrm_uml_test.sh 13:4 (AES-GCM, IPv4 locators) with -k pfkey"
else
	fail "xfrm_uml_test.sh with -k pfkey"
fi

echo "pfkey_backend_uml_test: $failures failure(s)"
[ "$failures" = 0 ]
