# test/netns/lib.sh - network namespaces as hosts, for scenario scripts.
# Source it from bash (works on the host and inside UML; needs root):
#
#   . "$srcdir/test/netns/lib.sh"
#   netns_init                     # unique prefix, cleanup trap
#   netns_host a; netns_host b     # namespaces <prefix>-a, <prefix>-b
#   netns_link a b                 # veth: "eth0" in a <-> "eth0" in b
#   netns_addr a eth0 2001:db8::1/64 192.0.2.1/24
#   netns_ping a -6 -c1 2001:db8::2     # iputils or busybox ping
#   netns_spawn a hipd -f ...      # background; PID in $NETNS_PID
#
# For more than two hosts, netns_switch a b c joins them through a
# bridge that lives in a namespace of its own.
#
# Everything created is recorded and removed by netns_cleanup, which
# runs on EXIT (also on failure, INT and TERM): processes started with
# netns_spawn are stopped by their PID, then the namespaces are deleted,
# which deletes their interfaces and their XFRM state with them.  Add
# your own clean-up steps with netns_on_cleanup "command".

NETNS_PREFIX=
NETNS_HOSTS=()
NETNS_PIDS=()
NETNS_CLEANUP_CMDS=()
NETNS_PID=

netns_die() {
	echo "netns: $*" >&2
	exit 1
}

# netns_init [TAG]: choose the per-run prefix and install the trap.
netns_init() {
	local tag=${1:-t}
	[ "$(id -u)" = 0 ] || netns_die "needs root (network namespaces)"
	command -v ip > /dev/null || netns_die "needs ip (iproute2)"
	NETNS_PREFIX="hip${tag}$$$(printf %04x $((RANDOM)))"
	trap netns_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# The namespace name of HOST.
netns_name() {
	echo "$NETNS_PREFIX-$1"
}

netns_on_cleanup() {
	NETNS_CLEANUP_CMDS+=("$1")
}

netns_cleanup() {
	local rc=$? i pid ns
	trap - EXIT
	set +e		# clean up everything even under the caller's set -e
	for ((i = ${#NETNS_CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do
		eval "${NETNS_CLEANUP_CMDS[i]}" || true
	done
	for pid in "${NETNS_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${NETNS_PIDS[@]}"; do
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	NETNS_PIDS=()
	for ns in "${NETNS_HOSTS[@]}"; do
		ip netns del "$(netns_name "$ns")" 2>/dev/null
	done
	NETNS_HOSTS=()
	return $rc
}

# netns_host NAME...: a namespace per host, loopback up, IPv6 on.
netns_host() {
	local h ns
	[ -n "$NETNS_PREFIX" ] || netns_die "call netns_init first"
	for h in "$@"; do
		ns=$(netns_name "$h")
		ip netns add "$ns" || netns_die "cannot create namespace $ns"
		NETNS_HOSTS+=("$h")
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.accept_dad=0 2>/dev/null
	done
}

# netns_exec HOST CMD...: run CMD inside HOST's namespace.
netns_exec() {
	local h=$1
	shift
	ip netns exec "$(netns_name "$h")" "$@"
}

# netns_spawn HOST CMD...: start CMD in the background inside HOST;
# its PID is left in NETNS_PID and it is stopped at clean-up.
netns_spawn() {
	local h=$1
	shift
	ip netns exec "$(netns_name "$h")" "$@" &
	NETNS_PID=$!
	NETNS_PIDS+=("$NETNS_PID")
}

# netns_stop PID: stop a process started by netns_spawn now.
netns_stop() {
	local pid=$1 i keep=()
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for i in "${NETNS_PIDS[@]}"; do
		[ "$i" = "$pid" ] || keep+=("$i")
	done
	NETNS_PIDS=("${keep[@]}")
}

# netns_link A B [IFA [IFB]]: a veth pair between hosts A and B, up.
netns_link() {
	local a=$1 b=$2 ifa=${3:-eth0} ifb=${4:-${3:-eth0}}
	ip link add "$ifa" netns "$(netns_name "$a")" type veth \
		peer name "$ifb" netns "$(netns_name "$b")" ||
		netns_die "cannot link $a:$ifa to $b:$ifb"
	ip -n "$(netns_name "$a")" link set "$ifa" up
	ip -n "$(netns_name "$b")" link set "$ifb" up
}

# netns_switch HOST...: join the hosts through a bridge in a namespace of
# its own (named "sw"); each host gets "eth0" on it.
netns_switch() {
	local sw h i=0
	netns_host sw
	sw=$(netns_name sw)
	ip -n "$sw" link add br0 type bridge || netns_die "no bridge support"
	ip -n "$sw" link set br0 up
	for h in "$@"; do
		ip link add "p$i" netns "$sw" type veth \
			peer name eth0 netns "$(netns_name "$h")" ||
			netns_die "cannot attach $h to the switch"
		ip -n "$sw" link set "p$i" master br0 up
		ip -n "$(netns_name "$h")" link set eth0 up
		i=$((i + 1))
	done
}

# netns_addr HOST IF ADDR/PLEN...: add addresses (IPv6 ones without DAD,
# so they are usable at once).
netns_addr() {
	local h=$1 ifn=$2 a
	shift 2
	for a in "$@"; do
		case $a in
		*:*) ip -n "$(netns_name "$h")" addr add "$a" dev "$ifn" nodad ;;
		*) ip -n "$(netns_name "$h")" addr add "$a" dev "$ifn" ;;
		esac || netns_die "cannot add $a to $h:$ifn"
	done
}

# netns_del_addr HOST IF ADDR/PLEN...
netns_del_addr() {
	local h=$1 ifn=$2 a
	shift 2
	for a in "$@"; do
		ip -n "$(netns_name "$h")" addr del "$a" dev "$ifn" ||
			netns_die "cannot delete $a from $h:$ifn"
	done
}

# netns_wait_dad HOST [SECS]: wait until no address is tentative (for
# addresses added without nodad, e.g. by a daemon).
netns_wait_dad() {
	local h=$1 n=$((${2:-5} * 10))
	while [ $n -gt 0 ]; do
		[ -z "$(ip -n "$(netns_name "$h")" -6 addr show tentative)" ] &&
			return 0
		sleep 0.1
		n=$((n - 1))
	done
	netns_die "$h: addresses still tentative"
}

# netns_wait_for SECS CMD...: retry CMD every 0.1 s until it succeeds.
netns_wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# netns_ping HOST [PING-OPTIONS] ADDR: ping from HOST with iputils' ping
# when installed, busybox's otherwise (same options: -4 -6 -c -W -w -s
# -i -q -I).
netns_ping() {
	local h=$1
	shift
	if command -v ping > /dev/null; then
		netns_exec "$h" ping "$@"
	else
		netns_exec "$h" busybox ping "$@"
	fi
}
