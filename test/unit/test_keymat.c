/* Unit tests for keymat.c: HKDF known answers (computed independently
 * with Python's hmac module, see test/crosscheck/keymat_crosscheck.py),
 * draw order and direction of HIP and ESP keys, KEYMAT index. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/keymat.h"
#include "hip/proto.h"
#include "hip/util.h"

/* 2001:20::1 and 2001:20::2 */
static const uint8_t hit_lo[16] = { 0x20, 0x01, 0x00, 0x20, [15] = 1 };
static const uint8_t hit_hi[16] = { 0x20, 0x01, 0x00, 0x20, [15] = 2 };

static uint8_t kij[64], ival[48], jval[48];

static void setup(void)
{
	for (int n = 0; n < 64; n++)
		kij[n] = (uint8_t)(n + 1);
	for (int n = 0; n < 48; n++) {
		ival[n] = (uint8_t)(0xa0 + n % 16);
		jval[n] = (uint8_t)(0xb0 + n % 16);
	}
}

/* HKDF-SHA-256(IKM = kij, salt = I|J, info = HIT_lo|HIT_hi), 192 octets */
static const char kat_sha256[] =
	"ff82206399a1907db530fe08f2aa1d3b1766b692031c65fb5f4be77083ff44ad"
	"6a6ef6e186376c8c87824c0bff4f55a5e4a0e92149f9d8d7502686e3a4fe2407"
	"e3f2efddd64993a787bfb0cc44fcb5615230d10ec292ccf5e764ce1cc39ab13c"
	"bfe4a36228eb34e6d52e51b9d851880e249b491cb45396ed77dda0ebcf686850"
	"7799fa8d36aaa1314c698835effbf32ef89f27506ac5520bf30fcd3901dabe7f"
	"aaac7433306996a1bd3b5b76c5631a62ed8ec825b6231ff0096548ac4a07ad8f";
/* The same with SHA-1 (suite 3, 20-octet #I/#J), 80 octets */
static const char kat_sha1[] =
	"1b85914538cedad51b7512d4946c5ed44370f90e8eedf69b91671a6b8fb3e5df"
	"73619dfc30f29a5a868cef1be7ee2d5a9bfa9c0014fedbe15e8e8a0bbb10192c"
	"6ae2bcb9af84ed31ef8b3b5ba2fc5581";

static struct hip_keymat *make(int suite, const uint8_t *a,
			       const uint8_t *b)
{
	struct hip_keymat *km = NULL;
	size_t l = hip_suite_rhash_len(suite);

	ck_assert_int_eq(hip_keymat_new(suite, kij, sizeof(kij), ival, jval,
					l, a, b, &km), 0);
	return km;
}

START_TEST(test_kat)
{
	uint8_t want[192], got[192];
	struct hip_keymat *km = make(HIP_HIT_SUITE_RSA_DSA_SHA256, hit_lo,
				     hit_hi);

	ck_assert_int_eq(hip_hex_decode(kat_sha256, want, 192), 0);
	ck_assert_int_eq(hip_keymat_draw(km, got, 192), 0);
	ck_assert_mem_eq(got, want, 192);
	ck_assert_uint_eq(hip_keymat_offset(km), 192);
	hip_keymat_free(km);

	km = make(HIP_HIT_SUITE_ECDSA_LOW_SHA1, hit_hi, hit_lo);
	ck_assert_int_eq(hip_hex_decode(kat_sha1, want, 80), 0);
	ck_assert_int_eq(hip_keymat_draw(km, got, 80), 0);
	ck_assert_mem_eq(got, want, 80);
	hip_keymat_free(km);
}
END_TEST

START_TEST(test_hit_order_irrelevant)
{
	struct hip_keymat *a = make(HIP_HIT_SUITE_ECDSA_SHA384, hit_lo,
				    hit_hi);
	struct hip_keymat *b = make(HIP_HIT_SUITE_ECDSA_SHA384, hit_hi,
				    hit_lo);
	uint8_t x[100], y[100];

	ck_assert_int_eq(hip_keymat_draw(a, x, sizeof(x)), 0);
	ck_assert_int_eq(hip_keymat_draw(b, y, sizeof(y)), 0);
	ck_assert_mem_eq(x, y, sizeof(x));
	hip_keymat_free(a);
	hip_keymat_free(b);
}
END_TEST

START_TEST(test_inputs_matter)
{
	struct hip_keymat *a = make(1, hit_lo, hit_hi), *b;
	uint8_t x[32], y[32];

	ck_assert_int_eq(hip_keymat_draw(a, x, 32), 0);
	jval[31] ^= 1;	/* salt */
	b = make(1, hit_lo, hit_hi);
	ck_assert_int_eq(hip_keymat_draw(b, y, 32), 0);
	ck_assert(memcmp(x, y, 32) != 0);
	hip_keymat_free(b);
	jval[31] ^= 1;
	kij[0] ^= 1;	/* IKM */
	b = make(1, hit_lo, hit_hi);
	ck_assert_int_eq(hip_keymat_draw(b, y, 32), 0);
	ck_assert(memcmp(x, y, 32) != 0);
	hip_keymat_free(b);
	kij[0] ^= 1;
	{	/* info */
		uint8_t other[16];

		memcpy(other, hit_hi, 16);
		other[15] = 3;
		b = make(1, hit_lo, other);
		ck_assert_int_eq(hip_keymat_draw(b, y, 32), 0);
		ck_assert(memcmp(x, y, 32) != 0);
		hip_keymat_free(b);
	}
	hip_keymat_free(a);
}
END_TEST

START_TEST(test_draw_at)
{
	struct hip_keymat *km = make(1, hit_lo, hit_hi);
	uint8_t all[300], part[50];

	ck_assert_int_eq(hip_keymat_draw(km, all, sizeof(all)), 0);
	/* Index = byte offset into the same stream, across block edges. */
	ck_assert_int_eq(hip_keymat_draw_at(km, 30, part, 50), 0);
	ck_assert_mem_eq(part, all + 30, 50);
	ck_assert_uint_eq(hip_keymat_offset(km), 80);
	ck_assert_int_eq(hip_keymat_draw(km, part, 20), 0);
	ck_assert_mem_eq(part, all + 80, 20);
	ck_assert_uint_eq(hip_keymat_offset(km), 100);
	hip_keymat_free(km);
}
END_TEST

START_TEST(test_limit)
{
	struct hip_keymat *km = make(1, hit_lo, hit_hi);
	uint8_t b[64];

	/* RFC 5869: at most 255 * HashLen octets. */
	ck_assert_uint_eq(hip_keymat_limit(km), 255 * 32);
	ck_assert_int_eq(hip_keymat_draw_at(km, 255 * 32 - 10, b, 10), 0);
	ck_assert_uint_eq(hip_keymat_offset(km), 255 * 32);
	ck_assert_int_eq(hip_keymat_draw(km, b, 1), HIP_ENOSPC);
	ck_assert_int_eq(hip_keymat_draw_at(km, 255 * 32 - 10, b, 11),
			 HIP_ENOSPC);
	ck_assert_uint_eq(hip_keymat_offset(km), 255 * 32);
	hip_keymat_free(km);
}
END_TEST

START_TEST(test_bad_args)
{
	struct hip_keymat *km = (struct hip_keymat *)&km;

	ck_assert_int_eq(hip_keymat_new(1, kij, sizeof(kij), ival, jval, 32,
					hit_lo, hit_lo, &km), HIP_EINVAL);
	ck_assert_int_eq(hip_keymat_new(1, kij, sizeof(kij), ival, jval, 20,
					hit_lo, hit_hi, &km), HIP_ELEN);
	ck_assert_int_eq(hip_keymat_new(5, kij, sizeof(kij), ival, jval, 32,
					hit_lo, hit_hi, &km),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_keymat_new(1, kij, 0, ival, jval, 32, hit_lo,
					hit_hi, &km), HIP_EINVAL);
	ck_assert_ptr_eq(km, (struct hip_keymat *)&km);
	hip_keymat_free(NULL);
}
END_TEST

/* The greater HIT's outgoing keys are drawn first (RFC 7401 6.5), and
 * the two ends see each other's keys mirrored. */
START_TEST(test_hip_keys)
{
	uint8_t want[192];
	struct hip_keymat *lo = make(1, hit_lo, hit_hi);
	struct hip_keymat *hi = make(1, hit_hi, hit_lo);
	struct hip_hip_keys kl, kh;

	ck_assert_int_eq(hip_hex_decode(kat_sha256, want, 192), 0);
	ck_assert_int_eq(hip_keymat_hip_keys(lo, HIP_CIPHER_AES_128_CBC,
					     hit_lo, hit_hi, &kl), 0);
	ck_assert_int_eq(hip_keymat_hip_keys(hi, HIP_CIPHER_AES_128_CBC,
					     hit_hi, hit_lo, &kh), 0);
	ck_assert_uint_eq(kl.enc_len, 16);
	ck_assert_uint_eq(kl.mac_len, 32);
	/* HIP-gl enc | HIP-gl HMAC | HIP-lg enc | HIP-lg HMAC */
	ck_assert_mem_eq(kh.enc_out, want, 16);
	ck_assert_mem_eq(kh.mac_out, want + 16, 32);
	ck_assert_mem_eq(kh.enc_in, want + 48, 16);
	ck_assert_mem_eq(kh.mac_in, want + 64, 32);
	ck_assert_mem_eq(kl.enc_out, kh.enc_in, 16);
	ck_assert_mem_eq(kl.enc_in, kh.enc_out, 16);
	ck_assert_mem_eq(kl.mac_out, kh.mac_in, 32);
	ck_assert_mem_eq(kl.mac_in, kh.mac_out, 32);
	ck_assert_uint_eq(hip_keymat_offset(lo), 96);

	/* ESP keys follow at the current offset (RFC 7402 7). */
	{
		struct hip_esp_keys el, eh;

		ck_assert_int_eq(hip_keymat_esp_keys(lo,
				 HIP_ESP_AES128_CBC_SHA256,
				 hip_keymat_offset(lo), hit_lo, hit_hi, &el),
				 0);
		ck_assert_int_eq(hip_keymat_esp_keys(hi,
				 HIP_ESP_AES128_CBC_SHA256,
				 hip_keymat_offset(hi), hit_hi, hit_lo, &eh),
				 0);
		ck_assert_uint_eq(el.index, 96);
		ck_assert_uint_eq(el.enc_len, 16);
		ck_assert_uint_eq(el.auth_len, 32);
		/* SA-gl enc | SA-gl auth | SA-lg enc | SA-lg auth */
		ck_assert_mem_eq(eh.enc_out, want + 96, 16);
		ck_assert_mem_eq(eh.auth_out, want + 112, 32);
		ck_assert_mem_eq(eh.enc_in, want + 144, 16);
		ck_assert_mem_eq(eh.auth_in, want + 160, 32);
		ck_assert_mem_eq(el.enc_out, eh.enc_in, 16);
		ck_assert_mem_eq(el.auth_in, eh.auth_out, 32);
		ck_assert_uint_eq(hip_keymat_offset(lo), 192);
	}
	hip_keymat_free(lo);
	hip_keymat_free(hi);
}
END_TEST

START_TEST(test_null_cipher_and_aead)
{
	uint8_t want[192];
	struct hip_keymat *hi = make(1, hit_hi, hit_lo);
	struct hip_hip_keys k;
	struct hip_esp_keys e;

	ck_assert_int_eq(hip_hex_decode(kat_sha256, want, 192), 0);
	/* NULL-ENCRYPT draws no encryption key: HMAC keys are adjacent. */
	ck_assert_int_eq(hip_keymat_hip_keys(hi, HIP_CIPHER_NULL, hit_hi,
					     hit_lo, &k), 0);
	ck_assert_uint_eq(k.enc_len, 0);
	ck_assert_mem_eq(k.mac_out, want, 32);
	ck_assert_mem_eq(k.mac_in, want + 32, 32);
	/* AES-GCM-16: key | 4-octet salt per direction, no auth key. */
	ck_assert_int_eq(hip_keymat_esp_keys(hi, HIP_ESP_AES_GCM_16, 64,
					     hit_hi, hit_lo, &e), 0);
	ck_assert_uint_eq(e.enc_len, 20);
	ck_assert_uint_eq(e.auth_len, 0);
	ck_assert_mem_eq(e.enc_out, want + 64, 20);
	ck_assert_mem_eq(e.enc_in, want + 84, 20);
	ck_assert_uint_eq(hip_keymat_offset(hi), 104);
	hip_keymat_free(hi);
}
END_TEST

/* Rekeying without a new DH continues from a given index. */
START_TEST(test_esp_rekey_index)
{
	struct hip_keymat *km = make(1, hit_lo, hit_hi);
	struct hip_esp_keys a, b;
	struct hip_hip_keys h;
	uint8_t raw[32];

	ck_assert_int_eq(hip_keymat_hip_keys(km, HIP_CIPHER_AES_256_CBC,
					     hit_lo, hit_hi, &h), 0);
	ck_assert_uint_eq(hip_keymat_offset(km), 2 * (32 + 32));
	ck_assert_int_eq(hip_keymat_esp_keys(km, HIP_ESP_AES256_CBC_SHA256,
					     128, hit_lo, hit_hi, &a), 0);
	ck_assert_uint_eq(hip_keymat_offset(km), 128 + 2 * (32 + 32));
	ck_assert_int_eq(hip_keymat_esp_keys(km, HIP_ESP_AES256_CBC_SHA256,
					     256, hit_lo, hit_hi, &b), 0);
	ck_assert_uint_eq(b.index, 256);
	ck_assert(memcmp(a.enc_out, b.enc_out, 32) != 0);
	/* b's SA-gl key (our inbound key, we have the lower HIT) sits at
	 * byte 256 of the stream. */
	ck_assert_int_eq(hip_keymat_draw_at(km, 256, raw, 32), 0);
	ck_assert_mem_eq(b.enc_in, raw, 32);
	ck_assert_int_eq(hip_keymat_esp_keys(km, 2, 0, hit_lo, hit_hi, &b),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_keymat_esp_keys(km, HIP_ESP_NULL_SHA256,
					     65536, hit_lo, hit_hi, &b),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_keymat_esp_keys(km, HIP_ESP_NULL_SHA256,
					     255 * 32 - 10, hit_lo, hit_hi,
					     &b), HIP_ENOSPC);
	ck_assert_uint_eq(b.index, 256);	/* untouched on failure */
	hip_keymat_free(km);
}
END_TEST

START_TEST(test_hit_cmp)
{
	uint8_t a[16] = { 0 }, b[16] = { 0 };

	/* Unsigned comparison: 0x80 is greater than 0x7f. */
	a[0] = 0x80;
	b[0] = 0x7f;
	b[15] = 0xff;
	ck_assert_int_gt(hip_keymat_hit_cmp(a, b), 0);
	ck_assert_int_lt(hip_keymat_hit_cmp(b, a), 0);
	ck_assert_int_eq(hip_keymat_hit_cmp(a, a), 0);
}
END_TEST

/* The algorithm tables (hip/suite.h) against RFC 7401 5.2.8/5.2.10 and
 * RFC 7402 5.1.2 / the kernel's algorithm names. */
START_TEST(test_tables)
{
	const struct hip_esp_suite_info *e;
	const struct hip_cipher_info *c;

	ck_assert_str_eq(hip_suite_rhash(1)->digest, "SHA256");
	ck_assert_str_eq(hip_suite_rhash(2)->digest, "SHA384");
	ck_assert_str_eq(hip_suite_rhash(3)->digest, "SHA1");
	ck_assert_uint_eq(hip_suite_rhash_len(2), 48);
	ck_assert_ptr_null(hip_suite_rhash(HIP_HIT_SUITE_EDDSA_CSHAKE));
	ck_assert_ptr_null(hip_suite_rhash(0));

	c = hip_cipher_info(HIP_CIPHER_NULL);
	ck_assert_uint_eq(c->key_len, 0);
	ck_assert_uint_eq(c->iv_len, 0);
	c = hip_cipher_info(HIP_CIPHER_AES_256_CBC);
	ck_assert_uint_eq(c->key_len, 32);
	ck_assert_uint_eq(c->block_len, 16);
	ck_assert_ptr_null(hip_cipher_info(3));

	/* MUST suite 8: AES-128-CBC + HMAC-SHA-256-128. */
	e = hip_esp_suite_info(HIP_ESP_AES128_CBC_SHA256);
	ck_assert_uint_eq(e->enc_key_len, 16);
	ck_assert_uint_eq(e->auth_key_len, 32);
	ck_assert_uint_eq(e->icv_bits, 128);
	ck_assert_str_eq(e->xfrm_enc, "cbc(aes)");
	ck_assert_str_eq(e->xfrm_auth, "hmac(sha256)");
	ck_assert_ptr_null(e->xfrm_aead);
	e = hip_esp_suite_info(HIP_ESP_AES128_CBC_SHA1);
	ck_assert_uint_eq(e->auth_key_len, 20);
	ck_assert_uint_eq(e->icv_bits, 96);
	e = hip_esp_suite_info(HIP_ESP_NULL_SHA256);
	ck_assert_uint_eq(e->enc_key_len, 0);
	ck_assert_str_eq(e->xfrm_enc, "ecb(cipher_null)");
	e = hip_esp_suite_info(HIP_ESP_AES_GCM_8);
	ck_assert_int_eq(e->aead, 1);
	ck_assert_uint_eq(e->salt_len, 4);
	ck_assert_uint_eq(e->icv_bits, 64);
	ck_assert_uint_eq(hip_esp_suite_enc_draw_len(e), 20);
	ck_assert_str_eq(e->xfrm_aead, "rfc4106(gcm(aes))");
	ck_assert_uint_eq(hip_esp_suite_info(HIP_ESP_AES_GCM_16)->icv_bits,
			  128);
	ck_assert_uint_eq(hip_esp_suite_info(HIP_ESP_AES256_CBC_SHA256)
			  ->enc_key_len, 32);
	/* Deprecated suites 2-6 are not offered. */
	for (int id = 2; id <= 6; id++)
		ck_assert_ptr_null(hip_esp_suite_info(id));
	ck_assert_uint_eq(hip_esp_suite_enc_draw_len(NULL), 0);
}
END_TEST

static Suite *keymat_suite(void)
{
	Suite *s = suite_create("keymat");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_kat);
	tcase_add_test(tc, test_hit_order_irrelevant);
	tcase_add_test(tc, test_inputs_matter);
	tcase_add_test(tc, test_draw_at);
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_bad_args);
	tcase_add_test(tc, test_hip_keys);
	tcase_add_test(tc, test_null_cipher_and_aead);
	tcase_add_test(tc, test_esp_rekey_index);
	tcase_add_test(tc, test_hit_cmp);
	tcase_add_test(tc, test_tables);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(keymat_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
