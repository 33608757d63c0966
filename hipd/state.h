/*
 * hipd/state.h - what hipd keeps across restarts, in its state
 * directory (default /var/lib/hipd, mode 0700):
 *
 *   hi-NN.pem   host identities (PKCS#8 PEM, mode 0600); the lowest NN
 *               is the default identity.  An empty directory gets an
 *               ECDSA P-256 identity on first start.  (Unless the
 *               configuration names its identity files instead.)
 *   peers       configured peers, one per line:
 *                 HIT LOCATOR [LOCATOR...] [name=NAME]
 *               written atomically (temporary file, fsync, rename).
 *   r1-counter  the highest R1 generation counter handed out (decimal);
 *               the next start continues above it (RFC 7401 4.1.4).
 *
 * Functions return 0 or a negative HIP_E* code; on failure err (when
 * not NULL) gets one line naming the file and the reason, and the state
 * is unchanged.
 */
#ifndef HIPD_STATE_H
#define HIPD_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/types.h>

#include "hip/engine.h"
#include "hip/hit.h"
#include "hip/identity.h"

#define HIPD_STATE_MAX_IDS	HIP_ENGINE_MAX_IDENTITIES
#define HIPD_STATE_MAX_PEERS	256
#define HIPD_PEER_NAME_MAX	64	/* NUL included */
#define HIPD_STATE_ERR_MAX	320

struct hipd_peer {
	uint8_t hit[HIP_HIT_LEN];
	size_t n_locators;
	struct in6_addr locators[HIP_ENGINE_MAX_LOCATORS];
	char name[HIPD_PEER_NAME_MAX];	/* "" when none */
};

struct hipd_state {
	char dir[PATH_MAX];
	/* identities come from "identity =" files of the configuration
	 * (numbered HIPD_STATE_FILE_NUM + i), not from hi-NN.pem: hipconf
	 * may not add or delete them */
	bool configured_ids;
	uid_t key_uid;		/* may own key files besides root, us */
	size_t n_ids;
	struct hip_identity *ids[HIPD_STATE_MAX_IDS];	/* [0]: default */
	unsigned id_num[HIPD_STATE_MAX_IDS];		/* the NN of hi-NN */
	uint8_t hits[HIPD_STATE_MAX_IDS][HIP_HIT_LEN];
	size_t n_peers;
	struct hipd_peer peers[HIPD_STATE_MAX_PEERS];
	uint64_t r1_counter;	/* as read at open (0: none stored) */
};

#define HIPD_STATE_FILE_NUM	10000	/* id_num of configured files */

/* How to open the state.  Key files must be private (mode 0600 or
 * stricter) and owned by root, by the running user or by key_uid (the
 * user hipd switches to; (uid_t)-1: none), or they are refused with a
 * message naming the file, what is wrong and the fix. */
struct hipd_state_opts {
	const char *dir;
	enum hip_key_type deftype;	/* created when there is none */
	/* n_files > 0: load exactly these (the first is the default)
	 * instead of the directory's hi-NN.pem; none is created */
	const char (*files)[PATH_MAX];
	size_t n_files;
	/* n_suites > 0: only identities of these HIT suites are used */
	const uint8_t *suites;
	size_t n_suites;
	uid_t key_uid;
};

/* Create dir (0700) if missing, load identities (creating one of
 * deftype when there is none, and logging its HIT), peers and the R1
 * counter. */
int hipd_state_open_opts(struct hipd_state *s,
			 const struct hipd_state_opts *o, char *err,
			 size_t errcap);
/* The same with the defaults: every hi-NN.pem of dir, any suite. */
int hipd_state_open(struct hipd_state *s, const char *dir,
		    enum hip_key_type deftype, char *err, size_t errcap);
/* Free the identities (keys wiped). */
void hipd_state_close(struct hipd_state *s);

/* Generate and store a new identity; *idx gets its index in ids[].
 * HIP_ENOSPC when HIPD_STATE_MAX_IDS exist. */
int hipd_state_hi_new(struct hipd_state *s, enum hip_key_type type,
		      unsigned rsa_bits, size_t *idx, char *err,
		      size_t errcap);
/* Remove an identity (its file too); the caller has stopped using it.
 * HIP_ENOENT, HIP_ESTATE (the last one). The identity is returned in
 * *removed for the caller to free once nothing borrows it. */
int hipd_state_hi_del(struct hipd_state *s, const uint8_t hit[HIP_HIT_LEN],
		      struct hip_identity **removed, char *err,
		      size_t errcap);
/* Index of a local HIT, or -1. */
int hipd_state_hi_find(const struct hipd_state *s,
		       const uint8_t hit[HIP_HIT_LEN]);

/* Add or replace a peer and save the file.  HIP_ENOSPC when full. */
int hipd_state_peer_set(struct hipd_state *s, const struct hipd_peer *p,
			char *err, size_t errcap);
/* HIP_ENOENT or 0 (file saved). */
int hipd_state_peer_del(struct hipd_state *s, const uint8_t hit[HIP_HIT_LEN],
			char *err, size_t errcap);
const struct hipd_peer *hipd_state_peer_find(const struct hipd_state *s,
					     const uint8_t hit[HIP_HIT_LEN]);

/* Parse one line of the peers file (without newline) into p: 1 when it
 * held a peer, 0 for a blank or comment line, HIP_EFORMAT with why. */
int hipd_state_peer_parse(const char *line, struct hipd_peer *p,
			  char *why, size_t whycap);

/* Record that R1 counters up to value have been used (atomic write). */
int hipd_state_r1_save(struct hipd_state *s, uint64_t value);

/* Write data to path atomically with mode: temp file, fsync, rename,
 * fsync of the directory.  0 or HIP_EIO (errno kept). */
int hipd_state_write_file(const char *path, const char *data, size_t len,
			  unsigned mode);

#endif
