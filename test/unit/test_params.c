/* Unit tests for the typed parameters (params_*.c): for each, build into a
 * packet, parse the packet, parse the parameter and compare; then feed the
 * parser malformed values. */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/params.h"
#include "hip/proto.h"
#include "hip/util.h"

static uint8_t buf[HIP_MAX_PACKET];
static struct hip_builder bld;
static struct hip_packet pkt;

static struct in6_addr addr6(const char *s)
{
	struct in6_addr a;

	ck_assert_int_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct hip_builder *begin(void)
{
	struct in6_addr s = addr6("2001:20::1"), d = addr6("2001:20::2");

	memset(buf, 0xee, sizeof(buf));
	ck_assert_int_eq(hip_builder_init(&bld, buf, sizeof(buf), HIP_UPDATE,
					  &s, &d, 0), 0);
	return &bld;
}

/* Finish the packet, parse it and return its only parameter, which must
 * be of the given type and value length. */
static const struct hip_param *only(uint16_t type, size_t len)
{
	size_t plen;

	ck_assert_int_eq(hip_builder_finish(&bld, &plen), 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, plen, NULL), 0);
	ck_assert_uint_eq(pkt.nparams, 1);
	ck_assert_uint_eq(pkt.params[0].type, type);
	ck_assert_uint_eq(pkt.params[0].len, len);
	ck_assert_uint_eq(plen, HIP_HDR_LEN + hip_param_total_len(len));
	return &pkt.params[0];
}

static struct hip_param raw(uint16_t type, const uint8_t *v, size_t len)
{
	struct hip_param p = { .type = type, .len = (uint16_t)len,
			       .value = v, .offset = 0 };
	return p;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

START_TEST(test_r1_counter)
{
	struct hip_r1_counter v = { .reserved = 0xdeadbeef,
				    .generation = 0x0102030405060708ULL };
	struct hip_r1_counter o;
	const struct hip_param *p;
	uint8_t bad[13] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_r1_counter(begin(), &v), 0);
	p = only(HIP_PARAM_R1_COUNTER, 12);
	ck_assert_uint_eq(p->value[4], 0x01);
	ck_assert_uint_eq(p->value[11], 0x08);
	ck_assert_int_eq(hip_parse_r1_counter(p, &o), 0);
	ck_assert_uint_eq(o.reserved, 0xdeadbeef);	/* echoed verbatim */
	ck_assert(o.generation == v.generation);
	q = raw(HIP_PARAM_R1_COUNTER, bad, 13);
	ck_assert_int_eq(hip_parse_r1_counter(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_R1_COUNTER, bad, 11);
	ck_assert_int_eq(hip_parse_r1_counter(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_PUZZLE, bad, 12);
	ck_assert_int_eq(hip_parse_r1_counter(&q, &o), HIP_EINVAL);
	ck_assert_int_eq(hip_parse_r1_counter(NULL, &o), HIP_EINVAL);
}
END_TEST

START_TEST(test_puzzle)
{
	static const size_t lens[] = { 20, 32, 48 };
	struct hip_puzzle v, o;
	const struct hip_param *p;
	uint8_t bad[64] = { 0 };
	struct hip_param q;

	for (size_t t = 0; t < HIP_ARRAY_SIZE(lens); t++) {
		memset(&v, 0, sizeof(v));
		v.k = 10;
		v.lifetime = 37;
		v.opaque[0] = 0xab;
		v.opaque[1] = 0xcd;
		v.i_len = lens[t];
		fill(v.i, v.i_len, (uint8_t)t);
		ck_assert_int_eq(hip_put_puzzle(begin(), &v), 0);
		p = only(HIP_PARAM_PUZZLE, 4 + lens[t]);
		memset(&o, 0, sizeof(o));
		ck_assert_int_eq(hip_parse_puzzle(p, &o), 0);
		ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	}
	v.i_len = 24;
	ck_assert_int_eq(hip_put_puzzle(begin(), &v), HIP_ELEN);
	ck_assert_uint_eq(bld.len, HIP_HDR_LEN);
	/* The RFC 5201 12-octet PUZZLE (64-bit #I) is refused. */
	q = raw(HIP_PARAM_PUZZLE, bad, 12);
	ck_assert_int_eq(hip_parse_puzzle(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_PUZZLE, bad, 4 + 33);
	ck_assert_int_eq(hip_parse_puzzle(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_PUZZLE, bad, 3);
	ck_assert_int_eq(hip_parse_puzzle(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_solution)
{
	struct hip_solution v, o;
	const struct hip_param *p;
	uint8_t bad[128] = { 0 };
	struct hip_param q;

	memset(&v, 0, sizeof(v));
	v.k = 20;
	v.opaque[0] = 1;
	v.opaque[1] = 2;
	v.i_len = 32;
	fill(v.i, 32, 3);
	fill(v.j, 32, 99);
	ck_assert_int_eq(hip_put_solution(begin(), &v), 0);
	p = only(HIP_PARAM_SOLUTION, 68);
	ck_assert_uint_eq(p->value[1], 0);	/* reserved */
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_solution(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	/* #I and #J must have the same RHASH length. */
	q = raw(HIP_PARAM_SOLUTION, bad, 4 + 20 + 32);
	ck_assert_int_eq(hip_parse_solution(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_SOLUTION, bad, 4 + 41);
	ck_assert_int_eq(hip_parse_solution(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_SOLUTION, bad, 20);	/* RFC 5201 size */
	ck_assert_int_eq(hip_parse_solution(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_SOLUTION, bad, 4 + 96);
	ck_assert_int_eq(hip_parse_solution(&q, &o), 0);
	ck_assert_uint_eq(o.i_len, 48);
	v.i_len = 0;
	ck_assert_int_eq(hip_put_solution(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_dh_group_list)
{
	struct hip_dh_group_list v = { .count = 3, .groups = { 8, 4, 3 } };
	struct hip_dh_group_list o;
	const struct hip_param *p;
	uint8_t many[40] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_dh_group_list(begin(), &v), 0);
	p = only(HIP_PARAM_DH_GROUP_LIST, 3);
	ck_assert_int_eq(hip_parse_dh_group_list(p, &o), 0);
	ck_assert_uint_eq(o.count, 3);
	ck_assert_uint_eq(o.groups[0], 8);
	ck_assert_uint_eq(o.groups[2], 3);
	q = raw(HIP_PARAM_DH_GROUP_LIST, many, 0);
	ck_assert_int_eq(hip_parse_dh_group_list(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_DH_GROUP_LIST, many, HIP_DH_LIST_MAX + 1);
	ck_assert_int_eq(hip_parse_dh_group_list(&q, &o), HIP_ELEN);
	v.count = 0;
	ck_assert_int_eq(hip_put_dh_group_list(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_diffie_hellman)
{
	static struct hip_diffie_hellman v, o;
	const struct hip_param *p;
	uint8_t bad[16] = { 0 };
	struct hip_param q;

	memset(&v, 0, sizeof(v));
	v.count = 1;
	v.v[0].group = HIP_DH_NIST_P256;
	v.v[0].pub_len = 65;
	fill(v.v[0].pub, 65, 4);
	ck_assert_int_eq(hip_put_diffie_hellman(begin(), &v), 0);
	p = only(HIP_PARAM_DIFFIE_HELLMAN, 68);
	ck_assert_uint_eq(p->value[0], 7);
	ck_assert_uint_eq(hip_get16(p->value + 1), 65);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_diffie_hellman(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	/* Two values. */
	v.count = 2;
	v.v[1].group = HIP_DH_MODP_3072;
	v.v[1].pub_len = 384;
	fill(v.v[1].pub, 384, 9);
	ck_assert_int_eq(hip_put_diffie_hellman(begin(), &v), 0);
	p = only(HIP_PARAM_DIFFIE_HELLMAN, 68 + 387);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_diffie_hellman(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	/* Public value length beyond the parameter, zero, trailing bytes,
	 * three values. */
	bad[0] = 7;
	hip_put16(bad + 1, 13);
	q = raw(HIP_PARAM_DIFFIE_HELLMAN, bad, 15);
	ck_assert_int_eq(hip_parse_diffie_hellman(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_DIFFIE_HELLMAN, bad, 16);
	ck_assert_int_eq(hip_parse_diffie_hellman(&q, &o), 0);
	ck_assert_uint_eq(o.count, 1);
	hip_put16(bad + 1, 11);	/* leaves 2 octets: not a second value */
	ck_assert_int_eq(hip_parse_diffie_hellman(&q, &o), HIP_ELEN);
	hip_put16(bad + 1, 0);
	ck_assert_int_eq(hip_parse_diffie_hellman(&q, &o), HIP_ELEN);
	memset(bad, 0, sizeof(bad));
	hip_put16(bad + 1, 1);
	hip_put16(bad + 5, 1);
	hip_put16(bad + 9, 1);	/* three 4-octet values in 12 */
	q = raw(HIP_PARAM_DIFFIE_HELLMAN, bad, 12);
	ck_assert_int_eq(hip_parse_diffie_hellman(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_DIFFIE_HELLMAN, bad, 8);
	ck_assert_int_eq(hip_parse_diffie_hellman(&q, &o), 0);
	ck_assert_uint_eq(o.count, 2);
	v.count = 3;
	ck_assert_int_eq(hip_put_diffie_hellman(begin(), &v), HIP_EINVAL);
	v.count = 1;
	v.v[0].pub_len = 0;
	ck_assert_int_eq(hip_put_diffie_hellman(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_cipher)
{
	struct hip_cipher v = { .count = 3, .ids = { 4, 2, 1 } }, o;
	const struct hip_param *p;
	uint8_t bad[14] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_cipher(begin(), &v), 0);
	p = only(HIP_PARAM_HIP_CIPHER, 6);
	ck_assert_int_eq(hip_parse_cipher(p, &o), 0);
	ck_assert_uint_eq(o.count, 3);
	ck_assert_uint_eq(o.ids[0], 4);
	ck_assert_uint_eq(o.ids[2], 1);
	q = raw(HIP_PARAM_HIP_CIPHER, bad, 3);
	ck_assert_int_eq(hip_parse_cipher(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_HIP_CIPHER, bad, 14);	/* 7 > 6 */
	ck_assert_int_eq(hip_parse_cipher(&q, &o), HIP_ELEN);
	v.count = 7;
	ck_assert_int_eq(hip_put_cipher(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_encrypted)
{
	static struct hip_encrypted v, o;
	const struct hip_param *p;
	uint8_t bad[8] = { 0 };
	struct hip_param q;

	v.len = 16 + 48;
	fill(v.data, v.len, 1);
	ck_assert_int_eq(hip_put_encrypted(begin(), &v), 0);
	p = only(HIP_PARAM_ENCRYPTED, 68);
	ck_assert_uint_eq(hip_get32(p->value), 0);
	ck_assert_int_eq(hip_parse_encrypted(p, &o), 0);
	ck_assert_uint_eq(o.len, 64);
	ck_assert(memcmp(o.data, v.data, 64) == 0);
	q = raw(HIP_PARAM_ENCRYPTED, bad, 4);
	ck_assert_int_eq(hip_parse_encrypted(&q, &o), HIP_ELEN);
	v.len = 0;
	ck_assert_int_eq(hip_put_encrypted(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_host_id)
{
	static struct hip_host_id v, o;
	const struct hip_param *p;
	uint8_t bad[32] = { 0 };
	struct hip_param q;

	memset(&v, 0, sizeof(v));
	v.algorithm = HIP_HI_ECDSA;
	v.di_type = HIP_DI_FQDN;
	v.hi_len = 67;
	fill(v.hi, 67, 2);
	v.di_len = 11;
	memcpy(v.di, "example.org", 11);
	ck_assert_int_eq(hip_put_host_id(begin(), &v), 0);
	p = only(HIP_PARAM_HOST_ID, 6 + 67 + 11);
	ck_assert_uint_eq(hip_get16(p->value + 2), 0x1000 | 11);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_host_id(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	/* No DI. */
	v.di_type = 0;
	v.di_len = 0;
	memset(v.di, 0, sizeof(v.di));
	ck_assert_int_eq(hip_put_host_id(begin(), &v), 0);
	p = only(HIP_PARAM_HOST_ID, 6 + 67);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_host_id(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	/* HI length + DI length must match the parameter length exactly. */
	hip_put16(bad, 10);
	hip_put16(bad + 2, 0x1000 | 5);
	q = raw(HIP_PARAM_HOST_ID, bad, 21);
	ck_assert_int_eq(hip_parse_host_id(&q, &o), 0);
	ck_assert_uint_eq(o.di_type, 1);
	q = raw(HIP_PARAM_HOST_ID, bad, 22);
	ck_assert_int_eq(hip_parse_host_id(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_HOST_ID, bad, 20);
	ck_assert_int_eq(hip_parse_host_id(&q, &o), HIP_ELEN);
	hip_put16(bad, 0);
	q = raw(HIP_PARAM_HOST_ID, bad, 11);
	ck_assert_int_eq(hip_parse_host_id(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_HOST_ID, bad, 5);
	ck_assert_int_eq(hip_parse_host_id(&q, &o), HIP_ELEN);
	v.di_type = 16;
	ck_assert_int_eq(hip_put_host_id(begin(), &v), HIP_EINVAL);
	v.di_type = 0;
	v.hi_len = HIP_HI_MAX + 1;
	ck_assert_int_eq(hip_put_host_id(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_hit_suite_list)
{
	struct hip_hit_suite_list v = { .count = 2, .ids = { 0x20, 0x10 } };
	struct hip_hit_suite_list o;
	const struct hip_param *p;
	uint8_t bad[20] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_hit_suite_list(begin(), &v), 0);
	p = only(HIP_PARAM_HIT_SUITE_LIST, 2);
	ck_assert_int_eq(hip_parse_hit_suite_list(p, &o), 0);
	ck_assert_uint_eq(o.count, 2);
	ck_assert_uint_eq(o.ids[0], 0x20);
	ck_assert_uint_eq(o.ids[1], 0x10);
	q = raw(HIP_PARAM_HIT_SUITE_LIST, bad, 17);
	ck_assert_int_eq(hip_parse_hit_suite_list(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_cert)
{
	static struct hip_cert v, o;
	const struct hip_param *p;
	uint8_t bad[8] = { 0 };
	struct hip_param q;

	v.group = 1;
	v.count = 2;
	v.id = 1;
	v.type = 1;
	v.len = 300;
	fill(v.cert, 300, 5);
	ck_assert_int_eq(hip_put_cert(begin(), &v), 0);
	p = only(HIP_PARAM_CERT, 304);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_cert(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	q = raw(HIP_PARAM_CERT, bad, 4);
	ck_assert_int_eq(hip_parse_cert(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_notification)
{
	static struct hip_notification v, o;
	const struct hip_param *p;
	uint8_t bad[4] = { 0 };
	struct hip_param q;

	v.type = HIP_NTF_UNSUPPORTED_CRITICAL_PARAMETER_TYPE;
	v.data_len = 2;
	hip_put16(v.data, 1001);
	ck_assert_int_eq(hip_put_notification(begin(), &v), 0);
	p = only(HIP_PARAM_NOTIFICATION, 6);
	ck_assert_uint_eq(hip_get16(p->value), 0);	/* reserved */
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_notification(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	/* Without data. */
	q = raw(HIP_PARAM_NOTIFICATION, bad, 4);
	ck_assert_int_eq(hip_parse_notification(&q, &o), 0);
	ck_assert_uint_eq(o.data_len, 0);
	q = raw(HIP_PARAM_NOTIFICATION, bad, 3);
	ck_assert_int_eq(hip_parse_notification(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_echo)
{
	static const uint16_t types[] = {
		HIP_PARAM_ECHO_REQUEST_SIGNED, HIP_PARAM_ECHO_RESPONSE_SIGNED,
		HIP_PARAM_ECHO_REQUEST_UNSIGNED,
		HIP_PARAM_ECHO_RESPONSE_UNSIGNED,
	};
	static struct hip_opaque v, o;
	const struct hip_param *p;
	struct hip_param q;

	v.len = 13;
	fill(v.data, 13, 8);
	for (size_t i = 0; i < HIP_ARRAY_SIZE(types); i++) {
		ck_assert_int_eq(hip_put_echo(begin(), types[i], &v), 0);
		p = only(types[i], 13);
		memset(&o, 0, sizeof(o));
		ck_assert_int_eq(hip_parse_echo(p, &o), 0);
		ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	}
	ck_assert_int_eq(hip_put_echo(begin(), HIP_PARAM_HIP_MAC, &v),
			 HIP_EINVAL);
	q = raw(HIP_PARAM_ECHO_REQUEST_SIGNED, v.data, 0);
	ck_assert_int_eq(hip_parse_echo(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_SEQ, v.data, 4);
	ck_assert_int_eq(hip_parse_echo(&q, &o), HIP_EINVAL);
}
END_TEST

START_TEST(test_transport_format_list)
{
	struct hip_transport_format_list v = { .count = 1,
					       .formats = { 4095 } };
	struct hip_transport_format_list o;
	const struct hip_param *p;
	uint8_t bad[40] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_transport_format_list(begin(), &v), 0);
	p = only(HIP_PARAM_TRANSPORT_FORMAT_LIST, 2);
	ck_assert_int_eq(hip_parse_transport_format_list(p, &o), 0);
	ck_assert_uint_eq(o.count, 1);
	ck_assert_uint_eq(o.formats[0], HIP_TRANSPORT_ESP);
	q = raw(HIP_PARAM_TRANSPORT_FORMAT_LIST, bad, 5);
	ck_assert_int_eq(hip_parse_transport_format_list(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_TRANSPORT_FORMAT_LIST, bad, 34);
	ck_assert_int_eq(hip_parse_transport_format_list(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_mac)
{
	static const uint16_t types[] = {
		HIP_PARAM_HIP_MAC, HIP_PARAM_HIP_MAC_2, HIP_PARAM_RVS_HMAC,
	};
	struct hip_mac v, o;
	const struct hip_param *p;
	uint8_t bad[65] = { 0 };
	struct hip_param q;

	memset(&v, 0, sizeof(v));
	v.len = 32;
	fill(v.mac, 32, 77);
	for (size_t i = 0; i < HIP_ARRAY_SIZE(types); i++) {
		ck_assert_int_eq(hip_put_mac(begin(), types[i], &v), 0);
		p = only(types[i], 32);
		memset(&o, 0, sizeof(o));
		ck_assert_int_eq(hip_parse_mac(p, &o), 0);
		ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	}
	q = raw(HIP_PARAM_HIP_MAC, bad, 65);
	ck_assert_int_eq(hip_parse_mac(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_HIP_SIGNATURE, bad, 32);
	ck_assert_int_eq(hip_parse_mac(&q, &o), HIP_EINVAL);
	v.len = 0;
	ck_assert_int_eq(hip_put_mac(begin(), HIP_PARAM_HIP_MAC, &v),
			 HIP_ELEN);
}
END_TEST

START_TEST(test_signature)
{
	static struct hip_signature v, o;
	const struct hip_param *p;
	uint8_t bad[4] = { 0 };
	struct hip_param q;

	v.algorithm = HIP_HI_RSA;
	v.len = 384;
	fill(v.sig, 384, 12);
	ck_assert_int_eq(hip_put_signature(begin(), HIP_PARAM_HIP_SIGNATURE_2,
					   &v), 0);
	p = only(HIP_PARAM_HIP_SIGNATURE_2, 386);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_signature(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	ck_assert_int_eq(hip_put_signature(begin(), HIP_PARAM_HIP_SIGNATURE,
					   &v), 0);
	p = only(HIP_PARAM_HIP_SIGNATURE, 386);
	ck_assert_int_eq(hip_parse_signature(p, &o), 0);
	q = raw(HIP_PARAM_HIP_SIGNATURE, bad, 2);
	ck_assert_int_eq(hip_parse_signature(&q, &o), HIP_ELEN);
	ck_assert_int_eq(hip_put_signature(begin(), HIP_PARAM_HIP_MAC, &v),
			 HIP_EINVAL);
}
END_TEST

START_TEST(test_esp_info)
{
	struct hip_esp_info v = { .keymat_index = 0x0180,
				  .old_spi = 0, .new_spi = 0x12345678 }, o;
	const struct hip_param *p;
	uint8_t bad[16] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_esp_info(begin(), &v), 0);
	p = only(HIP_PARAM_ESP_INFO, 12);
	ck_assert_int_eq(hip_parse_esp_info(p, &o), 0);
	ck_assert_uint_eq(o.keymat_index, 0x0180);
	ck_assert_uint_eq(o.old_spi, 0);
	ck_assert_uint_eq(o.new_spi, 0x12345678);
	q = raw(HIP_PARAM_ESP_INFO, bad, 16);
	ck_assert_int_eq(hip_parse_esp_info(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_esp_transform)
{
	struct hip_esp_transform v = { .count = 2, .suites = { 8, 7 } }, o;
	const struct hip_param *p;
	uint8_t bad[16] = { 0 };
	struct hip_param q;

	ck_assert_int_eq(hip_put_esp_transform(begin(), &v), 0);
	p = only(HIP_PARAM_ESP_TRANSFORM, 6);
	ck_assert_uint_eq(hip_get16(p->value), 0);
	ck_assert_int_eq(hip_parse_esp_transform(p, &o), 0);
	ck_assert_uint_eq(o.count, 2);
	ck_assert_uint_eq(o.suites[0], 8);
	ck_assert_uint_eq(o.suites[1], 7);
	q = raw(HIP_PARAM_ESP_TRANSFORM, bad, 2);
	ck_assert_int_eq(hip_parse_esp_transform(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_ESP_TRANSFORM, bad, 5);
	ck_assert_int_eq(hip_parse_esp_transform(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_ESP_TRANSFORM, bad, 16);	/* 7 suites */
	ck_assert_int_eq(hip_parse_esp_transform(&q, &o), HIP_ELEN);
	v.count = 7;
	ck_assert_int_eq(hip_put_esp_transform(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_seq_ack)
{
	struct hip_seq s = { .update_id = 0xfedcba98 }, so;
	struct hip_ack a = { .count = 3, .update_ids = { 1, 2, 0xffffffff } };
	struct hip_ack ao;
	struct hip_param q;
	uint8_t bad[8] = { 0 };
	size_t len;

	begin();
	ck_assert_int_eq(hip_put_seq(&bld, &s), 0);
	ck_assert_int_eq(hip_put_ack(&bld, &a), 0);
	ck_assert_int_eq(hip_builder_finish(&bld, &len), 0);
	ck_assert_uint_eq(len, 40 + 8 + 16);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	ck_assert_int_eq(hip_parse_seq(hip_packet_find(&pkt, HIP_PARAM_SEQ),
				       &so), 0);
	ck_assert_uint_eq(so.update_id, 0xfedcba98);
	ck_assert_int_eq(hip_parse_ack(hip_packet_find(&pkt, HIP_PARAM_ACK),
				       &ao), 0);
	ck_assert_uint_eq(ao.count, 3);
	ck_assert_uint_eq(ao.update_ids[2], 0xffffffff);
	q = raw(HIP_PARAM_SEQ, bad, 8);
	ck_assert_int_eq(hip_parse_seq(&q, &so), HIP_ELEN);
	q = raw(HIP_PARAM_ACK, bad, 6);
	ck_assert_int_eq(hip_parse_ack(&q, &ao), HIP_ELEN);
	ck_assert_int_eq(hip_parse_seq(hip_packet_find(&pkt, HIP_PARAM_PUZZLE),
				       &so), HIP_EINVAL);
}
END_TEST

START_TEST(test_locator_set)
{
	static struct hip_locator_set v, o;
	const struct hip_param *p;
	uint8_t bad[64];
	struct hip_param q;

	memset(&v, 0, sizeof(v));
	v.count = 3;
	v.loc[0].traffic_type = HIP_LOC_TRAFFIC_BOTH;
	v.loc[0].type = HIP_LOC_TYPE_ADDR;
	v.loc[0].length = 4;
	v.loc[0].preferred = true;
	v.loc[0].lifetime = 3600;
	v.loc[0].addr = addr6("2001:db8::10");
	v.loc[1].traffic_type = HIP_LOC_TRAFFIC_DATA;
	v.loc[1].type = HIP_LOC_TYPE_SPI_ADDR;
	v.loc[1].length = 5;
	v.loc[1].lifetime = 60;
	v.loc[1].spi = 0x11223344;
	v.loc[1].addr = addr6("::ffff:192.0.2.7");
	v.loc[2].traffic_type = HIP_LOC_TRAFFIC_SIGNAL;
	v.loc[2].type = HIP_LOC_TYPE_TRANSPORT;
	v.loc[2].length = 7;
	v.loc[2].lifetime = 1;
	v.loc[2].port = 10500;
	v.loc[2].protocol = 17;
	v.loc[2].kind = 1;
	v.loc[2].priority = 0x7e0000ff;
	v.loc[2].spi = 0x99;
	v.loc[2].addr = addr6("2001:db8::99");
	ck_assert_int_eq(hip_put_locator_set(begin(), &v), 0);
	p = only(HIP_PARAM_LOCATOR_SET, 24 + 28 + 36);
	ck_assert_uint_eq(p->value[2], 4);
	ck_assert_uint_eq(p->value[3], 1);	/* P bit */
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hip_parse_locator_set(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);

	/* An unknown locator type is kept, its content skipped. */
	memset(bad, 0, sizeof(bad));
	bad[1] = 9;
	bad[2] = 2;
	bad[3] = 0xfe;	/* reserved bits set, P clear */
	bad[16 + 2] = 4;
	q = raw(HIP_PARAM_LOCATOR_SET, bad, 16 + 24);
	ck_assert_int_eq(hip_parse_locator_set(&q, &o), 0);
	ck_assert_uint_eq(o.count, 2);
	ck_assert_uint_eq(o.loc[0].type, 9);
	ck_assert_uint_eq(o.loc[0].length, 2);
	ck_assert(!o.loc[0].preferred);
	ck_assert_uint_eq(o.loc[1].type, 0);
	/* Known type with the wrong length; overrunning locator; trailing
	 * octets shorter than a locator header. */
	bad[16 + 2] = 5;
	q = raw(HIP_PARAM_LOCATOR_SET, bad, 16 + 28);
	ck_assert_int_eq(hip_parse_locator_set(&q, &o), HIP_ELEN);
	bad[16 + 2] = 4;
	q = raw(HIP_PARAM_LOCATOR_SET, bad, 16 + 23);
	ck_assert_int_eq(hip_parse_locator_set(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_LOCATOR_SET, bad, 16 + 24 + 4);
	ck_assert_int_eq(hip_parse_locator_set(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_LOCATOR_SET, bad, 0);
	ck_assert_int_eq(hip_parse_locator_set(&q, &o), HIP_ELEN);
	/* Unknown types cannot be built; too many locators. */
	v.loc[1].type = 9;
	ck_assert_int_eq(hip_put_locator_set(begin(), &v), HIP_EINVAL);
	v.loc[1].type = 0;
	v.count = HIP_LOCATOR_MAX + 1;
	ck_assert_int_eq(hip_put_locator_set(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_locator_set_max)
{
	static struct hip_locator_set v, o;
	static uint8_t big[(HIP_LOCATOR_MAX + 1) * 24];
	const struct hip_param *p;
	struct hip_param q;

	memset(&v, 0, sizeof(v));
	v.count = HIP_LOCATOR_MAX;
	for (size_t i = 0; i < v.count; i++) {
		v.loc[i].length = 4;
		v.loc[i].addr.s6_addr[15] = (uint8_t)i;
	}
	ck_assert_int_eq(hip_put_locator_set(begin(), &v), 0);
	p = only(HIP_PARAM_LOCATOR_SET, 24 * HIP_LOCATOR_MAX);
	ck_assert_int_eq(hip_parse_locator_set(p, &o), 0);
	ck_assert(memcmp(&v, &o, sizeof(v)) == 0);
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i <= HIP_LOCATOR_MAX; i++)
		big[24 * i + 2] = 4;
	q = raw(HIP_PARAM_LOCATOR_SET, big, sizeof(big));
	ck_assert_int_eq(hip_parse_locator_set(&q, &o), HIP_ELEN);
}
END_TEST

START_TEST(test_reg)
{
	struct hip_reg_info ri = { .min_lifetime = 96, .max_lifetime = 255,
				   .count = 2, .types = { 1, 2 } }, rio;
	struct hip_reg rq = { .value = 200, .count = 1, .types = { 1 } };
	struct hip_reg rf = { .value = HIP_REG_FAIL_TYPE_UNAVAILABLE,
			      .count = 1, .types = { 3 } };
	struct hip_reg o;
	const struct hip_param *p;
	uint8_t bad[40] = { 0 };
	struct hip_param q;
	size_t len;

	begin();
	ck_assert_int_eq(hip_put_reg_info(&bld, &ri), 0);
	ck_assert_int_eq(hip_put_reg(&bld, HIP_PARAM_REG_REQUEST, &rq), 0);
	ck_assert_int_eq(hip_put_reg(&bld, HIP_PARAM_REG_RESPONSE, &rq), 0);
	ck_assert_int_eq(hip_put_reg(&bld, HIP_PARAM_REG_FAILED, &rf), 0);
	rf.value = HIP_REG_FAIL_RESOURCES;
	rf.types[0] = 2;
	/* REG_FAILED may repeat, one per failure type. */
	ck_assert_int_eq(hip_put_reg(&bld, HIP_PARAM_REG_FAILED, &rf), 0);
	ck_assert_int_eq(hip_put_reg(&bld, HIP_PARAM_REG_RESPONSE, &rq),
			 HIP_EORDER);
	ck_assert_int_eq(hip_builder_finish(&bld, &len), 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	ck_assert_uint_eq(pkt.nparams, 5);
	ck_assert_int_eq(hip_parse_reg_info(&pkt.params[0], &rio), 0);
	ck_assert_uint_eq(rio.min_lifetime, 96);
	ck_assert_uint_eq(rio.max_lifetime, 255);
	ck_assert_uint_eq(rio.count, 2);
	ck_assert_uint_eq(rio.types[1], 2);
	ck_assert_int_eq(hip_parse_reg(&pkt.params[1], &o), 0);
	ck_assert_uint_eq(o.value, 200);
	ck_assert_uint_eq(o.count, 1);
	ck_assert_uint_eq(o.types[0], 1);
	p = hip_packet_find(&pkt, HIP_PARAM_REG_FAILED);
	ck_assert_int_eq(hip_parse_reg(p, &o), 0);
	ck_assert_uint_eq(o.value, HIP_REG_FAIL_TYPE_UNAVAILABLE);
	p = hip_packet_find_next(&pkt, p);
	ck_assert_int_eq(hip_parse_reg(p, &o), 0);
	ck_assert_uint_eq(o.value, HIP_REG_FAIL_RESOURCES);
	ck_assert_uint_eq(o.types[0], 2);
	/* Empty REG_INFO: no service offered right now. */
	q = raw(HIP_PARAM_REG_INFO, bad, 2);
	ck_assert_int_eq(hip_parse_reg_info(&q, &rio), 0);
	ck_assert_uint_eq(rio.count, 0);
	q = raw(HIP_PARAM_REG_INFO, bad, 1);
	ck_assert_int_eq(hip_parse_reg_info(&q, &rio), HIP_ELEN);
	q = raw(HIP_PARAM_REG_INFO, bad, 2 + HIP_REG_TYPE_MAX + 1);
	ck_assert_int_eq(hip_parse_reg_info(&q, &rio), HIP_ELEN);
	q = raw(HIP_PARAM_REG_REQUEST, bad, 0);
	ck_assert_int_eq(hip_parse_reg(&q, &o), HIP_ELEN);
	q = raw(HIP_PARAM_REG_INFO, bad, 4);
	ck_assert_int_eq(hip_parse_reg(&q, &o), HIP_EINVAL);
}
END_TEST

START_TEST(test_rvs)
{
	struct hip_from f = { .addr = addr6("2001:db8::77") }, fo;
	struct hip_via_rvs v, vo;
	struct hip_mac m = { .len = 20 }, mo;
	uint8_t bad[40] = { 0 };
	struct hip_param q;
	size_t len;

	memset(&v, 0, sizeof(v));
	v.count = 2;
	v.addrs[0] = addr6("2001:db8::1");
	v.addrs[1] = addr6("::ffff:198.51.100.1");
	fill(m.mac, 20, 3);
	begin();
	ck_assert_int_eq(hip_put_from(&bld, &f), 0);
	ck_assert_int_eq(hip_put_mac(&bld, HIP_PARAM_RVS_HMAC, &m), 0);
	ck_assert_int_eq(hip_put_via_rvs(&bld, &v), 0);
	ck_assert_int_eq(hip_builder_finish(&bld, &len), 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	ck_assert_int_eq(hip_parse_from(hip_packet_find(&pkt, HIP_PARAM_FROM),
					&fo), 0);
	ck_assert(memcmp(&fo.addr, &f.addr, 16) == 0);
	ck_assert_int_eq(hip_parse_mac(hip_packet_find(&pkt,
						       HIP_PARAM_RVS_HMAC),
				       &mo), 0);
	ck_assert_uint_eq(mo.len, 20);
	ck_assert(memcmp(mo.mac, m.mac, 20) == 0);
	memset(&vo, 0, sizeof(vo));
	ck_assert_int_eq(hip_parse_via_rvs(hip_packet_find(&pkt,
							   HIP_PARAM_VIA_RVS),
					   &vo), 0);
	ck_assert(memcmp(&v, &vo, sizeof(v)) == 0);
	q = raw(HIP_PARAM_FROM, bad, 20);
	ck_assert_int_eq(hip_parse_from(&q, &fo), HIP_ELEN);
	q = raw(HIP_PARAM_VIA_RVS, bad, 24);
	ck_assert_int_eq(hip_parse_via_rvs(&q, &vo), HIP_ELEN);
	v.count = 0;
	ck_assert_int_eq(hip_put_via_rvs(begin(), &v), HIP_ELEN);
}
END_TEST

START_TEST(test_nat)
{
	struct hip_reg_from rf = { .port = 10500, .protocol = 17,
				   .addr = addr6("::ffff:203.0.113.9") }, rfo;
	struct hip_nat_traversal_mode nm = { .count = 2, .modes = { 3, 1 } };
	struct hip_nat_traversal_mode nmo;
	struct hip_transaction_pacing tp = { .min_ta = 50 }, tpo;
	uint8_t bad[40] = { 0 };
	struct hip_param q;
	size_t len;

	begin();
	ck_assert_int_eq(hip_put_nat_traversal_mode(&bld, &nm), 0);
	ck_assert_int_eq(hip_put_transaction_pacing(&bld, &tp), 0);
	ck_assert_int_eq(hip_put_reg_from(&bld, &rf), 0);
	ck_assert_int_eq(hip_builder_finish(&bld, &len), 0);
	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	ck_assert_int_eq(hip_parse_nat_traversal_mode(&pkt.params[0], &nmo),
			 0);
	ck_assert_uint_eq(nmo.count, 2);
	ck_assert_uint_eq(nmo.modes[0], 3);
	ck_assert_int_eq(hip_parse_transaction_pacing(&pkt.params[1], &tpo),
			 0);
	ck_assert_uint_eq(tpo.min_ta, 50);
	ck_assert_int_eq(hip_parse_reg_from(&pkt.params[2], &rfo), 0);
	ck_assert_uint_eq(rfo.port, 10500);
	ck_assert_uint_eq(rfo.protocol, 17);
	ck_assert(memcmp(&rfo.addr, &rf.addr, 16) == 0);
	ck_assert_uint_eq(pkt.params[2].value[3], 0);	/* reserved */
	q = raw(HIP_PARAM_REG_FROM, bad, 16);
	ck_assert_int_eq(hip_parse_reg_from(&q, &rfo), HIP_ELEN);
	q = raw(HIP_PARAM_NAT_TRAVERSAL_MODE, bad, 2);
	ck_assert_int_eq(hip_parse_nat_traversal_mode(&q, &nmo), HIP_ELEN);
	q = raw(HIP_PARAM_TRANSACTION_PACING, bad, 8);
	ck_assert_int_eq(hip_parse_transaction_pacing(&q, &tpo), HIP_ELEN);
}
END_TEST

/* A builder failure in a typed put leaves the packet as it was. */
START_TEST(test_put_no_partial)
{
	struct hip_esp_info e = { 0 };
	struct hip_seq s = { 1 };
	static struct hip_cert c;
	size_t before;

	begin();
	ck_assert_int_eq(hip_put_seq(&bld, &s), 0);
	before = bld.len;
	ck_assert_int_eq(hip_put_esp_info(&bld, &e), HIP_EORDER);
	c.len = HIP_OPAQUE_MAX - 4;
	ck_assert_int_eq(hip_put_cert(&bld, &c), HIP_ENOSPC);
	ck_assert_int_eq(hip_put_cert(&bld, NULL), HIP_EINVAL);
	ck_assert_uint_eq(bld.len, before);
	ck_assert_uint_eq(buf[before], 0xee);
	ck_assert_int_eq(hip_put_seq(NULL, &s), HIP_EINVAL);
}
END_TEST

static Suite *params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("roundtrip");

	tcase_add_test(tc, test_r1_counter);
	tcase_add_test(tc, test_puzzle);
	tcase_add_test(tc, test_solution);
	tcase_add_test(tc, test_dh_group_list);
	tcase_add_test(tc, test_diffie_hellman);
	tcase_add_test(tc, test_cipher);
	tcase_add_test(tc, test_encrypted);
	tcase_add_test(tc, test_host_id);
	tcase_add_test(tc, test_hit_suite_list);
	tcase_add_test(tc, test_cert);
	tcase_add_test(tc, test_notification);
	tcase_add_test(tc, test_echo);
	tcase_add_test(tc, test_transport_format_list);
	tcase_add_test(tc, test_mac);
	tcase_add_test(tc, test_signature);
	tcase_add_test(tc, test_esp_info);
	tcase_add_test(tc, test_esp_transform);
	tcase_add_test(tc, test_seq_ack);
	tcase_add_test(tc, test_locator_set);
	tcase_add_test(tc, test_locator_set_max);
	tcase_add_test(tc, test_reg);
	tcase_add_test(tc, test_rvs);
	tcase_add_test(tc, test_nat);
	tcase_add_test(tc, test_put_no_partial);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(params_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
