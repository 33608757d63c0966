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

/* Octets of cipher padding for n octets of parameters: none when n is a
 * whole number of blocks (5.2.18: "such additional padding SHOULD NOT
 * be added"), otherwise up to the next block boundary. */
static size_t pad_len(const struct hip_cipher_info *ci, size_t n)
{
	return (ci->block_len - n % ci->block_len) % ci->block_len;
}

size_t hip_cipher_encrypted_len(int cipher_id, size_t plain_len)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);

	if (ci == NULL)
		return 0;
	if (ci->evp == NULL)
		return RES + plain_len;
	return RES + ci->iv_len + plain_len + pad_len(ci, plain_len);
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

/* One CBC pass over whole blocks, without OpenSSL's own padding. */
static int cbc(const struct hip_cipher_info *ci, int enc, const uint8_t *key,
	       const uint8_t *iv, const uint8_t *in, size_t in_len,
	       uint8_t *out)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, ci->evp, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, ret = HIP_ECRYPTO;

	if (in_len > INT32_MAX || in_len % ci->block_len != 0)
		goto out;
	if (c == NULL || ctx == NULL ||
	    EVP_CipherInit_ex2(ctx, c, key, iv, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, out, &l1, in, (int)in_len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + l1, &l2) != 1 ||
	    (size_t)l1 + (size_t)l2 != in_len)
		goto out;
	ret = HIP_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ret;
}

/* Length of the whole TLVs at the start of p: each is
 * Type(2) Length(2) value padding to 8 (5.2.1).  The walk stops at the
 * first header or TLV that does not fit. */
static size_t tlv_span(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (len - off >= 4) {
		size_t l = hip_get16(p + off + 2);
		size_t total = 11 + l - (l + 3) % 8;

		if (total > len - off)
			break;
		off += total;
	}
	return off;
}

int hip_cipher_encrypt_iv(int cipher_id, const uint8_t *key,
			  size_t key_len, const uint8_t *iv, size_t iv_len,
			  const uint8_t *plain, size_t plain_len,
			  uint8_t *out, size_t cap, size_t *outlen)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);
	size_t need, pad, body;
	uint8_t *ct;
	int ret;

	ret = check_key(ci, key, key_len);
	if (ret != HIP_OK)
		return ret;
	if ((plain == NULL && plain_len > 0) || out == NULL ||
	    outlen == NULL || iv_len != ci->iv_len ||
	    (iv == NULL && iv_len > 0))
		return HIP_EINVAL;
	/* Whole parameters only: the receiver finds their end by their
	 * Length fields. */
	if (plain_len == 0 || tlv_span(plain, plain_len) != plain_len)
		return HIP_EFORMAT;
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
	/* The parameters plus RFC 4303 2.4 padding (1, 2, 3, ...), as
	 * RFC 7401 5.2.18 asks for ciphers that do not define their own,
	 * are encrypted in place behind the IV. */
	pad = pad_len(ci, plain_len);
	body = plain_len + pad;
	ct = out + RES + iv_len;
	memmove(ct, plain, plain_len);
	for (size_t n = 0; n < pad; n++)
		ct[plain_len + n] = (uint8_t)(n + 1);
	memcpy(out + RES, iv, iv_len);
	ret = cbc(ci, 1, key, iv, ct, body, ct);
	if (ret != HIP_OK) {
		hip_wipe(out, need);
		return ret;
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

int hip_cipher_decrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *value, size_t value_len,
		       uint8_t *out, size_t cap, size_t *outlen)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);
	size_t ct_len, span;
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
		span = tlv_span(value + RES, value_len - RES);
		if (span == 0 || span != value_len - RES)
			return HIP_EFORMAT;
		memmove(out, value + RES, span);
		*outlen = span;
		return HIP_OK;
	}
	if (value_len < RES + ci->iv_len + ci->block_len ||
	    (value_len - RES - ci->iv_len) % ci->block_len != 0)
		return HIP_EFORMAT;
	ct_len = value_len - RES - ci->iv_len;
	if (cap < ct_len)
		return HIP_ENOSPC;
	ret = cbc(ci, 0, key, value + RES, value + RES + ci->iv_len, ct_len,
		  out);
	if (ret != HIP_OK) {
		hip_wipe(out, ct_len);
		return ret;
	}
	/* The padding's content is not checked (RFC 4303 2.4 leaves that
	 * to the receiver), which also leaves no padding oracle: the
	 * parameters end where their own Length fields say, and what
	 * follows must be no more than one block of padding (PKCS#7
	 * senders add a whole block to aligned data). */
	span = tlv_span(out, ct_len);
	if (span == 0 || ct_len - span > ci->block_len) {
		hip_wipe(out, ct_len);
		return HIP_EVERIFY;
	}
	hip_wipe(out + span, ct_len - span);
	*outlen = span;
	return HIP_OK;
}
