#!/bin/bash
# pfkey_uml_test.sh - libpfkey against the real af_key of Linux 6.1:
# every PF_KEY message the kernel accepts (REGISTER, GETSPI, UPDATE, ADD,
# GET, DELETE, DUMP, FLUSH, X_SPDADD, X_SPDUPDATE, X_SPDGET, X_SPDDELETE,
# X_SPDDELETE2, X_SPDDUMP, X_SPDFLUSH, X_MIGRATE) sent with pfkey_tool,
# the replies parsed by libpfkey, the results also checked through
# `ip xfrm state/policy`; the kernel's ACQUIRE (a packet hitting a
# policy without SA, re-built with SADB_X_REF) and soft and hard EXPIRE
# (an SA with 2 s / 4 s lifetimes) received.  Runs in a network
# namespace of its own, which it deletes at the end.  Needs af_key: run
# it under User-Mode Linux,
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/kernel/pfkey_uml_test.sh
#
# or `make check-kernel-libpfkey` in the build tree.
# Environment: PFKEY_TOOL (default ./test/kernel/pfkey_tool).

set -u
TOOL=${PFKEY_TOOL:-$PWD/test/kernel/pfkey_tool}
[ -x "$TOOL" ] || { echo "no pfkey_tool at $TOOL (set PFKEY_TOOL)"; exit 99; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }

NS=pfkt$$
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pfkey_uml.XXXXXX") || exit 1
bgpid=
failures=0
checks=0

cleanup() {
	[ -n "$bgpid" ] && kill "$bgpid" 2>/dev/null && wait "$bgpid" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
note() { echo "note: $*"; }

# check DESC FILE ERE: FILE must contain a line matching ERE.
check() {
	checks=$((checks + 1))
	if grep -Eq -- "$3" "$2"; then ok "$1"; else
		fail "$1 (no /$3/ in $(basename "$2"))"
		sed 's/^/    /' "$2" | head -n 40
	fi
}
# check_not DESC FILE ERE
check_not() {
	checks=$((checks + 1))
	if grep -Eq -- "$3" "$2"; then
		fail "$1 (/$3/ in $(basename "$2"))"
		sed 's/^/    /' "$2" | head -n 40
	else ok "$1"; fi
}
# rcs DESC NAME "0 0 1": the exit statuses of a batch's commands.
rcs() {
	local got
	checks=$((checks + 1))
	got=$(sed -n 's/^rc //p' "$WORK/$2.out" | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$3" ]; then ok "$1"; else
		fail "$1 (statuses '$got', want '$3')"
		sed 's/^/    /' "$WORK/$2.out" | grep -v '^    lifetime' |
			head -n 60
	fi
}

tool() { ip netns exec "$NS" "$TOOL" "$@"; }
# batch NAME: run pfkey_tool's commands from stdin into $WORK/NAME.out.
batch() { tool - > "$WORK/$1.out" 2>&1; }
xstate() { ip -n "$NS" xfrm state > "$WORK/$1.out" 2>&1; }
xpolicy() { ip -n "$NS" xfrm policy > "$WORK/$1.out" 2>&1; }

# Policy ids the kernel picked, from a batch's replies.
policy_id() {	# NAME N: the id in the N-th "policy" line
	sed -n 's/^policy .* id=\([0-9]*\) .*/\1/p' "$WORK/$1.out" |
		sed -n "${2}p"
}

ip netns add "$NS" || { echo "cannot create netns"; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add d0 type dummy
ip -n "$NS" addr add 10.0.0.1/24 dev d0
ip -n "$NS" addr add 2001:db8::1/64 dev d0 nodad
ip -n "$NS" link set d0 up

if ! tool register > "$WORK/register.out" 2>&1; then
	if grep -q 'not supported' "$WORK/register.out"; then
		echo "skip: no af_key in this kernel"
		exit 77
	fi
fi

K16=00112233445566778899aabbccddeeff
K32=$K16$K16
ALGS="enc aes enc-key $K16 auth sha256 auth-key $K32"

echo "== REGISTER"
check "REGISTER lists AES-CBC (12) as supported" "$WORK/register.out" \
	'^enc 12 128 256$'
check "REGISTER lists HMAC-SHA-256 (5)" "$WORK/register.out" '^auth 5 256 256$'

echo "== SA messages"
batch sa <<EOF
getspi src 10.0.0.1 dst 10.0.0.2 min 0x1000 max 0x1000 reqid 5
update spi 0x1000 src 10.0.0.1 dst 10.0.0.2 mode transport reqid 5 $ALGS
get spi 0x1000 src 10.0.0.1 dst 10.0.0.2
add spi 0x2000 src 10.0.0.1 dst 10.0.0.2 mode tunnel reqid 9 $ALGS
add spi 0x2000 src 10.0.0.1 dst 10.0.0.2 mode tunnel reqid 9 $ALGS
add spi 0x2001 src 2001:db8::1 dst 2001:db8::2 mode beet reqid 11 $ALGS
update spi 0x2000 src 10.0.0.1 dst 10.0.0.2 mode tunnel reqid 9 $ALGS hard-sec 300
update spi 0x2000 src 10.0.0.1 dst 10.0.0.2 mode tunnel reqid 9 $ALGS soft-sec 200 hard-sec 300
add spi 0x2002 src 10.0.0.1 dst 10.0.0.2 mode tunnel reqid 9 $ALGS soft-bytes 1000
dump
EOF
rcs "GETSPI, UPDATE, GET, ADD, ADD again (EEXIST), ADD v6 BEET, UPDATE with only a hard lifetime (EINVAL), UPDATE with both, ADD with only a soft one (EINVAL), DUMP" \
	sa "0 0 0 0 1 0 1 0 1 0"
check "GETSPI gives the one SPI of the range, larval" "$WORK/sa.out" \
	'^sa spi=0x00001000 replay=0 state=0 '
check "UPDATE makes it mature with the algorithms" "$WORK/sa.out" \
	'^sa spi=0x00001000 replay=32 state=1 auth=5 encrypt=12'
check "GET returns the key lengths (never printed keys)" "$WORK/sa.out" \
	'^key_encrypt bits=128$'
check "second ADD of an SPI: EEXIST" "$WORK/sa.out" 'add: File exists'
check "DUMP reassembled into 3 entries" "$WORK/sa.out" '^entries 3$'
check "BEET SA2 mode read back" "$WORK/sa.out" '^sa2 mode=3 reqid=11 '
# Finding, see man page: 6.1 wants the soft and hard lifetimes together.
check "UPDATE with only LIFETIME_HARD: EINVAL (6.1 af_key)" "$WORK/sa.out" \
	'update: Invalid argument'
check "ADD with only LIFETIME_SOFT: EINVAL (6.1 af_key)" "$WORK/sa.out" \
	'add: Invalid argument'
xstate state1
ip -s -n "$NS" xfrm state > "$WORK/state1s.out" 2>&1
check "ip xfrm: UPDATE set the lifetimes" "$WORK/state1s.out" \
	'expire add: soft 200\(sec\), hard 300\(sec\)'
check_not "ip xfrm: the refused ADD left no SA" "$WORK/state1.out" \
	'spi 0x00002002'

check "ip xfrm: GETSPI+UPDATE SA has cbc(aes) and reqid 5" "$WORK/state1.out" \
	'proto esp spi 0x00001000 reqid 5 mode transport'
check "ip xfrm: tunnel SA" "$WORK/state1.out" \
	'proto esp spi 0x00002000 reqid 9 mode tunnel'
check "ip xfrm: BEET SA" "$WORK/state1.out" \
	'proto esp spi 0x00002001 reqid 11 mode beet'
check "ip xfrm: keys as given" "$WORK/state1.out" "enc cbc\\(aes\\) 0x$K16"

echo "== NAT-T, proxy and dump filter extensions"
batch saext <<EOF
add spi 0x4000 src 10.0.0.1 dst 10.0.0.2 mode tunnel reqid 20 $ALGS nat-t-sport 4500 nat-t-dport 4501
get spi 0x4000 src 10.0.0.1 dst 10.0.0.2
add spi 0x4001 src 2001:db8::1 dst 2001:db8::2 mode beet reqid 21 $ALGS proxy 2001:20::a/128
get spi 0x4001 src 2001:db8::1 dst 2001:db8::2
dump filter-src 2001:db8::/64 filter-dst 2001:db8::/64
dump
EOF
rcs "ADD with NAT-T, GET, ADD with ADDRESS_PROXY, GET, DUMP with X_FILTER, DUMP" \
	saext "0 0 0 0 0 0"
check "GET returns the NAT-T type (ESP in UDP)" "$WORK/saext.out" \
	'^nat_t type=2$'
check "GET returns the NAT-T ports" "$WORK/saext.out" '^nat_t_dport 4501$'
check "DUMP with X_FILTER: only the 2 IPv6 SAs" "$WORK/saext.out" \
	'^entries 2$'
check "DUMP without filter: all 5 SAs" "$WORK/saext.out" '^entries 5$'
xstate state1x
check "ip xfrm: UDP encapsulation from the NAT-T extensions" \
	"$WORK/state1x.out" 'encap type espinudp sport 4500 dport 4501'
# Finding, see man page: the selector comes from ADDRESS_PROXY's source.
check "ip xfrm: the proxy address became the selector's source" \
	"$WORK/state1x.out" 'sel src 2001:20::a/128 '
note "selector of the SA added with ADDRESS_PROXY: $(grep -A6 'spi 0x00004001' "$WORK/state1x.out" | grep 'sel ' | sed 's/^[[:space:]]*//')"

batch sadel <<EOF
delete spi 0x1000 src 10.0.0.1 dst 10.0.0.2
get spi 0x1000 src 10.0.0.1 dst 10.0.0.2
EOF
rcs "DELETE, then GET of the deleted SA fails" sadel "0 1"
check "GET of a deleted SA: ESRCH" "$WORK/sadel.out" 'No such process'
xstate state2
check_not "ip xfrm: SA 0x1000 gone" "$WORK/state2.out" 'spi 0x00001000'

echo "== policy messages"
batch spd <<EOF
spdadd src 10.1.0.1/32 dst 10.1.0.2/32 dir out mode tunnel reqid 9 level unique outer-src 10.0.0.1 outer-dst 10.0.0.2
spdadd src 2001:20::a/128 dst 2001:20::b/128 dir out mode beet reqid 11 level unique outer-src 2001:db8::1 outer-dst 2001:db8::2
spdupdate src 10.1.0.1/32 dst 10.1.0.2/32 dir out mode tunnel reqid 9 level unique outer-src 10.0.0.1 outer-dst 10.0.0.2 priority 7
spdadd src 10.1.0.1/32 dst 10.1.0.2/32 dir out mode tunnel reqid 9 level unique outer-src 10.0.0.1 outer-dst 10.0.0.2
spddump
EOF
rcs "SPDADD v4 tunnel, SPDADD v6 BEET, SPDUPDATE, SPDADD again (EEXIST), SPDDUMP" \
	spd "0 0 0 1 0"
check "SPDADD reply carries the tunnel request with its outer addresses" \
	"$WORK/spd.out" \
	'^ipsecrequest proto=50 mode=2 level=3 reqid=9 src=10.0.0.1 dst=10.0.0.2$'
check "SPDUPDATE reply has the new priority" "$WORK/spd.out" \
	'^policy type=2 dir=2 id=[0-9]+ priority=7 requests=1$'
check "SPDDUMP reassembled into 2 entries" "$WORK/spd.out" '^entries 2$'
# Finding, see man page: af_key keeps outer addresses only for tunnel
# mode; a BEET request's addresses are dropped (template :: -> ::).
check "BEET ipsecrequest comes back without outer addresses" \
	"$WORK/spd.out" '^ipsecrequest proto=50 mode=3 level=3 reqid=11$'
id4=$(policy_id spd 3)
id6=$(policy_id spd 2)
xpolicy pol1
check "ip xfrm: tunnel policy template" "$WORK/pol1.out" \
	'tmpl src 10.0.0.1 dst 10.0.0.2'
check "ip xfrm: priority 7 after SPDUPDATE" "$WORK/pol1.out" \
	'dir out priority 7'
check "ip xfrm: BEET template has no addresses" "$WORK/pol1.out" \
	'tmpl src :: dst ::'

echo "== X_MIGRATE"
batch mig <<EOF
spdget id $id4
migrate src 10.1.0.1/32 dst 10.1.0.2/32 dir out mode tunnel reqid 9 old-src 10.0.0.1 old-dst 10.0.0.2 new-src 10.0.0.3 new-dst 10.0.0.4 km-local 10.0.0.3 km-remote 10.0.0.4
migrate src 10.9.0.1/32 dst 10.9.0.2/32 dir out mode tunnel reqid 9 old-src 10.0.0.1 old-dst 10.0.0.2 new-src 10.0.0.3 new-dst 10.0.0.4
EOF
rcs "SPDGET by id, X_MIGRATE, X_MIGRATE of an unknown selector" mig "0 0 1"
check "SPDGET by id returns the policy" "$WORK/mig.out" \
	"^policy type=2 dir=2 id=$id4 "
check "X_MIGRATE broadcast has old and new requests" "$WORK/mig.out" \
	'^ipsecrequest proto=50 mode=2 level=3 reqid=9 src=10.0.0.3 dst=10.0.0.4$'
check "X_MIGRATE broadcast has the KMADDRESS" "$WORK/mig.out" \
	'^kmaddress local=10.0.0.3 remote=10.0.0.4$'
check "X_MIGRATE of an unknown selector: ENOENT" "$WORK/mig.out" \
	'migrate: No such file or directory'
xstate state3
xpolicy pol2
check "ip xfrm: SA 0x2000 moved to 10.0.0.3 -> 10.0.0.4" "$WORK/state3.out" \
	'src 10.0.0.3 dst 10.0.0.4'
check "ip xfrm: policy template moved" "$WORK/pol2.out" \
	'tmpl src 10.0.0.3 dst 10.0.0.4'

batch spddel <<EOF
spddelete src 10.1.0.1/32 dst 10.1.0.2/32 dir out
spddelete2 id $id6
spdget id $id6
spddump
spdadd src 10.2.0.1/32 dst 10.2.0.2/32 dir out type discard
spdflush
spddump
flush
dump
EOF
rcs "SPDDELETE, SPDDELETE2, SPDGET (gone), SPDDUMP, SPDADD, SPDFLUSH, SPDDUMP, FLUSH, DUMP" \
	spddel "0 0 1 0 0 0 0 0 0"
check "SPDGET after SPDDELETE2: ENOENT" "$WORK/spddel.out" \
	'SADB_X_SPDGET: No such file or directory'
check "dumps of the flushed databases are empty" "$WORK/spddel.out" \
	'^entries 0$'
check_not "no dump entries left" "$WORK/spddel.out" '^entries [1-9]'
xstate state4
xpolicy pol3
check_not "ip xfrm: no SA after FLUSH" "$WORK/state4.out" 'proto esp'
check_not "ip xfrm: no policy after SPDFLUSH" "$WORK/pol3.out" 'dir out'

echo "== ACQUIRE"
batch acqpol <<EOF
spdadd src 10.0.0.1/32 dst 10.0.0.2/32 dir out mode transport reqid 3 level unique
EOF
rcs "SPDADD of the trigger policy" acqpol "0"
idacq=$(policy_id acqpol 1)
tool wait type acquire timeout 30 mpi 0x1122334455667788 \
	> "$WORK/acq.out" 2>&1 &
bgpid=$!
for _ in $(seq 150); do
	grep -q '^ready' "$WORK/acq.out" && break
	sleep 0.2
done
ip netns exec "$NS" ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1
wait "$bgpid"
rc=$?
bgpid=
checks=$((checks + 1))
[ "$rc" = 0 ] && ok "ACQUIRE received" || { fail "no ACQUIRE (rc $rc)"; cat "$WORK/acq.out"; }
check "ACQUIRE names the flow" "$WORK/acq.out" \
	'^address_dst proto=0 prefixlen=32 addr=10.0.0.2$'
check "ACQUIRE names the policy" "$WORK/acq.out" \
	"^policy type=2 dir=2 id=$idacq "
check "ACQUIRE has a proposal" "$WORK/acq.out" '^proposal replay=32 combs='
note "ACQUIRE proposal: $(sed -n 's/^proposal //p' "$WORK/acq.out" | head -n 1)"
check "ACQUIRE re-built with SADB_X_REF parses strictly, MPI kept" \
	"$WORK/acq.out" '^ref ver=1 type=1 type_ext=0 mpi=0x1122334455667788$'
xstate state5
check "ip xfrm: the kernel's larval SA for the ACQUIRE" "$WORK/state5.out" \
	'src 10.0.0.1 dst 10.0.0.2'

echo "== EXPIRE"
# The ACQUIRE left a larval SA, which expires on its own after 30 s.
batch expflush <<EOF
flush
EOF
rcs "FLUSH of the larval SA" expflush "0"
tool wait type expire count 2 timeout 30 spi 0x3000 > "$WORK/exp.out" 2>&1 &
bgpid=$!
for _ in $(seq 150); do
	grep -q '^ready' "$WORK/exp.out" && break
	sleep 0.2
done
t0=$(date +%s)
batch expadd <<EOF
add spi 0x3000 src 10.0.0.1 dst 10.0.0.2 mode transport reqid 3 $ALGS soft-sec 2 hard-sec 4
EOF
wait "$bgpid"
rc=$?
bgpid=
t1=$(date +%s)
rcs "ADD with soft 2 s / hard 4 s lifetimes" expadd "0"
checks=$((checks + 1))
[ "$rc" = 0 ] && ok "two EXPIREs received after $((t1 - t0)) s" ||
	{ fail "EXPIREs missing (rc $rc)"; cat "$WORK/exp.out"; }
check "soft EXPIRE: SA dying (state 2)" "$WORK/exp.out" \
	'^sa spi=0x00003000 replay=32 state=2 '
check "hard EXPIRE: SA dead (state 3)" "$WORK/exp.out" \
	'^sa spi=0x00003000 replay=32 state=3 '
check "EXPIRE carries the hard lifetime" "$WORK/exp.out" \
	'^lifetime_hard allocations=0 bytes=0 addtime=4 '
xstate state6
check_not "ip xfrm: hard-expired SA gone" "$WORK/state6.out" 'spi 0x00003000'

# Every message the kernel sent also passed PFKEY_PARSE_STRICT.
cat "$WORK"/*.out > "$WORK/all.txt"
check "kernel messages seen" "$WORK/all.txt" '^msg type=.* strict=ok$'
check_not "every kernel message passes PFKEY_PARSE_STRICT" "$WORK/all.txt" \
	'^msg type=.* strict=[^o]'

batch final <<EOF
spdflush
flush
EOF

echo "pfkey_uml_test: $checks checks, $failures failed"
[ "$failures" = 0 ]
