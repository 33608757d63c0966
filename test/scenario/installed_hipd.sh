#!/bin/bash
# installed_hipd.sh - the installed hipd, started the way its systemd
# unit starts it.  make install DESTDIR=<temporary root>, then from the
# installed hipd.service: its ExecStart (with %S, %t under the root), its
# User/Group (a stand-in when the user hipd does not exist here), its
# AmbientCapabilities, CapabilityBoundingSet, NoNewPrivileges and UMask,
# RuntimeDirectory and StateDirectory with their modes, and a
# NOTIFY_SOCKET like Type=notify - in a private network namespace.
# Checks:
#   - it starts with the installed example configuration (when there is
#     one), answers hipconf, made an identity (0600, owned by the user)
#   - /proc/PID/status: the unit's capabilities only, its user, no new
#     privileges
#   - sd_notify READY=1, WATCHDOG=1, RELOADING=1, STOPPING=1
#   - ExecReload (kill -HUP) with a changed configuration: the change
#     shows (ignore-locator drops a locator from hipconf status)
#   - ExecReload with a broken configuration: refused with file:line,
#     old configuration kept, still running
#   - the installed bash completion offers the running daemon's HIT
#   - SIGTERM by PID: exit 0, its policies and hip0 gone
#   - and, as information: what hipd keeps when root starts it without
#     the unit's help (its own libcap-ng drop)
# This kernel may lack ESP: then --no-data-plane is added, as is -f (the
# log goes to a file here, to the journal under systemd).
# Needs root (skips with 77 otherwise).  About 10 seconds.
set -u
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: needs iproute2"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: needs setpriv"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../install/lib.sh"
scen_init ih

install_dirs_read || { echo "cannot read the install directories"; exit 99; }
root=$SCEN_TMP/root
install_into "$root" || { fail "make install DESTDIR=$root"; scen_finish; }
export LD_LIBRARY_PATH=$root$libdir
hipconf=$(installed_hipconf "$root") || { fail "no installed hipconf"; scen_finish; }
unit=$root$systemdsystemunitdir/hipd.service
[ -f "$unit" ] || { fail "no installed unit"; scen_finish; }

# --- what the unit says ----------------------------------------------------
user=$(unit_value "$unit" User)
group=$(unit_value "$unit" Group)
if ! getent passwd "$user" >/dev/null; then
	echo "note: no user $user here; nobody:nogroup stands in"
	user=nobody
	group=$(id -gn nobody)
fi
uid=$(id -u "$user")
want_caps=$(unit_cap_mask "$unit")
setpriv_opts=$(unit_setpriv_opts "$unit" |
	sed "s/--reuid [^ ]* --regid [^ ]*/--reuid $user --regid $group/")
cmd=$(unit_exec_start "$unit" "$root/var/lib" "$root/run" "$root/etc" |
	sed -e "s|^$sbindir/|$root$sbindir/|" -e "s| $sysconfdir/| $root$sysconfdir/|g")
conf=$root$sysconfdir/hip/hipd.conf
case " $cmd " in
*" --config $conf "*) ok "unit reads $sysconfdir/hip/hipd.conf" ;;
*) fail "unit command '$cmd' does not read $conf" ;;
esac
if [ -f "$conf" ]; then
	ok "the example configuration was installed as the unit's"
else
	mkdir -p "${conf%/*}"
	echo "# scenario: defaults" >"$conf"
fi
cp "$conf" "$SCEN_TMP/example.conf"
rundir=$root/run/$(unit_value "$unit" RuntimeDirectory)
statedir=$root/var/lib/$(unit_value "$unit" StateDirectory)
install -d -o "$user" -g "$group" \
	-m "$(unit_value "$unit" RuntimeDirectoryMode)" "$rundir"
install -d -o "$user" -g "$group" \
	-m "$(unit_value "$unit" StateDirectoryMode)" "$statedir"
sock=$rundir/hipd.sock

netns_host h
# A locator to ignore at reload (a veth pair: no dummy driver needed).
netns_exec h ip link add v0 type veth peer name v1
netns_exec h ip link set v0 up
netns_exec h ip link set v1 up
netns_exec h ip addr add 2001:db8:7::1/64 dev v0 nodad
extra="-f"
if ! netns_exec h ip xfrm state add src ::1 dst ::1 proto esp spi 0x1000 \
	mode transport enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f \
	auth 'hmac(sha256)' 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f \
	>/dev/null 2>&1; then
	extra="$extra --no-data-plane"
	echo "note: this kernel has no ESP: --no-data-plane added"
fi
netns_exec h ip xfrm state flush 2>/dev/null

# A service manager's notification socket (sd_notify(3)), as systemd
# gives a Type=notify service.
"$PY" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a") as log:
    print("listening", file=log, flush=True)
    while True:
        msg, _ = s.recvfrom(4096)
        for line in msg.decode("utf-8", "replace").split("\n"):
            if line:
                print(line, file=log, flush=True)
' "$SCEN_TMP/notify.sock" "$SCEN_TMP/notify.txt" &
notify_pid=$!
netns_on_cleanup "kill $notify_pid 2>/dev/null; wait $notify_pid 2>/dev/null"
for _ in $(seq 50); do
	grep -q listening "$SCEN_TMP/notify.txt" 2>/dev/null && break
	sleep 0.1
done

# wait_notify LINE SECS: 0 once the service manager got LINE.
wait_notify() {
	local n=$(($2 * 10))
	while [ $n -gt 0 ]; do
		grep -qx "$1" "$SCEN_TMP/notify.txt" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

hc() { "$hipconf" -s "$sock" "$@"; }

# --- start as the unit does ----------------------------------------------
echo "start: setpriv $setpriv_opts $cmd $extra"
# With WatchdogSec= systemd passes WATCHDOG_USEC and WATCHDOG_PID; a
# second here instead of the unit's value keeps the test short.
watchdog=$(unit_value "$unit" WatchdogSec)
netns_spawn h env NOTIFY_SOCKET="$SCEN_TMP/notify.sock" \
	${watchdog:+WATCHDOG_USEC=1000000} bash -c \
	"umask $(unit_value "$unit" UMask); ${watchdog:+export WATCHDOG_PID=\$\$;} \
	exec setpriv $setpriv_opts $cmd $extra" >>"$SCEN_TMP/hipd.log" 2>&1
pid=$NETNS_PID
for _ in $(seq 100); do
	hc status >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
hc status >/dev/null 2>&1 && ok "hipconf status answered" ||
	{ fail "hipd did not start"; scen_finish; }
check "sd_notify: READY=1" wait_notify READY=1 5
if [ -n "$watchdog" ]; then
	check "sd_notify: WATCHDOG=1 (WatchdogSec=$watchdog)" \
		wait_notify WATCHDOG=1 3
fi

st=/proc/$pid/status
eff=$(sed -n 's/^CapEff:\t//p' "$st")
bnd=$(sed -n 's/^CapBnd:\t//p' "$st")
check "CapEff $eff = the unit's CapabilityBoundingSet ($want_caps)" \
	test "$eff" = "$want_caps"
check "CapBnd $bnd = $want_caps" test "$bnd" = "$want_caps"
check "runs as $user (uid $uid)" \
	test "$(sed -n 's/^Uid:\t\([0-9]*\).*/\1/p' "$st")" = "$uid"
check "NoNewPrivs set" test "$(sed -n 's/^NoNewPrivs:\t//p' "$st")" = 1
key=$(ls "$statedir"/hi-*.pem 2>/dev/null | head -n 1)
check "first start made an identity ($(stat -c '%a %U' "$key" 2>/dev/null))" \
	test -n "$key" -a "$(stat -c '%a %u' "$key" 2>/dev/null)" = "600 $uid"
check "state directory mode 700" test "$(stat -c %a "$statedir")" = 700

locators() {
	hc --json status | "$PY" -c '
import json, sys
print(" ".join(json.load(sys.stdin)["locators"]))'
}
check "2001:db8:7::1 is a locator before the reload ($(locators))" \
	grep -qw 2001:db8:7::1 <<<"$(locators)"

# --- ExecReload with a changed, then a broken configuration ---------------
reload_cmd=$(unit_value "$unit" ExecReload)
reload() { eval "${reload_cmd//\$MAINPID/$pid}"; }
{ cat "$SCEN_TMP/example.conf"; echo "ignore-locator = 2001:db8:7::1"; } >"$conf"
: >"$SCEN_TMP/notify.txt"
lines=$(wc -l <"$SCEN_TMP/hipd.log")
reload
for _ in $(seq 50); do
	grep -qw 2001:db8:7::1 <<<"$(locators)" || break
	sleep 0.1
done
check "reload: ignore-locator took effect ($(locators))" \
	test -z "$(grep -w 2001:db8:7::1 <<<"$(locators)")"
check "sd_notify: RELOADING=1 then READY=1" wait_notify READY=1 5
check "  RELOADING=1 was sent" grep -qx RELOADING=1 "$SCEN_TMP/notify.txt"

{ cat "$SCEN_TMP/example.conf"; echo "ignore-locator = 2001:db8:7::1"
  echo "log-level = loud"; } >"$conf"
bad_line=$(wc -l <"$conf")
reload
for _ in $(seq 50); do
	tail -n +"$lines" "$SCEN_TMP/hipd.log" | grep -q "hipd.conf:$bad_line" && break
	sleep 0.1
done
msg=$(tail -n +"$lines" "$SCEN_TMP/hipd.log" | grep "hipd.conf:$bad_line" | tail -n 1)
check "broken configuration refused naming file:line ($msg)" test -n "$msg"
check "still running after the broken reload" kill -0 "$pid"
check "old configuration kept (locator still ignored)" \
	test -z "$(grep -w 2001:db8:7::1 <<<"$(locators)")"

# --- bash completion against the running daemon ---------------------------
hit=$(hc --json hi list | "$PY" -c '
import json, sys
print([i["hit"] for i in json.load(sys.stdin) if i["default"]][0])')
comp=$(bash -c '. "$1"; COMP_LINE="$2 -s $3 hi del "; COMP_POINT=${#COMP_LINE}
	_hipconf; echo "${COMPREPLY[*]}"' _ \
	"$root$bashcompletiondir/hipconf" "$hipconf" "$sock")
check "completion of 'hipconf hi del' offers the HIT $hit ($comp)" \
	test "$comp" = "$hit"

# --- stop: SIGTERM by PID ---------------------------------------------------
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
keep=()
for p in "${NETNS_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
NETNS_PIDS=("${keep[@]}")
check "SIGTERM: exit status 0 ($rc)" test "$rc" = 0
check "sd_notify: STOPPING=1" grep -qx STOPPING=1 "$SCEN_TMP/notify.txt"
check "no policies left" test -z "$(netns_exec h ip xfrm policy)"
check "hip0 removed" test -z "$(netns_exec h ip -o link show hip0 2>/dev/null)"
check "control socket removed" test ! -e "$sock"
scen_check_log_file() {
	grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$1" &&
		fail "sanitizer report in $1"
	return 0
}
scen_check_log_file "$SCEN_TMP/hipd.log"

# --- information: root without the unit's help ---------------------------
cp "$SCEN_TMP/example.conf" "$conf"
rootcmd=${cmd/--state-dir $statedir/--state-dir $SCEN_TMP/rootstate}
netns_spawn h bash -c "exec $rootcmd $extra" >>"$SCEN_TMP/hipd-root.log" 2>&1
pid=$NETNS_PID
for _ in $(seq 100); do
	hc status >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if hc status >/dev/null 2>&1; then
	eff=$(sed -n 's/^CapEff:\t//p' "/proc/$pid/status")
	if [ "$eff" = "$want_caps" ]; then
		ok "started by root alone, hipd drops to CapEff $eff itself"
	else
		echo "note: started by root alone, hipd keeps CapEff $eff (its own drop to $want_caps is not in yet)"
	fi
	netns_stop "$pid"
else
	echo "note: hipd started by root alone did not answer:"
	tail -n 5 "$SCEN_TMP/hipd-root.log"
fi

scen_finish
