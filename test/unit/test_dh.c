/* Unit tests for dh.c: key agreement in every group, HIP public value
 * formats, validation of the peer's value, group negotiation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "hip/dh.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"

static const int all_groups[] = {
	HIP_DH_MODP_1536, HIP_DH_MODP_3072, HIP_DH_NIST_P256,
	HIP_DH_NIST_P384, HIP_DH_NIST_P521, HIP_DH_MODP_2048,
};

START_TEST(test_sizes)
{
	/* RFC 3526 prime sizes; RFC 5903 7: x | y of the field size. */
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_MODP_1536), 192);
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_MODP_2048), 256);
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_MODP_3072), 384);
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_NIST_P256), 64);
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_NIST_P384), 96);
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_NIST_P521), 132);
	ck_assert_uint_eq(hip_dh_secret_len(HIP_DH_NIST_P256), 32);
	ck_assert_uint_eq(hip_dh_secret_len(HIP_DH_NIST_P521), 66);
	ck_assert_uint_eq(hip_dh_secret_len(HIP_DH_MODP_3072), 384);
	ck_assert_uint_eq(hip_dh_public_len(HIP_DH_SECP160R1), 0);
	ck_assert_uint_eq(hip_dh_public_len(0), 0);
	ck_assert_int_eq(hip_dh_supported(HIP_DH_MODP_1536), 1);
	ck_assert_int_eq(hip_dh_supported(1), 0);
	ck_assert_int_eq(hip_dh_supported(10), 0);
}
END_TEST

START_TEST(test_agree)
{
	int group = all_groups[_i];
	struct hip_dh *a = NULL, *b = NULL;
	uint8_t pa[HIP_DH_MAX_PUBLIC_LEN], pb[HIP_DH_MAX_PUBLIC_LEN];
	uint8_t ka[HIP_DH_MAX_SECRET_LEN], kb[HIP_DH_MAX_SECRET_LEN];
	size_t la, lb, lka, lkb;

	ck_assert_int_eq(hip_dh_generate(group, &a), 0);
	ck_assert_int_eq(hip_dh_generate(group, &b), 0);
	ck_assert_int_eq(hip_dh_group(a), group);
	ck_assert_int_eq(hip_dh_public(a, pa, sizeof(pa), &la), 0);
	ck_assert_int_eq(hip_dh_public(b, pb, sizeof(pb), &lb), 0);
	ck_assert_uint_eq(la, hip_dh_public_len(group));
	ck_assert_uint_eq(lb, la);
	ck_assert(memcmp(pa, pb, la) != 0);
	ck_assert_int_eq(hip_dh_check_public(group, pa, la), 0);
	ck_assert_int_eq(hip_dh_derive(a, pb, lb, ka, sizeof(ka), &lka), 0);
	ck_assert_int_eq(hip_dh_derive(b, pa, la, kb, sizeof(kb), &lkb), 0);
	ck_assert_uint_eq(lka, hip_dh_secret_len(group));
	ck_assert_uint_eq(lkb, lka);
	ck_assert_mem_eq(ka, kb, lka);
	/* Too small buffers leave nothing behind. */
	ck_assert_int_eq(hip_dh_public(a, pa, la - 1, &la), HIP_ENOSPC);
	ck_assert_int_eq(hip_dh_derive(a, pb, lb, ka, lka - 1, &lka),
			 HIP_ENOSPC);
	/* Wrong lengths are refused before anything else. */
	ck_assert_int_eq(hip_dh_derive(a, pb, lb - 1, ka, sizeof(ka), &lka),
			 HIP_ELEN);
	ck_assert_int_eq(hip_dh_check_public(group, pb, lb + 1), HIP_ELEN);
	hip_dh_free(a);
	hip_dh_free(b);
}
END_TEST

/* The ECDH shared secret is the x coordinate of d_a * Q_b (RFC 5903 7),
 * and the public value is x | y without the SEC1 0x04 octet: compare
 * with OpenSSL's own encoding of the same keys. */
START_TEST(test_ec_format)
{
	struct hip_dh *a = NULL;
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *ctx;
	uint8_t pa[64], pp[65], k[32], k2[32];
	size_t la, lp = 0, lk, lk2 = sizeof(k2);

	ck_assert_int_eq(hip_dh_generate(HIP_DH_NIST_P256, &a), 0);
	ck_assert_int_eq(hip_dh_public(a, pa, sizeof(pa), &la), 0);
	ck_assert_uint_eq(la, 64);
	peer = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ck_assert_ptr_nonnull(peer);
	ck_assert_int_eq(EVP_PKEY_get_octet_string_param(peer,
			 OSSL_PKEY_PARAM_PUB_KEY, pp, sizeof(pp), &lp), 1);
	ck_assert_uint_eq(lp, 65);
	ck_assert_uint_eq(pp[0], 0x04);
	/* Our x|y is accepted, the 65-octet SEC1 form is not. */
	ck_assert_int_eq(hip_dh_derive(a, pp, 65, k, sizeof(k), &lk),
			 HIP_ELEN);
	ck_assert_int_eq(hip_dh_derive(a, pp + 1, 64, k, sizeof(k), &lk), 0);
	ck_assert_uint_eq(lk, 32);
	/* The peer computes the same secret with plain EVP from our
	 * public value re-encoded as SEC1. */
	{
		uint8_t sec1[65];
		EVP_PKEY *ours = NULL;
		EVP_PKEY_CTX *fc = EVP_PKEY_CTX_new_from_name(NULL, "EC",
							      NULL);
		OSSL_PARAM params[3];

		sec1[0] = 0x04;
		memcpy(sec1 + 1, pa, 64);
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0);
		params[1] = OSSL_PARAM_construct_octet_string(
			OSSL_PKEY_PARAM_PUB_KEY, sec1, sizeof(sec1));
		params[2] = OSSL_PARAM_construct_end();
		ck_assert_int_eq(EVP_PKEY_fromdata_init(fc), 1);
		ck_assert_int_eq(EVP_PKEY_fromdata(fc, &ours,
				 EVP_PKEY_PUBLIC_KEY, params), 1);
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, peer, NULL);
		ck_assert_int_eq(EVP_PKEY_derive_init(ctx), 1);
		ck_assert_int_eq(EVP_PKEY_derive_set_peer(ctx, ours), 1);
		ck_assert_int_eq(EVP_PKEY_derive(ctx, k2, &lk2), 1);
		ck_assert_uint_eq(lk2, 32);
		ck_assert_mem_eq(k, k2, 32);
		EVP_PKEY_CTX_free(ctx);
		EVP_PKEY_CTX_free(fc);
		EVP_PKEY_free(ours);
	}
	EVP_PKEY_free(peer);
	hip_dh_free(a);
}
END_TEST

START_TEST(test_ec_invalid)
{
	int group = all_groups[2 + _i];	/* the three NIST curves */
	size_t len = hip_dh_public_len(group);
	struct hip_dh *a = NULL;
	uint8_t pub[HIP_DH_MAX_PUBLIC_LEN], k[HIP_DH_MAX_SECRET_LEN];
	size_t l, lk = 0;

	ck_assert_int_eq(hip_dh_generate(group, &a), 0);
	ck_assert_int_eq(hip_dh_public(a, pub, sizeof(pub), &l), 0);
	/* y changed: no longer on the curve. */
	pub[len - 1] ^= 0x01;
	ck_assert_int_eq(hip_dh_check_public(group, pub, len), HIP_EVERIFY);
	ck_assert_int_eq(hip_dh_derive(a, pub, len, k, sizeof(k), &lk),
			 HIP_EVERIFY);
	ck_assert_uint_eq(lk, 0);
	/* All zeros (the usual encoding attempt of infinity). */
	memset(pub, 0, len);
	ck_assert_int_eq(hip_dh_check_public(group, pub, len), HIP_EVERIFY);
	/* Coordinates not below the field prime. */
	memset(pub, 0xff, len);
	ck_assert_int_eq(hip_dh_check_public(group, pub, len), HIP_EVERIFY);
	hip_dh_free(a);
}
END_TEST

static BIGNUM *modp_prime(const char *name)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	OSSL_PARAM params[2];
	EVP_PKEY *k = NULL;
	BIGNUM *p = NULL;

	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME, (char *)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	ck_assert_int_eq(EVP_PKEY_paramgen_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_params(ctx, params), 1);
	ck_assert_int_eq(EVP_PKEY_paramgen(ctx, &k), 1);
	EVP_PKEY_CTX_free(ctx);
	ck_assert_int_eq(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_FFC_P, &p),
			 1);
	EVP_PKEY_free(k);
	return p;
}

START_TEST(test_modp_range)
{
	static const struct { int id; const char *name; } g[] = {
		{ HIP_DH_MODP_1536, "modp_1536" },
		{ HIP_DH_MODP_2048, "modp_2048" },
		{ HIP_DH_MODP_3072, "modp_3072" },
	};
	int group = g[_i].id;
	size_t len = hip_dh_public_len(group);
	BIGNUM *p = modp_prime(g[_i].name), *v = BN_new();
	uint8_t y[HIP_DH_MAX_PUBLIC_LEN];

	ck_assert_uint_eq((size_t)BN_num_bytes(p), len);
	/* 0, 1, p-1, p, p+1 and all-ones are refused (1 < y < p-1). */
	memset(y, 0, len);
	ck_assert_int_eq(hip_dh_check_public(group, y, len), HIP_EVERIFY);
	y[len - 1] = 1;
	ck_assert_int_eq(hip_dh_check_public(group, y, len), HIP_EVERIFY);
	BN_copy(v, p);
	BN_sub_word(v, 1);
	BN_bn2binpad(v, y, (int)len);
	ck_assert_int_eq(hip_dh_check_public(group, y, len), HIP_EVERIFY);
	BN_bn2binpad(p, y, (int)len);
	ck_assert_int_eq(hip_dh_check_public(group, y, len), HIP_EVERIFY);
	BN_add_word(v, 2);
	BN_bn2binpad(v, y, (int)len);
	ck_assert_int_eq(hip_dh_check_public(group, y, len), HIP_EVERIFY);
	memset(y, 0xff, len);
	ck_assert_int_eq(hip_dh_check_public(group, y, len), HIP_EVERIFY);
	/* 4 = 2^2 is a valid element of the prime-order subgroup. */
	memset(y, 0, len);
	y[len - 1] = 4;
	ck_assert_int_eq(hip_dh_check_public(group, y, len), 0);
	/* A short value (not padded to the prime length) is refused. */
	ck_assert_int_eq(hip_dh_check_public(group, y + 1, len - 1),
			 HIP_ELEN);
	BN_free(v);
	BN_free(p);
}
END_TEST

START_TEST(test_unsupported)
{
	struct hip_dh *a = (struct hip_dh *)&a;	/* must stay untouched */
	uint8_t pub[64] = { 0 };

	ck_assert_int_eq(hip_dh_generate(HIP_DH_SECP160R1, &a),
			 HIP_EUNSUPPORTED);
	ck_assert_ptr_eq(a, (struct hip_dh *)&a);
	ck_assert_int_eq(hip_dh_generate(2, &a), HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_dh_check_public(0, pub, sizeof(pub)),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_dh_generate(HIP_DH_NIST_P256, NULL),
			 HIP_EINVAL);
	hip_dh_free(NULL);
}
END_TEST

START_TEST(test_select)
{
	/* The Responder picks the first of ITS list that the I1 offers. */
	const uint8_t resp[] = { 8, 4, 3 };
	const uint8_t i1[] = { 3, 4, 8 };
	const uint8_t i1b[] = { 3, 11 };
	const uint8_t none[] = { 7, 9 };
	uint8_t c = 0;

	ck_assert_int_eq(hip_dh_select(resp, 3, i1, 3, &c), 0);
	ck_assert_uint_eq(c, 8);
	ck_assert_int_eq(hip_dh_select(resp, 3, i1b, 2, &c), 0);
	ck_assert_uint_eq(c, 3);
	c = 99;
	ck_assert_int_eq(hip_dh_select(resp, 3, none, 2, &c), HIP_ENOENT);
	ck_assert_uint_eq(c, 99);
	ck_assert_int_eq(hip_dh_select(resp, 3, NULL, 0, &c), HIP_ENOENT);
	ck_assert_int_eq(hip_dh_select(resp, 3, i1, 3, NULL), HIP_EINVAL);
}
END_TEST

START_TEST(test_downgrade)
{
	const uint8_t sent[] = { 8, 4, 3 };	/* our I1 list */
	const uint8_t r1[] = { 9, 8, 3 };	/* R1's signed list */

	/* 8 is the Responder's best among what we sent. */
	ck_assert_int_eq(hip_dh_check_choice(sent, 3, r1, 3, 8), 0);
	/* 3 would mean our I1 list was stripped on the way. */
	ck_assert_int_eq(hip_dh_check_choice(sent, 3, r1, 3, 3), HIP_EVERIFY);
	/* A group we never offered. */
	ck_assert_int_eq(hip_dh_check_choice(sent, 3, r1, 3, 9), HIP_EVERIFY);
	/* No common group at all. */
	ck_assert_int_eq(hip_dh_check_choice(sent, 3, (const uint8_t *)"\x07",
					     1, 7), HIP_EVERIFY);
}
END_TEST

static Suite *dh_suite(void)
{
	Suite *s = suite_create("dh");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sizes);
	tcase_add_loop_test(tc, test_agree, 0,
			    (int)HIP_ARRAY_SIZE(all_groups));
	tcase_add_test(tc, test_ec_format);
	tcase_add_loop_test(tc, test_ec_invalid, 0, 3);
	tcase_add_loop_test(tc, test_modp_range, 0, 3);
	tcase_add_test(tc, test_unsupported);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_downgrade);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dh_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
