/*
 * hip/error.h - error codes shared by every libhipcore function.
 *
 * Functions return 0 on success and a negative HIP_E* code on failure.
 * A function that fails leaves its output arguments and any object it
 * was given in the state they had before the call.
 */
#ifndef HIP_ERROR_H
#define HIP_ERROR_H

enum hip_err {
	HIP_OK = 0,
	HIP_EINVAL = -1,	/* bad argument from the caller */
	HIP_ETRUNC = -2,	/* input shorter than its own length fields say */
	HIP_ENOSPC = -3,	/* output buffer too small */
	HIP_EPAD = -4,		/* parameter padding wrong or not zero */
	HIP_EORDER = -5,	/* parameters not in ascending type order */
	HIP_EDUP = -6,		/* parameter repeated that may occur once */
	HIP_ECRIT = -7,		/* unknown critical parameter */
	HIP_ELEN = -8,		/* a length field has an impossible value */
	HIP_EVERSION = -9,	/* unsupported protocol version */
	HIP_ECHECKSUM = -10,	/* checksum mismatch */
	HIP_EMISSING = -11,	/* a required parameter is absent */
	HIP_EUNSUPPORTED = -12,	/* algorithm, group or suite not supported */
	HIP_ECRYPTO = -13,	/* the crypto library failed */
	HIP_EVERIFY = -14,	/* signature, MAC, puzzle or HIT did not verify */
	HIP_ENOMEM = -15,	/* out of memory */
	HIP_EIO = -16,		/* file or socket I/O failed (errno is kept) */
	HIP_EFORMAT = -17,	/* input is not in the expected format */
	HIP_ENOENT = -18,	/* no such object */
	HIP_EEXIST = -19,	/* object exists already */
	HIP_EPERM = -20,	/* not permitted (file mode, owner, credentials) */
	HIP_ESTATE = -21,	/* not valid in the current state */
};

/* A short English description of an error code; never NULL. */
const char *hip_strerror(int err);

#endif
