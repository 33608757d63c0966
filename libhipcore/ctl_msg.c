/*
 * ctl_msg.c - control protocol messages: build with capacity checks,
 * validate and walk with one bounds-checked cursor.  The wire format is
 * described in hip/ctl.h.
 */
#include <string.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/util.h"

enum ctl_class {
	CLS_UNKNOWN = 0,	/* not in the table: any length */
	CLS_U8,
	CLS_U16,
	CLS_U32,
	CLS_U64,
	CLS_IN6,
	CLS_STRING,
	CLS_BYTES,
};

struct ctl_type_class {
	uint16_t type;
	uint8_t cls;
};

static const struct ctl_type_class ctl_classes[] = {
	{ HIP_CTL_A_ERRMSG, CLS_STRING },
	{ HIP_CTL_A_VERSION, CLS_STRING },
	{ HIP_CTL_A_UPTIME, CLS_U64 },
	{ HIP_CTL_A_COUNT, CLS_U32 },
	{ HIP_CTL_A_LEVEL, CLS_U8 },
	{ HIP_CTL_A_NAME, CLS_STRING },
	{ HIP_CTL_A_HIT, CLS_IN6 },
	{ HIP_CTL_A_LOCAL_HIT, CLS_IN6 },
	{ HIP_CTL_A_PEER_HIT, CLS_IN6 },
	{ HIP_CTL_A_LSI, CLS_U32 },
	{ HIP_CTL_A_LOCATOR, CLS_IN6 },
	{ HIP_CTL_A_LOCAL_LOCATOR, CLS_IN6 },
	{ HIP_CTL_A_PEER_LOCATOR, CLS_IN6 },
	{ HIP_CTL_A_STATE, CLS_U8 },
	{ HIP_CTL_A_SPI_IN, CLS_U32 },
	{ HIP_CTL_A_SPI_OUT, CLS_U32 },
	{ HIP_CTL_A_ESP_TRANSFORM, CLS_U16 },
	{ HIP_CTL_A_HIP_CIPHER, CLS_U16 },
	{ HIP_CTL_A_DH_GROUP, CLS_U8 },
	{ HIP_CTL_A_AGE, CLS_U64 },
	{ HIP_CTL_A_ALGORITHM, CLS_U8 },
	{ HIP_CTL_A_KEYBITS, CLS_U16 },
	{ HIP_CTL_A_HIT_SUITE, CLS_U8 },
	{ HIP_CTL_A_FLAGS, CLS_U32 },
	{ HIP_CTL_A_BYTES_IN, CLS_U64 },
	{ HIP_CTL_A_BYTES_OUT, CLS_U64 },
	{ HIP_CTL_A_HOST_ID, CLS_BYTES },
	{ HIP_CTL_A_PID, CLS_U32 },
	{ HIP_CTL_A_UID, CLS_U32 },
};

static enum ctl_class ctl_class_of(uint16_t type)
{
	for (size_t i = 0; i < HIP_ARRAY_SIZE(ctl_classes); i++)
		if (ctl_classes[i].type == type)
			return (enum ctl_class)ctl_classes[i].cls;
	return CLS_UNKNOWN;
}

/* Exact value length of a fixed class, 0 for variable ones. */
static size_t ctl_class_len(enum ctl_class c)
{
	switch (c) {
	case CLS_U8: return 1;
	case CLS_U16: return 2;
	case CLS_U32: return 4;
	case CLS_U64: return 8;
	case CLS_IN6: return 16;
	default: return 0;
	}
}

static size_t ctl_pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* ---- Building ---------------------------------------------------- */

static void ctl_update_prefix(struct hip_ctl_msg *m)
{
	hip_put32(m->buf, (uint32_t)(m->len - HIP_CTL_LEN_PREFIX));
}

int hip_ctl_msg_init(struct hip_ctl_msg *m, uint8_t *buf, size_t cap,
		     uint8_t kind, uint16_t code, uint32_t id)
{
	if (!m || !buf)
		return HIP_EINVAL;
	if (kind < HIP_CTL_REQUEST || kind > HIP_CTL_EVENT)
		return HIP_EINVAL;
	if (cap > HIP_CTL_FRAME_MAX)
		cap = HIP_CTL_FRAME_MAX;
	if (cap < HIP_CTL_LEN_PREFIX + HIP_CTL_HDR_LEN)
		return HIP_ENOSPC;
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->cap = cap;
	buf[4] = HIP_CTL_VERSION;
	buf[5] = kind;
	hip_put16(buf + 6, code);
	hip_put32(buf + 8, id);
	m->len = HIP_CTL_LEN_PREFIX + HIP_CTL_HDR_LEN;
	ctl_update_prefix(m);
	return 0;
}

/* Check that an attribute of vlen bytes fits and write its header. */
static int ctl_put_attr(struct hip_ctl_msg *m, uint16_t type,
			const void *val, size_t vlen)
{
	size_t need;

	if (!m || !m->buf || (type & HIP_CTL_NESTED) || vlen > UINT16_MAX)
		return HIP_EINVAL;
	need = HIP_CTL_ATTR_HDR_LEN + ctl_pad4(vlen);
	if (need > m->cap - m->len)
		return HIP_ENOSPC;
	hip_put16(m->buf + m->len, type);
	hip_put16(m->buf + m->len + 2, (uint16_t)vlen);
	if (vlen)
		memcpy(m->buf + m->len + HIP_CTL_ATTR_HDR_LEN, val, vlen);
	memset(m->buf + m->len + HIP_CTL_ATTR_HDR_LEN + vlen, 0,
	       ctl_pad4(vlen) - vlen);
	m->len += need;
	ctl_update_prefix(m);
	return 0;
}

/* A typed put on a known type of another class is a caller bug. */
static int ctl_put_fixed(struct hip_ctl_msg *m, uint16_t type,
			 enum ctl_class cls, const uint8_t *val)
{
	enum ctl_class known = ctl_class_of(type);

	if (known != CLS_UNKNOWN && known != cls)
		return HIP_EINVAL;
	return ctl_put_attr(m, type, val, ctl_class_len(cls));
}

int hip_ctl_put_u8(struct hip_ctl_msg *m, uint16_t type, uint8_t v)
{
	return ctl_put_fixed(m, type, CLS_U8, &v);
}

int hip_ctl_put_u16(struct hip_ctl_msg *m, uint16_t type, uint16_t v)
{
	uint8_t b[2];

	hip_put16(b, v);
	return ctl_put_fixed(m, type, CLS_U16, b);
}

int hip_ctl_put_u32(struct hip_ctl_msg *m, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	hip_put32(b, v);
	return ctl_put_fixed(m, type, CLS_U32, b);
}

int hip_ctl_put_u64(struct hip_ctl_msg *m, uint16_t type, uint64_t v)
{
	uint8_t b[8];

	hip_put64(b, v);
	return ctl_put_fixed(m, type, CLS_U64, b);
}

int hip_ctl_put_in6(struct hip_ctl_msg *m, uint16_t type,
		    const struct in6_addr *a)
{
	if (!a)
		return HIP_EINVAL;
	return ctl_put_fixed(m, type, CLS_IN6, a->s6_addr);
}

int hip_ctl_put_string(struct hip_ctl_msg *m, uint16_t type, const char *s)
{
	enum ctl_class known = ctl_class_of(type);
	size_t n;

	if (!s || (known != CLS_UNKNOWN && known != CLS_STRING))
		return HIP_EINVAL;
	n = strnlen(s, HIP_CTL_STRING_MAX + 1);
	if (n > HIP_CTL_STRING_MAX)
		return HIP_EINVAL;
	return ctl_put_attr(m, type, s, n);
}

int hip_ctl_put_bytes(struct hip_ctl_msg *m, uint16_t type,
		      const void *p, size_t len)
{
	enum ctl_class known = ctl_class_of(type);

	if ((!p && len) || (known != CLS_UNKNOWN && known != CLS_BYTES))
		return HIP_EINVAL;
	return ctl_put_attr(m, type, p, len);
}

int hip_ctl_nest_begin(struct hip_ctl_msg *m, uint16_t type)
{
	if (!m || !m->buf || !(type & HIP_CTL_NESTED))
		return HIP_EINVAL;
	if (m->depth >= HIP_CTL_NEST_MAX)
		return HIP_ESTATE;
	if (HIP_CTL_ATTR_HDR_LEN > m->cap - m->len)
		return HIP_ENOSPC;
	hip_put16(m->buf + m->len, type);
	hip_put16(m->buf + m->len + 2, 0);
	m->nest[m->depth++] = m->len;
	m->len += HIP_CTL_ATTR_HDR_LEN;
	ctl_update_prefix(m);
	return 0;
}

int hip_ctl_nest_end(struct hip_ctl_msg *m)
{
	size_t start, vlen;

	if (!m || !m->buf || m->depth == 0)
		return HIP_ESTATE;
	start = m->nest[m->depth - 1];
	vlen = m->len - start - HIP_CTL_ATTR_HDR_LEN;
	if (vlen > UINT16_MAX)
		return HIP_ENOSPC;	/* cancel the nest to recover */
	hip_put16(m->buf + start + 2, (uint16_t)vlen);
	m->depth--;
	return 0;
}

int hip_ctl_nest_cancel(struct hip_ctl_msg *m)
{
	if (!m || !m->buf || m->depth == 0)
		return HIP_ESTATE;
	m->len = m->nest[--m->depth];
	ctl_update_prefix(m);
	return 0;
}

int hip_ctl_msg_frame(const struct hip_ctl_msg *m, const uint8_t **frame,
		      size_t *len)
{
	if (!m || !m->buf || !frame || !len)
		return HIP_EINVAL;
	if (m->depth)
		return HIP_ESTATE;
	*frame = m->buf;
	*len = m->len;
	return 0;
}

/* ---- Parsing ----------------------------------------------------- */

int hip_ctl_frame_len(const uint8_t *buf, size_t have, size_t *msglen)
{
	uint32_t n;

	if (!buf || !msglen)
		return HIP_EINVAL;
	if (have < HIP_CTL_LEN_PREFIX)
		return HIP_ETRUNC;
	n = hip_get32(buf);
	if (n < HIP_CTL_HDR_LEN || n > HIP_CTL_MSG_MAX)
		return HIP_ELEN;
	*msglen = n;
	return 0;
}

int hip_ctl_parse_hdr(const uint8_t *msg, size_t len, struct hip_ctl_hdr *hdr)
{
	if (!msg || !hdr)
		return HIP_EINVAL;
	if (len < HIP_CTL_HDR_LEN)
		return HIP_ETRUNC;
	if (len > HIP_CTL_MSG_MAX)
		return HIP_ELEN;
	hdr->version = msg[0];
	hdr->kind = msg[1];
	hdr->code = hip_get16(msg + 2);
	hdr->id = hip_get32(msg + 4);
	return 0;
}

int hip_ctl_iter_next(struct hip_ctl_iter *it, struct hip_ctl_attr *a)
{
	size_t left, vlen, padded;

	if (!it || !a || it->off > it->len)
		return HIP_EINVAL;
	left = it->len - it->off;
	if (left == 0)
		return 0;
	if (left < HIP_CTL_ATTR_HDR_LEN)
		return HIP_EFORMAT;	/* trailing bytes */
	vlen = hip_get16(it->p + it->off + 2);
	padded = ctl_pad4(vlen);
	if (padded > left - HIP_CTL_ATTR_HDR_LEN)
		return HIP_ETRUNC;
	a->type = hip_get16(it->p + it->off);
	a->len = (uint16_t)vlen;
	a->val = it->p + it->off + HIP_CTL_ATTR_HDR_LEN;
	it->off += HIP_CTL_ATTR_HDR_LEN + padded;
	return 1;
}

static int ctl_validate(const uint8_t *p, size_t len, unsigned depth)
{
	struct hip_ctl_iter it = { .p = p, .len = len, .off = 0 };
	struct hip_ctl_attr a;
	int r;

	while ((r = hip_ctl_iter_next(&it, &a)) == 1) {
		enum ctl_class cls = ctl_class_of(a.type);
		size_t fixed = ctl_class_len(cls);

		for (size_t i = a.len; i < ctl_pad4(a.len); i++)
			if (a.val[i] != 0)
				return HIP_EPAD;
		if (a.type & HIP_CTL_NESTED) {
			if (depth >= HIP_CTL_NEST_MAX)
				return HIP_EFORMAT;
			r = ctl_validate(a.val, a.len, depth + 1);
			if (r < 0)
				return r == HIP_EPAD ? r : HIP_EFORMAT;
		} else if (fixed && a.len != fixed) {
			return HIP_ELEN;
		} else if (cls == CLS_STRING) {
			if (a.len > HIP_CTL_STRING_MAX)
				return HIP_ELEN;
			if (memchr(a.val, 0, a.len))
				return HIP_EFORMAT;
		}
	}
	return r;
}

int hip_ctl_parse(const uint8_t *msg, size_t len, struct hip_ctl_hdr *hdr,
		  struct hip_ctl_iter *attrs)
{
	struct hip_ctl_hdr h;
	int r;

	if (!attrs)
		return HIP_EINVAL;
	r = hip_ctl_parse_hdr(msg, len, &h);
	if (r < 0)
		return r;
	r = ctl_validate(msg + HIP_CTL_HDR_LEN, len - HIP_CTL_HDR_LEN, 0);
	if (r < 0)
		return r;
	*hdr = h;
	attrs->p = msg + HIP_CTL_HDR_LEN;
	attrs->len = len - HIP_CTL_HDR_LEN;
	attrs->off = 0;
	return 0;
}

int hip_ctl_attr_nested(const struct hip_ctl_attr *a, struct hip_ctl_iter *it)
{
	if (!a || !it)
		return HIP_EINVAL;
	if (!(a->type & HIP_CTL_NESTED))
		return HIP_EFORMAT;
	it->p = a->val;
	it->len = a->len;
	it->off = 0;
	return 0;
}

int hip_ctl_find(const struct hip_ctl_iter *it, uint16_t type,
		 struct hip_ctl_attr *a)
{
	struct hip_ctl_iter w;
	struct hip_ctl_attr cur;
	int r;

	if (!it || !a)
		return HIP_EINVAL;
	w = *it;
	w.off = 0;
	while ((r = hip_ctl_iter_next(&w, &cur)) == 1) {
		if (cur.type == type) {
			*a = cur;
			return 0;
		}
	}
	return r < 0 ? r : HIP_ENOENT;
}

int hip_ctl_get_u8(const struct hip_ctl_attr *a, uint8_t *v)
{
	if (!a || !v)
		return HIP_EINVAL;
	if (a->len != 1)
		return HIP_ELEN;
	*v = a->val[0];
	return 0;
}

int hip_ctl_get_u16(const struct hip_ctl_attr *a, uint16_t *v)
{
	if (!a || !v)
		return HIP_EINVAL;
	if (a->len != 2)
		return HIP_ELEN;
	*v = hip_get16(a->val);
	return 0;
}

int hip_ctl_get_u32(const struct hip_ctl_attr *a, uint32_t *v)
{
	if (!a || !v)
		return HIP_EINVAL;
	if (a->len != 4)
		return HIP_ELEN;
	*v = hip_get32(a->val);
	return 0;
}

int hip_ctl_get_u64(const struct hip_ctl_attr *a, uint64_t *v)
{
	if (!a || !v)
		return HIP_EINVAL;
	if (a->len != 8)
		return HIP_ELEN;
	*v = hip_get64(a->val);
	return 0;
}

int hip_ctl_get_in6(const struct hip_ctl_attr *a, struct in6_addr *v)
{
	if (!a || !v)
		return HIP_EINVAL;
	if (a->len != sizeof(v->s6_addr))
		return HIP_ELEN;
	memcpy(v->s6_addr, a->val, sizeof(v->s6_addr));
	return 0;
}

int hip_ctl_get_bytes(const struct hip_ctl_attr *a, void *out, size_t len)
{
	if (!a || (!out && len))
		return HIP_EINVAL;
	if (a->len != len)
		return HIP_ELEN;
	if (len)
		memcpy(out, a->val, len);
	return 0;
}

int hip_ctl_get_string(const struct hip_ctl_attr *a, char *out, size_t cap)
{
	if (!a || !out)
		return HIP_EINVAL;
	if (a->len && memchr(a->val, 0, a->len))
		return HIP_EFORMAT;
	if ((size_t)a->len + 1 > cap)
		return HIP_ENOSPC;
	if (a->len)
		memcpy(out, a->val, a->len);
	out[a->len] = '\0';
	return 0;
}
