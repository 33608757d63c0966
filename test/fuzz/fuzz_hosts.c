/*
 * fuzz_hosts.c - the peers file parser (hipd/hosts.c): any input is
 * either refused with a FILE:LINE message or yields peers that satisfy
 * the documented rules (unique names and HITs, 1..3 locators).
 *
 * fuzz-sources: hipd/hosts.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hipd/hosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hipd_hosts *h = NULL;
	char err[256];
	int r;

	err[0] = '\0';
	r = hipd_hosts_parse("fuzz", (const char *)data, size, &h, err,
			     sizeof(err));
	if (r < 0) {
		if (strncmp(err, "fuzz:", 5) != 0 && r != HIP_ENOMEM)
			abort();
		return 0;
	}
	for (size_t i = 0; i < h->n; i++) {
		const struct hipd_host *e = &h->host[i];

		if (!hipd_hosts_name_ok(e->name) || e->n_locators == 0 ||
		    e->n_locators > HIP_ENGINE_MAX_LOCATORS ||
		    !hip_hit_is_hit(e->hit) ||
		    hipd_hosts_by_name(h, e->name) != e ||
		    hipd_hosts_by_hit(h, e->hit) != e)
			abort();
	}
	hipd_hosts_free(h);
	return 0;
}
