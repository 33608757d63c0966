/*
 * fuzz_config.c - hipd's configuration parser (hipd/config.c): any text
 * is either refused with a "fuzz:LINE" or "fuzz:" message and leaves
 * the configuration as it was, or gives one whose values are in range.
 *
 * fuzz-sources: hipd/config.c hipd/config_values.c hipd/log.c hipd/net.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hipd/config.h"
#include "hipd/daemon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hipd_config c, before;	/* large */
	char err[HIPD_ERR_MAX];
	FILE *f;
	int r;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	hipd_config_defaults(&c);
	before = c;
	err[0] = '\0';
	r = hipd_config_read(f, "fuzz", &c, err, sizeof(err));
	fclose(f);
	if (r < 0) {
		if (strncmp(err, "fuzz:", 5) != 0 ||
		    memcmp(&c, &before, sizeof(c)) != 0)
			abort();
		return 0;
	}
	if (c.puzzle_k > 28 || c.n_ignore > HIPD_MAX_IGNORE ||
	    c.n_allow > HIPD_MAX_IGNORE ||
	    c.n_identity_files > HIPD_MAX_IDENTITY_FILES ||
	    c.n_dh_groups > HIP_ENGINE_MAX_DH ||
	    c.n_esp_transforms > HIP_ENGINE_MAX_ESP ||
	    c.n_hit_suites > HIPD_LIST_MAX ||
	    hipd_config_kernel_name_ok(c.kernel) < 0 ||
	    (c.sa_soft_bytes && c.sa_hard_bytes &&
	     c.sa_soft_bytes >= c.sa_hard_bytes) ||
	    (c.sa_soft_seconds && c.sa_hard_seconds &&
	     c.sa_soft_seconds >= c.sa_hard_seconds))
		abort();
	for (size_t i = 0; i < c.n_identity_files; i++)
		if (c.identity_files[i][0] != '/')
			abort();
	return 0;
}
