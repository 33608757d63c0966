/*
 * param_build.c - building an outgoing HIP packet in a bounded buffer.
 */
#include <string.h>

#include "hip/error.h"
#include "hip/param.h"
#include "hip/proto.h"
#include "hip/util.h"

/* The same ordering rule as hip_param_next. */
static int check_order(const struct hip_builder *b, uint16_t type)
{
	if (!b->has_param)
		return HIP_OK;
	if (type < b->last_type)
		return HIP_EORDER;
	if (type == b->last_type && !hip_param_repeatable(type))
		return HIP_EDUP;
	return HIP_OK;
}

int hip_builder_init(struct hip_builder *b, uint8_t *buf, size_t cap,
		     uint8_t type, const struct in6_addr *sender_hit,
		     const struct in6_addr *receiver_hit, uint16_t controls)
{
	struct hip_hdr h;
	int r;

	if (b == NULL || buf == NULL || sender_hit == NULL ||
	    receiver_hit == NULL)
		return HIP_EINVAL;
	if (cap > HIP_MAX_PACKET)
		cap = HIP_MAX_PACKET;
	memset(&h, 0, sizeof(h));
	h.next_hdr = HIP_NEXTHDR_NONE;
	h.hdr_len = HIP_HDR_LEN / 8 - 1;
	h.type = type;
	h.version = HIP_VERSION;
	h.controls = controls;
	h.sender_hit = *sender_hit;
	h.receiver_hit = *receiver_hit;
	r = hip_hdr_write(&h, buf, cap);
	if (r)
		return r;
	b->buf = buf;
	b->cap = cap;
	b->len = HIP_HDR_LEN;
	b->last_type = 0;
	b->has_param = false;
	return HIP_OK;
}

int hip_put_param_reserve(struct hip_builder *b, uint16_t type, size_t len,
			  uint8_t **value)
{
	size_t total;
	int r;

	if (b == NULL || b->buf == NULL || value == NULL)
		return HIP_EINVAL;
	if (len > UINT16_MAX)
		return HIP_ELEN;
	r = check_order(b, type);
	if (r)
		return r;
	if (len < hip_param_min_len(type))
		return HIP_ELEN;
	total = hip_param_total_len(len);
	if (total > b->cap - b->len)
		return HIP_ENOSPC;
	hip_put16(b->buf + b->len, type);
	hip_put16(b->buf + b->len + 2, (uint16_t)len);
	memset(b->buf + b->len + HIP_PARAM_HDR_LEN, 0,
	       total - HIP_PARAM_HDR_LEN);
	*value = b->buf + b->len + HIP_PARAM_HDR_LEN;
	b->len += total;
	b->last_type = type;
	b->has_param = true;
	return HIP_OK;
}

int hip_put_param(struct hip_builder *b, uint16_t type, const void *value,
		  size_t len)
{
	uint8_t *dst;
	int r;

	if (len > 0 && value == NULL)
		return HIP_EINVAL;
	r = hip_put_param_reserve(b, type, len, &dst);
	if (r)
		return r;
	if (len > 0)
		memcpy(dst, value, len);
	return HIP_OK;
}

int hip_put_param_raw(struct hip_builder *b, const uint8_t *tlv,
		      size_t tlv_len)
{
	struct hip_param_iter it;
	struct hip_param p;
	int r;

	if (b == NULL || b->buf == NULL || tlv == NULL)
		return HIP_EINVAL;
	hip_param_iter_init(&it, tlv, tlv_len, 0);
	r = hip_param_next(&it, &p);
	if (r < 0)
		return r;
	if (r == 0 || hip_param_total_len(p.len) != tlv_len)
		return HIP_EINVAL;	/* not exactly one parameter */
	r = check_order(b, p.type);
	if (r)
		return r;
	if (tlv_len > b->cap - b->len)
		return HIP_ENOSPC;
	memcpy(b->buf + b->len, tlv, tlv_len);
	b->len += tlv_len;
	b->last_type = p.type;
	b->has_param = true;
	return HIP_OK;
}

int hip_builder_truncate(struct hip_builder *b, size_t offset)
{
	size_t pos = HIP_HDR_LEN;
	uint16_t last = 0;
	bool any = false;

	if (b == NULL || b->buf == NULL || offset < HIP_HDR_LEN ||
	    offset > b->len)
		return HIP_EINVAL;
	/* Our own parameters are well-formed: walk their headers to the
	 * boundary and recover the type that now comes last. */
	while (pos < offset) {
		uint16_t len = hip_get16(b->buf + pos + 2);

		last = hip_get16(b->buf + pos);
		any = true;
		pos += hip_param_total_len(len);
	}
	if (pos != offset)
		return HIP_EINVAL;
	b->len = offset;
	b->last_type = last;
	b->has_param = any;
	return HIP_OK;
}

int hip_builder_finish(struct hip_builder *b, size_t *len)
{
	if (b == NULL || b->buf == NULL)
		return HIP_EINVAL;
	b->buf[1] = (uint8_t)(b->len / 8 - 1);
	hip_put16(b->buf + 4, 0);
	if (len != NULL)
		*len = b->len;
	return HIP_OK;
}
