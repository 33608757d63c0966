/* Unit tests for cipher.c: the ENCRYPTED value (RFC 7401 5.2.18) for
 * NULL, AES-128-CBC and AES-256-CBC.  Known answers were computed with
 * Python's cryptography (AES-CBC over the parameters plus RFC 4303 2.4
 * padding 1, 2, 3, ...); padding from other senders; length checks. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hip/cipher.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"

static uint8_t k16[16], k32[32], iv[16];
/* A HOST_ID-like TLV of 24 octets (Length 16). */
static const char pt_hex[] =
	"02c10010606162636465666768696a6b6c6d6e6f00000000";
/* A TLV of exactly 32 octets (Length 28). */
static const char pt32_hex[] =
	"02c1001c404142434445464748494a4b4c4d4e4f505152535455565758595a5b";

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
		"5ac0a4810a94b4b370b6830bdc7cf750"
		"cf5e0f648c9c81d26e83b19a61fa4208",
		"ad297b27f17ec1ff241d5030f21e2dca"
		"b2105c234e95d683b01897ceab8f8bf3",
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
	/* Reserved(4) = 0 | IV(16) | ciphertext(24 + 8 padding) */
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

START_TEST(test_aligned_no_padding)
{
	/* Parameters that fill whole blocks get no padding (5.2.18). */
	static const char ct[] =
		"1f1363938b496073d02befe6a0802e4bb0c879baf039b1029cc3d3772abc71a1";
	uint8_t pt[32], want[32], out[80], back[80];
	size_t ol, bl;

	ck_assert_int_eq(hip_hex_decode(pt32_hex, pt, 32), 0);
	ck_assert_int_eq(hip_hex_decode(ct, want, 32), 0);
	ck_assert_int_eq(hip_cipher_encrypt_iv(HIP_CIPHER_AES_128_CBC, k16, 16,
					       iv, 16, pt, 32, out,
					       sizeof(out), &ol), 0);
	ck_assert_uint_eq(ol, 4 + 16 + 32);
	ck_assert_mem_eq(out + 20, want, 32);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    out, ol, back, sizeof(back), &bl),
			 0);
	ck_assert_uint_eq(bl, 32);
	ck_assert_mem_eq(back, pt, 32);
}
END_TEST

static size_t host_id_tlv(uint8_t *p, size_t vlen, uint8_t fill)
{
	size_t total = 11 + vlen - (vlen + 3) % 8;

	memset(p, 0, total);
	hip_put16(p, HIP_PARAM_HOST_ID);
	hip_put16(p + 2, (uint16_t)vlen);
	memset(p + 4, fill, vlen);
	return total;
}

START_TEST(test_random_iv)
{
	uint8_t pt[48], a[96], b[96], back[96];
	size_t pl, al, bl, l;

	pl = host_id_tlv(pt, 36, 0x42);		/* 40 octets */
	/* A second parameter after the first is carried too. */
	pl += host_id_tlv(pt + pl, 1, 0x43);	/* 8 octets */
	ck_assert_uint_eq(pl, 48);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_256_CBC, k32, 32,
					    pt, pl, a, sizeof(a), &al), 0);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_256_CBC, k32, 32,
					    pt, pl, b, sizeof(b), &bl), 0);
	ck_assert_uint_eq(al, 4 + 16 + 48);
	ck_assert(memcmp(a + 4, b + 4, 16) != 0);	/* fresh IVs */
	ck_assert(memcmp(a + 20, b + 20, 48) != 0);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_256_CBC, k32, 32,
					    b, bl, back, sizeof(back), &l), 0);
	ck_assert_uint_eq(l, 48);
	ck_assert_mem_eq(back, pt, 48);
}
END_TEST

START_TEST(test_null)
{
	uint8_t pt[24], out[64], back[64];
	size_t ol, bl;

	ck_assert_int_eq(hip_hex_decode(pt_hex, pt, 24), 0);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_NULL, NULL, 0, pt, 24,
					    out, sizeof(out), &ol), 0);
	/* Reserved | parameters: no IV, no padding. */
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
	/* Not whole TLVs. */
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_NULL, NULL, 0, out,
					    ol - 8, back, sizeof(back), &bl),
			 HIP_EFORMAT);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_NULL, k16, 16, pt, 24,
					    out, sizeof(out), &ol), HIP_ELEN);
}
END_TEST

/* Encrypt whole blocks as they are, to play other senders. */
static size_t raw(const uint8_t *blocks, size_t n, uint8_t *value)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;

	memset(value, 0, 4);
	memcpy(value + 4, iv, 16);
	ck_assert_int_eq(EVP_EncryptInit_ex2(c, EVP_aes_128_cbc(), k16, iv,
					     NULL), 1);
	EVP_CIPHER_CTX_set_padding(c, 0);
	ck_assert_int_eq(EVP_EncryptUpdate(c, value + 20, &l1, blocks,
					   (int)n), 1);
	ck_assert_int_eq(EVP_EncryptFinal_ex(c, value + 20 + l1, &l2), 1);
	ck_assert_int_eq(l1 + l2, (int)n);
	EVP_CIPHER_CTX_free(c);
	return 20 + n;
}

START_TEST(test_foreign_padding)
{
	uint8_t blocks[48], value[68], out[64];
	size_t vl, ol = 1234, tl;

	/* PKCS#7 sender: a 16-octet TLV and a whole block of 0x10. */
	tl = host_id_tlv(blocks, 12, 0x61);
	ck_assert_uint_eq(tl, 16);
	memset(blocks + 16, 0x10, 16);
	vl = raw(blocks, 32, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, vl, out, sizeof(out), &ol),
			 0);
	ck_assert_uint_eq(ol, 16);
	ck_assert_mem_eq(out, blocks, 16);
	/* PKCS#7 with 8 octets of 0x08 after an 8-octet TLV. */
	tl = host_id_tlv(blocks, 2, 0x62);
	memset(blocks + 8, 0x08, 8);
	vl = raw(blocks, 16, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, vl, out, sizeof(out), &ol),
			 0);
	ck_assert_uint_eq(ol, 8);
	/* Not a TLV at the start. */
	memset(blocks, 0xff, 16);
	vl = raw(blocks, 16, value);
	ol = 1234;
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, vl, out, sizeof(out), &ol),
			 HIP_EVERIFY);
	ck_assert_uint_eq(ol, 1234);
	/* More than a block of trailing octets after the TLVs. */
	tl = host_id_tlv(blocks, 2, 0x63);
	memset(blocks + 8, 0xff, 40);
	vl = raw(blocks, 48, value);
	ck_assert_int_eq(hip_cipher_decrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    value, vl, out, sizeof(out), &ol),
			 HIP_EVERIFY);
	ck_assert_uint_eq(ol, 1234);
}
END_TEST

START_TEST(test_bad_lengths)
{
	uint8_t pt[24], out[128], back[128];
	size_t ol, bl = 99;

	ck_assert_int_eq(hip_hex_decode(pt_hex, pt, 24), 0);
	ck_assert_int_eq(hip_cipher_encrypt_iv(HIP_CIPHER_AES_128_CBC, k16, 16,
					       iv, 16, pt, 24, out,
					       sizeof(out), &ol), 0);
	/* Not Reserved | IV | whole blocks. */
	for (size_t l = 0; l < ol; l++)
		if (l != 36)
			ck_assert_int_eq(hip_cipher_decrypt(
					HIP_CIPHER_AES_128_CBC, k16, 16, out,
					l, back, sizeof(back), &bl),
				HIP_EFORMAT);
	ck_assert_uint_eq(bl, 99);
	/* Only the first block: the TLV (24 octets) does not fit. */
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
	/* Only whole parameters are encrypted. */
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    pt, 23, out, sizeof(out), &ol),
			 HIP_EFORMAT);
	ck_assert_int_eq(hip_cipher_encrypt(HIP_CIPHER_AES_128_CBC, k16, 16,
					    pt, 0, out, sizeof(out), &ol),
			 HIP_EFORMAT);
	ck_assert_int_eq(hip_cipher_encrypt(3, k16, 16, pt, 24, out,
					    sizeof(out), &ol),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_cipher_encrypt_iv(HIP_CIPHER_AES_128_CBC, k16, 16,
					       iv, 8, pt, 24, out,
					       sizeof(out), &ol), HIP_EINVAL);
	ck_assert_uint_eq(hip_cipher_encrypted_len(3, 24), 0);
	ck_assert_uint_eq(hip_cipher_encrypted_len(HIP_CIPHER_AES_128_CBC, 8),
			  4 + 16 + 16);
	ck_assert_uint_eq(hip_cipher_encrypted_len(HIP_CIPHER_AES_256_CBC,
						   48), 4 + 16 + 48);
	ck_assert_uint_eq(hip_cipher_encrypted_len(HIP_CIPHER_NULL, 24), 28);
}
END_TEST

/* A wrong key gives garbage, which does not parse as the parameters
 * that went in (and almost always not as parameters at all). */
START_TEST(test_wrong_key)
{
	uint8_t pt[24], out[64], back[64], key[16];
	size_t ol, bl = 0;
	int r;

	ck_assert_int_eq(hip_hex_decode(pt_hex, pt, 24), 0);
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
	tcase_add_test(tc, test_aligned_no_padding);
	tcase_add_test(tc, test_random_iv);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_foreign_padding);
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
