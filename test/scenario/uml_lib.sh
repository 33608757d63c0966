# test/scenario/uml_lib.sh - helpers of the rekey and mobility scenarios
# under User-Mode Linux (uml_rekey.sh, uml_mobility.sh).  Source it after
# lib.sh.
#
#   ping_until HOST DST SECS      ping once a second until a reply comes
#   esp_packets HOST              packets counted on HOST's ESP SAs
#   sa_spis HOST                  SPIs of HOST's own SAs (hex, sorted)
#   tcp_retrans HOST              TCP RetransSegs of HOST's namespace
#   xfrm_stat HOST NAME           a /proc/net/xfrm_stat counter (0 if none)
#   xfrm_errors HOST              its non-zero counters
#   hipd_counter HOST NAME        = counter (a status counter)
#   owned_is HOST N, counter_ge HOST NAME N   conditions for netns_wait_for
#   xfer_start HOST_R HOST_S DST MIB [TIMEOUT [RATE]]
#                                 TCP transfer HOST_S -> DST (HOST_R's
#                                 HIT) in the background, as fast as it
#                                 goes or at RATE bytes/s; XFER_RPID,
#                                 XFER_SPID
#   xfer_wait                     wait for it: 0 when the SHA-256 and the
#                                 size match; XFER_SENT, XFER_GOT
#   median V...                   the median of the values
#   wire_first_esp FILE src|dst ADDR T0
#                                 first ESP from/to ADDR after T0 in a
#                                 wire_watch.py log

# ping_until HOST DST SECS: ping once a second until a reply comes.
ping_until() {
	local n=$3
	while [ "$n" -gt 0 ]; do
		netns_ping "$1" -c 1 -W 1 "$2" > /dev/null 2>&1 && return 0
		n=$((n - 1))
	done
	return 1
}

# esp_packets HOST: packets counted on HOST's ESP SAs ("lifetime
# current: N(bytes), M(packets)").
esp_packets() {
	ip -n "$(netns_name "$1")" -s xfrm state |
		grep -o '[0-9]*(packets)' | tr -d '(packets)' |
		awk '{ s += $1 } END { print s + 0 }'
}

# sa_spis HOST: the SPIs of HOST's own (reqid 0x4849....) SAs, larval
# ones (SPI 0) left out, one per line, sorted.
sa_spis() {
	ip -n "$(netns_name "$1")" xfrm state |
		grep -o 'spi 0x[0-9a-f]* reqid [0-9]*' |
		awk '$2 != "0x00000000" && $4 >= 1212743680 &&
		     $4 <= 1212809215 { print $2 }' | sort
}

# tcp_retrans HOST: segments TCP retransmitted in HOST's namespace.
tcp_retrans() {
	netns_exec "$1" cat /proc/net/snmp | awk '
		/^Tcp:/ && !h { for (i = 1; i <= NF; i++) f[$i] = i; h = 1;
				next }
		/^Tcp:/ { print $f["RetransSegs"]; exit }'
}

# xfrm_stat HOST NAME: one counter of /proc/net/xfrm_stat (0 when the
# kernel has no CONFIG_XFRM_STATISTICS).
xfrm_stat() {
	netns_exec "$1" cat /proc/net/xfrm_stat 2>/dev/null |
		awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }'
}

# xfrm_errors HOST: the non-zero counters of /proc/net/xfrm_stat as
# "Name=N ..." ("none" when all are zero or the kernel has none).
xfrm_errors() {
	netns_exec "$1" cat /proc/net/xfrm_stat 2>/dev/null |
		awk '$2 != 0 { printf "%s%s=%s", sep, $1, $2; sep = " " }
		     END { if (sep == "") print "none"; else print "" }'
}

hipd_counter() {
	counter "$@"
}

# For netns_wait_for, which runs its command again and again (a "$(...)"
# in its arguments would be computed only once):
# owned_is HOST N: HOST has N SAs and policies of hipd's.
owned_is() {
	[ "$(owned_xfrm "$1")" = "$2" ]
}
# counter_ge HOST NAME N: the status counter NAME is at least N.
counter_ge() {
	[ "$(counter "$1" "$2")" -ge "$3" ]
}

# xfer_start HOST_R HOST_S DST MIB [TIMEOUT]: HOST_R listens on DST
# (its HIT), HOST_S sends MIB MiB of random data there.
XFER_RPID=
XFER_SPID=
XFER_N=0
xfer_start() {
	local r=$1 s=$2 dst=$3 mib=$4 tmo=${5:-150} rate=${6:-} ready
	XFER_N=$((XFER_N + 1))
	ready=$SCEN_TMP/xfer$XFER_N.ready
	XFER_BYTES=$((mib * 1048576))
	XFER_OUT=$SCEN_TMP/xfer$XFER_N
	# ip netns exec directly: $! is then the process itself, not a
	# subshell, and clean-up can stop it
	ip netns exec "$(netns_name "$r")" $PY "$scen_dir/tcp_xfer.py" recv "$dst" 5001 "$ready" \
		> "$XFER_OUT.recv" 2> "$XFER_OUT.recv.err" &
	XFER_RPID=$!
	netns_on_cleanup "kill $XFER_RPID 2>/dev/null"
	netns_wait_for 10 test -e "$ready"
	if [ -n "$rate" ]; then
		ip netns exec "$(netns_name "$s")" $PY "$scen_dir/tcp_paced.py" "$dst" 5001 \
			"$XFER_BYTES" "$rate" "$tmo" > "$XFER_OUT.send" 2>&1 &
	else
		ip netns exec "$(netns_name "$s")" $PY "$scen_dir/tcp_xfer.py" send "$dst" 5001 \
			"$XFER_BYTES" "$tmo" > "$XFER_OUT.send" 2>&1 &
	fi
	XFER_SPID=$!
	netns_on_cleanup "kill $XFER_SPID 2>/dev/null"
}

# xfer_running: the sender has not finished yet.
xfer_running() {
	kill -0 "$XFER_SPID" 2>/dev/null
}

xfer_wait() {
	wait "$XFER_SPID"
	wait "$XFER_RPID"
	XFER_SENT=$(cat "$XFER_OUT.send")
	XFER_GOT=$(cat "$XFER_OUT.recv")
	if [ -n "$XFER_GOT" ] && [ "$XFER_SENT" = "$XFER_GOT" ] &&
	   [ "${XFER_GOT% *}" = "$XFER_BYTES" ]; then
		return 0
	fi
	echo "  sent: $XFER_SENT / received: $XFER_GOT" \
		"$(cat "$XFER_OUT.recv.err")"
	return 1
}

# median V...: the median of the values ("?" when there are none).
median() {
	printf '%s\n' "$@" | sort -n |
	awk 'NF { v[++n] = $1 } END { if (n == 0) print "?";
	      else if (n % 2) print v[(n + 1) / 2];
	      else printf "%.3f\n", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

# wire_first_esp FILE src|dst ADDR T0: time of the first ESP packet
# from (src) or to (dst) ADDR after T0 in a wire_watch.py log.
wire_first_esp() {
	awk -v f="$2" -v a="$3" -v t="$4" '$2 == "esp" && $1 >= t &&
		((f == "src" && $4 == a) || (f == "dst" && $5 == a)) {
		print $1; exit }' "$1"
}
