/*
 * privs.c - capability and user drop with libcap-ng (see privs.h).
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cap-ng.h>

#include "hip/error.h"
#include "hipd/privs.h"

int hipd_privs_lookup(const char *name, struct hipd_privs_user *u,
		      char *err, size_t errcap)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int e;

	if (strlen(name) >= sizeof(u->name)) {
		snprintf(err, errcap, "user %.*s: name too long", 64, name);
		return HIP_EINVAL;
	}
	e = getpwnam_r(name, &pw, buf, sizeof(buf), &res);
	if (res == NULL) {
		snprintf(err, errcap, "user %s: %s", name,
			 e ? strerror(e) : "no such user");
		return e ? HIP_EIO : HIP_ENOENT;
	}
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	strcpy(u->name, name);
	return 0;
}

/* Mask of the capabilities hipd may keep, as in /proc/PID/status. */
static uint64_t kept_mask(void)
{
	return (UINT64_C(1) << CAP_NET_ADMIN) | (UINT64_C(1) << CAP_NET_RAW);
}

int hipd_privs_extra(const char *set)
{
	char line[256], key[16];
	FILE *f = fopen("/proc/self/status", "re");
	int r = HIP_EIO;

	if (f == NULL)
		return HIP_EIO;
	snprintf(key, sizeof(key), "Cap%c%s:", set[0] - 'a' + 'A', set + 1);
	while (fgets(line, sizeof(line), f) != NULL) {
		uint64_t v;

		if (strncmp(line, key, strlen(key)) != 0)
			continue;
		if (sscanf(line + strlen(key), "%" SCNx64, &v) == 1)
			r = (v & ~kept_mask()) != 0;
		break;
	}
	fclose(f);
	return r;
}

/* Add to the libcap-ng working set the kept capabilities the process
 * holds now (a service manager may have given it only some). */
static void keep_held(void)
{
	static const unsigned caps[] = { CAP_NET_ADMIN, CAP_NET_RAW };
	int held[2];

	for (size_t i = 0; i < 2; i++)
		held[i] = capng_have_capability(CAPNG_PERMITTED, caps[i]);
	capng_clear(CAPNG_SELECT_ALL);
	for (size_t i = 0; i < 2; i++)
		if (held[i])
			capng_update(CAPNG_ADD,
				     CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				     caps[i]);
}

int hipd_privs_drop(const struct hipd_privs_user *u, const char *state_dir,
		    char *err, size_t errcap)
{
	bool can_bound;
	int r;

	if (capng_get_caps_process() < 0) {
		snprintf(err, errcap, "cannot read the process capabilities");
		return HIP_EIO;
	}
	if (u != NULL && geteuid() != 0 && geteuid() != u->uid) {
		snprintf(err, errcap, "cannot become user %s: hipd was not "
			 "started as root (uid %ld)", u->name,
			 (long)geteuid());
		return HIP_EPERM;
	}
	can_bound = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	keep_held();
	if (u != NULL && geteuid() != u->uid) {
		/* keeps the working set across setresuid (PR_SET_KEEPCAPS),
		 * sets the user's groups (initgroups), clears the bounding
		 * set */
		r = capng_change_id((int)u->uid, (int)u->gid,
				    CAPNG_INIT_SUPP_GRP | CAPNG_CLEAR_BOUNDING |
				    CAPNG_CLEAR_AMBIENT);
		if (r < 0) {
			snprintf(err, errcap, "cannot switch to user %s (uid "
				 "%ld, gid %ld): libcap-ng error %d", u->name,
				 (long)u->uid, (long)u->gid, r);
			return HIP_EPERM;
		}
	} else {
		r = capng_apply(can_bound ? CAPNG_SELECT_ALL
				: (capng_select_t)(CAPNG_SELECT_CAPS |
						   CAPNG_SELECT_AMBIENT));
		if (r < 0) {
			snprintf(err, errcap, "cannot drop capabilities: "
				 "libcap-ng error %d", r);
			return HIP_EPERM;
		}
	}
	/* no exec'd program may regain what was dropped (file caps,
	 * set-user-ID), also where the bounding set could not be cut */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errcap, "cannot set no_new_privs: %s",
			 strerror(errno));
		return HIP_EPERM;
	}
	/* trust the kernel's view, not the library's */
	if (hipd_privs_extra("eff") != 0 || hipd_privs_extra("prm") != 0 ||
	    hipd_privs_extra("inh") != 0 || hipd_privs_extra("amb") != 0 ||
	    (can_bound && hipd_privs_extra("bnd") != 0)) {
		snprintf(err, errcap, "capabilities beyond CAP_NET_ADMIN and "
			 "CAP_NET_RAW remain after the drop");
		return HIP_EPERM;
	}
	if (state_dir != NULL && access(state_dir, W_OK | X_OK) < 0) {
		if (u != NULL)
			snprintf(err, errcap, "%s: not writable by user %s "
				 "(%s); run chown -R %s %s", state_dir,
				 u->name, strerror(errno), u->name,
				 state_dir);
		else
			snprintf(err, errcap, "%s: not writable without "
				 "CAP_DAC_OVERRIDE (%s); give it to uid %ld",
				 state_dir, strerror(errno), (long)geteuid());
		return HIP_EPERM;
	}
	return 0;
}
