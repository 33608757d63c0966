/*
 * identity_priv.h - what identity.c, hostid.c, sign.c, hit.c and
 * identity_file.c share about struct hip_identity.  Not installed.
 */
#ifndef HIP_IDENTITY_PRIV_H
#define HIP_IDENTITY_PRIV_H

#include <openssl/evp.h>

#include "hip/identity.h"

struct hip_identity {
	EVP_PKEY *pkey;
	enum hip_key_type type;
	int algo;		/* HIP_HI_* */
	int curve;		/* HIP_*_CURVE_*, 0 for RSA */
	unsigned int bits;	/* modulus or curve size */
	int priv;		/* private half present */
};

/* Wrap pkey (ownership passes to *out on success only) after checking
 * that HIP supports its type, curve and size and that the public key is
 * valid.  Returns 0, HIP_EUNSUPPORTED, HIP_EFORMAT or HIP_ENOMEM. */
int hip_identity_wrap(EVP_PKEY *pkey, struct hip_identity **out);

/* Octets of one coordinate / scalar of an ECDSA curve (32 or 48). */
size_t hip_ecdsa_field_len(int curve);

#endif
