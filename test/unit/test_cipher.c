/* Unit tests for cipher.c: the ENCRYPTED value (RFC 7401 5.2.18) for
 * NULL, AES-128-CBC and AES-256-CBC; known answers computed with
 * Python's cryptography (AES-CBC, PKCS#7); padding and length checks. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hip/cipher.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"

static uint8_t k16[16], k32[32], iv[16];
/* A HOST_ID-like TLV of 24 octets. */
static const char pt_hex[] =
	"02c10010606162636465666768696a6b6c6d6e6f00000000";

static void setup(void)
{
	for (int n = 0; n < 32; n++)
		k32[n] = (uint8_t)n;
	memcpy(k16, k32, 16);
	for (int n = 0; n < 16; n++)
		iv[n] = (uint8_t)(0x10 + n);
}

START_TEST(test_kat)
{
	static const char *const ct[] = {
		"5ac0a4810a94b4b370b6830bdc7cf75076cac698324041f4004f027bece9a21b",
		"ad297b27f17ec1ff241d5030f21e2dca0b05340fc95ff0174a98b137a0f0affc",
	};
	const int ids[] = { HIP_CIPHER_AES_128_CBC, HIP_CIPHER_AES_256_CBC };
	const uint8_t *keys[] = { k16, k32 };
	uint8_t pt[24], want[32], out[64], back[64];
	size_t ol = 0, bl = 0;

	ck_assert_int_eq(hip_hex_decode(pt_hex, pt, 24), 0);
	ck_assert_int_eq(hip_hex_decode(ct[_i], want, 32), 0);
	ck_assert_int_eq(hip_cipher_encrypt_iv(ids[_i], keys[_i],
					       _i ? 32 : 16, iv, 16, pt, 24,
					       out, sizeof(out), &ol), 0);
	/* Reserved(4) = 0 | IV(16) | ciphertext(32) */
	ck_assert_uint_eq(ol, 4 + 16 + 32);
	ck_assert_uint_eq(ol, hip_cipher_encrypted_len(ids[_i], 24));
	ck_assert_uint_eq(hip_get32(out), 0);
	ck_assert_mem_eq(out + 4, iv, 16);
	ck_assert_mem_eq(out + 20, want, 32);
	ck_assert_int_eq(hip_cipher_decrypt(ids[_i], keys[_i], _i ? 32 : 16,
					    out, ol, back, sizeof(back), &bl),
			 0);
	ck_assert_uint_eq(bl, 24);
	ck_assert_mem_eq(back, pt, 24);
}
END_TEST

START_TEST(test_full_block_padding)
{
	/* 32 octets of plaintext get a whole block of padding (16 x 16). */
	static const char ct[] =
		"954f64f2e4e86e9eee82d20216684899a93b9ddb22e8ab104c61e728831d"
		"6d5ab991dfed9a13814da349fd0087cd980d";
	uint8_t pt[32], want[48], out[80], back[80];
	size_t ol, bl;

	for (int n = 0; n < 32; n++)
		pt[n] = (uint8_t)n;
	ck_assert_int_eq(hip_hex_decode(ct, want, 48), 0);
	ck_assert_int_eq(hip_cipher_encrypt_iv(HIP_CIPHER_AES_128_CBC, k16, 16,
					       iv, 16, pt, 32, out,
					       sizeof(out), &ol), 0);
	ck_assert_uint_eq(ol, 4 + 16 + 48);
	ck_assert_mem_eq(out + 20, want, 48);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    out, ol, back, sizeof(back), &bl),
			 0);
	ck_assert_uint_eq(bl, 32);
	ck_assert_mem_eq(back, pt, 32);
}
END_TEST

START_TEST(test_random_iv)
{
	uint8_t pt[40], a[80], b[80], back[80];
	size_t al, bl, l;

	memset(pt, 0x42, sizeof(pt));
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_256_CBC, k32, 32,
					    pt, 40, a, sizeof(a), &al), 0);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_256_CBC, k32, 32,
					    pt, 40, b, sizeof(b), &bl), 0);
	ck_assert_uint_eq(al, 4 + 16 + 48);
	ck_assert(memcmp(a + 4, b + 4, 16) != 0);	/* fresh IVs */
	ck_assert(memcmp(a + 20, b + 20, 48) != 0);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_256_CBC, k32, 32,
					    b, bl, back, sizeof(back), &l), 0);
	ck_assert_uint_eq(l, 40);
	ck_assert_mem_eq(back, pt, 40);
}
END_TEST

START_TEST(test_null)
{
	uint8_t pt[24], out[64], back[64];
	size_t ol, bl;

	memset(pt, 0x24, sizeof(pt));
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_NULL, NULL, 0, pt, 24,
					    out, sizeof(out), &ol), 0);
	/* Reserved | plaintext: no IV, no padding. */
	ck_assert_uint_eq(ol, 28);
	ck_assert_uint_eq(hip_get32(out), 0);
	ck_assert_mem_eq(out + 4, pt, 24);
	out[0] = 0xff;	/* Reserved is ignored on receipt */
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_NULL, NULL, 0, out, ol,
					    back, sizeof(back), &bl), 0);
	ck_assert_uint_eq(bl, 24);
	ck_assert_mem_eq(back, pt, 24);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_NULL, NULL, 0, out, 3,
					    back, sizeof(back), &bl),
			 HIP_EFORMAT);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_NULL, k16, 16, pt, 24,
					    out, sizeof(out), &ol), HIP_ELEN);
}
END_TEST

/* Encrypt one raw block (no padding) to craft padding cases. */
static void raw_block(const uint8_t block[16], uint8_t *value)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;

	memset(value, 0, 4);
	memcpy(value + 4, iv, 16);
	ck_assert_int_eq(EVP_EncryptInit_ex2(c, EVP_aes_128_cbc(), k16, iv,
					     NULL), 1);
	EVP_CIPHER_CTX_set_padding(c, 0);
	ck_assert_int_eq(EVP_EncryptUpdate(c, value + 20, &l1, block, 16), 1);
	ck_assert_int_eq(EVP_EncryptFinal_ex(c, value + 20 + l1, &l2), 1);
	ck_assert_int_eq(l1 + l2, 16);
	EVP_CIPHER_CTX_free(c);
}

START_TEST(test_bad_padding)
{
	uint8_t block[16], value[36], out[64];
	size_t ol = 1234;

	/* last octet 0 */
	memset(block, 0x01, 16);
	block[15] = 0x00;
	raw_block(block, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, 36, out, sizeof(out), &ol),
			 HIP_EVERIFY);
	/* last octet 17 > block size */
	memset(block, 0x11, 16);
	raw_block(block, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, 36, out, sizeof(out), &ol),
			 HIP_EVERIFY);
	/* 4 claimed, but one of the four differs */
	memset(block, 0x00, 16);
	block[12] = 0x04;
	block[13] = 0x03;
	block[14] = 0x04;
	block[15] = 0x04;
	raw_block(block, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, 36, out, sizeof(out), &ol),
			 HIP_EVERIFY);
	ck_assert_uint_eq(ol, 1234);
	/* 16 x 16: valid, empty plaintext */
	memset(block, 0x10, 16);
	raw_block(block, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, 36, out, sizeof(out), &ol),
			 0);
	ck_assert_uint_eq(ol, 0);
	/* 3 x 3 after data: valid, 13 octets */
	memset(block, 0x61, 16);
	block[13] = block[14] = block[15] = 3;
	raw_block(block, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, 36, out, sizeof(out), &ol),
			 0);
	ck_assert_uint_eq(ol, 13);
	ck_assert_mem_eq(out, block, 13);
}
END_TEST

START_TEST(test_bad_lengths)
{
	uint8_t pt[24], out[128], back[128];
	size_t ol, bl = 99;

	memset(pt, 0x20, sizeof(pt));
	ck_assert_int_eq(hip_cipher_encrypt_iv(HIP_CIPHER_AES_128_CBC, k16, 16,
					       iv, 16, pt, 24, out,
					       sizeof(out), &ol), 0);
	/* Not Reserved | IV | whole blocks. */
	for (size_t l = 0; l < ol; l++)
		if (l != 36)
			ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC,
						    k16, 16, out, l, back,
						    sizeof(back), &bl),
				 HIP_EFORMAT);
	ck_assert_uint_eq(bl, 99);
	/* Only the first block: its plaintext 0x20... is no padding. */
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    out, 36, back, sizeof(back), &bl),
			 HIP_EVERIFY);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    out, ol, back, 31, &bl),
			 HIP_ENOSPC);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k32, 32,
					    out, ol, back, sizeof(back), &bl),
			 HIP_ELEN);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    pt, 24, out, 51, &ol), HIP_ENOSPC);
	ck_assert_int_eq(hip_cipher_encrypt(3, k16, 16, pt, 24, out,
					    sizeof(out), &ol),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_cipher_encrypt_iv(HIP_CIPHER_AES_128_CBC, k16, 16,
					       iv, 8, pt, 24, out,
					       sizeof(out), &ol), HIP_EINVAL);
	ck_assert_uint_eq(hip_cipher_encrypted_len(3, 24), 0);
	ck_assert_uint_eq(hip_cipher_encrypted_len(HIP_CIPHER_AES_128_CBC, 0),
			  4 + 16 + 16);
}
END_TEST

/* A wrong key almost always gives bad padding; when it happens to give
 * valid padding the data is garbage, which the caller's parameter parse
 * and the HIP_MAC catch.  Either way the right plaintext never comes
 * out. */
START_TEST(test_wrong_key)
{
	uint8_t pt[24], out[64], back[64], key[16];
	size_t ol, bl = 0;
	int r;

	memset(pt, 7, sizeof(pt));
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    pt, 24, out, sizeof(out), &ol), 0);
	memcpy(key, k16, 16);
	key[5] ^= 0x20;
	r = hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, key, 16, out, ol,
			       back, sizeof(back), &bl);
	ck_assert(r == HIP_EVERIFY || (r == 0 && (bl != 24 ||
				       memcmp(back, pt, 24) != 0)));
}
END_TEST

static Suite *cipher_suite(void)
{
	Suite *s = suite_create("cipher");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_kat, 0, 2);
	tcase_add_test(tc, test_full_block_padding);
	tcase_add_test(tc, test_random_iv);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_bad_padding);
	tcase_add_test(tc, test_bad_lengths);
	tcase_add_test(tc, test_wrong_key);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cipher_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
