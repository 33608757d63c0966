/*
 * fuzz_keyfile.c - PEM key parsing through hip_identity_load_mem, the
 * parser behind hip_identity_load.  Whatever loads must produce a usable
 * identity: its HI re-decodes to the same public key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t hi[HIP_HI_MAX_LEN];
	struct hip_identity *id = NULL, *back = NULL;
	char err[HIP_ERRBUF_LEN];
	uint8_t hit[HIP_HIT_LEN];
	size_t len;
	int ret;

	ret = hip_identity_load_mem(data, size, HIP_KEYFILE_PUBLIC_OK,
				    "fuzz", &id, err, sizeof(err));
	if (ret < 0) {
		if (id != NULL || strlen(err) == 0)
			abort();
		return 0;
	}
	if (hip_hi_encode(id, hi, sizeof(hi), &len) != 0 ||
	    hip_hi_decode(hip_identity_algo(id), hi, len, &back) != 0 ||
	    !hip_identity_public_eq(id, back) ||
	    hip_hit_from_identity(id, hit) != 0)
		abort();
	hip_identity_free(back);
	hip_identity_free(id);
	return 0;
}
