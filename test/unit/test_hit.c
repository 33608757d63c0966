/* Unit tests for hit.c: cSHAKE128, ORCHIDv2 HITs, suites, LSIs. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/suite.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"

static void unhex(const char *s, uint8_t *out, size_t len)
{
	ck_assert_int_eq(hip_hex_decode(s, out, len), 0);
}

/* NIST SP 800-185 cSHAKE128 samples #1 and #2 (N = "", S = "Email
 * Signature", L = 256). */
START_TEST(test_cshake128_nist)
{
	static const uint8_t s[] = "Email Signature";
	uint8_t in[200], out[32], want[32];

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	ck_assert_int_eq(hip_cshake128(NULL, 0, s, sizeof(s) - 1, in, 4, out,
				       sizeof(out)), 0);
	unhex("c1c36925b6409a04f1b504fcbca9d82b"
	      "4017277cb5ed2b2065fc1d3814d5aaf5", want, 32);
	ck_assert_mem_eq(out, want, 32);

	ck_assert_int_eq(hip_cshake128(NULL, 0, s, sizeof(s) - 1, in, 200,
				       out, sizeof(out)), 0);
	unhex("c5221d50e4f822d96a2e8881a961420f"
	      "294b7b24fe3d2094baed2c6524cc166b", want, 32);
	ck_assert_mem_eq(out, want, 32);
}
END_TEST

/* With empty N and S, cSHAKE128 is SHAKE128 (FIPS 202 vector for ""). */
START_TEST(test_cshake128_is_shake)
{
	uint8_t out[16], want[16];

	ck_assert_int_eq(hip_cshake128(NULL, 0, NULL, 0, NULL, 0, out, 16), 0);
	unhex("7f9c2ba4e88f827d616045507605853e", want, 16);
	ck_assert_mem_eq(out, want, 16);
	ck_assert_int_eq(hip_cshake128(NULL, 0, NULL, 0, NULL, 0, NULL, 16),
			 HIP_EINVAL);
}
END_TEST

/* Known answers from the independent Python ORCHID code
 * (test/crosscheck/orchid.py) for the same arbitrary HI octets. */
START_TEST(test_hit_known_answers)
{
	static const struct {
		int algo;
		const char *hit;
	} kat[] = {
		{ HIP_HI_RSA, "200100214e221de2232bb3b862dba133" },
		{ HIP_HI_ECDSA, "200100220e4afe9c4a315e6856576790" },
		{ HIP_HI_ECDSA_LOW, "20010023cea4bd6d04e51105cbfc36b9" },
		{ HIP_HI_EDDSA, "200100257d2fccfb9ac5f0617a31c64c" },
	};
	uint8_t hi[70], hit[HIP_HIT_LEN], want[HIP_HIT_LEN];

	for (size_t i = 0; i < sizeof(hi); i++)
		hi[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < HIP_ARRAY_SIZE(kat); i++) {
		unhex(kat[i].hit, want, sizeof(want));
		ck_assert_int_eq(hip_hit_from_hi(kat[i].algo, hi, sizeof(hi),
						 hit), 0);
		ck_assert_mem_eq(hit, want, HIP_HIT_LEN);
		ck_assert_int_eq(hip_hit_verify(want, kat[i].algo, hi,
						sizeof(hi)), 0);
	}
	ck_assert_int_eq(hip_hit_from_hi(1, hi, sizeof(hi), hit),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_hit_from_hi(HIP_HI_RSA, hi, 0, hit), HIP_EINVAL);
}
END_TEST

static const enum hip_key_type all_types[] = {
	HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P384, HIP_KEY_ED25519,
	HIP_KEY_ED448, HIP_KEY_RSA,
};

START_TEST(test_hit_of_identity)
{
	enum hip_key_type type = all_types[_i];
	struct hip_identity *id, *pub;
	uint8_t hit[HIP_HIT_LEN], hit2[HIP_HIT_LEN], hi[HIP_HI_MAX_LEN];
	size_t len;
	int suite;

	ck_assert_int_eq(hip_identity_generate(type,
					       type == HIP_KEY_RSA ? 2048 : 0,
					       &id), 0);
	ck_assert_int_eq(hip_hit_from_identity(id, hit), 0);
	ck_assert(hip_hit_is_hit(hit));
	suite = hip_hit_suite(id);
	ck_assert_int_eq(hip_hit_suite_of(hit), suite);
	switch (type) {
	case HIP_KEY_RSA:
		ck_assert_int_eq(suite, HIP_HIT_SUITE_RSA_DSA_SHA256);
		break;
	case HIP_KEY_ECDSA_P256:
	case HIP_KEY_ECDSA_P384:
		ck_assert_int_eq(suite, HIP_HIT_SUITE_ECDSA_SHA384);
		break;
	default:
		ck_assert_int_eq(suite, HIP_HIT_SUITE_EDDSA_CSHAKE);
	}
	ck_assert_uint_eq(hit[0], 0x20);
	ck_assert_uint_eq(hit[1], 0x01);
	ck_assert_uint_eq(hit[2], 0x00);
	ck_assert_uint_eq(hit[3], 0x20 | suite);

	/* The public half hashes to the same HIT; HI verifies. */
	ck_assert_int_eq(hip_identity_dup_public(id, &pub), 0);
	ck_assert_int_eq(hip_hit_from_identity(pub, hit2), 0);
	ck_assert_mem_eq(hit, hit2, HIP_HIT_LEN);
	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &len), 0);
	ck_assert_int_eq(hip_hit_verify(hit, hip_identity_algo(id), hi, len),
			 0);

	/* Any flipped bit in the HIT or HI fails. */
	hit2[15] ^= 0x01;
	ck_assert_int_eq(hip_hit_verify(hit2, hip_identity_algo(id), hi, len),
			 HIP_EVERIFY);
	hit2[15] ^= 0x01;
	hit2[3] ^= 0x0f;	/* another OGA ID */
	ck_assert_int_eq(hip_hit_verify(hit2, hip_identity_algo(id), hi, len),
			 HIP_EVERIFY);
	hi[len - 1] ^= 0x80;
	ck_assert_int_eq(hip_hit_verify(hit, hip_identity_algo(id), hi, len),
			 HIP_EVERIFY);
	hip_identity_free(pub);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_hit_distinct_keys)
{
	struct hip_identity *a, *b;
	uint8_t ha[HIP_HIT_LEN], hb[HIP_HIT_LEN];

	ck_assert_int_eq(hip_identity_generate(HIP_KEY_ED25519, 0, &a), 0);
	ck_assert_int_eq(hip_identity_generate(HIP_KEY_ED25519, 0, &b), 0);
	ck_assert_int_eq(hip_hit_from_identity(a, ha), 0);
	ck_assert_int_eq(hip_hit_from_identity(b, hb), 0);
	ck_assert(memcmp(ha, hb, HIP_HIT_LEN) != 0);
	hip_identity_free(a);
	hip_identity_free(b);
}
END_TEST

START_TEST(test_hit_prefix)
{
	uint8_t a[HIP_HIT_LEN];

	ck_assert_int_eq(hip_hit_from_str("2001:20::1", a), 0);
	ck_assert(hip_hit_is_hit(a));
	ck_assert_int_eq(hip_hit_from_str("2001:2f:ffff::1", a), 0);
	ck_assert_int_eq(hip_hit_suite_of(a), 15);
	/* ORCHIDv1 2001:10::/28, HHIT 2001:30::/28 and others are not HITs. */
	ck_assert_int_eq(hip_hit_from_str("2001:10::1", a), HIP_EFORMAT);
	ck_assert_int_eq(hip_hit_from_str("2001:30::1", a), HIP_EFORMAT);
	ck_assert_int_eq(hip_hit_from_str("2001:db8::1", a), HIP_EFORMAT);
	ck_assert_int_eq(hip_hit_from_str("1.2.3.4", a), HIP_EFORMAT);
	ck_assert_int_eq(hip_hit_from_str("zz", a), HIP_EFORMAT);
	memset(a, 0, sizeof(a));
	a[0] = 0x20; a[1] = 0x01; a[3] = 0x30;
	ck_assert(!hip_hit_is_hit(a));
	a[3] = 0x2a;
	ck_assert(hip_hit_is_hit(a));
}
END_TEST

START_TEST(test_hit_text)
{
	uint8_t hit[HIP_HIT_LEN], back[HIP_HIT_LEN];
	char buf[HIP_HIT_STRLEN];

	unhex("200100214e221de2232bb3b862dba133", hit, sizeof(hit));
	ck_assert_int_eq(hip_hit_to_str(hit, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2001:21:4e22:1de2:232b:b3b8:62db:a133");
	ck_assert_int_eq(hip_hit_from_str(buf, back), 0);
	ck_assert_mem_eq(hit, back, HIP_HIT_LEN);
	ck_assert_int_eq(hip_hit_to_str(hit, buf, 10), HIP_ENOSPC);
}
END_TEST

START_TEST(test_lsi)
{
	uint8_t hit[HIP_HIT_LEN], lsi[HIP_LSI_LEN];
	char buf[HIP_LSI_STRLEN];

	unhex("200100214e221de2232bb3b862dba133", hit, sizeof(hit));
	hip_lsi_from_hit(hit, lsi);
	ck_assert(hip_lsi_is_lsi(lsi));
	ck_assert_int_eq(hip_lsi_to_str(lsi, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1.219.161.51");
	ck_assert_int_eq(hip_lsi_to_str(lsi, buf, 5), HIP_ENOSPC);
	lsi[0] = 10;
	ck_assert(!hip_lsi_is_lsi(lsi));
}
END_TEST

START_TEST(test_suites)
{
	ck_assert_int_eq(hip_hit_suite_for_algo(HIP_HI_RSA), 1);
	ck_assert_int_eq(hip_hit_suite_for_algo(HIP_HI_DSA), 1);
	ck_assert_int_eq(hip_hit_suite_for_algo(HIP_HI_ECDSA), 2);
	ck_assert_int_eq(hip_hit_suite_for_algo(HIP_HI_ECDSA_LOW), 3);
	ck_assert_int_eq(hip_hit_suite_for_algo(HIP_HI_EDDSA), 5);
	ck_assert_int_eq(hip_hit_suite_for_algo(0), HIP_EUNSUPPORTED);
	ck_assert_str_eq(hip_suite_rhash(1)->digest, "SHA256");
	ck_assert_str_eq(hip_suite_rhash(2)->digest, "SHA384");
	ck_assert_str_eq(hip_suite_rhash(3)->digest, "SHA1");
	ck_assert_ptr_null(hip_suite_rhash(5));
	ck_assert_ptr_null(hip_suite_rhash(4));
	ck_assert_uint_eq(hip_suite_rhash_len(1), 32);
	ck_assert_uint_eq(hip_suite_rhash_len(2), 48);
	ck_assert_uint_eq(hip_suite_rhash_len(3), 20);
	ck_assert_uint_eq(hip_suite_rhash_len(0), 0);
}
END_TEST

static Suite *hit_suite(void)
{
	Suite *s = suite_create("hit");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cshake128_nist);
	tcase_add_test(tc, test_cshake128_is_shake);
	tcase_add_test(tc, test_hit_known_answers);
	tcase_add_loop_test(tc, test_hit_of_identity, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_test(tc, test_hit_distinct_keys);
	tcase_add_test(tc, test_hit_prefix);
	tcase_add_test(tc, test_hit_text);
	tcase_add_test(tc, test_lsi);
	tcase_add_test(tc, test_suites);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hit_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
