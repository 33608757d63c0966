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
