/*
 * fuzz_dh.c - libFuzzer target for the session crypto's untrusted
 * inputs: a peer's DH/ECDH public value (validation and Kij), an
 * ENCRYPTED value (decryption and padding), a puzzle solution, and the
 * MAC/signature coverage walk over a packet.
 *
 * The first octet selects the path, the second its group / cipher /
 * suite.  Keys are made once per process (key generation is slow and
 * not what is under test).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/auth.h"
#include "hip/cipher.h"
#include "hip/dh.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/puzzle.h"
#include "hip/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dh_groups[] = {
	HIP_DH_MODP_1536, HIP_DH_MODP_3072, HIP_DH_NIST_P256,
	HIP_DH_NIST_P384, HIP_DH_NIST_P521, HIP_DH_MODP_2048,
};
static struct hip_dh *dh_keys[HIP_ARRAY_SIZE(dh_groups)];

static void fuzz_dh(uint8_t sel, const uint8_t *d, size_t n)
{
	size_t g = sel % HIP_ARRAY_SIZE(dh_groups);
	uint8_t kij[HIP_DH_MAX_SECRET_LEN];
	size_t kl = 0;
	int chk, der;

	if (dh_keys[g] == NULL &&
	    hip_dh_generate(dh_groups[g], &dh_keys[g]) != 0)
		abort();
	chk = hip_dh_check_public(dh_groups[g], d, n);
	der = hip_dh_derive(dh_keys[g], d, n, kij, sizeof(kij), &kl);
	/* Validation and derivation agree on what is acceptable. */
	if ((chk == 0) != (der == 0))
		abort();
	if (der == 0 && kl != hip_dh_secret_len(dh_groups[g]))
		abort();
	hip_wipe(kij, sizeof(kij));
}

static void fuzz_cipher(uint8_t sel, const uint8_t *d, size_t n)
{
	static const int ids[] = { HIP_CIPHER_NULL, HIP_CIPHER_AES_128_CBC,
				   HIP_CIPHER_AES_256_CBC };
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	int id = ids[sel % 3];
	const struct hip_cipher_info *ci = hip_cipher_info(id);
	uint8_t *out = malloc(n + 1), *again = malloc(n + 64);
	uint8_t *back = malloc(n + 64);
	size_t ol = 0, al = 0, bl = 0;

	if (out == NULL || again == NULL || back == NULL)
		abort();
	if (hip_cipher_decrypt(id, ci->key_len ? key : NULL, ci->key_len, d,
			       n, out, n + 1, &ol) == 0) {
		/* Whatever decrypts is whole parameters: it encrypts again
		 * (with the same IV) and comes back unchanged. */
		if (hip_cipher_encrypt_iv(id, ci->key_len ? key : NULL,
					  ci->key_len,
					  ci->iv_len ? d + 4 : NULL,
					  ci->iv_len, out, ol, again, n + 64,
					  &al) != 0 ||
		    al > n ||
		    hip_cipher_decrypt(id, ci->key_len ? key : NULL,
				       ci->key_len, again, al, back, n + 64,
				       &bl) != 0 ||
		    bl != ol || memcmp(back, out, ol) != 0)
			abort();
	}
	free(out);
	free(again);
	free(back);
}

static void fuzz_puzzle(uint8_t sel, const uint8_t *d, size_t n)
{
	int suite = 1 + sel % 3;
	size_t l = hip_puzzle_ij_len(suite);
	uint8_t j[48];

	if (n < 1 + 32 + 2 * l)
		return;
	/* #K | HIT-I | HIT-R | #I | #J */
	(void)hip_puzzle_verify(suite, d[0], d + 33, d + 1, d + 17, d + 33 + l);
	/* A short bounded search from the fuzzer's #J: whatever it finds
	 * must verify. */
	if (hip_puzzle_solve(suite, d[0] % 12, d + 33, d + 1, d + 17,
			     d + 33 + l, 64, j) == 0 &&
	    hip_puzzle_verify(suite, d[0] % 12, d + 33, d + 1, d + 17, j) != 0)
		abort();
}

static void fuzz_auth(uint8_t sel, const uint8_t *d, size_t n)
{
	static const uint8_t key[48] = { 0x42 };
	uint8_t out[HIP_AUTH_MAX_INPUT];
	uint8_t hid[8] = { 0x02, 0xc1, 0x00, 0x04, 1, 2, 3, 4 };
	size_t off, ol = 0;
	int with_hid = sel & 1;

	if (n < 2)
		return;
	off = hip_get16(d);
	d += 2;
	n -= 2;
	if (hip_auth_input(d, n, off, with_hid ? hid : NULL,
			   with_hid ? sizeof(hid) : 0, out, sizeof(out),
			   &ol) == 0) {
		if (ol % 8 != 0 || ol > HIP_MAX_PACKET ||
		    out[1] != ol / 8 - 1 || out[4] != 0 || out[5] != 0)
			abort();
	}
	(void)hip_auth_mac_verify(1 + (sel >> 1) % 3, key, sizeof(key), d, n,
				  off, with_hid ? hid : NULL,
				  with_hid ? sizeof(hid) : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_dh(data[1], data + 2, size - 2);
		break;
	case 1:
		fuzz_cipher(data[1], data + 2, size - 2);
		break;
	case 2:
		fuzz_puzzle(data[1], data + 2, size - 2);
		break;
	default:
		fuzz_auth(data[1], data + 2, size - 2);
		break;
	}
	return 0;
}
