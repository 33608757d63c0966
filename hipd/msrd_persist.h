/*
 * hipd/msrd_persist.h - the MSRD records that asked to persist
 * (HIP_MSRD_F_PERSIST), kept in one file written atomically.
 *
 * File format (this project's own):
 *
 *	"HIPMSRD1" | SHA-256 of what follows (32) | one control-protocol
 *	frame (hip/ctl.h) holding a HIP_CTL_A_LIST of HIP_CTL_A_MSRD_RECORD
 *	and HIP_CTL_A_MSRD_SEQ, the sequence number of the latest change
 *
 * A file that is cut short (a torn write), has trailing bytes or whose
 * digest does not match is refused as a whole with a message naming the
 * problem; hipd then starts without the records rather than with some.
 */
#ifndef HIPD_MSRD_PERSIST_H
#define HIPD_MSRD_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "hip/ctl.h"
#include "hipd/msrd_store.h"

#define HIPD_MSRD_FILE_MAGIC	"HIPMSRD1"
#define HIPD_MSRD_FILE_NAME	"msrd"
#define HIPD_MSRD_FILE_MAX	(8 + 32 + HIP_CTL_FRAME_MAX)

/* The persisted records of s as file contents in buf.  0, HIP_ENOSPC,
 * HIP_ECRYPTO. */
int hipd_msrd_persist_encode(const struct hipd_msrd_store *s, uint8_t *buf,
			     size_t cap, size_t *len);
/* File contents into a fresh store (records expired at now dropped).
 * On failure err says why and out is unchanged: HIP_EFORMAT (not an
 * MSRD file, torn, corrupt, bad record), HIP_ECHECKSUM (digest). */
int hipd_msrd_persist_decode(const uint8_t *buf, size_t len, uint64_t now,
			     struct hipd_msrd_store *out, char *err,
			     size_t errcap);

/* Write the file atomically (mode 0600).  0, HIP_EIO (errno kept). */
int hipd_msrd_persist_save(const struct hipd_msrd_store *s,
			   const char *path);
/* Read it; a missing file gives an empty store.  HIP_EIO with err. */
int hipd_msrd_persist_load(const char *path, uint64_t now,
			   struct hipd_msrd_store *out, char *err,
			   size_t errcap);

#endif
