# test/install/lib.sh - shared by the install checks: where make installs
# things, and make install into a temporary root.  Sourced; run from the
# top of a build tree (as make check does).

# Set prefix, sbindir, libdir, ... from the build tree's Makefile, as
# make expands them.
install_dirs_read()
{
	local k v out
	out=$(${MAKE:-make} -s --no-print-directory print-install-dirs) ||
		return 1
	while IFS='=' read -r k v; do
		case $k in
		prefix | sbindir | bindir | libdir | includedir | mandir | \
		sysconfdir | docdir | systemdsystemunitdir | sysusersdir | \
		bashcompletiondir | version | cc | san_cflags)
			printf -v "$k" '%s' "$v" ;;
		esac
	done <<<"$out"
}

# make install DESTDIR=$1 (quietly; the log goes to $1.log).
install_into()
{
	if ! ${MAKE:-make} -s --no-print-directory install DESTDIR="$1" \
	    >"$1.log" 2>&1; then
		echo "make install DESTDIR=$1 failed:" >&2
		tail -n 30 "$1.log" >&2
		return 1
	fi
}

# Where hipconf was installed (sbin or bin).
installed_hipconf()
{
	local d
	for d in "$sbindir" "$bindir"; do
		[ -x "$1$d/hipconf" ] && { echo "$1$d/hipconf"; return 0; }
	done
	return 1
}

# The value of the first "KEY=" line of a unit file.
unit_value()
{
	sed -n "s/^$2=//p" "$1" | head -n 1
}

# The unit's ExecStart with the directory specifiers replaced: %S by $2
# (state, /var/lib under systemd), %t by $3 (runtime, /run), %E by $4
# (configuration, /etc).
unit_exec_start()
{
	unit_value "$1" ExecStart |
		sed -e "s|%S|$2|g" -e "s|%t|$3|g" -e "s|%E|$4|g" -e 's|%%|%|g'
}

# setpriv(1) options giving a process what the unit gives hipd: its
# user and group (when run as root), ambient and bounding capabilities,
# no new privileges.
unit_setpriv_opts()
{
	local caps="" c user
	for c in $(unit_value "$1" AmbientCapabilities); do
		c=${c#CAP_}
		caps="$caps,+${c,,}"
	done
	caps=${caps#,}
	user=$(unit_value "$1" User)
	[ -n "$user" ] && printf -- '--reuid %s --regid %s --init-groups ' \
		"$user" "$(unit_value "$1" Group)"
	[ -n "$caps" ] && printf -- '--inh-caps %s --ambient-caps %s ' \
		"$caps" "$caps"
	printf -- '--bounding-set -all'
	for c in $(unit_value "$1" CapabilityBoundingSet); do
		c=${c#CAP_}
		printf ',+%s' "${c,,}"
	done
	[ "$(unit_value "$1" NoNewPrivileges)" = yes ] &&
		printf -- ' --no-new-privs'
	echo
}

# The effective capability mask the unit's CapabilityBoundingSet allows,
# as /proc/PID/status prints it (CapEff: 16 hex digits).
unit_cap_mask()
{
	local m=0 c n
	for c in $(unit_value "$1" CapabilityBoundingSet); do
		n=$(capsh --explain="${c,,}" 2>/dev/null |
			sed -n '1s/^[a-z_]* (\([0-9]*\)).*/\1/p')
		[ -n "$n" ] || return 1
		m=$((m | (1 << n)))
	done
	printf '%016x\n' "$m"
}
