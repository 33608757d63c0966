/*
 * hipd/msrd.h - hipd's MSRD server (msrd.md, hip/msrd.h): the records on
 * their own unix socket (run_dir/msrd.sock) served by a second control
 * server (control.c: same framing, SO_PEERCRED and write rule), the
 * ownership rule on top, events to watchers, persistence, expiry, and
 * the daemon's reactions: a bound record's care-of change moves the
 * association (hip_engine_assoc_set_locators), and an ACQUIRE on a bound
 * flow uses the record's peer address and reaches the watchers as an
 * extended SADB_ACQUIRE (msrd_acquire.c).
 */
#ifndef HIPD_MSRD_H
#define HIPD_MSRD_H

#include <limits.h>
#include <stddef.h>

#include "hipd/control.h"
#include "hipd/loop.h"
#include "hipd/msrd_store.h"

struct hipd_daemon;
struct hip_kernel_event;

struct hipd_msrd {
	struct hipd_daemon *d;
	struct hipd_ctl_server *srv;
	struct hipd_timer expire_timer;
	bool persist;
	char file[PATH_MAX];
	struct hipd_msrd_store store;
};

/* Load persisted records (when cfg.msrd_persist) and open the socket.
 * On failure err says why and nothing stays open. */
int hipd_msrd_open(struct hipd_daemon *d, const struct hipd_ctl_policy *pol,
		   struct hipd_msrd **out, char *err, size_t errcap);
void hipd_msrd_close(struct hipd_msrd *m);

/* A kernel ACQUIRE for a flow between two HITs, before the engine sees
 * it: if a record is bound to the flow, its peer address becomes the
 * peer's locator and the watchers get the extended ACQUIRE.  Returns 1
 * when a record was bound, 0 when none. */
int hipd_msrd_acquire(struct hipd_msrd *m, const struct hip_kernel_event *ev);

/* msrd_acquire.c: the extended SADB_ACQUIRE for a flow bound to rec
 * (PF_KEY v2, SADB_X_REF with rec's MPI).  0 or HIP_ENOSPC/HIP_EINVAL. */
int hipd_msrd_build_acquire(const struct hip_kernel_event *ev,
			    const struct hip_msrd_record *rec, uint8_t *buf,
			    size_t cap, size_t *len);

#endif
