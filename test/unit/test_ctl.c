/* Unit tests for the control protocol codec, client and JSON writer. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/util.h"

static const struct in6_addr test_hit = { { {
	0x20, 0x01, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 } } };

/* A request with every value class and a two-row table. */
static size_t build_sample(uint8_t *buf, size_t cap)
{
	struct hip_ctl_msg m;
	const uint8_t *f;
	size_t len;

	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, cap, HIP_CTL_REQUEST,
					  HIP_CTL_CMD_PEER_ADD, 77), 0);
	ck_assert_int_eq(hip_ctl_put_u8(&m, HIP_CTL_A_STATE, 4), 0);
	ck_assert_int_eq(hip_ctl_put_u16(&m, HIP_CTL_A_ESP_TRANSFORM, 0x0102),
			 0);
	ck_assert_int_eq(hip_ctl_put_u32(&m, HIP_CTL_A_SPI_IN, 0xdeadbeef), 0);
	ck_assert_int_eq(hip_ctl_put_u64(&m, HIP_CTL_A_AGE,
					 0x0123456789abcdefULL), 0);
	ck_assert_int_eq(hip_ctl_put_string(&m, HIP_CTL_A_NAME, "peer-1"), 0);
	ck_assert_int_eq(hip_ctl_put_in6(&m, HIP_CTL_A_HIT, &test_hit), 0);
	ck_assert_int_eq(hip_ctl_put_bytes(&m, HIP_CTL_A_HOST_ID, "abc", 3), 0);
	ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_LIST), 0);
	for (uint32_t i = 0; i < 2; i++) {
		ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_ITEM), 0);
		ck_assert_int_eq(hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, i), 0);
		ck_assert_int_eq(hip_ctl_put_string(&m, HIP_CTL_A_NAME, ""), 0);
		ck_assert_int_eq(hip_ctl_nest_end(&m), 0);
	}
	ck_assert_int_eq(hip_ctl_nest_end(&m), 0);
	ck_assert_int_eq(hip_ctl_msg_frame(&m, &f, &len), 0);
	ck_assert_ptr_eq(f, buf);
	return len;
}

START_TEST(test_roundtrip)
{
	uint8_t buf[512];
	size_t len = build_sample(buf, sizeof(buf)), msglen;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it, list, row;
	struct hip_ctl_attr a;
	struct in6_addr hit;
	uint8_t u8, raw[3];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	char name[16];
	int n = 0;

	ck_assert_int_eq(hip_ctl_frame_len(buf, len, &msglen), 0);
	ck_assert_uint_eq(msglen, len - 4);
	ck_assert_int_eq(hip_ctl_parse(buf + 4, msglen, &h, &it), 0);
	ck_assert_uint_eq(h.version, HIP_CTL_VERSION);
	ck_assert_uint_eq(h.kind, HIP_CTL_REQUEST);
	ck_assert_uint_eq(h.code, HIP_CTL_CMD_PEER_ADD);
	ck_assert_uint_eq(h.id, 77);

	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_STATE, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u8(&a, &u8), 0);
	ck_assert_uint_eq(u8, 4);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_ESP_TRANSFORM, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u16(&a, &u16), 0);
	ck_assert_uint_eq(u16, 0x0102);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_SPI_IN, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u32(&a, &u32), 0);
	ck_assert_uint_eq(u32, 0xdeadbeef);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_AGE, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u64(&a, &u64), 0);
	ck_assert(u64 == 0x0123456789abcdefULL);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_NAME, &a), 0);
	ck_assert_int_eq(hip_ctl_get_string(&a, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "peer-1");
	ck_assert_int_eq(hip_ctl_get_string(&a, name, 6), HIP_ENOSPC);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_HIT, &a), 0);
	ck_assert_int_eq(hip_ctl_get_in6(&a, &hit), 0);
	ck_assert_mem_eq(&hit, &test_hit, 16);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_HOST_ID, &a), 0);
	ck_assert_int_eq(hip_ctl_get_bytes(&a, raw, 3), 0);
	ck_assert_mem_eq(raw, "abc", 3);
	ck_assert_int_eq(hip_ctl_get_bytes(&a, raw, 2), HIP_ELEN);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_PEER_HIT, &a), HIP_ENOENT);

	/* exact lengths in the typed getters */
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_SPI_IN, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u16(&a, &u16), HIP_ELEN);
	ck_assert_int_eq(hip_ctl_get_u64(&a, &u64), HIP_ELEN);
	ck_assert_int_eq(hip_ctl_get_u8(&a, &u8), HIP_ELEN);
	ck_assert_int_eq(hip_ctl_get_in6(&a, &hit), HIP_ELEN);
	ck_assert_int_eq(hip_ctl_attr_nested(&a, &row), HIP_EFORMAT);

	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_LIST, &a), 0);
	ck_assert_int_eq(hip_ctl_attr_nested(&a, &list), 0);
	while (hip_ctl_iter_next(&list, &a) == 1) {
		ck_assert_uint_eq(a.type, HIP_CTL_A_ITEM);
		ck_assert_int_eq(hip_ctl_attr_nested(&a, &row), 0);
		ck_assert_int_eq(hip_ctl_find(&row, HIP_CTL_A_COUNT, &a), 0);
		ck_assert_int_eq(hip_ctl_get_u32(&a, &u32), 0);
		ck_assert_uint_eq(u32, (uint32_t)n);
		ck_assert_int_eq(hip_ctl_find(&row, HIP_CTL_A_NAME, &a), 0);
		ck_assert_int_eq(hip_ctl_get_string(&a, name, 1), 0);
		ck_assert_str_eq(name, "");
		n++;
	}
	ck_assert_int_eq(n, 2);

	/* the whole walk: 8 top-level attributes, then the end, then again */
	n = 0;
	while (hip_ctl_iter_next(&it, &a) == 1)
		n++;
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(hip_ctl_iter_next(&it, &a), 0);
}
END_TEST

START_TEST(test_build_limits)
{
	uint8_t buf[64], big[HIP_CTL_FRAME_MAX + 16];
	struct hip_ctl_msg m, before;
	char *s;
	const uint8_t *f;
	size_t len;

	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, 11, HIP_CTL_REQUEST, 1, 1),
			 HIP_ENOSPC);
	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, sizeof(buf), 0, 1, 1),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, sizeof(buf), 4, 1, 1),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, 24, HIP_CTL_REPLY, 0, 9), 0);
	ck_assert_uint_eq(m.len, 12);
	ck_assert_uint_eq(hip_get32(buf), 8);
	/* 12 bytes left: a u64 (12) fits exactly, then nothing */
	ck_assert_int_eq(hip_ctl_put_u64(&m, HIP_CTL_A_UPTIME, 1), 0);
	before = m;
	ck_assert_int_eq(hip_ctl_put_u8(&m, HIP_CTL_A_LEVEL, 1), HIP_ENOSPC);
	ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_LIST), HIP_ENOSPC);
	ck_assert_mem_eq(&m, &before, sizeof(m));
	ck_assert_uint_eq(hip_get32(buf), 20);

	/* wrong class for a known type, nested flag misuse */
	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, sizeof(buf),
					  HIP_CTL_REQUEST, 1, 1), 0);
	ck_assert_int_eq(hip_ctl_put_u32(&m, HIP_CTL_A_HIT, 1), HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_put_string(&m, HIP_CTL_A_SPI_IN, "x"),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_put_bytes(&m, HIP_CTL_A_NAME, "x", 1),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_put_u8(&m, HIP_CTL_A_LIST, 1), HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_NAME), HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_nest_end(&m), HIP_ESTATE);
	ck_assert_int_eq(hip_ctl_nest_cancel(&m), HIP_ESTATE);
	ck_assert_uint_eq(m.len, 12);
	/* unknown types take any class */
	ck_assert_int_eq(hip_ctl_put_u16(&m, 0x7000, 5), 0);

	/* cancel drops the open nest and its content */
	len = m.len;
	ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_LIST), 0);
	ck_assert_int_eq(hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, 3), 0);
	ck_assert_int_eq(hip_ctl_msg_frame(&m, &f, &len), HIP_ESTATE);
	ck_assert_int_eq(hip_ctl_nest_cancel(&m), 0);
	ck_assert_int_eq(hip_ctl_msg_frame(&m, &f, &len), 0);
	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(hip_get32(buf), 16);

	/* nesting depth */
	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, sizeof(buf),
					  HIP_CTL_REQUEST, 1, 1), 0);
	for (int i = 0; i < HIP_CTL_NEST_MAX; i++)
		ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_ITEM), 0);
	ck_assert_int_eq(hip_ctl_nest_begin(&m, HIP_CTL_A_ITEM), HIP_ESTATE);
	for (int i = 0; i < HIP_CTL_NEST_MAX; i++)
		ck_assert_int_eq(hip_ctl_nest_end(&m), 0);
	{
		struct hip_ctl_hdr h;
		struct hip_ctl_iter it;

		ck_assert_int_eq(hip_ctl_parse(buf + 4, m.len - 4, &h, &it),
				 0);
	}

	/* strings are bounded; the buffer is clamped to the frame max */
	s = malloc(HIP_CTL_STRING_MAX + 2);
	ck_assert_ptr_nonnull(s);
	memset(s, 'a', HIP_CTL_STRING_MAX + 1);
	s[HIP_CTL_STRING_MAX + 1] = '\0';
	ck_assert_int_eq(hip_ctl_msg_init(&m, big, sizeof(big),
					  HIP_CTL_REPLY, 0, 1), 0);
	ck_assert_uint_eq(m.cap, HIP_CTL_FRAME_MAX);
	ck_assert_int_eq(hip_ctl_put_string(&m, HIP_CTL_A_NAME, s),
			 HIP_EINVAL);
	s[HIP_CTL_STRING_MAX] = '\0';
	while (hip_ctl_put_string(&m, HIP_CTL_A_NAME, s) == 0)
		;
	ck_assert_uint_le(m.len, HIP_CTL_FRAME_MAX);
	ck_assert_int_eq(hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, 1), 0);
	while (hip_ctl_put_u8(&m, HIP_CTL_A_LEVEL, 1) == 0)
		;
	/* 4 bytes left: just room for an empty string */
	ck_assert_uint_eq(m.len, HIP_CTL_FRAME_MAX - 4);
	ck_assert_int_eq(hip_ctl_put_string(&m, HIP_CTL_A_NAME, ""), 0);
	ck_assert_uint_eq(m.len, HIP_CTL_FRAME_MAX);
	ck_assert_int_eq(hip_ctl_put_string(&m, HIP_CTL_A_NAME, ""),
			 HIP_ENOSPC);
	{
		struct hip_ctl_hdr h;
		struct hip_ctl_iter it;

		ck_assert_int_eq(hip_ctl_parse(big + 4, m.len - 4, &h, &it),
				 0);
	}
	free(s);
}
END_TEST

/* Message of header + the given attribute bytes. */
static size_t raw_msg(uint8_t *out, const uint8_t *attrs, size_t n)
{
	out[0] = HIP_CTL_VERSION;
	out[1] = HIP_CTL_REQUEST;
	hip_put16(out + 2, 1);
	hip_put32(out + 4, 5);
	if (n)
		memcpy(out + 8, attrs, n);
	return 8 + n;
}

static int parse_raw(const uint8_t *attrs, size_t n)
{
	uint8_t msg[256];
	struct hip_ctl_hdr h = { 0 };
	struct hip_ctl_iter it = { 0 };
	size_t len = raw_msg(msg, attrs, n);
	int r = hip_ctl_parse(msg, len, &h, &it);

	if (r < 0) {	/* nothing written on failure */
		ck_assert_uint_eq(h.id, 0);
		ck_assert_ptr_null(it.p);
	}
	return r;
}

START_TEST(test_malformed)
{
	uint8_t msg[HIP_CTL_MSG_MAX + 2] = { 0 };
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	size_t n;

	/* header */
	ck_assert_int_eq(hip_ctl_parse(msg, 7, &h, &it), HIP_ETRUNC);
	ck_assert_int_eq(hip_ctl_parse(msg, HIP_CTL_MSG_MAX + 1, &h, &it),
			 HIP_ELEN);
	ck_assert_int_eq(parse_raw(NULL, 0), 0);

	/* frame length bounds */
	hip_put32(msg, 7);
	ck_assert_int_eq(hip_ctl_frame_len(msg, 4, &n), HIP_ELEN);
	hip_put32(msg, HIP_CTL_MSG_MAX + 1);
	ck_assert_int_eq(hip_ctl_frame_len(msg, 4, &n), HIP_ELEN);
	hip_put32(msg, HIP_CTL_MSG_MAX);
	ck_assert_int_eq(hip_ctl_frame_len(msg, 3, &n), HIP_ETRUNC);
	ck_assert_int_eq(hip_ctl_frame_len(msg, 4, &n), 0);
	ck_assert_uint_eq(n, HIP_CTL_MSG_MAX);

	/* trailing bytes too short for an attribute header */
	{
		static const uint8_t a[] = { 0x70, 4, 0, 1, 2, 0, 0, 0, 0x70 };

		ck_assert_int_eq(parse_raw(a, 8), 0);
		ck_assert_int_eq(parse_raw(a, 9), HIP_EFORMAT);
		ck_assert_int_eq(parse_raw(a, 1), HIP_EFORMAT);
	}
	/* value overruns the message; padding overruns the message */
	{
		static const uint8_t a[] = { 0x70, 0, 0, 5, 1, 2, 3, 4, 5 };

		ck_assert_int_eq(parse_raw(a, 8), HIP_ETRUNC);
		ck_assert_int_eq(parse_raw(a, 9), HIP_ETRUNC);
	}
	/* non-zero padding */
	{
		static const uint8_t a[] = { 0x70, 0, 0, 1, 9, 0, 1, 0 };

		ck_assert_int_eq(parse_raw(a, 8), HIP_EPAD);
	}
	/* known fixed types with zero, short and long lengths */
	{
		static const uint8_t z[] = { 0, HIP_CTL_A_SPI_IN, 0, 0 };
		static const uint8_t s[] = { 0, HIP_CTL_A_SPI_IN, 0, 2, 1, 2,
					     0, 0 };
		static const uint8_t l[] = { 0, HIP_CTL_A_LEVEL, 0, 2, 1, 2,
					     0, 0 };
		static const uint8_t h6[] = { 0, HIP_CTL_A_HIT, 0, 4, 1, 2,
					      3, 4 };

		ck_assert_int_eq(parse_raw(z, 4), HIP_ELEN);
		ck_assert_int_eq(parse_raw(s, 8), HIP_ELEN);
		ck_assert_int_eq(parse_raw(l, 8), HIP_ELEN);
		ck_assert_int_eq(parse_raw(h6, 8), HIP_ELEN);
	}
	/* NUL inside a string; an empty string is fine */
	{
		static const uint8_t a[] = { 0, HIP_CTL_A_NAME, 0, 3, 'a', 0,
					     'b', 0 };
		static const uint8_t e[] = { 0, HIP_CTL_A_NAME, 0, 0 };

		ck_assert_int_eq(parse_raw(a, 8), HIP_EFORMAT);
		ck_assert_int_eq(parse_raw(e, 4), 0);
	}
	/* nested content that does not fill the nest, or overruns it */
	{
		static const uint8_t a[] = { 0x80, 1, 0, 6, 0x70, 0, 0, 4,
					     1, 2, 0, 0 };
		static const uint8_t b[] = { 0x80, 1, 0, 8, 0x70, 0, 0, 4,
					     1, 2, 3, 4 };
		static const uint8_t c[] = { 0x80, 1, 0, 2, 0x70, 0, 0, 0 };
		static const uint8_t d[] = { 0x80, 1, 0, 4, 0x70, 0, 0, 4,
					     1, 2, 3, 4 };

		ck_assert_int_eq(parse_raw(a, 12), HIP_EFORMAT);
		ck_assert_int_eq(parse_raw(b, 12), 0);
		static const uint8_t e[] = { 0x80, 1, 0, 8, 0x70, 0, 0, 1,
					     5, 9, 0, 0 };

		ck_assert_int_eq(parse_raw(c, 8), HIP_EFORMAT);
		ck_assert_int_eq(parse_raw(e, 12), HIP_EPAD);
		ck_assert_int_eq(parse_raw(d, 12), HIP_EFORMAT);
	}
	/* a bad fixed-length attribute inside a nest */
	{
		static const uint8_t a[] = { 0x80, 2, 0, 4, 0, HIP_CTL_A_COUNT,
					     0, 0 };

		ck_assert_int_eq(parse_raw(a, 8), HIP_EFORMAT);
	}
	/* nesting deeper than allowed */
	{
		uint8_t a[4 * (HIP_CTL_NEST_MAX + 1)];

		for (int depth = HIP_CTL_NEST_MAX; depth <= HIP_CTL_NEST_MAX + 1;
		     depth++) {
			for (int i = 0; i < depth; i++) {
				hip_put16(a + 4 * i, HIP_CTL_A_ITEM);
				hip_put16(a + 4 * i + 2,
					  (uint16_t)(4 * (depth - i - 1)));
			}
			ck_assert_int_eq(parse_raw(a, 4 * (size_t)depth),
					 depth > HIP_CTL_NEST_MAX ?
					 HIP_EFORMAT : 0);
		}
	}
	/* unknown types are skipped, whatever their length */
	{
		static const uint8_t a[] = { 0x7f, 0xff, 0, 3, 1, 2, 3, 0 };

		ck_assert_int_eq(parse_raw(a, 8), 0);
	}
}
END_TEST

/* Deterministic mutations of a good message: no crash, no overread
 * (ASan), and whatever parses can be walked to the end. */
static void walk(struct hip_ctl_iter *it, int depth)
{
	struct hip_ctl_attr a;
	struct hip_ctl_iter sub;
	int r;

	ck_assert_int_le(depth, HIP_CTL_NEST_MAX);
	while ((r = hip_ctl_iter_next(it, &a)) == 1)
		if (hip_ctl_attr_nested(&a, &sub) == 0)
			walk(&sub, depth + 1);
	ck_assert_int_eq(r, 0);
}

START_TEST(test_mutations)
{
	uint8_t good[512], msg[512];
	size_t len = build_sample(good, sizeof(good)) - 4;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	int ok = 0;

	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(msg, good + 4, len);
		msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (hip_ctl_parse(msg, len, &h, &it) == 0) {
			walk(&it, 0);
			ok++;
		}
	}
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *t = malloc(cut ? cut : 1);

		ck_assert_ptr_nonnull(t);
		memcpy(t, good + 4, cut);
		if (hip_ctl_parse(t, cut, &h, &it) == 0)
			walk(&it, 0);
		free(t);
	}
	/* flips in values keep the message valid; flips in lengths not */
	ck_assert_int_gt(ok, 0);
	ck_assert_int_lt(ok, (int)(len * 8));
}
END_TEST

START_TEST(test_status_macros)
{
	ck_assert_uint_eq(HIP_CTL_STATUS(HIP_EPERM), 20);
	ck_assert_int_eq(HIP_CTL_ERR(HIP_CTL_STATUS(HIP_ENOENT)), HIP_ENOENT);
	ck_assert_uint_eq(HIP_CTL_STATUS(HIP_OK), 0);
}
END_TEST

/* ---- JSON ---- */

START_TEST(test_json_document)
{
	char buf[256];
	struct hip_json j;

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_object_begin(&j);
	hip_json_key(&j, "name");
	hip_json_string(&j, "a\"b\\c\n\t\x01/\xc3\xa9");
	hip_json_key(&j, "n");
	hip_json_uint(&j, 18446744073709551615ULL);
	hip_json_key(&j, "neg");
	hip_json_int(&j, -42);
	hip_json_key(&j, "list");
	hip_json_array_begin(&j);
	hip_json_bool(&j, true);
	hip_json_null(&j);
	hip_json_object_begin(&j);
	hip_json_object_end(&j);
	hip_json_array_begin(&j);
	hip_json_array_end(&j);
	hip_json_array_end(&j);
	ck_assert_int_eq(hip_json_object_end(&j), 0);
	ck_assert_int_eq(hip_json_finish(&j), 0);
	ck_assert_str_eq(buf, "{\"name\":\"a\\\"b\\\\c\\n\\t\\u0001/\xc3\xa9\","
			 "\"n\":18446744073709551615,\"neg\":-42,"
			 "\"list\":[true,null,{},[]]}");
}
END_TEST

START_TEST(test_json_utf8)
{
	char buf[128];
	struct hip_json j;

	/* stray continuation, overlong, surrogate, truncated, > U+10FFFF,
	 * then a valid 4-byte sequence; an embedded NUL via _n */
	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_array_begin(&j);
	hip_json_string(&j, "\x80" "\xc0\xaf" "\xed\xa0\x80" "\xe2\x82"
			    "\xf4\x90\x80\x80" "\xf0\x9f\x98\x80");
	hip_json_string_n(&j, "a\0b", 3);
	hip_json_array_end(&j);
	ck_assert_int_eq(hip_json_finish(&j), 0);
	ck_assert_str_eq(buf, "[\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
			 "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
			 "\xf0\x9f\x98\x80\",\"a\\u0000b\"]");
}
END_TEST

START_TEST(test_json_misuse)
{
	char buf[64];
	struct hip_json j;

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_object_begin(&j);
	ck_assert_int_eq(hip_json_uint(&j, 1), HIP_ESTATE);	/* no key */
	ck_assert_int_eq(hip_json_object_end(&j), HIP_ESTATE);	/* sticky */
	ck_assert_str_eq(buf, "{");

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_array_begin(&j);
	ck_assert_int_eq(hip_json_key(&j, "k"), HIP_ESTATE);

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_array_begin(&j);
	ck_assert_int_eq(hip_json_object_end(&j), HIP_ESTATE);

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_uint(&j, 1);
	ck_assert_int_eq(hip_json_uint(&j, 2), HIP_ESTATE);

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_object_begin(&j);
	hip_json_key(&j, "k");
	ck_assert_int_eq(hip_json_finish(&j), HIP_ESTATE);
	ck_assert_int_eq(hip_json_object_end(&j), HIP_ESTATE);

	hip_json_init_buf(&j, buf, sizeof(buf));
	ck_assert_int_eq(hip_json_finish(&j), HIP_ESTATE);	/* empty */

	hip_json_init_buf(&j, NULL, 0);
	ck_assert_int_eq(hip_json_null(&j), HIP_EINVAL);
}
END_TEST

START_TEST(test_json_overflow)
{
	char buf[16];
	struct hip_json j;

	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_array_begin(&j);
	ck_assert_int_eq(hip_json_string(&j, "hello"), 0);
	ck_assert_str_eq(buf, "[\"hello\"");
	/* does not fit: the buffer keeps the previous content */
	ck_assert_int_eq(hip_json_string(&j, "world!!"), HIP_ENOSPC);
	ck_assert_str_eq(buf, "[\"hello\"");
	ck_assert_int_eq(hip_json_array_end(&j), HIP_ENOSPC);
	ck_assert_int_eq(hip_json_finish(&j), HIP_ENOSPC);

	/* exactly full: 15 characters and the NUL */
	hip_json_init_buf(&j, buf, sizeof(buf));
	hip_json_array_begin(&j);
	hip_json_string(&j, "0123456789a");
	ck_assert_int_eq(hip_json_array_end(&j), 0);
	ck_assert_int_eq(hip_json_finish(&j), 0);
	ck_assert_uint_eq(strlen(buf), 15);

	/* depth limit */
	hip_json_init_buf(&j, buf, sizeof(buf));
	for (int i = 0; i < HIP_JSON_DEPTH_MAX && !j.err; i++)
		hip_json_array_begin(&j);
	ck_assert_int_eq(j.err, HIP_ENOSPC);	/* 16-byte buffer first */
	{
		char big[128];

		hip_json_init_buf(&j, big, sizeof(big));
		for (int i = 0; i < HIP_JSON_DEPTH_MAX; i++)
			ck_assert_int_eq(hip_json_array_begin(&j), 0);
		ck_assert_int_eq(hip_json_array_begin(&j), HIP_ENOSPC);
	}
}
END_TEST

START_TEST(test_json_file)
{
	char out[64] = { 0 };
	FILE *fp = fmemopen(out, sizeof(out) - 1, "w");
	struct hip_json j;

	ck_assert_ptr_nonnull(fp);
	hip_json_init_file(&j, fp);
	hip_json_object_begin(&j);
	hip_json_key(&j, "spi");
	hip_json_uint(&j, 256);
	hip_json_key(&j, "state");
	hip_json_string(&j, "ESTABLISHED");
	hip_json_object_end(&j);
	ck_assert_int_eq(hip_json_finish(&j), 0);
	fclose(fp);
	ck_assert_str_eq(out, "{\"spi\":256,\"state\":\"ESTABLISHED\"}");
}
END_TEST

/* ---- Client ---- */

static size_t make_frame(uint8_t *buf, size_t cap, uint8_t kind,
			 uint16_t code, uint32_t id)
{
	struct hip_ctl_msg m;

	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, cap, kind, code, id), 0);
	ck_assert_int_eq(hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, id), 0);
	return m.len;
}

START_TEST(test_client_request)
{
	uint8_t req[64], ev[64], rep[64], got[256], seen[64];
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	size_t evlen, replen, n;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(hip_ctl_msg_init(&m, req, sizeof(req),
					  HIP_CTL_REQUEST, HIP_CTL_CMD_STATUS,
					  42), 0);
	/* the daemon's side: an event first, then the reply */
	evlen = make_frame(ev, sizeof(ev), HIP_CTL_EVENT, HIP_CTL_EV_HA_STATE,
			   0);
	replen = make_frame(rep, sizeof(rep), HIP_CTL_REPLY, 0, 42);
	ck_assert_int_eq(hip_ctl_send(sv[1], ev, evlen, 1000), 0);
	ck_assert_int_eq(hip_ctl_send(sv[1], rep, replen, 1000), 0);
	ck_assert_int_eq(hip_ctl_request(sv[0], &m, got, sizeof(got), &n,
					 1000), 0);
	ck_assert_uint_eq(n, replen - 4);
	ck_assert_int_eq(hip_ctl_parse(got, n, &h, &it), 0);
	ck_assert_uint_eq(h.id, 42);
	ck_assert_uint_eq(h.kind, HIP_CTL_REPLY);
	/* and the request arrived intact */
	ck_assert_int_eq(hip_ctl_recv(sv[1], seen, sizeof(seen), &n, 1000), 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_mem_eq(seen, req + 4, 8);

	/* a reply with another id is a protocol error */
	replen = make_frame(rep, sizeof(rep), HIP_CTL_REPLY, 0, 41);
	ck_assert_int_eq(hip_ctl_send(sv[1], rep, replen, 1000), 0);
	ck_assert_int_eq(hip_ctl_request(sv[0], &m, got, sizeof(got), &n,
					 1000), HIP_EFORMAT);
	/* a reply larger than the caller's buffer */
	replen = make_frame(rep, sizeof(rep), HIP_CTL_REPLY, 0, 42);
	ck_assert_int_eq(hip_ctl_send(sv[1], rep, replen, 1000), 0);
	ck_assert_int_eq(hip_ctl_recv(sv[0], got, 8, &n, 1000), HIP_ENOSPC);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_client_errors)
{
	uint8_t req[64], got[64], bad[8];
	struct hip_ctl_msg m;
	char path[200];
	size_t n;
	int sv[2], fd = -1;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(hip_ctl_msg_init(&m, req, sizeof(req),
					  HIP_CTL_REQUEST, HIP_CTL_CMD_STATUS,
					  1), 0);
	/* nobody answers: timeout */
	errno = 0;
	ck_assert_int_eq(hip_ctl_request(sv[0], &m, got, sizeof(got), &n, 50),
			 HIP_EIO);
	ck_assert_int_eq(errno, ETIMEDOUT);
	/* a frame length beyond the maximum */
	hip_put32(bad, HIP_CTL_MSG_MAX + 1);
	ck_assert_int_eq(write(sv[1], bad, 4), 4);
	ck_assert_int_eq(hip_ctl_recv(sv[0], got, sizeof(got), &n, 1000),
			 HIP_ELEN);
	/* the daemon goes away mid-frame */
	hip_put32(bad, 20);
	ck_assert_int_eq(write(sv[1], bad, 6), 6);
	close(sv[1]);
	errno = 0;
	ck_assert_int_eq(hip_ctl_recv(sv[0], got, sizeof(got), &n, 1000),
			 HIP_EIO);
	ck_assert_int_eq(errno, ECONNRESET);
	/* sending to a closed peer fails without SIGPIPE */
	ck_assert_int_eq(hip_ctl_send(sv[0], req, m.len, 1000), HIP_EIO);
	close(sv[0]);
	/* the frame's own length must match */
	ck_assert_int_eq(hip_ctl_send(0, req, m.len + 1, 10), HIP_ELEN);

	/* connect */
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	ck_assert_int_eq(hip_ctl_connect(path, &fd), HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_connect("", &fd), HIP_EINVAL);
	ck_assert_int_eq(hip_ctl_connect("/nonexistent/hipd.sock", &fd),
			 HIP_EIO);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(test_client_connect)
{
	char dir[] = "/tmp/test_ctl.XXXXXX", path[64];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ls, fd = -1, c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s", dir);
	strcpy(sa.sun_path, path);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(ls, 0);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	ck_assert_int_eq(hip_ctl_connect(path, &fd), 0);
	ck_assert_int_ge(fd, 0);
	c = accept(ls, NULL, NULL);
	ck_assert_int_ge(c, 0);
	close(c);
	close(fd);
	close(ls);
	unlink(path);
	/* nobody listening any more */
	ck_assert_int_eq(bind(ls = socket(AF_UNIX, SOCK_STREAM, 0),
			      (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(ls);
	ck_assert_int_eq(hip_ctl_connect(path, &fd), HIP_EIO);
	ck_assert_int_eq(errno, ECONNREFUSED);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *codec = tcase_create("codec");
	TCase *json = tcase_create("json");
	TCase *client = tcase_create("client");

	tcase_add_test(codec, test_roundtrip);
	tcase_add_test(codec, test_build_limits);
	tcase_add_test(codec, test_malformed);
	tcase_add_test(codec, test_mutations);
	tcase_add_test(codec, test_status_macros);
	suite_add_tcase(s, codec);
	tcase_add_test(json, test_json_document);
	tcase_add_test(json, test_json_utf8);
	tcase_add_test(json, test_json_misuse);
	tcase_add_test(json, test_json_overflow);
	tcase_add_test(json, test_json_file);
	suite_add_tcase(s, json);
	tcase_add_test(client, test_client_request);
	tcase_add_test(client, test_client_errors);
	tcase_add_test(client, test_client_connect);
	suite_add_tcase(s, client);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
