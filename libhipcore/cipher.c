/*
 * cipher.c - the ENCRYPTED parameter's value (RFC 7401 5.2.18) with the
 * HIP_CIPHER algorithms (5.2.8): NULL-ENCRYPT, AES-128-CBC, AES-256-CBC.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "hip/cipher.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"

#define RES HIP_ENCRYPTED_RESERVED_LEN

size_t hip_cipher_encrypted_len(int cipher_id, size_t plain_len)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);

	if (ci == NULL)
		return 0;
	if (ci->evp == NULL)
		return RES + plain_len;
	/* PKCS#5/#7 always adds 1..block octets. */
	return RES + ci->iv_len + plain_len + ci->block_len -
	       plain_len % ci->block_len;
}

static int check_key(const struct hip_cipher_info *ci, const uint8_t *key,
		     size_t key_len)
{
	if (ci == NULL)
		return HIP_EUNSUPPORTED;
	if (key_len != ci->key_len)
		return HIP_ELEN;
	if (key == NULL && key_len > 0)
		return HIP_EINVAL;
	return HIP_OK;
}

/* One CBC pass over in (encrypt with PKCS#7 padding, or decrypt with
 * padding left to the caller). */
static int cbc(const struct hip_cipher_info *ci, int enc, const uint8_t *key,
	       const uint8_t *iv, const uint8_t *in, size_t in_len,
	       uint8_t *out, size_t *out_len)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, ci->evp, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, ret = HIP_ECRYPTO;

	if (in_len > INT32_MAX)
		goto out;
	if (c == NULL || ctx == NULL ||
	    EVP_CipherInit_ex2(ctx, c, key, iv, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, enc) != 1 ||
	    EVP_CipherUpdate(ctx, out, &l1, in, (int)in_len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + l1, &l2) != 1)
		goto out;
	*out_len = (size_t)l1 + (size_t)l2;
	ret = HIP_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ret;
}

int hip_cipher_encrypt_iv(int cipher_id, const uint8_t *key,
			  size_t key_len, const uint8_t *iv, size_t iv_len,
			  const uint8_t *plain, size_t plain_len,
			  uint8_t *out, size_t cap, size_t *outlen)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);
	size_t need, ct_len = 0;
	int ret;

	ret = check_key(ci, key, key_len);
	if (ret != HIP_OK)
		return ret;
	if ((plain == NULL && plain_len > 0) || out == NULL ||
	    outlen == NULL || iv_len != ci->iv_len ||
	    (iv == NULL && iv_len > 0))
		return HIP_EINVAL;
	need = hip_cipher_encrypted_len(cipher_id, plain_len);
	if (cap < need)
		return HIP_ENOSPC;
	memset(out, 0, RES);	/* Reserved: zero when sent */
	if (ci->evp == NULL) {
		if (plain_len > 0)
			memmove(out + RES, plain, plain_len);
		*outlen = need;
		return HIP_OK;
	}
	memcpy(out + RES, iv, iv_len);
	ret = cbc(ci, 1, key, iv, plain, plain_len, out + RES + iv_len,
		  &ct_len);
	if (ret != HIP_OK || RES + iv_len + ct_len != need) {
		hip_wipe(out, need);
		return ret != HIP_OK ? ret : HIP_ECRYPTO;
	}
	*outlen = need;
	return HIP_OK;
}

int hip_cipher_encrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *plain, size_t plain_len,
		       uint8_t *out, size_t cap, size_t *outlen)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);
	uint8_t iv[HIP_CIPHER_MAX_BLOCK];

	if (ci == NULL)
		return HIP_EUNSUPPORTED;
	if (ci->iv_len > 0 && RAND_bytes(iv, (int)ci->iv_len) != 1)
		return HIP_ECRYPTO;
	return hip_cipher_encrypt_iv(cipher_id, key, key_len,
				     ci->iv_len > 0 ? iv : NULL, ci->iv_len,
				     plain, plain_len, out, cap, outlen);
}

/* All-ones when a < b (unsigned, full range), zero otherwise, without a
 * branch: the top bit of a ^ ((a ^ b) | ((a - b) ^ b)) is the borrow. */
static unsigned ct_lt(unsigned a, unsigned b)
{
	unsigned x = a ^ ((a ^ b) | ((a - b) ^ b));

	return 0u - (x >> (sizeof(unsigned) * 8 - 1));
}

int hip_cipher_decrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *value, size_t value_len,
		       uint8_t *out, size_t cap, size_t *outlen)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);
	size_t ct_len, pt_len = 0, bl;
	unsigned pad, bad;
	int ret;

	ret = check_key(ci, key, key_len);
	if (ret != HIP_OK)
		return ret;
	if ((value == NULL && value_len > 0) || out == NULL || outlen == NULL)
		return HIP_EINVAL;
	if (value_len < RES)
		return HIP_EFORMAT;
	if (ci->evp == NULL) {	/* Reserved is ignored on receipt */
		if (cap < value_len - RES)
			return HIP_ENOSPC;
		if (value_len > RES)
			memmove(out, value + RES, value_len - RES);
		*outlen = value_len - RES;
		return HIP_OK;
	}
	bl = ci->block_len;
	if (value_len < RES + ci->iv_len + bl ||
	    (value_len - RES - ci->iv_len) % bl != 0)
		return HIP_EFORMAT;
	ct_len = value_len - RES - ci->iv_len;
	if (cap < ct_len)
		return HIP_ENOSPC;
	ret = cbc(ci, 0, key, value + RES, value + RES + ci->iv_len, ct_len,
		  out, &pt_len);
	if (ret != HIP_OK || pt_len != ct_len) {
		hip_wipe(out, ct_len);
		return ret != HIP_OK ? ret : HIP_ECRYPTO;
	}
	/* PKCS#7: the last octet p is 1..block and the last p octets all
	 * equal p.  Every one of the last block's octets is looked at. */
	pad = out[ct_len - 1];
	bad = ~ct_lt(pad - 1, (unsigned)bl);	/* pad == 0 wraps, is bad */
	for (size_t n = 0; n < bl; n++) {
		unsigned in_pad = ct_lt((unsigned)n, pad);

		bad |= in_pad & (out[ct_len - 1 - n] ^ pad);
	}
	if (bad != 0) {
		hip_wipe(out, ct_len);
		return HIP_EVERIFY;
	}
	hip_wipe(out + ct_len - pad, pad);
	*outlen = ct_len - pad;
	return HIP_OK;
}
