/*
 * fuzz_ctl.c - libFuzzer target for the control message parser: the
 * frame length check, hip_ctl_parse, a full walk of the attribute tree
 * with every typed getter, and a rebuild of what was parsed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/ctl.h"
#include "hip/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_walk(struct hip_ctl_iter *it, struct hip_ctl_msg *out,
		      int depth)
{
	struct hip_ctl_attr a;
	struct hip_ctl_iter sub;
	struct in6_addr in6;
	char str[HIP_CTL_STRING_MAX + 1];
	uint64_t u64;
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;
	int r;

	if (depth > HIP_CTL_NEST_MAX)
		abort();
	while ((r = hip_ctl_iter_next(it, &a)) == 1) {
		if (hip_ctl_attr_nested(&a, &sub) == 0) {
			int opened = hip_ctl_nest_begin(out, a.type) == 0;

			fuzz_walk(&sub, out, depth + 1);
			if (opened && hip_ctl_nest_end(out) < 0)
				abort();
			continue;
		}
		(void)hip_ctl_get_u8(&a, &u8);
		(void)hip_ctl_get_u16(&a, &u16);
		(void)hip_ctl_get_u32(&a, &u32);
		(void)hip_ctl_get_u64(&a, &u64);
		(void)hip_ctl_get_in6(&a, &in6);
		if (hip_ctl_get_string(&a, str, sizeof(str)) == 0 &&
		    strlen(str) != a.len)
			abort();
		(void)hip_ctl_put_bytes(out, 0x7fff, a.val, a.len);
	}
	if (r != 0)
		abort();	/* hip_ctl_parse accepted a bad tree */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t outbuf[HIP_CTL_FRAME_MAX];
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter it;
	struct hip_ctl_msg out;
	size_t msglen;

	if (hip_ctl_frame_len(data, size, &msglen) == 0 &&
	    (msglen < HIP_CTL_HDR_LEN || msglen > HIP_CTL_MSG_MAX))
		abort();
	if (hip_ctl_parse(data, size, &hdr, &it) < 0)
		return 0;
	if (hip_ctl_msg_init(&out, outbuf, sizeof(outbuf), HIP_CTL_REPLY,
			     hdr.code, hdr.id) < 0)
		abort();
	fuzz_walk(&it, &out, 0);
	if (hip_ctl_find(&it, HIP_CTL_A_NAME, &(struct hip_ctl_attr){ 0 }) ==
	    HIP_EFORMAT)
		abort();
	return 0;
}
