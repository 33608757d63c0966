/* Unit tests for wire.c, param_iter.c and param_build.c: the HIP header,
 * checksums (RFC 7401 Appendix C vectors), the TLV cursor, the packet
 * index and the builder. */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/param.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"

static struct in6_addr addr6(const char *s)
{
	struct in6_addr a;

	ck_assert_int_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct in_addr addr4(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* The I1 of RFC 7401 Appendix C: HIT 2001:20::1 -> 2001:20::2, DH_GROUP_LIST
 * 3, 4, 8; 48 octets, checksum field zero. */
static const uint8_t rfc_i1[48] = {
	0x3b, 0x05, 0x01, 0x21, 0x00, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x01, 0xff, 0x00, 0x03, 0x03, 0x04, 0x08, 0x00,
};

START_TEST(test_checksum_rfc_ipv6)
{
	struct in6_addr s = addr6("2001:db8::1"), d = addr6("2001:db8::2");
	uint8_t pkt[48];

	ck_assert_uint_eq(hip_checksum_ipv6(&s, &d, HIP_IPPROTO, rfc_i1, 48),
			  0x1a5e);
	memcpy(pkt, rfc_i1, sizeof(pkt));
	ck_assert_int_eq(hip_packet_set_checksum(pkt, 48, &s, &d), 0);
	ck_assert_uint_eq(hip_get16(pkt + 4), 0x1a5e);
	ck_assert_int_eq(hip_packet_verify_checksum(pkt, 48, &s, &d), 0);
	/* Any flipped bit, or swapped addresses with another packet, fail. */
	pkt[44] ^= 0x01;
	ck_assert_int_eq(hip_packet_verify_checksum(pkt, 48, &s, &d),
			 HIP_ECHECKSUM);
	pkt[44] ^= 0x01;
	d = addr6("2001:db8::3");
	ck_assert_int_eq(hip_packet_verify_checksum(pkt, 48, &s, &d),
			 HIP_ECHECKSUM);
}
END_TEST

START_TEST(test_checksum_rfc_ipv4)
{
	struct in_addr s = addr4("192.0.2.1"), d = addr4("192.0.2.2");
	struct in6_addr ms = addr6("::ffff:192.0.2.1");
	struct in6_addr md = addr6("::ffff:192.0.2.2");
	uint8_t pkt[48];

	ck_assert_uint_eq(hip_checksum_ipv4(&s, &d, HIP_IPPROTO, rfc_i1, 48),
			  0xf1ce);
	/* v4-mapped addresses select the IPv4 pseudo-header. */
	memcpy(pkt, rfc_i1, sizeof(pkt));
	ck_assert_int_eq(hip_packet_set_checksum(pkt, 48, &ms, &md), 0);
	ck_assert_uint_eq(hip_get16(pkt + 4), 0xf1ce);
	ck_assert_int_eq(hip_packet_verify_checksum(pkt, 48, &ms, &md), 0);
	pkt[4] ^= 0x80;
	ck_assert_int_eq(hip_packet_verify_checksum(pkt, 48, &ms, &md),
			 HIP_ECHECKSUM);
}
END_TEST

/* RFC 7401 C.3: TCP SYN over HITs 2001:20::1 -> 2001:20::2, port 65500 ->
 * 22, seq 1, ack 0, data offset 5, window 65535: checksum 0x6faa. */
START_TEST(test_checksum_rfc_tcp)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	uint8_t tcp[20] = { 0 };

	hip_put16(tcp, 65500);
	hip_put16(tcp + 2, 22);
	hip_put32(tcp + 4, 1);
	tcp[12] = 0x50;
	tcp[13] = 0x02;
	hip_put16(tcp + 14, 65535);
	ck_assert_uint_eq(hip_checksum_ipv6(&s, &d, 6, tcp, sizeof(tcp)),
			  0x6faa);
	hip_put16(tcp + 16, 0x6faa);
	ck_assert_uint_eq(hip_checksum_ipv6(&s, &d, 6, tcp, sizeof(tcp)), 0);
}
END_TEST

START_TEST(test_checksum_odd_and_args)
{
	struct in6_addr s = addr6("2001:db8::1"), d = addr6("2001:db8::2");
	const uint8_t odd[4] = { 0x12, 0x34, 0x56, 0xff };
	uint8_t pkt[48];

	/* An odd last octet is padded with zero (value from an independent
	 * Python computation); the octet after it is not read. */
	ck_assert_uint_eq(hip_checksum_ipv6(&s, &d, 17, odd, 3), 0x3c42);
	memcpy(pkt, rfc_i1, sizeof(pkt));
	ck_assert_int_eq(hip_packet_set_checksum(pkt, 44, &s, &d), HIP_EINVAL);
	ck_assert_int_eq(hip_packet_set_checksum(pkt, 32, &s, &d), HIP_EINVAL);
	ck_assert_int_eq(hip_packet_verify_checksum(NULL, 48, &s, &d),
			 HIP_EINVAL);
}
END_TEST

START_TEST(test_hdr_parse)
{
	struct hip_hdr h;
	uint8_t pkt[56];

	memcpy(pkt, rfc_i1, 48);
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), 0);
	ck_assert_uint_eq(h.next_hdr, 59);
	ck_assert_uint_eq(h.hdr_len, 5);
	ck_assert_uint_eq(h.type, HIP_I1);
	ck_assert_uint_eq(h.version, 2);
	ck_assert_uint_eq(hip_hdr_packet_len(&h), 48);
	ck_assert(memcmp(&h.sender_hit, rfc_i1 + 8, 16) == 0);
	ck_assert(memcmp(&h.receiver_hit, rfc_i1 + 24, 16) == 0);
	/* Trailing octets after (HdrLen+1)*8 are ignored. */
	memset(pkt + 48, 0xee, 8);
	ck_assert_int_eq(hip_hdr_parse(pkt, 56, &h), 0);
	ck_assert_uint_eq(hip_hdr_packet_len(&h), 48);
	/* Shorter than HdrLen says, shorter than a header. */
	ck_assert_int_eq(hip_hdr_parse(pkt, 47, &h), HIP_ETRUNC);
	ck_assert_int_eq(hip_hdr_parse(pkt, 39, &h), HIP_ETRUNC);
	/* RES bits are ignored on receipt. */
	pkt[3] = 0x2f;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), 0);
	pkt[3] = 0x20;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), HIP_EFORMAT);
	pkt[3] = 0x11;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), HIP_EVERSION);
	pkt[3] = 0x21;
	pkt[2] = 0x81;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), HIP_EFORMAT);
	pkt[2] = 0;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), HIP_EFORMAT);
	pkt[2] = 1;
	pkt[0] = 6;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), HIP_EFORMAT);
	pkt[0] = 59;
	pkt[1] = 3;
	ck_assert_int_eq(hip_hdr_parse(pkt, 48, &h), HIP_ELEN);
}
END_TEST

START_TEST(test_hdr_write_roundtrip)
{
	struct hip_hdr h, back;
	uint8_t buf[40];

	memset(&h, 0, sizeof(h));
	h.next_hdr = 59;
	h.hdr_len = 4;
	h.type = HIP_CLOSE_ACK;
	h.version = 2;
	h.checksum = 0xbeef;
	h.controls = HIP_CONTROL_ANONYMOUS;
	h.sender_hit = addr6("2001:2a::5");
	h.receiver_hit = addr6("2001:2b::6");
	ck_assert_int_eq(hip_hdr_write(&h, buf, 39), HIP_ENOSPC);
	ck_assert_int_eq(hip_hdr_write(&h, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(buf[3], 0x21);
	ck_assert_int_eq(hip_hdr_parse(buf, sizeof(buf), &back), 0);
	ck_assert(memcmp(&h, &back, sizeof(h)) == 0);
	h.type = 128;
	ck_assert_int_eq(hip_hdr_write(&h, buf, sizeof(buf)), HIP_EINVAL);
	ck_assert_str_eq(hip_packet_type_name(HIP_R2), "R2");
	ck_assert_str_eq(hip_packet_type_name(99), "UNKNOWN");
}
END_TEST

START_TEST(test_builder_rfc_i1)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	const uint8_t groups[3] = { 3, 4, 8 };
	struct hip_builder b;
	uint8_t buf[128];
	size_t len;

	memset(buf, 0xa5, sizeof(buf));
	ck_assert_int_eq(hip_builder_init(&b, buf, sizeof(buf), HIP_I1, &s, &d,
					  0), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_DH_GROUP_LIST, groups, 3),
			 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	ck_assert_uint_eq(len, 48);
	ck_assert(memcmp(buf, rfc_i1, 48) == 0);
}
END_TEST

START_TEST(test_param_sizes)
{
	ck_assert_uint_eq(hip_param_total_len(0), 8);
	ck_assert_uint_eq(hip_param_total_len(1), 8);
	ck_assert_uint_eq(hip_param_total_len(4), 8);
	ck_assert_uint_eq(hip_param_total_len(5), 16);
	ck_assert_uint_eq(hip_param_total_len(12), 16);
	ck_assert_uint_eq(hip_param_total_len(13), 24);
	ck_assert(hip_param_is_critical(HIP_PARAM_PUZZLE));
	ck_assert(!hip_param_is_critical(HIP_PARAM_CERT));
	ck_assert(hip_param_repeatable(HIP_PARAM_NOTIFICATION));
	ck_assert(hip_param_repeatable(HIP_PARAM_ESP_INFO));
	ck_assert(!hip_param_repeatable(HIP_PARAM_PUZZLE));
	ck_assert(hip_param_known(HIP_PARAM_VIA_RVS));
	ck_assert(!hip_param_known(1001));
	ck_assert_str_eq(hip_param_name(HIP_PARAM_HIP_MAC_2), "HIP_MAC_2");
	ck_assert_str_eq(hip_param_name(3), "UNKNOWN");
}
END_TEST

/* Iterate over a hand-made parameter list. */
START_TEST(test_iter_basic)
{
	const uint8_t list[] = {
		0x00, 0x41, 0x00, 0x0c, 0, 0, 0, 8, 0, 0, 0, 0,
		0x11, 0x22, 0x33, 0x44,				/* ESP_INFO */
		0x00, 0x41, 0x00, 0x0c, 0, 0, 0, 8, 0, 0, 0, 0,
		0x11, 0x22, 0x33, 0x45,				/* repeat */
		0x01, 0x81, 0x00, 0x04, 0, 0, 0, 7,		/* SEQ */
		0x04, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0,
		0, 0, 0, 0,					/* 1024 */
	};
	struct hip_param_iter it;
	struct hip_param p;

	hip_param_iter_init(&it, list, sizeof(list), 40);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_uint_eq(p.type, HIP_PARAM_ESP_INFO);
	ck_assert_uint_eq(p.len, 12);
	ck_assert_uint_eq(p.offset, 40);
	ck_assert_ptr_eq(p.value, list + 4);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_uint_eq(p.offset, 56);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_uint_eq(p.type, HIP_PARAM_SEQ);
	ck_assert_uint_eq(p.offset, 72);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_uint_eq(p.type, 1024);
	ck_assert_uint_eq(p.len, 5);
	ck_assert_uint_eq(p.value[4], 5);
	ck_assert_int_eq(hip_param_next(&it, &p), 0);
	ck_assert_int_eq(hip_param_next(&it, &p), 0);
	hip_param_iter_init(&it, NULL, 10, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), 0);
}
END_TEST

START_TEST(test_iter_errors)
{
	struct hip_param_iter it;
	struct hip_param p;
	uint8_t l[32];

	/* Non-zero padding. */
	memset(l, 0, sizeof(l));
	hip_put16(l, 1024);
	hip_put16(l + 2, 1);
	l[7] = 1;
	hip_param_iter_init(&it, l, 8, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_EPAD);
	/* Padding missing: value fits, padding does not. */
	l[7] = 0;
	hip_param_iter_init(&it, l, 5, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_EPAD);
	/* Value overruns, header overruns. */
	hip_put16(l + 2, 5);
	hip_param_iter_init(&it, l, 8, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_ETRUNC);
	hip_param_iter_init(&it, l, 3, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_ETRUNC);
	/* Descending types; the error sticks to the bad parameter. */
	hip_put16(l, HIP_PARAM_SEQ);
	hip_put16(l + 2, 4);
	hip_put16(l + 8, HIP_PARAM_R1_COUNTER);
	hip_put16(l + 10, 12);
	hip_param_iter_init(&it, l, 24, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_EORDER);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_EORDER);
	/* Same non-repeatable type twice. */
	hip_put16(l + 8, HIP_PARAM_SEQ);
	hip_put16(l + 10, 4);
	hip_param_iter_init(&it, l, 16, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_EDUP);
	/* Zero length of a known type, and below its minimum. */
	hip_put16(l + 2, 0);
	hip_param_iter_init(&it, l, 8, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_ELEN);
	hip_put16(l, HIP_PARAM_ESP_INFO);
	hip_put16(l + 2, 4);
	hip_param_iter_init(&it, l, 8, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), HIP_ELEN);
	/* Zero length of an unknown type is fine. */
	hip_put16(l, 2000);
	hip_put16(l + 2, 0);
	hip_param_iter_init(&it, l, 8, 0);
	ck_assert_int_eq(hip_param_next(&it, &p), 1);
	ck_assert_uint_eq(p.len, 0);
}
END_TEST

static size_t build_r1ish(uint8_t *buf, size_t cap)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	struct hip_builder b;
	uint8_t v[64];
	size_t len;

	memset(v, 0x5c, sizeof(v));
	ck_assert_int_eq(hip_builder_init(&b, buf, cap, HIP_R1, &s, &d, 0), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_PUZZLE, v, 24), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_CERT, v, 9), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_CERT, v, 10), 0);
	ck_assert_int_eq(hip_put_param(&b, 2000, v, 3), 0);	/* unknown */
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_HIP_SIGNATURE_2, v, 33),
			 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	return len;
}

START_TEST(test_packet_parse_find)
{
	const struct hip_param *p, *q;
	struct hip_packet pkt;
	uint8_t buf[512];
	size_t len = build_r1ish(buf, sizeof(buf));
	uint16_t crit = 0;

	/* 40 + 32 (PUZZLE) + 16 + 16 (CERTs) + 8 + 40 = 152. */
	ck_assert_uint_eq(len, 152);
	ck_assert_uint_eq(buf[1], 152 / 8 - 1);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, &crit), 0);
	ck_assert_uint_eq(pkt.hdr.type, HIP_R1);
	ck_assert_uint_eq(pkt.len, 152);
	ck_assert_uint_eq(pkt.nparams, 5);
	p = hip_packet_find(&pkt, HIP_PARAM_CERT);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->offset, 72);
	ck_assert_uint_eq(p->len, 9);
	q = hip_packet_find_next(&pkt, p);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(q->offset, 88);
	ck_assert_uint_eq(q->len, 10);
	ck_assert_ptr_null(hip_packet_find_next(&pkt, q));
	p = hip_packet_find(&pkt, HIP_PARAM_HIP_SIGNATURE_2);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->offset, 112);
	ck_assert_ptr_eq(p->value, buf + 116);
	ck_assert_ptr_null(hip_packet_find(&pkt, HIP_PARAM_HOST_ID));
	ck_assert_ptr_null(hip_packet_find(&pkt, HIP_PARAM_VIA_RVS));
	ck_assert_ptr_nonnull(hip_packet_find(&pkt, 2000));
}
END_TEST

START_TEST(test_packet_parse_crit)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	struct hip_packet pkt;
	struct hip_builder b;
	uint8_t buf[256], v[8] = { 0 };
	uint16_t crit = 0;
	size_t len;

	ck_assert_int_eq(hip_builder_init(&b, buf, sizeof(buf), HIP_UPDATE,
					  &s, &d, 0), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_SEQ, v, 4), 0);
	ck_assert_int_eq(hip_put_param(&b, 1001, v, 4), 0);
	ck_assert_int_eq(hip_put_param(&b, 1003, v, 4), 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	memset(&pkt, 0, sizeof(pkt));
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, &crit), HIP_ECRIT);
	ck_assert_uint_eq(crit, 1001);
	/* The header is available to answer with a NOTIFY. */
	ck_assert_uint_eq(pkt.hdr.type, HIP_UPDATE);
	ck_assert(memcmp(&pkt.hdr.sender_hit, &s, 16) == 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), HIP_ECRIT);
}
END_TEST

START_TEST(test_packet_parse_too_many)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	struct hip_packet pkt;
	struct hip_builder b;
	uint8_t buf[2048], v[4] = { 0 };
	size_t len;

	ck_assert_int_eq(hip_builder_init(&b, buf, sizeof(buf), HIP_NOTIFY,
					  &s, &d, 0), 0);
	for (int i = 0; i < HIP_PACKET_MAX_PARAMS; i++)
		ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_NOTIFICATION, v,
					       4), 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	ck_assert_uint_eq(pkt.nparams, HIP_PACKET_MAX_PARAMS);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_NOTIFICATION, v, 4), 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	memset(&pkt, 0x77, sizeof(pkt));
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), HIP_ELEN);
	ck_assert_uint_eq(pkt.hdr.type, 0x77);	/* untouched */
}
END_TEST

START_TEST(test_builder_order_space)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	struct hip_builder b;
	uint8_t buf[64], v[32];
	size_t len;

	memset(v, 0x11, sizeof(v));
	memset(buf, 0xcc, sizeof(buf));
	ck_assert_int_eq(hip_builder_init(&b, buf, 39, HIP_I1, &s, &d, 0),
			 HIP_ENOSPC);
	ck_assert_int_eq(hip_builder_init(&b, buf, 0, 0, &s, &d, 0),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_builder_init(&b, buf, 56, HIP_I1, &s, &d, 0), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_SEQ, v, 4), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_R1_COUNTER, v, 12),
			 HIP_EORDER);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_SEQ, v, 4), HIP_EDUP);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ACK, v, 0), HIP_ELEN);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ACK, v, 70000), HIP_ELEN);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ACK, NULL, 4),
			 HIP_EINVAL);
	/* 48 used of 56: an 8-octet parameter fits, then nothing does. */
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ACK, v, 5), HIP_ENOSPC);
	ck_assert_uint_eq(b.len, 48);
	ck_assert_uint_eq(buf[48], 0xcc);	/* nothing written */
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ACK, v, 4), 0);
	ck_assert_int_eq(hip_put_param(&b, 2000, v, 0), HIP_ENOSPC);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	ck_assert_uint_eq(len, 56);
	ck_assert_uint_eq(buf[1], 6);
}
END_TEST

START_TEST(test_builder_max_packet)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	struct hip_builder b;
	static uint8_t buf[4096], v[4096];
	struct hip_packet pkt;
	size_t len;

	/* Capacity is capped at 2048 (HdrLen 255). */
	ck_assert_int_eq(hip_builder_init(&b, buf, sizeof(buf), HIP_I1, &s, &d,
					  0), 0);
	ck_assert_int_eq(hip_put_param(&b, 2000, v, 2008 - 4 + 1), HIP_ENOSPC);
	ck_assert_int_eq(hip_put_param(&b, 2000, v, 2008 - 4), 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	ck_assert_uint_eq(len, 2048);
	ck_assert_uint_eq(buf[1], 255);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
}
END_TEST

START_TEST(test_builder_truncate_raw)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");
	struct hip_builder b;
	struct hip_packet pkt;
	uint8_t buf[256], copy[256], v[16] = { 1, 2, 3 };
	const struct hip_param *mac;
	size_t len, off;

	ck_assert_int_eq(hip_builder_init(&b, buf, sizeof(buf), HIP_I2, &s, &d,
					  0), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_SEQ, v, 4), 0);
	off = b.len;
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_HIP_MAC, v, 16), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_HIP_SIGNATURE, v, 9), 0);
	ck_assert_int_eq(hip_builder_truncate(&b, off + 8), HIP_EINVAL);
	ck_assert_int_eq(hip_builder_truncate(&b, 39), HIP_EINVAL);
	ck_assert_int_eq(hip_builder_truncate(&b, b.len + 8), HIP_EINVAL);
	ck_assert_int_eq(hip_builder_truncate(&b, off), 0);
	ck_assert_uint_eq(b.len, off);
	/* The order state follows the truncation: SEQ is last again. */
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_SEQ, v, 4), HIP_EDUP);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ACK, v, 4), 0);
	ck_assert_int_eq(hip_builder_truncate(&b, HIP_HDR_LEN), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_ESP_INFO, v, 12), 0);
	ck_assert_int_eq(hip_put_param(&b, HIP_PARAM_HIP_MAC, v, 16), 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	mac = hip_packet_find(&pkt, HIP_PARAM_HIP_MAC);
	ck_assert_ptr_nonnull(mac);

	/* Re-append the received MAC as a raw TLV into a new packet. */
	ck_assert_int_eq(hip_builder_init(&b, copy, sizeof(copy), HIP_R2, &s,
					  &d, 0), 0);
	ck_assert_int_eq(hip_put_param_raw(&b, buf + mac->offset, 24), 0);
	ck_assert_int_eq(hip_put_param_raw(&b, buf + mac->offset, 24),
			 HIP_EDUP);
	ck_assert_int_eq(hip_put_param_raw(&b, buf + 40, 16), HIP_EORDER);
	ck_assert_int_eq(hip_put_param_raw(&b, buf + 40, 15), HIP_ETRUNC);
	ck_assert_int_eq(hip_put_param_raw(&b, buf + mac->offset, 20),
			 HIP_EPAD);
	ck_assert_int_eq(hip_put_param_raw(&b, buf + 40, 40), HIP_EINVAL);
	ck_assert_uint_eq(b.len, 64);
	ck_assert(memcmp(copy + 40, buf + mac->offset, 24) == 0);
}
END_TEST

START_TEST(test_packet_prefix)
{
	struct in6_addr s = addr6("2001:db8::1"), d = addr6("2001:db8::2");
	uint8_t buf[512], out[512];
	size_t len = build_r1ish(buf, sizeof(buf));

	ck_assert_int_eq(hip_packet_set_checksum(buf, len, &s, &d), 0);
	ck_assert_int_eq(hip_packet_prefix(buf, len, 112, out, sizeof(out)),
			 0);
	ck_assert_uint_eq(out[1], 112 / 8 - 1);
	ck_assert_uint_eq(hip_get16(out + 4), 0);
	ck_assert(memcmp(out + 6, buf + 6, 112 - 6) == 0);
	ck_assert_int_eq(hip_packet_prefix(buf, len, 112, out, 111),
			 HIP_ENOSPC);
	ck_assert_int_eq(hip_packet_prefix(buf, len, 113, out, sizeof(out)),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_packet_prefix(buf, len, len + 8, out,
					   sizeof(out)), HIP_EINVAL);
	ck_assert_int_eq(hip_packet_prefix(buf, len, 32, out, sizeof(out)),
			 HIP_EINVAL);
}
END_TEST

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_checksum_rfc_ipv6);
	tcase_add_test(tc, test_checksum_rfc_ipv4);
	tcase_add_test(tc, test_checksum_rfc_tcp);
	tcase_add_test(tc, test_checksum_odd_and_args);
	tcase_add_test(tc, test_hdr_parse);
	tcase_add_test(tc, test_hdr_write_roundtrip);
	tcase_add_test(tc, test_builder_rfc_i1);
	tcase_add_test(tc, test_param_sizes);
	tcase_add_test(tc, test_iter_basic);
	tcase_add_test(tc, test_iter_errors);
	tcase_add_test(tc, test_packet_parse_find);
	tcase_add_test(tc, test_packet_parse_crit);
	tcase_add_test(tc, test_packet_parse_too_many);
	tcase_add_test(tc, test_builder_order_space);
	tcase_add_test(tc, test_builder_max_packet);
	tcase_add_test(tc, test_builder_truncate_raw);
	tcase_add_test(tc, test_packet_prefix);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wire_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
