/*
 * hipd/msrd_store.h - the MSRD records held by hipd: create, update,
 * delete, bind and expire, with the ownership rule, and lookups by
 * bound SPD entry.  Pure (no I/O, clock passed in) so that it is tested
 * as it runs.  Records are kept sorted by MPI.
 */
#ifndef HIPD_MSRD_STORE_H
#define HIPD_MSRD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hip/msrd.h"

struct hipd_msrd_store {
	size_t n;
	uint32_t last_seq;	/* the seq of the latest change */
	struct hip_msrd_record rec[HIP_MSRD_MAX_RECORDS];
};

void hipd_msrd_store_init(struct hipd_msrd_store *s);

/* Root changes every record; anyone else only the records they own. */
bool hipd_msrd_may_change(uid_t uid, const struct hip_msrd_record *r);

/*
 * Create or update in->mpi for uid at now (epoch seconds).  The owner,
 * sequence number and expiry are the store's; bindings are kept (see
 * hipd_msrd_store_bind).  out gets the stored record, *coa_changed
 * whether its care-of locators differ from before (true on creation).
 * HIP_EINVAL (invalid record), HIP_EPERM (not the owner), HIP_ENOSPC
 * (database full); nothing changes then.
 */
int hipd_msrd_store_put(struct hipd_msrd_store *s, uid_t uid, uint64_t now,
			const struct hip_msrd_record *in,
			struct hip_msrd_record *out, bool *coa_changed);
int hipd_msrd_store_get(const struct hipd_msrd_store *s, uint64_t mpi,
			struct hip_msrd_record *out);
/* old (may be NULL) gets the record as it was.  HIP_ENOENT, HIP_EPERM. */
int hipd_msrd_store_del(struct hipd_msrd_store *s, uid_t uid, uint64_t mpi,
			struct hip_msrd_record *old);
/* Replace the bindings; HIP_ENOENT, HIP_EPERM, HIP_EINVAL. */
int hipd_msrd_store_bind(struct hipd_msrd_store *s, uid_t uid, uint64_t mpi,
			 const struct hip_msrd_binding *b, size_t n,
			 struct hip_msrd_record *out);

/* Remove the records whose expiry is at or before now, calling gone()
 * with each; returns how many. */
size_t hipd_msrd_store_expire(struct hipd_msrd_store *s, uint64_t now,
			      void (*gone)(const struct hip_msrd_record *r,
					   void *arg),
			      void *arg);
/* The earliest expiry of any record, 0 if none expires. */
uint64_t hipd_msrd_store_next_expiry(const struct hipd_msrd_store *s);

/*
 * Insert a record as loaded from disk (owner, seq and expiry kept).
 * HIP_EEXIST for a repeated MPI, HIP_ENOSPC, HIP_EINVAL.
 */
int hipd_msrd_store_insert(struct hipd_msrd_store *s,
			   const struct hip_msrd_record *r);

/*
 * The record bound to an ACQUIRE's flow: a binding whose HIT pair is
 * local_hit -> peer_hit (either may be NULL: not known), or whose
 * policy index or reqid is the given one (0: not known).  The first
 * match by MPI order, or NULL.
 */
const struct hip_msrd_record *
hipd_msrd_store_lookup(const struct hipd_msrd_store *s,
		       const uint8_t *local_hit, const uint8_t *peer_hit,
		       uint32_t policy_index, uint32_t reqid);

#endif
