/*
 * fuzz_hostid.c - HOST_ID parameter values and HI fields of every
 * algorithm.  The first input octet selects the mode; the rest is the
 * data.  Whatever decodes must re-encode to the same octets and hash to a
 * HIT that verifies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/proto.h"

static const int algos[] = {
	HIP_HI_RSA, HIP_HI_ECDSA, HIP_HI_EDDSA, HIP_HI_DSA, HIP_HI_ECDSA_LOW,
};

static void check_identity(struct hip_identity *id, int algo,
			   const uint8_t *hi, size_t len)
{
	static uint8_t again[HIP_HI_MAX_LEN];
	uint8_t hit[HIP_HIT_LEN];
	size_t n;

	if (hip_identity_is_private(id) || hip_identity_algo(id) != algo)
		abort();
	if (hip_hi_encode(id, again, sizeof(again), &n) != 0 || n != len ||
	    memcmp(again, hi, len) != 0)
		abort();
	if (hip_hit_from_identity(id, hit) != 0 ||
	    hip_hit_verify(hit, algo, hi, len) != 0)
		abort();
	/* A signature check on decoded keys must fail cleanly. */
	if (hip_verify(id, (uint16_t)algo, hi, len, hi, len) == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hip_hostid_view v;
	struct hip_identity *id = NULL;
	int algo;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		/* A whole HOST_ID value. */
		if (hip_hostid_decode(data + 1, size - 1, &v, &id) == 0) {
			if (v.hi + v.hi_len > data + size ||
			    (v.di_len && v.di + v.di_len != data + size))
				abort();
			check_identity(id, v.algo, v.hi, v.hi_len);
			hip_identity_free(id);
		}
		return 0;
	}
	algo = algos[data[0] % (sizeof(algos) / sizeof(algos[0]))];
	if (hip_hi_decode(algo, data + 1, size - 1, &id) == 0) {
		check_identity(id, algo, data + 1, size - 1);
		hip_identity_free(id);
	}
	return 0;
}
