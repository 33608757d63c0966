/*
 * hipd/privs.h - dropping privileges once hipd's sockets are open
 * (libcap-ng): afterwards the process holds at most CAP_NET_ADMIN (XFRM,
 * rtnetlink, its HIT device) and CAP_NET_RAW (raw HIP sockets), in the
 * effective and permitted sets only; inheritable and ambient sets are
 * cleared, the bounding set too when the process may (CAP_SETPCAP), and
 * no_new_privs is set.  With a user configured, hipd (started as root)
 * becomes that user and its groups, keeping the two capabilities.
 *
 * Any failure is reported and must stop the daemon: running on with
 * more privilege than intended is never the fallback.
 */
#ifndef HIPD_PRIVS_H
#define HIPD_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hipd_privs_user {
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* Look the user up (getpwnam).  0, HIP_ENOENT (no such user) or HIP_EIO
 * with err. */
int hipd_privs_lookup(const char *name, struct hipd_privs_user *u,
		      char *err, size_t errcap);

/* Drop to CAP_NET_ADMIN + CAP_NET_RAW (those of the two the process
 * has), as user u when not NULL, then check that state_dir (when not
 * NULL) is writable.  0, or HIP_EPERM / HIP_EIO with err. */
int hipd_privs_drop(const struct hipd_privs_user *u, const char *state_dir,
		    char *err, size_t errcap);

/* The capabilities the process holds beyond CAP_NET_ADMIN and
 * CAP_NET_RAW in set ("eff", "prm", "inh", "amb", "bnd"), read from
 * /proc/self/status: 0 none, 1 some, HIP_EIO unreadable. */
int hipd_privs_extra(const char *set);

#endif
