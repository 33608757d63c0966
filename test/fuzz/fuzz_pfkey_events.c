/*
 * fuzz_pfkey_events.c - libFuzzer target for hipd's PF_KEY backend
 * reading kernel messages (hipd/kernel_pfkey_decode.c): whatever
 * libpfkey's parser accepts is handed to the EXPIRE/X_MIGRATE and the
 * ACQUIRE decoders, which must return 1, 0 or a HIP_E* code and fill
 * only events of their own type.  Before parsing, the input also goes
 * through pfk_msg_repair (af_key's bad PROXY), which must keep the
 * length within the input.
 * fuzz-sources: libpfkey/pfkey_build.c libpfkey/pfkey_parse.c libpfkey/pfkey_get.c libpfkey/pfkey_names.c hipd/kernel_pfkey_decode.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hipd/kernel_pfkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hip_kernel_event ev;
	struct hip_kernel_outer outer;
	struct hip_kernel_sel sel;
	struct pfkey_msg m;
	static uint8_t copy[PFKEY_MSG_MAX];
	uint8_t dir;
	size_t len;
	int r;

	if (size > sizeof(copy))
		return 0;
	memcpy(copy, data, size);
	len = pfk_msg_repair(copy, size);
	if (len > size)
		abort();
	if (pfkey_parse(copy, len, PFKEY_PARSE_SKIP_UNKNOWN, &m) != 0)
		return 0;
	r = pfk_event_decode(&m, &ev);
	if (r == 1 && ev.type != HIP_KEV_EXPIRE && ev.type != HIP_KEV_MIGRATE)
		abort();
	if (r == 1 && ev.type == HIP_KEV_MIGRATE &&
	    ev.u.migrate.n > HIP_KERNEL_MIGRATE_MAX)
		abort();
	if (r > 1)
		abort();
	r = pfk_acquire_decode(&m, &ev, &outer, &dir);
	if (r > 1 || (r == 1 && ev.type != HIP_KEV_ACQUIRE))
		abort();
	(void)pfk_msg_sel(&m, &sel);
	return 0;
}
