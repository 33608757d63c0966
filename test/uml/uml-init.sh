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
declare -A loaded
load_module() {	# name: load it and what it depends on, once
	local name=${1//-/_} path line deps i
	[ -n "${loaded[$name]:-}" ] && return 0
	loaded[$name]=1
	grep -q "^$name " /proc/modules && return 0
	grep -Eq "/${1}.ko(\.[gx]z)?\$" "$kdir/modules.builtin" && return 0
	line=$(grep -E "(^|/)(${name}|${name//_/-})\.ko(\.[gx]z)?:" \
		"$kdir/modules.dep" | head -n 1)
	if [ -z "$line" ]; then
		echo "no module $1 in $kdir/modules.dep"
		return 1
	fi
	path=${line%%:*}
	read -r -a deps <<< "${line#*:}"
	# modules.dep lists a module's dependencies deepest last.
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		local d=${deps[i]##*/}
		load_module "${d%%.ko*}" || return 1
	done
	$insmod "$kdir/$path"
}

# echainiv and seqiv draw their IVs from the default crypto RNG: without
# drbg every cbc/gcm SA fails with EINVAL ("unable to initialize
# cryptographic operations").  jitterentropy_rng, drbg's optional noise
# source, fails to load under UML (EFAULT); drbg works without it.
modules="ipv6 xfrm_user af_key esp4 esp6 veth dummy bridge drbg authenc
	authencesn echainiv seqiv hmac sha512_generic cbc ctr gcm
	ghash_generic"
failed=
for m in $modules; do
	load_module "$m" >> "$out/modprobe.log" 2>&1 || failed="$failed $m"
done

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
