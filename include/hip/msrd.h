/*
 * hip/msrd.h - the Mobile Security Reference Database (MSRD) API.
 *
 * The MSRD is where a mobility daemon (MIPv6 or a script) stores its
 * mobility parameters, above all the current care-of address, so that
 * key-management daemons (hipd itself, an IKE daemon) can build and
 * move security associations on the right locator.  Records are keyed
 * by a 64-bit Mobile Protocol Index (MPI).  hipd hosts the database on
 * its own unix socket (by default /run/hipd/msrd.sock) and speaks the
 * framing of the control protocol (hip/ctl.h) there.
 *
 * The idea comes from the slides "Interfacing between IKEv2/IPsec &
 * MIPv6 by simple PF_KEY extensions" (draft-qi-mip6-ikev2-interfacing),
 * which define no wire format; this API, its messages and the SADB_X_REF
 * layout (pfkey/pfkey.h) are this project's own.
 *
 * Everything here returns 0 or a negative HIP_E* code (hip/error.h);
 * HIP_EPERM when the daemon refuses (not root or the hipd group, or not
 * the record's owner), HIP_ENOENT for an unknown MPI, HIP_EINVAL for a
 * record that does not validate.  See hip_msrd(3).
 */
#ifndef HIP_MSRD_H
#define HIP_MSRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HIP_MSRD_DEFAULT_PATH	"/run/hipd/msrd.sock"
#define HIP_MSRD_SOCKET_NAME	"msrd.sock"

/* Bounds of one record and of the database (a full list fits one
 * control frame). */
#define HIP_MSRD_MAX_HOME	2
#define HIP_MSRD_MAX_COA	4
#define HIP_MSRD_MAX_BIND	4
#define HIP_MSRD_MAX_RECORDS	64
/* Longest lifetime a put may ask for (one year). */
#define HIP_MSRD_LIFETIME_MAX	(366u * 24u * 3600u)

/* Record flags. */
#define HIP_MSRD_F_PERSIST	0x1	/* kept across a hipd restart */
#define HIP_MSRD_F_PEER		0x2	/* peer holds an address */
#define HIP_MSRD_F_ALL		(HIP_MSRD_F_PERSIST | HIP_MSRD_F_PEER)

/* Binding flags: what a binding names (at least one). */
#define HIP_MSRD_B_HITS		0x1	/* local_hit/peer_hit */
#define HIP_MSRD_B_POLICY	0x2	/* policy_index */
#define HIP_MSRD_B_REQID	0x4	/* reqid */
#define HIP_MSRD_B_ALL		(HIP_MSRD_B_HITS | HIP_MSRD_B_POLICY | \
				 HIP_MSRD_B_REQID)

/* A current (care-of) locator; lower pref is preferred. */
struct hip_msrd_locator {
	struct in6_addr addr;	/* IPv4 as IPv4-mapped IPv6 */
	uint8_t pref;
};

/* An SPD entry that depends on the record: a HIT pair (hipd's own
 * associations), and/or a kernel policy index or reqid. */
struct hip_msrd_binding {
	uint32_t flags;		/* HIP_MSRD_B_* */
	uint8_t local_hit[16];
	uint8_t peer_hit[16];
	uint32_t policy_index;
	uint32_t reqid;
};

struct hip_msrd_record {
	uint64_t mpi;		/* never 0 */
	/* Set by the daemon; ignored in a put: */
	uint32_t owner;		/* uid of the creator */
	uint32_t seq;		/* grows on every change, from 1 */
	uint64_t expires;	/* seconds since the epoch; 0: never */
	/* Set by the client: */
	uint32_t lifetime;	/* put: seconds from now; 0: no expiry */
	uint32_t flags;		/* HIP_MSRD_F_* */
	size_t n_home;
	struct in6_addr home[HIP_MSRD_MAX_HOME];
	size_t n_coa;		/* sorted by pref when stored */
	struct hip_msrd_locator coa[HIP_MSRD_MAX_COA];
	struct in6_addr peer;	/* home agent / correspondent */
	size_t n_bind;		/* changed only by hip_msrd_bind */
	struct hip_msrd_binding bind[HIP_MSRD_MAX_BIND];
};

/*
 * Check a record as a put would: MPI not 0, counts within bounds, known
 * flags, addresses neither unspecified nor multicast, no address
 * repeated, the peer present iff HIP_MSRD_F_PEER, lifetime at most
 * HIP_MSRD_LIFETIME_MAX, every binding naming something (a HIT pair of
 * two HITs, a non-zero policy index or reqid).  0 or HIP_EINVAL.
 */
int hip_msrd_record_check(const struct hip_msrd_record *r);

/* Sort the care-of locators by preference (stable). */
void hip_msrd_record_sort(struct hip_msrd_record *r);

/* ---- Wire codec (shared by the client, hipd and the fuzz target) - */

struct hip_ctl_msg;
struct hip_ctl_attr;

/* Add r as one HIP_CTL_A_MSRD_RECORD nest (nothing on failure). */
int hip_msrd_record_put(struct hip_ctl_msg *m,
			const struct hip_msrd_record *r);
/*
 * Read a HIP_CTL_A_MSRD_RECORD nest: exact value lengths, each single
 * attribute at most once, no more addresses or bindings than the
 * bounds, then hip_msrd_record_check.  Unknown attributes are skipped.
 * HIP_EFORMAT, HIP_ELEN, HIP_EDUP, HIP_ENOSPC, HIP_EMISSING (no MPI) or
 * HIP_EINVAL; out is written only on success.
 */
int hip_msrd_record_read(const struct hip_ctl_attr *a,
			 struct hip_msrd_record *out);
/* One HIP_CTL_A_MSRD_BIND nest, and back (checked like a record's). */
int hip_msrd_binding_put(struct hip_ctl_msg *m,
			 const struct hip_msrd_binding *b);
int hip_msrd_binding_read(const struct hip_ctl_attr *a,
			  struct hip_msrd_binding *out);

/* ---- Client ------------------------------------------------------ */

struct hip_msrd;

/* Connect (path NULL: HIP_MSRD_DEFAULT_PATH).  HIP_EIO with errno
 * (ENOENT: hipd is not running, EACCES), HIP_ENOMEM, HIP_EINVAL. */
int hip_msrd_open(const char *path, struct hip_msrd **out);
void hip_msrd_close(struct hip_msrd *h);

/* The daemon's message for the last refused request ("" if none). */
const char *hip_msrd_errmsg(const struct hip_msrd *h);

/* Create or update the record rec->mpi (only its owner or root may
 * update).  stored (may be NULL) gets the record as now stored. */
int hip_msrd_put(struct hip_msrd *h, const struct hip_msrd_record *rec,
		 struct hip_msrd_record *stored);
int hip_msrd_get(struct hip_msrd *h, uint64_t mpi,
		 struct hip_msrd_record *out);
int hip_msrd_delete(struct hip_msrd *h, uint64_t mpi);
/* Up to cap records into out, by MPI; *count gets the total. */
int hip_msrd_list(struct hip_msrd *h, struct hip_msrd_record *out,
		  size_t cap, size_t *count);
/* Replace the bindings of a record (n = 0: none). */
int hip_msrd_bind(struct hip_msrd *h, uint64_t mpi,
		  const struct hip_msrd_binding *b, size_t n);

/*
 * Subscribe: from now on the handle receives events (hip_msrd_next_event)
 * and takes no more requests (HIP_ESTATE); open a second handle for
 * those.
 */
int hip_msrd_watch(struct hip_msrd *h);
/* The socket, to poll for POLLIN. */
int hip_msrd_fd(const struct hip_msrd *h);

enum hip_msrd_event_type {
	HIP_MSRD_EV_PUT = 1,		/* record created or changed */
	HIP_MSRD_EV_DELETE = 2,		/* deleted by a client */
	HIP_MSRD_EV_EXPIRE = 3,		/* its lifetime ran out */
	HIP_MSRD_EV_BIND = 4,		/* bindings replaced */
	HIP_MSRD_EV_ACQUIRE = 5,	/* an extended SADB_ACQUIRE */
};

/* Largest extended ACQUIRE carried in an event. */
#define HIP_MSRD_PFKEY_MAX	1024

struct hip_msrd_event {
	enum hip_msrd_event_type type;
	uint64_t mpi;
	/* PUT, BIND: the record after the change; DELETE, EXPIRE: as it
	 * was; ACQUIRE: unset (read it with hip_msrd_get). */
	struct hip_msrd_record record;
	/* ACQUIRE: a PF_KEY v2 SADB_ACQUIRE with SADB_X_REF (parse it
	 * with libpfkey). */
	uint8_t pfkey[HIP_MSRD_PFKEY_MAX];
	size_t pfkey_len;
};

/* Wait up to timeout_ms (0: do not wait, negative: no limit) for the
 * next event.  HIP_EIO with errno ETIMEDOUT when none came,
 * ECONNRESET when hipd closed the link; HIP_ESTATE before watch. */
int hip_msrd_next_event(struct hip_msrd *h, struct hip_msrd_event *ev,
			int timeout_ms);

const char *hip_msrd_event_name(enum hip_msrd_event_type t);

#ifdef __cplusplus
}
#endif

#endif
