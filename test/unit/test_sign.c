/* Unit tests for sign.c: HIP signatures for every identity type. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "libhipcore/identity_priv.h"

static const enum hip_key_type all_types[] = {
	HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P384, HIP_KEY_ED25519,
	HIP_KEY_ED448, HIP_KEY_RSA,
};

static const size_t sig_lens[] = { 64, 96, 64, 114, 256 };

static struct hip_identity *gen(enum hip_key_type type)
{
	struct hip_identity *id = NULL;

	ck_assert_int_eq(hip_identity_generate(type,
					       type == HIP_KEY_RSA ? 2048 : 0,
					       &id), 0);
	return id;
}

static const uint8_t msg[] = "HIP packet with parameters up to HIP_SIGNATURE";

START_TEST(test_sign_verify)
{
	struct hip_identity *id = gen(all_types[_i]), *pub, *other;
	uint8_t sig[HIP_SIG_MAX_LEN], m[sizeof(msg)];
	size_t len = 0;
	uint16_t algo = 0;

	ck_assert_uint_eq(hip_sig_len(id), sig_lens[_i]);
	ck_assert_int_eq(hip_sign(id, msg, sizeof(msg), sig, sizeof(sig), &len,
				  &algo), 0);
	ck_assert_uint_eq(len, sig_lens[_i]);
	ck_assert_uint_eq(algo, hip_identity_algo(id));

	/* The public half (as a peer would decode it) verifies. */
	ck_assert_int_eq(hip_identity_dup_public(id, &pub), 0);
	ck_assert_int_eq(hip_verify(pub, algo, msg, sizeof(msg), sig, len), 0);
	ck_assert_int_eq(hip_verify(id, algo, msg, sizeof(msg), sig, len), 0);

	/* Tampered message, at both ends. */
	memcpy(m, msg, sizeof(m));
	m[0] ^= 0x01;
	ck_assert_int_eq(hip_verify(pub, algo, m, sizeof(m), sig, len),
			 HIP_EVERIFY);
	memcpy(m, msg, sizeof(m));
	m[sizeof(m) - 1] ^= 0x80;
	ck_assert_int_eq(hip_verify(pub, algo, m, sizeof(m), sig, len),
			 HIP_EVERIFY);
	ck_assert_int_eq(hip_verify(pub, algo, msg, sizeof(msg) - 1, sig, len),
			 HIP_EVERIFY);
	/* Tampered signature: first, middle and last octet. */
	for (size_t pos = 0; pos < len; pos += len / 2 - 1) {
		sig[pos] ^= 0x04;
		ck_assert_int_eq(hip_verify(pub, algo, msg, sizeof(msg), sig,
					    len), HIP_EVERIFY);
		sig[pos] ^= 0x04;
	}
	sig[len - 1] ^= 0x01;
	ck_assert_int_eq(hip_verify(pub, algo, msg, sizeof(msg), sig, len),
			 HIP_EVERIFY);
	sig[len - 1] ^= 0x01;
	/* Wrong length and wrong algorithm ID. */
	ck_assert_int_eq(hip_verify(pub, algo, msg, sizeof(msg), sig, len - 1),
			 HIP_EVERIFY);
	ck_assert_int_eq(hip_verify(pub, algo == HIP_HI_RSA ? HIP_HI_ECDSA
							    : HIP_HI_RSA,
				    msg, sizeof(msg), sig, len), HIP_EVERIFY);
	/* Another key of the same type. */
	other = gen(all_types[_i]);
	ck_assert_int_eq(hip_verify(other, algo, msg, sizeof(msg), sig, len),
			 HIP_EVERIFY);
	/* Still good after all that. */
	ck_assert_int_eq(hip_verify(pub, algo, msg, sizeof(msg), sig, len), 0);

	/* A public-only identity cannot sign; small buffers are refused. */
	ck_assert_int_eq(hip_sign(pub, msg, sizeof(msg), sig, sizeof(sig),
				  &len, NULL), HIP_EINVAL);
	ck_assert_int_eq(hip_sign(id, msg, sizeof(msg), sig, sig_lens[_i] - 1,
				  &len, NULL), HIP_ENOSPC);
	hip_identity_free(other);
	hip_identity_free(pub);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_sign_empty_message)
{
	struct hip_identity *id = gen(all_types[_i]);
	uint8_t sig[HIP_SIG_MAX_LEN];
	size_t len;
	uint16_t algo;

	ck_assert_int_eq(hip_sign(id, NULL, 0, sig, sizeof(sig), &len, &algo),
			 0);
	ck_assert_int_eq(hip_verify(id, algo, NULL, 0, sig, len), 0);
	hip_identity_free(id);
}
END_TEST

/* ECDSA signatures are r | s over SHA-384: check by verifying with
 * OpenSSL directly after converting to DER ourselves. */
START_TEST(test_ecdsa_format)
{
	struct hip_identity *id = gen(all_types[_i]);
	uint8_t sig[HIP_SIG_MAX_LEN], der[128], *p = der;
	size_t len, flen;
	uint16_t algo;
	ECDSA_SIG *es = ECDSA_SIG_new();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int der_len;

	ck_assert_int_eq(hip_sign(id, msg, sizeof(msg), sig, sizeof(sig), &len,
				  &algo), 0);
	flen = len / 2;
	ck_assert_int_eq(ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)flen, NULL),
					BN_bin2bn(sig + flen, (int)flen, NULL)),
			 1);
	der_len = i2d_ECDSA_SIG(es, &p);
	ck_assert_int_gt(der_len, 0);
	ck_assert_int_eq(EVP_DigestVerifyInit_ex(md, NULL, "SHA384", NULL, NULL,
						 id->pkey, NULL), 1);
	ck_assert_int_eq(EVP_DigestVerify(md, der, (size_t)der_len, msg,
					  sizeof(msg)), 1);
	/* ... and not over SHA-256. */
	ck_assert_int_eq(EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL,
						 id->pkey, NULL), 1);
	ck_assert_int_ne(EVP_DigestVerify(md, der, (size_t)der_len, msg,
					  sizeof(msg)), 1);
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(es);
	hip_identity_free(id);
}
END_TEST

/* RSA: PSS with SHA-256 and a 32-octet salt; a PSS signature with the
 * maximum salt (another implementation's choice) still verifies, a
 * PKCS#1 v1.5 signature does not. */
START_TEST(test_rsa_pss_params)
{
	struct hip_identity *id = gen(HIP_KEY_RSA);
	uint8_t sig[HIP_SIG_MAX_LEN];
	size_t len;
	uint16_t algo;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;

	ck_assert_int_eq(hip_sign(id, msg, sizeof(msg), sig, sizeof(sig), &len,
				  &algo), 0);
	ck_assert_int_eq(EVP_DigestVerifyInit_ex(md, &pctx, "SHA256", NULL,
						 NULL, id->pkey, NULL), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(pctx,
						      RSA_PKCS1_PSS_PADDING), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32), 1);
	ck_assert_int_eq(EVP_DigestVerify(md, sig, len, msg, sizeof(msg)), 1);

	ck_assert_int_eq(EVP_DigestSignInit_ex(md, &pctx, "SHA256", NULL, NULL,
					       id->pkey, NULL), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(pctx,
						      RSA_PKCS1_PSS_PADDING), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
							  RSA_PSS_SALTLEN_MAX),
			 1);
	len = sizeof(sig);
	ck_assert_int_eq(EVP_DigestSign(md, sig, &len, msg, sizeof(msg)), 1);
	ck_assert_int_eq(hip_verify(id, HIP_HI_RSA, msg, sizeof(msg), sig, len),
			 0);

	ck_assert_int_eq(EVP_DigestSignInit_ex(md, &pctx, "SHA256", NULL, NULL,
					       id->pkey, NULL), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING),
			 1);
	len = sizeof(sig);
	ck_assert_int_eq(EVP_DigestSign(md, sig, &len, msg, sizeof(msg)), 1);
	ck_assert_int_eq(hip_verify(id, HIP_HI_RSA, msg, sizeof(msg), sig, len),
			 HIP_EVERIFY);
	EVP_MD_CTX_free(md);
	hip_identity_free(id);
}
END_TEST

/* An ECDSA signature with r or s zero, or all-ones, must not verify. */
START_TEST(test_ecdsa_degenerate)
{
	struct hip_identity *id = gen(HIP_KEY_ECDSA_P256);
	uint8_t sig[64];

	memset(sig, 0, sizeof(sig));
	ck_assert_int_eq(hip_verify(id, HIP_HI_ECDSA, msg, sizeof(msg), sig,
				    sizeof(sig)), HIP_EVERIFY);
	memset(sig, 0xff, sizeof(sig));
	ck_assert_int_eq(hip_verify(id, HIP_HI_ECDSA, msg, sizeof(msg), sig,
				    sizeof(sig)), HIP_EVERIFY);
	hip_identity_free(id);
}
END_TEST

static Suite *sign_suite(void)
{
	Suite *s = suite_create("sign");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_sign_verify, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_loop_test(tc, test_sign_empty_message, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_loop_test(tc, test_ecdsa_format, 0, 2);
	tcase_add_test(tc, test_rsa_pss_params);
	tcase_add_test(tc, test_ecdsa_degenerate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sign_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
