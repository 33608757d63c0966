#!/bin/bash
# msrd_host.sh - the MSRD of hipd on the host kernel: two hipd in two
# network namespaces (signalling only, --no-data-plane).  Checks:
#   - hipconf msrd put/get/list/del, text and --json; bad input refused
#     with exit 2 and nothing changed
#   - a user who is neither root nor in the control group is refused
#   - the example watcher (examples/msrd-watch) sees put, bind, delete
#   - persisted records survive a hipd restart, volatile ones do not; a
#     torn or corrupt MSRD file is refused at start with a clear message
#   - a record that expires is removed (and the watcher told)
#   - extended ACQUIRE: a ping to a HIT bound to a record makes the
#     watcher print an SADB_ACQUIRE with SADB_X_REF naming that record,
#     and the exchange goes to the record's peer address (no peer add)
#   - a care-of change of the bound record moves the association
# Needs root (skips with 77 otherwise) and a kernel with XFRM.

set -u
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
command -v ip > /dev/null || { echo "SKIP: needs iproute2"; exit 77; }
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
# hipd and the watcher link libpfkey too
[ -d "$PWD/libpfkey/.libs" ] &&
	export LD_LIBRARY_PATH=$PWD/libpfkey/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
WATCH=$(scen_real_bin "${MSRD_WATCH:-$PWD/examples/msrd-watch}")
[ -x "$WATCH" ] || { echo "no msrd-watch at $WATCH"; exit 99; }
scen_init ms

conf=$SCEN_TMP/hipd.conf
cat > "$conf" <<EOF
puzzle-difficulty = 4
r2-sent-timeout = 1
log-level = debug
msrd-persist = yes
EOF

netns_host a b
netns_link a b
netns_addr a eth0 2001:db8:1::1/64 2001:db8:1::11/64
netns_addr b eth0 2001:db8:1::2/64
confa=$conf
hipd_start a -c "$confa" --no-data-plane || scen_finish
hipd_start b -c "$conf" --no-data-plane || scen_finish
MSOCK=$SCEN_TMP/a/run/msrd.sock
MFILE=$SCEN_TMP/a/state/msrd
HIT_A=$(hit_of a)
HIT_B=$(hit_of b)

# ms ARGS...: hipconf msrd against A's MSRD; msq without the output.
ms() {
	"$HIPCONF" msrd --msrd "$MSOCK" "$@"
}
msq() {
	ms "$@" > /dev/null
}

# jfield EXPR: evaluate EXPR on the JSON on stdin (r = the document).
jfield() {
	"$PY" -c 'import json, sys; r = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# watcher_start NAME COUNT: the example watcher in the background,
# output in $SCEN_TMP/NAME.out; waits until it watches.
watcher_start() {
	"$WATCH" -s "$MSOCK" -n "$2" -t 30 > "$SCEN_TMP/$1.out" 2>&1 &
	WATCH_PID=$!
	NETNS_PIDS+=("$WATCH_PID")
	netns_wait_for 5 grep -q '^watching' "$SCEN_TMP/$1.out" ||
		fail "watcher $1 did not start: $(cat "$SCEN_TMP/$1.out")"
}

# watcher_wait: 0 when the watcher ended by itself with status 0.
watcher_wait() {
	local i rc keep=()
	for i in $(seq 100); do
		kill -0 "$WATCH_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID"
	rc=$?
	for i in "${NETNS_PIDS[@]}"; do
		[ "$i" = "$WATCH_PID" ] || keep+=("$i")
	done
	NETNS_PIDS=("${keep[@]}")
	return $rc
}

# --- put, get, list, del ------------------------------------------------
check "socket beside the control socket, mode 0660" \
	test "$(stat -c %a "$MSOCK")" = 660
watcher_start w1 4
check "put record 42 (coa, peer, home, persist)" \
	msq put 42 --home 2001:db8:a::1 --coa 2001:db8:c::2/5 \
	--coa 2001:db8:c::1/1 --peer 2001:db8:1::2 --persist
out=$(ms --json get 42)
check "get --json: owner 0, seq, coa sorted by preference ($out)" \
	test "$(jfield '(r["owner"], r["coa"][0]["addr"], r["coa"][1]["pref"], r["peer"], r["persist"])' <<< "$out")" = \
	"(0, '2001:db8:c::1', 5, '2001:db8:1::2', True)"
seq42=$(jfield 'r["seq"]' <<< "$out")
check "put record 43 (volatile, 0x hex MPI)" msq put 0x2b --coa 2001:db8:c::3
out=$(ms get 43)
check "get (text) shows the care-of address" grep -q "coa 2001:db8:c::3 pref 0" <<< "$out"
check "list --json: two records" \
	test "$(ms --json list | jfield '[x["mpi"] for x in r]')" = "[42, 43]"
check "bind 43 to a policy index and a reqid" \
	msq bind 43 policy=100,reqid=200
check "del 43" ms del 43
out=$(ms get 43 2>&1); rc=$?
check "get of a deleted record: exit 1, 'no record' ($out)" \
	test "$rc" = 1 -a -n "$(grep 'no record' <<< "$out")"
check "watcher saw put, put, bind, delete" watcher_wait
check "  with the care-of addresses" \
	grep -q "^put mpi 0x2a seq $seq42 coa 2001:db8:c::1 coa 2001:db8:c::2 peer 2001:db8:1::2" "$SCEN_TMP/w1.out"
check "  and the delete of 0x2b" grep -q "^delete mpi 0x2b" "$SCEN_TMP/w1.out"

# --- bad input ------------------------------------------------------------
before=$(ms --json get 42)
for args in "put 0" "put 42 --coa ff02::1" "put 42 --coa 2001:db8::1 --coa 2001:db8::1" \
	"put 42 --lifetime 99999999" "bind 42 local=2001:db8::1,peer=2001:db8::2" \
	"get nope" "frob"; do
	out=$(ms $args 2>&1); rc=$?
	check "'msrd $args' refused with exit 2" test "$rc" = 2
done
check "  record 42 unchanged" test "$(ms --json get 42)" = "$before"

# --- not root ------------------------------------------------------------
if command -v setpriv > /dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HIPCONF" msrd --msrd "$MSOCK" put 42 --coa 2001:db8::66 2>&1); rc=$?
	check "nobody may not put ($out)" test "$rc" = 1
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HIPCONF" msrd --msrd "$MSOCK" del 42 2>&1); rc=$?
	check "nobody may not delete ($out)" test "$rc" = 1
	check "  record 42 unchanged" test "$(ms --json get 42)" = "$before"
	# Even on a socket anyone may open, hipd itself refuses changes
	# from others (SO_PEERCRED) and lets them read.
	chmod 666 "$MSOCK"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HIPCONF" msrd --msrd "$MSOCK" put 42 --coa 2001:db8::66 2>&1); rc=$?
	check "open socket: hipd refuses nobody's put ($out)" \
		test "$rc" = 1 -a -n "$(grep 'permission denied' <<< "$out")"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HIPCONF" msrd --msrd "$MSOCK" --json get 42 2>&1); rc=$?
	check "  but lets nobody read" test "$rc" = 0 -a "$out" = "$before"
	chmod 660 "$MSOCK"
	check "  record 42 unchanged" test "$(ms --json get 42)" = "$before"
else
	ok "no setpriv: non-root refusal not testable"
fi

# --- expiry ------------------------------------------------------------------
watcher_start w2 2
check "put record 44 with a 1 s lifetime" msq put 44 --lifetime 1
check "record 44 expires" netns_wait_for 5 sh -c "! '$HIPCONF' msrd --msrd '$MSOCK' get 44"
check "watcher told: put then expire" watcher_wait
check "  expire line" grep -q "^expire mpi 0x2c" "$SCEN_TMP/w2.out"

# --- persistence -----------------------------------------------------------
seq45=$(ms --json put 45 | jfield 'r["seq"]')
check "put record 45 (volatile): seq $seq45" test -n "$seq45"
check "MSRD file written, mode 0600" test "$(stat -c %a "$MFILE")" = 600
hipd_stop a
hipd_start a -c "$confa" --no-data-plane || scen_finish
check "restart: record 42 is back as it was" test "$(ms --json get 42)" = "$before"
check "restart: sequence numbers go on growing (past volatile changes)" \
	test "$(ms --json put 46 | jfield 'r["seq"]')" -gt "$seq45"
check "restart: volatile record 45 is gone" sh -c "! '$HIPCONF' msrd --msrd '$MSOCK' get 45 2>/dev/null"
hipd_stop a
cp "$MFILE" "$SCEN_TMP/msrd.good"
head -c $(($(stat -c %s "$MFILE") - 7)) "$SCEN_TMP/msrd.good" > "$MFILE"
out=$(netns_exec a timeout 10 "$HIPD" -f -c "$conf" --no-data-plane \
	--state-dir "$SCEN_TMP/a/state" --run-dir "$SCEN_TMP/a/run" 2>&1); rc=$?
check "torn MSRD file: hipd exits 1 naming it" \
	test "$rc" = 1 -a -n "$(grep 'msrd: file is cut short' <<< "$out")"
"$PY" - "$SCEN_TMP/msrd.good" "$MFILE" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[-5] ^= 0x40
open(sys.argv[2], 'wb').write(b)
EOF
out=$(netns_exec a timeout 10 "$HIPD" -f -c "$conf" --no-data-plane \
	--state-dir "$SCEN_TMP/a/state" --run-dir "$SCEN_TMP/a/run" 2>&1); rc=$?
check "corrupt MSRD file: hipd exits 1 ($(tail -n 1 <<< "$out"))" \
	test "$rc" = 1 -a -n "$(grep 'file is corrupt' <<< "$out")"
cp "$SCEN_TMP/msrd.good" "$MFILE"
hipd_start a -c "$confa" --no-data-plane || scen_finish
check "good file back: record 42 loaded" test "$(ms --json get 42)" = "$before"

# --- extended ACQUIRE ------------------------------------------------------
# A has no peer entry for B: only the record's peer address tells hipd
# where B is.
check "bind 42 to A's HIT pair with B" msq bind 42 "local=$HIT_A,peer=$HIT_B"
watcher_start w3 1
netns_ping a -6 -c 1 -W 1 "$HIT_B" > /dev/null 2>&1
check "watcher got an extended ACQUIRE naming 0x2a" watcher_wait
check "  SADB_X_REF MPI 0x2a" grep -q "^ACQUIRE seq .* ref mpi 0x2a$" "$SCEN_TMP/w3.out"
check "  addresses: the preferred care-of and the peer" \
	grep -q "^ACQUIRE seq [0-9]* 2001:db8:c::1 -> 2001:db8:1::2 policy" "$SCEN_TMP/w3.out"
check "  and read the record: care-of 2001:db8:c::1" \
	grep -q "^record 0x2a seq [0-9]* coa 2001:db8:c::1 coa 2001:db8:c::2 peer 2001:db8:1::2" "$SCEN_TMP/w3.out"
check "exchange went to the record's peer: ESTABLISHED" \
	wait_state a "$HIT_B" ESTABLISHED 10
check "  peer locator 2001:db8:1::2" \
	test "$(ha_field a "$HIT_B" peer_locator)" = 2001:db8:1::2

# --- a care-of change moves the association ---------------------------------
if wait_state b "$HIT_A" ESTABLISHED 5; then
	t0=$(date +%s%N)
	check "put 42 with care-of 2001:db8:1::11" \
		msq put 42 --coa 2001:db8:1::11 --peer 2001:db8:1::2 --persist
	if netns_wait_for 10 sh -c "test \"\$('$HIPCONF' -s '$(sock_of b)' --json ha list | '$PY' -c 'import json,sys; print([x[\"peer_locator\"] for x in json.load(sys.stdin)][0])')\" = 2001:db8:1::11"
	then
		# coarse: includes hipconf and python start-ups and the
		# 0.1 s polling of this script
		ok "B learnt it by UPDATE, $((($(date +%s%N) - t0) / 1000000)) ms after the put was sent"
	else
		fail "B learnt it by UPDATE"
	fi
	check "A's association now uses 2001:db8:1::11" \
		netns_wait_for 10 sh -c "test \"\$(HIPCONF='$HIPCONF' '$HIPCONF' -s '$(sock_of a)' --json ha list | '$PY' -c 'import json,sys; print([x[\"local_locator\"] for x in json.load(sys.stdin)][0])')\" = 2001:db8:1::11"
	check "del 42" ms del 42
	check "  lets the association go back to A's own locators" \
		netns_wait_for 5 grep -q "association .* is back on the host's locators" "$SCEN_TMP/a.log"
	check "  which stays ESTABLISHED" wait_state a "$HIT_B" ESTABLISHED 5
else
	fail "B's side never became ESTABLISHED"
fi

hipd_stop a
hipd_stop b
scen_finish
