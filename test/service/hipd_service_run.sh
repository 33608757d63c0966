#!/bin/sh
# hipd_service_run.sh - hipd run the way a service manager runs it, in a
# network namespace of its own, signalling only (--no-data-plane: the
# build host's kernel may lack ESP): a stand-in manager socket gets
# READY=1 with MAINPID and STATUS, WATCHDOG=1, RELOADING=1/READY=1 for a
# good and for a broken configuration (kept), STOPPING=1; the process
# holds only CAP_NET_ADMIN and CAP_NET_RAW; a bad file stops the start
# with FILE:LINE.  Needs root, ip and python3: skipped (77) otherwise.
set -u
builddir=$(pwd)
hipd=$builddir/hipd/hipd
[ "$(id -u)" -eq 0 ] || { echo "needs root: skipped"; exit 77; }
command -v ip >/dev/null && command -v python3 >/dev/null ||
	{ echo "needs ip and python3: skipped"; exit 77; }
[ -x "$hipd" ] || { echo "no $hipd"; exit 1; }

tmp=$(mktemp -d /tmp/hipd_service_run.XXXXXX)
ns=hipsvc$$
hpid=""
lpid=""
cleanup() {
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null && sleep 0.5
	[ -n "$hpid" ] && kill -9 "$hpid" 2>/dev/null
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; echo "--- hipd log"; cat "$tmp/log";
	 echo "--- notify"; cat "$tmp/notify.log"; exit 1; }
# wait_for SECONDS COMMAND...: until the command succeeds
wait_for() {
	n=$(($1 * 10)); shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1)); [ $n -gt 0 ] || return 1; sleep 0.1
	done
}

ip netns add "$ns" || { echo "cannot create a network namespace: skipped"; exit 77; }
ip -n "$ns" link set lo up
cat > "$tmp/hipd.conf" <<EOC
# test configuration
hosts-file = $tmp/hosts
dh-groups = p384, p256
esp-transforms = aes-gcm-16, aes128-cbc-sha256
EOC
printf 'peer1 2001:21::1 192.0.2.1\n' > "$tmp/hosts"
: > "$tmp/notify.log"

# the service manager's end: one line per datagram, newlines as '|'
python3 - "$tmp/notify" "$tmp/notify.log" <<'EOP' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "a") as f:
    while True:
        try:
            d = s.recv(4096)
        except socket.timeout:
            break
        f.write(d.decode().replace("\n", "|") + "\n")
        f.flush()
        if d.startswith(b"STOPPING=1"):
            break
EOP
lpid=$!
wait_for 30 test -S "$tmp/notify" || fail "listener did not start"

# a bad file stops the start, naming file and line
printf 'msl = 5\nsa-lifetime-soft-seconds = 9\nsa-lifetime-hard-seconds = 9\n' \
	> "$tmp/bad.conf"
ip netns exec "$ns" "$hipd" -f --no-data-plane -c "$tmp/bad.conf" \
	--state-dir "$tmp/state" --run-dir "$tmp/run" > "$tmp/bad.log" 2>&1
[ $? -eq 1 ] || fail "bad configuration: exit status not 1"
grep -q "$tmp/bad.conf:3: sa-lifetime-hard-seconds: must be above" \
	"$tmp/bad.log" || fail "bad configuration: $(cat "$tmp/bad.log")"
[ -e "$tmp/state" ] && fail "bad configuration: state directory created"

NOTIFY_SOCKET=$tmp/notify WATCHDOG_USEC=2000000 \
	ip netns exec "$ns" "$hipd" -f --no-data-plane -c "$tmp/hipd.conf" \
	--state-dir "$tmp/state" --run-dir "$tmp/run" > "$tmp/log" 2>&1 &
hpid=$!
wait_for 30 grep -q "^READY=1" "$tmp/notify.log" || fail "no READY=1"
grep -q "^READY=1|MAINPID=$hpid|STATUS=0 associations, HIT 2001:2" \
	"$tmp/notify.log" || fail "READY without MAINPID/STATUS"
grep -q "created $tmp/state/hi-00.pem (ecdsa-p256), HIT 2001:2" \
	"$tmp/log" || fail "first start: identity not logged"
st=/proc/$hpid/status
grep -q "^CapEff:	0000000000003000" "$st" || fail "CapEff: $(grep CapEff "$st")"
grep -q "^CapPrm:	0000000000003000" "$st" || fail "CapPrm"
grep -q "^CapBnd:	0000000000000000" "$st" || fail "CapBnd"
grep -q "^CapInh:	0000000000000000" "$st" || fail "CapInh"
grep -q "^NoNewPrivs:	1" "$st" || fail "NoNewPrivs"
wait_for 5 grep -q "^WATCHDOG=1" "$tmp/notify.log" || fail "no WATCHDOG=1"

# a broken file at reload: refused, hipd keeps running
cp "$tmp/hipd.conf" "$tmp/good.conf"
printf 'esp-transforms = aes-gcm-16, 3des\n' >> "$tmp/hipd.conf"
kill -HUP "$hpid"
wait_for 10 grep -q "reload failed, configuration kept: $tmp/hipd.conf:5: esp-transforms: unknown entry '3des'" \
	"$tmp/log" || fail "broken reload not reported"
wait_for 5 grep -q "^RELOADING=1|MONOTONIC_USEC=[0-9]*|$" "$tmp/notify.log" ||
	fail "no RELOADING=1"
kill -0 "$hpid" || fail "hipd died on a broken reload"
# a good one with a changed peers file
cp "$tmp/good.conf" "$tmp/hipd.conf"
printf 'log-level = debug\n' >> "$tmp/hipd.conf"
printf 'peer2 2001:21::2 192.0.2.2 2001:db8::2\n' >> "$tmp/hosts"
kill -HUP "$hpid"
wait_for 10 grep -q "peers file: 2 peers set, 0 removed" "$tmp/log" ||
	fail "peers file not re-read"
wait_for 5 grep -q "configuration reloaded" "$tmp/log" || fail "no reload"
[ "$(grep -c "^READY=1" "$tmp/notify.log")" -eq 3 ] ||
	fail "READY=1 not sent after each reload"

kill -TERM "$hpid"
wait "$hpid"
rc=$?
hpid=""
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM"
wait_for 10 grep -q "^STOPPING=1" "$tmp/notify.log" || fail "no STOPPING=1"
wait "$lpid" 2>/dev/null
lpid=""
echo "ok: $(wc -l < "$tmp/notify.log") notifications, capabilities 0x3000"
exit 0
