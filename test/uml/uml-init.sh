#!/bin/bash
# uml-init.sh - PID 1 inside the User-Mode Linux guest started by
# uml-run.sh.  The root is the host's, read-only (hostfs).  It prepares a
# minimal writable system, loads the IPsec modules, runs the job that
# uml-run.sh left in the host directory named by $hipd_uml_out and writes
# the job's exit status and output back there, then powers off.
#
# The kernel passes unknown "key=value" boot arguments to init as
# environment variables: hipd_uml_out is one of them.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/run/tmp LC_ALL=C
umask 022

poweroff_now() {
	sync
	echo o > /proc/sysrq-trigger
	sleep 10	# never return from PID 1: the kernel would panic
}

say() { echo "uml-init: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755 tmpfs /run
# The host's /tmp stays visible (build trees often live there) but read
# only, like the rest of the root; scratch space is a tmpfs in $TMPDIR.
mount -t hostfs -o ro,/tmp none /tmp
mkdir -m 1777 /run/tmp
export TMPDIR=/run/tmp
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/shm /dev/pts
# devtmpfs lacks these; bash's <(...) and many scripts need them.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null

out=/run/uml-out
mkdir -p "$out"
if [ -z "$hipd_uml_out" ] ||
   ! mount -t hostfs none "$out" -o "$hipd_uml_out"; then
	say "cannot mount the host output directory '$hipd_uml_out'"
	poweroff_now
fi

# The host has no /lib/modules/<version> for the UML kernel and may have
# no kmod at all (busybox-static's modprobe has no -d), so resolve
# dependencies from Debian's modules.dep ourselves and insmod by path.
# The kernel's own module auto-loading would call /sbin/modprobe and
# fail: load everything the tests need up front.  BEET has no module of
# its own in 6.1 (xfrm{4,6}_mode_beet were folded into the core in 5.3);
# sha256_generic and aes_generic are built in.
kdir=/usr/lib/uml/modules/$(uname -r)
if command -v insmod > /dev/null; then
	insmod=insmod
else
	insmod="busybox insmod"
fi
# One awk pass over modules.dep orders the requested modules after their
# dependencies (process start-up is expensive under UML).
load_order() {
	awk -v want="$*" '
	function base(p) {
		sub(/.*\//, "", p); sub(/\.ko(\.[gx]z)?$/, "", p)
		gsub(/-/, "_", p); return p
	}
	function visit(n,   d, k, i) {
		if (n in seen) return
		seen[n] = 1
		if (n in builtin) return
		if (!(n in path)) { print "MISSING " n; return }
		k = split(deps[n], d, " ")
		for (i = k; i >= 1; i--) visit(base(d[i]))
		print path[n]
	}
	FNR == NR { builtin[base($0)] = 1; next }
	{ i = index($0, ":"); n = base(substr($0, 1, i - 1))
	  path[n] = substr($0, 1, i - 1); deps[n] = substr($0, i + 1) }
	END { k = split(want, w, " ")
	      for (i = 1; i <= k; i++) visit(w[i]) }
	' "$kdir/modules.builtin" "$kdir/modules.dep"
}

modules="ipv6 xfrm_user af_key esp4 esp6 veth dummy bridge drbg authenc
	authencesn echainiv seqiv hmac sha512_generic cbc ctr gcm
	ghash_generic"
failed=
declare -A present
while read -r name _; do present[$name]=1; done < /proc/modules
while read -r p name; do
	if [ "$p" = MISSING ]; then
		failed="$failed $name(not in modules.dep)"
		continue
	fi
	m=${p##*/}
	m=${m%%.ko*}
	[ -n "${present[${m//-/_}]:-}" ] && continue
	$insmod "$kdir/$p" >> "$out/modprobe.log" 2>&1 || failed="$failed $m"
done < <(load_order $modules)

status=
if [ -n "$failed" ]; then
	say "failed to load modules:$failed" | tee "$out/output"
	cat "$out/modprobe.log" >> "$out/output"
	status=1
else
	ip link set lo up
	echo "$(cut -d' ' -f1 /proc/uptime)" > "$out/boot-seconds"
	# job.sh was written by uml-run.sh: environment, cd, command.
	bash "$out/job.sh" > "$out/output" 2>&1 < /dev/null
	status=$?
fi
echo "$status" > "$out/status.tmp" && mv "$out/status.tmp" "$out/status"
umount "$out"
poweroff_now
