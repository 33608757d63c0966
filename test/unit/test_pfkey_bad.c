/*
 * Unit tests for libpfkey's parser on bad input: every rejection rule,
 * each from a valid message with one thing changed, with the error code
 * it must give and the output left untouched.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <pfkey/pfkey.h>

/* Offsets of the extensions in the base message built by base_msg(). */
enum {
	OFF_SA = 16,		/* 16 bytes */
	OFF_SRC = 32,		/* 24 bytes, AF_INET */
	OFF_DST = 56,		/* 40 bytes, AF_INET6 */
	OFF_KEY = 96,		/* 8 + 24: 160-bit key */
	OFF_POL = 128,		/* 16 + 72 (BEET, IPv6) + 16 */
	OFF_RQ1 = 144,
	OFF_RQ2 = 216,
	OFF_PROP = 232,		/* 8 + 72 */
	OFF_REF = 312,		/* 16 */
	BASE_LEN = 328,
};

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static void wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static size_t base_msg(uint8_t *buf, size_t cap)
{
	static const uint8_t key[20] = { 9 };
	struct pfkey_builder b;
	struct pfkey_sa sa = { 0x100, 32, SADB_SASTATE_MATURE, 3, 12, 0 };
	struct pfkey_policy p = { IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1,
				  0 };
	struct pfkey_ipsecrequest rq[2];
	struct pfkey_comb c;
	struct pfkey_ref ref = { PFKEY_X_REF_VERSION, 1, 0, 42 };
	union pfkey_sockaddr s, d;
	size_t len;

	memset(buf, 0, cap);
	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	s.sin.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &s.sin.sin_addr);
	d.sin6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &d.sin6.sin6_addr);
	memset(rq, 0, sizeof(rq));
	memset(&c, 0, sizeof(c));
	rq[0].proto = IPPROTO_ESP;
	rq[0].mode = IPSEC_MODE_BEET;
	rq[0].has_addrs = 1;
	rq[0].src = d;
	rq[0].dst = d;
	rq[1].proto = IPPROTO_AH;
	rq[1].mode = IPSEC_MODE_TRANSPORT;
	ck_assert_int_eq(pfkey_build_init(&b, buf, cap, SADB_X_PROMISC, 3,
					  7, 8), 0);
	pfkey_add_sa(&b, &sa);
	pfkey_add_address(&b, SADB_EXT_ADDRESS_SRC, 0, 32, &s.sa);
	pfkey_add_address(&b, SADB_EXT_ADDRESS_DST, 0, 128, &d.sa);
	pfkey_add_key(&b, SADB_EXT_KEY_AUTH, key, 160);
	pfkey_add_policy(&b, &p, rq, 2);
	pfkey_add_proposal(&b, 32, &c, 1);
	pfkey_add_ref(&b, &ref);
	ck_assert_int_eq(pfkey_build_finish(&b, &len), 0);
	ck_assert_uint_eq(len, BASE_LEN);
	ck_assert_uint_eq(rd16(buf + OFF_REF + 2), SADB_X_EXT_REF);
	ck_assert_uint_eq(rd16(buf + OFF_RQ2), 16);
	return len;
}

/* Parse and expect err, with *out untouched. */
static void expect(const uint8_t *buf, size_t len, unsigned int flags,
		   int err)
{
	struct pfkey_msg m, before;

	memset(&m, 0xa5, sizeof(m));
	before = m;
	ck_assert_int_eq(pfkey_parse(buf, len, flags, &m), err);
	if (err)
		ck_assert_mem_eq(&m, &before, sizeof(m));
}

START_TEST(test_base_is_valid)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));
	struct pfkey_msg m;

	ck_assert_int_eq(pfkey_parse(buf, len, 0, &m), 0);
	ck_assert_uint_eq(m.ext_off[SADB_X_EXT_REF], OFF_REF);
	ck_assert_uint_eq(m.ext_len[SADB_X_EXT_POLICY], 104);
}
END_TEST

START_TEST(test_header_rules)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	expect(buf, 0, 0, PFKEY_ETRUNC);
	expect(buf, 15, 0, PFKEY_ETRUNC);
	buf[0] = 1;
	expect(buf, len, 0, PFKEY_EVERSION);
	buf[0] = PF_KEY_V2;
	buf[1] = 0;
	expect(buf, len, 0, PFKEY_EUNKNOWN);
	buf[1] = SADB_MAX + 1;
	expect(buf, len, 0, PFKEY_EUNKNOWN);
	buf[1] = SADB_X_PROMISC;
	/* sadb_msg_len larger and smaller than the buffer. */
	wr16(buf + 4, BASE_LEN / 8 + 1);
	expect(buf, len, 0, PFKEY_ELEN);
	wr16(buf + 4, BASE_LEN / 8 - 1);
	expect(buf, len, 0, PFKEY_ELEN);
	wr16(buf + 4, 0);
	expect(buf, len, 0, PFKEY_ELEN);
	wr16(buf + 4, BASE_LEN / 8);
	/* A buffer cut short, or with bytes after the message. */
	expect(buf, len - 8, 0, PFKEY_ELEN);
	expect(buf, len + 8, 0, PFKEY_ELEN);
	expect(buf, len + 3, 0, PFKEY_ELEN);
	expect(NULL, len, 0, PFKEY_EINVAL);
	ck_assert_int_eq(pfkey_parse(buf, len, 0, NULL), PFKEY_EINVAL);
	expect(buf, len, 0, 0);
}
END_TEST

START_TEST(test_extension_framing)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* Zero length. */
	wr16(buf + OFF_KEY, 0);
	expect(buf, len, 0, PFKEY_EZEROLEN);
	/* The last extension runs past the message. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_REF, 3);
	expect(buf, len, 0, PFKEY_ETRUNC);
	/* A middle extension claims everything and more. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_SA, 0xffff);
	expect(buf, len, 0, PFKEY_ETRUNC);
	/* Shrinking an extension leaves its tail as a bogus extension. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_PROP, 1);
	expect(buf, len, 0, PFKEY_EZEROLEN);
}
END_TEST

START_TEST(test_unknown_types)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));
	struct pfkey_msg m;
	struct pfkey_ref r;
	unsigned int t;
	static const uint16_t unknown[] = { 0, 27, 31, 33, 200, 0xffff };

	for (t = 0; t < sizeof(unknown) / sizeof(unknown[0]); t++) {
		len = base_msg(buf, sizeof(buf));
		wr16(buf + OFF_REF + 2, unknown[t]);
		expect(buf, len, 0, PFKEY_EUNKNOWN);
		/* The caller may choose to skip them. */
		ck_assert_int_eq(pfkey_parse(buf, len, PFKEY_PARSE_SKIP_UNKNOWN,
					     &m), 0);
		ck_assert_int_eq(pfkey_get_ref(&m, &r), PFKEY_ENOENT);
		ck_assert_int_eq(pfkey_msg_has(&m, SADB_X_EXT_POLICY), 1);
	}
	/* Skipping still checks framing. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_REF + 2, 30);
	wr16(buf + OFF_REF, 4);
	expect(buf, len, PFKEY_PARSE_SKIP_UNKNOWN, PFKEY_ETRUNC);
}
END_TEST

START_TEST(test_duplicates)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* The REF extension retyped as a second SA (both 16 bytes). */
	memcpy(buf + OFF_REF, buf + OFF_SA, 16);
	expect(buf, len, 0, PFKEY_EDUP);
	/* Two destination addresses: SRC retyped. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_SRC + 2, SADB_EXT_ADDRESS_DST);
	expect(buf, len, 0, PFKEY_EDUP);
}
END_TEST

START_TEST(test_address_rules)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* A family the length does not fit: IPv4 in a 40-byte slot. */
	wr16(buf + OFF_DST + 8, AF_INET);
	expect(buf, len, 0, PFKEY_EEXT);
	/* Unknown family. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_SRC + 8, AF_UNIX);
	expect(buf, len, 0, PFKEY_EEXT);
	/* Prefix longer than the address. */
	len = base_msg(buf, sizeof(buf));
	buf[OFF_SRC + 5] = 33;
	expect(buf, len, 0, PFKEY_EEXT);
	len = base_msg(buf, sizeof(buf));
	buf[OFF_DST + 5] = 129;
	expect(buf, len, 0, PFKEY_EEXT);
	len = base_msg(buf, sizeof(buf));
	buf[OFF_DST + 5] = 128;
	expect(buf, len, 0, 0);
}
END_TEST

START_TEST(test_key_rules)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* More bits than the key data holds (24 bytes hold 192). */
	wr16(buf + OFF_KEY + 4, 193);
	expect(buf, len, 0, PFKEY_EEXT);
	/* Padding of more than 7 bytes. */
	wr16(buf + OFF_KEY + 4, 128);
	expect(buf, len, 0, PFKEY_EEXT);
	/* 161..192 bits fill the same 24 bytes. */
	wr16(buf + OFF_KEY + 4, 192);
	expect(buf, len, 0, 0);
	wr16(buf + OFF_KEY + 4, 161);
	expect(buf, len, 0, 0);
}
END_TEST

START_TEST(test_policy_rules)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* Request lengths that do not add up to the extension. */
	wr16(buf + OFF_RQ2, 24);
	expect(buf, len, 0, PFKEY_EEXT);
	wr16(buf + OFF_RQ2, 8);
	expect(buf, len, 0, PFKEY_EEXT);
	wr16(buf + OFF_RQ2, 0);
	expect(buf, len, 0, PFKEY_EEXT);
	/* The first request's addresses: an odd length, or one family for
	 * source and another for destination. */
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_RQ1, 64);
	expect(buf, len, 0, PFKEY_EEXT);
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_RQ1 + 16 + 28, AF_INET);
	expect(buf, len, 0, PFKEY_EEXT);
	len = base_msg(buf, sizeof(buf));
	wr16(buf + OFF_RQ1 + 16, 0);
	expect(buf, len, 0, PFKEY_EEXT);
	/* A policy extension shorter than its fixed part. */
	len = base_msg(buf, sizeof(buf));
	memcpy(buf + OFF_REF, buf + OFF_POL, 8);
	wr16(buf + OFF_REF, 2);
	wr16(buf + OFF_POL + 2, 30);	/* the old one becomes unknown */
	expect(buf, len, PFKEY_PARSE_SKIP_UNKNOWN, 0);
	wr16(buf + OFF_REF, 1);
	expect(buf, len, PFKEY_PARSE_SKIP_UNKNOWN, PFKEY_EEXT);
}
END_TEST

START_TEST(test_proposal_rules)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* A proposal whose combs are not whole: it takes the first half
	 * of the REF, and the message ends there. */
	ck_assert_uint_eq(len, BASE_LEN);
	wr16(buf + OFF_PROP, 11);
	wr16(buf + 4, (OFF_PROP + 88) / 8);
	expect(buf, OFF_PROP + 88, 0, PFKEY_EEXT);
	/* Whole combs again: one more than before. */
	wr16(buf + OFF_PROP, 19);
	wr16(buf + 4, (OFF_PROP + 152) / 8);
	expect(buf, OFF_PROP + 152, 0, 0);
}
END_TEST

/* Fixed-size extensions of the wrong size, built by hand. */
START_TEST(test_fixed_sizes)
{
	static const struct { uint16_t type; uint16_t words; } cases[] = {
		{ SADB_EXT_SA, 1 }, { SADB_EXT_SA, 3 },
		{ SADB_EXT_LIFETIME_HARD, 2 }, { SADB_EXT_LIFETIME_SOFT, 5 },
		{ SADB_X_EXT_SA2, 3 }, { SADB_EXT_SPIRANGE, 1 },
		{ SADB_X_EXT_NAT_T_TYPE, 2 }, { SADB_X_EXT_NAT_T_SPORT, 2 },
		{ SADB_X_EXT_FILTER, 4 }, { SADB_X_EXT_REF, 1 },
		{ SADB_X_EXT_REF, 3 }, { SADB_EXT_IDENTITY_SRC, 1 },
		{ SADB_EXT_SENSITIVITY, 1 }, { SADB_X_EXT_SEC_CTX, 2 },
		{ SADB_X_EXT_KMADDRESS, 1 }, { SADB_EXT_ADDRESS_SRC, 1 },
	};
	uint8_t buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = 16 + 8u * cases[i].words;

		memset(buf, 0, sizeof(buf));
		buf[0] = PF_KEY_V2;
		buf[1] = SADB_X_PROMISC;
		wr16(buf + 4, (uint16_t)(len / 8));
		wr16(buf + 16, cases[i].words);
		wr16(buf + 18, cases[i].type);
		expect(buf, len, 0, PFKEY_EEXT);
	}
}
END_TEST

/* Inconsistent contents of variable extensions, built by hand. */
START_TEST(test_inner_rules)
{
	uint8_t buf[128];
	size_t len;

#define FRESH(words, type) do { \
		memset(buf, 0, sizeof(buf)); \
		buf[0] = PF_KEY_V2; \
		buf[1] = SADB_X_PROMISC; \
		len = 16 + 8u * (words); \
		wr16(buf + 4, (uint16_t)(len / 8)); \
		wr16(buf + 16, (words)); \
		wr16(buf + 18, (type)); \
	} while (0)

	/* Sensitivity bitmaps longer than the extension. */
	FRESH(3, SADB_EXT_SENSITIVITY);
	buf[16 + 9] = 1;
	expect(buf, len, 0, 0);
	buf[16 + 11] = 1;
	expect(buf, len, 0, PFKEY_EEXT);
	/* Security context longer than its room, or padding over 7. */
	FRESH(2, SADB_X_EXT_SEC_CTX);
	wr16(buf + 16 + 6, 8);
	expect(buf, len, 0, 0);
	wr16(buf + 16 + 6, 9);
	expect(buf, len, 0, PFKEY_EEXT);
	wr16(buf + 16 + 6, 0);
	expect(buf, len, 0, PFKEY_EEXT);
	/* Identity string without its NUL. */
	FRESH(3, SADB_EXT_IDENTITY_SRC);
	buf[16 + 16] = 'a';
	expect(buf, len, 0, 0);
	memset(buf + 32, 'a', 8);
	expect(buf, len, 0, PFKEY_EEXT);
	/* Bytes after the terminating NUL (found by fuzz_pfkey). */
	memset(buf + 32, 0, 8);
	buf[32] = 'a';
	buf[34] = 'b';
	expect(buf, len, 0, PFKEY_EEXT);
	/* SPI range upside down. */
	FRESH(2, SADB_EXT_SPIRANGE);
	buf[16 + 4] = 2;
	buf[16 + 8] = 1;
	expect(buf, len, 0, PFKEY_EEXT);
	/* KMADDRESS with two families. */
	FRESH(8, SADB_X_EXT_KMADDRESS);
	wr16(buf + 16 + 8, AF_INET6);
	wr16(buf + 16 + 8 + 28, AF_INET6);
	expect(buf, len, 0, 0);
	wr16(buf + 16 + 8 + 28, AF_INET);
	expect(buf, len, 0, PFKEY_EEXT);
	/* Filter: bad family, prefix too long. */
	FRESH(5, SADB_X_EXT_FILTER);
	wr16(buf + 16 + 36, AF_INET);
	expect(buf, len, 0, 0);
	buf[16 + 38] = 33;
	expect(buf, len, 0, PFKEY_EEXT);
	buf[16 + 38] = 0;
	wr16(buf + 16 + 36, 99);
	expect(buf, len, 0, PFKEY_EEXT);
	/* REF of another version. */
	FRESH(2, SADB_X_EXT_REF);
	buf[16 + 4] = PFKEY_X_REF_VERSION;
	expect(buf, len, 0, 0);
	buf[16 + 4] = PFKEY_X_REF_VERSION + 1;
	expect(buf, len, 0, PFKEY_EEXT);
#undef FRESH
}
END_TEST

START_TEST(test_strict_placement)
{
	uint8_t buf[512];
	size_t len = base_msg(buf, sizeof(buf));

	/* PROMISC may carry anything; ADD may not carry a policy or a
	 * proposal; FLUSH carries nothing but SADB_X_REF. */
	expect(buf, len, PFKEY_PARSE_STRICT, 0);
	buf[1] = SADB_ADD;
	expect(buf, len, 0, 0);
	expect(buf, len, PFKEY_PARSE_STRICT, PFKEY_ENOTALLOWED);
	buf[1] = SADB_FLUSH;
	expect(buf, len, PFKEY_PARSE_STRICT, PFKEY_ENOTALLOWED);
}
END_TEST

START_TEST(test_add_raw_checks)
{
	uint8_t buf[512], out[512];
	struct pfkey_builder b;

	base_msg(buf, sizeof(buf));
	pfkey_build_init(&b, out, sizeof(out), SADB_ACQUIRE, 3, 1, 0);
	/* A header whose length disagrees with the size given. */
	ck_assert_int_eq(pfkey_add_raw(&b, buf + OFF_SA, 24), PFKEY_EINVAL);
	/* Malformed contents. */
	wr16(buf + OFF_KEY + 4, 255);
	ck_assert_int_eq(pfkey_add_raw(&b, buf + OFF_KEY, 32), PFKEY_EEXT);
	/* Unknown type. */
	wr16(buf + OFF_SA + 2, 29);
	ck_assert_int_eq(pfkey_add_raw(&b, buf + OFF_SA, 16), PFKEY_EINVAL);
	ck_assert_uint_eq(b.len, 16);
}
END_TEST

static Suite *pfkey_bad_suite(void)
{
	Suite *s = suite_create("pfkey_bad");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, test_base_is_valid);
	tcase_add_test(tc, test_header_rules);
	tcase_add_test(tc, test_extension_framing);
	tcase_add_test(tc, test_unknown_types);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_address_rules);
	tcase_add_test(tc, test_key_rules);
	tcase_add_test(tc, test_policy_rules);
	tcase_add_test(tc, test_proposal_rules);
	tcase_add_test(tc, test_fixed_sizes);
	tcase_add_test(tc, test_inner_rules);
	tcase_add_test(tc, test_strict_placement);
	tcase_add_test(tc, test_add_raw_checks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pfkey_bad_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
