/*
 * keymat.c - KEYMAT derivation and key drawing (RFC 7401 6.5, RFC 7402
 * 7) with OpenSSL 3's HKDF (RFC 5869).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "hip/error.h"
#include "hip/keymat.h"
#include "hip/util.h"

struct hip_keymat {
	const struct hip_rhash_info *rh;
	uint8_t prk[HIP_RHASH_MAX_LEN];	/* HKDF-Extract(#I|#J, Kij) */
	uint8_t info[2 * 16];		/* sort(HIT-I | HIT-R) */
	size_t offset;
	size_t limit;
};

int hip_keymat_hit_cmp(const uint8_t a[16], const uint8_t b[16])
{
	/* HITs are public: an ordinary comparison is fine. */
	return memcmp(a, b, 16);
}

/* One HKDF call: mode "EXTRACT_ONLY" (key = IKM, salt) or "EXPAND_ONLY"
 * (key = PRK, info). */
static int hkdf(const char *digest, const char *mode, const uint8_t *key,
		size_t key_len, const uint8_t *salt, size_t salt_len,
		const uint8_t *info, size_t info_len, uint8_t *out,
		size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[6], *p = params;
	int ret = HIP_ECRYPTO;

	if (kdf == NULL)
		return HIP_ECRYPTO;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return HIP_ENOMEM;
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)digest, 0);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE,
						(char *)mode, 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)key, key_len);
	if (salt != NULL)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						(void *)salt, salt_len);
	if (info != NULL)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						(void *)info, info_len);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, out_len, params) == 1)
		ret = HIP_OK;
	EVP_KDF_CTX_free(ctx);
	return ret;
}

int hip_keymat_new(int hit_suite, const uint8_t *kij, size_t kij_len,
		   const uint8_t *i, const uint8_t *j, size_t ij_len,
		   const uint8_t hit_a[16], const uint8_t hit_b[16],
		   struct hip_keymat **out)
{
	const struct hip_rhash_info *rh = hip_suite_rhash(hit_suite);
	uint8_t salt[2 * HIP_RHASH_MAX_LEN];
	struct hip_keymat *km;
	int cmp, ret;

	if (kij == NULL || kij_len == 0 || i == NULL || j == NULL ||
	    hit_a == NULL || hit_b == NULL || out == NULL)
		return HIP_EINVAL;
	if (rh == NULL)
		return HIP_EUNSUPPORTED;
	if (ij_len != rh->len)
		return HIP_ELEN;
	cmp = hip_keymat_hit_cmp(hit_a, hit_b);
	if (cmp == 0)
		return HIP_EINVAL;
	km = calloc(1, sizeof(*km));
	if (km == NULL)
		return HIP_ENOMEM;
	km->rh = rh;
	/* info = sort(HIT-I | HIT-R): the smaller HIT first (6.5). */
	memcpy(km->info, cmp < 0 ? hit_a : hit_b, 16);
	memcpy(km->info + 16, cmp < 0 ? hit_b : hit_a, 16);
	/* salt = #I | #J (6.5); IKM = Kij. */
	memcpy(salt, i, ij_len);
	memcpy(salt + ij_len, j, ij_len);
	ret = hkdf(rh->digest, "EXTRACT_ONLY", kij, kij_len, salt,
		   2 * ij_len, NULL, 0, km->prk, rh->len);
	hip_wipe(salt, sizeof(salt));
	if (ret != HIP_OK) {
		hip_keymat_free(km);
		return ret;
	}
	/* RFC 5869 2.3: L <= 255 * HashLen; the ESP_INFO index is 16 bits. */
	km->limit = 255 * rh->len;
	if (km->limit > 65535)
		km->limit = 65535;
	*out = km;
	return HIP_OK;
}

void hip_keymat_free(struct hip_keymat *km)
{
	if (km == NULL)
		return;
	hip_wipe(km, sizeof(*km));
	free(km);
}

int hip_keymat_suite(const struct hip_keymat *km)
{
	return km != NULL ? km->rh->suite : 0;
}

size_t hip_keymat_offset(const struct hip_keymat *km)
{
	return km != NULL ? km->offset : 0;
}

size_t hip_keymat_limit(const struct hip_keymat *km)
{
	return km != NULL ? km->limit : 0;
}

int hip_keymat_draw_at(struct hip_keymat *km, size_t index, uint8_t *out,
		       size_t len)
{
	uint8_t *buf;
	int ret;

	if (km == NULL || (out == NULL && len > 0))
		return HIP_EINVAL;
	if (index > km->limit || len > km->limit - index)
		return HIP_ENOSPC;
	if (len == 0) {
		km->offset = index;
		return HIP_OK;
	}
	/* HKDF-Expand output is a prefix-stable stream: T(1) | T(2) | ...,
	 * so the octets at index do not depend on how much is expanded. */
	buf = malloc(index + len);
	if (buf == NULL)
		return HIP_ENOMEM;
	ret = hkdf(km->rh->digest, "EXPAND_ONLY", km->prk, km->rh->len, NULL,
		   0, km->info, sizeof(km->info), buf, index + len);
	if (ret == HIP_OK) {
		memcpy(out, buf + index, len);
		km->offset = index + len;
	}
	hip_wipe(buf, index + len);
	free(buf);
	return ret;
}

int hip_keymat_draw(struct hip_keymat *km, uint8_t *out, size_t len)
{
	if (km == NULL)
		return HIP_EINVAL;
	return hip_keymat_draw_at(km, km->offset, out, len);
}

int hip_keymat_hip_keys(struct hip_keymat *km, int cipher_id,
			const uint8_t our_hit[16], const uint8_t peer_hit[16],
			struct hip_hip_keys *out)
{
	const struct hip_cipher_info *ci = hip_cipher_info(cipher_id);
	uint8_t block[2 * (HIP_CIPHER_MAX_KEY_LEN + HIP_RHASH_MAX_LEN)];
	const uint8_t *gl, *lg;
	struct hip_hip_keys k;
	size_t e, m;
	int cmp, ret;

	if (km == NULL || our_hit == NULL || peer_hit == NULL || out == NULL)
		return HIP_EINVAL;
	if (ci == NULL)
		return HIP_EUNSUPPORTED;
	cmp = hip_keymat_hit_cmp(our_hit, peer_hit);
	if (cmp == 0)
		return HIP_EINVAL;
	e = ci->key_len;
	m = km->rh->len;
	/* Order (6.5): HIP-gl enc, HIP-gl integrity, HIP-lg enc, HIP-lg
	 * integrity. */
	ret = hip_keymat_draw(km, block, 2 * (e + m));
	if (ret != HIP_OK)
		return ret;
	memset(&k, 0, sizeof(k));
	k.enc_len = e;
	k.mac_len = m;
	gl = block;
	lg = block + e + m;
	/* "gl" keys protect the greater HIT's outgoing packets. */
	memcpy(k.enc_out, cmp > 0 ? gl : lg, e);
	memcpy(k.mac_out, (cmp > 0 ? gl : lg) + e, m);
	memcpy(k.enc_in, cmp > 0 ? lg : gl, e);
	memcpy(k.mac_in, (cmp > 0 ? lg : gl) + e, m);
	*out = k;
	hip_wipe(&k, sizeof(k));
	hip_wipe(block, sizeof(block));
	return HIP_OK;
}

int hip_keymat_esp_keys(struct hip_keymat *km, int esp_suite,
			size_t index, const uint8_t our_hit[16],
			const uint8_t peer_hit[16], struct hip_esp_keys *out)
{
	const struct hip_esp_suite_info *si = hip_esp_suite_info(esp_suite);
	uint8_t block[2 * (HIP_ESP_MAX_ENC_LEN + HIP_ESP_MAX_AUTH_LEN)];
	const uint8_t *gl, *lg;
	struct hip_esp_keys k;
	size_t e, a;
	int cmp, ret;

	if (km == NULL || our_hit == NULL || peer_hit == NULL || out == NULL)
		return HIP_EINVAL;
	if (si == NULL)
		return HIP_EUNSUPPORTED;
	cmp = hip_keymat_hit_cmp(our_hit, peer_hit);
	if (cmp == 0 || index > 0xffff)
		return HIP_EINVAL;
	e = hip_esp_suite_enc_draw_len(si);
	a = si->auth_key_len;
	/* Order (RFC 7402 7): SA-gl enc, SA-gl auth, SA-lg enc, SA-lg auth.
	 * For AEAD suites the "enc" key is key | salt and there is no auth
	 * key (see hip/suite.h). */
	ret = hip_keymat_draw_at(km, index, block, 2 * (e + a));
	if (ret != HIP_OK)
		return ret;
	memset(&k, 0, sizeof(k));
	k.suite = si->id;
	k.index = (uint16_t)index;
	k.enc_len = e;
	k.auth_len = a;
	gl = block;
	lg = block + e + a;
	memcpy(k.enc_out, cmp > 0 ? gl : lg, e);
	memcpy(k.auth_out, (cmp > 0 ? gl : lg) + e, a);
	memcpy(k.enc_in, cmp > 0 ? lg : gl, e);
	memcpy(k.auth_in, (cmp > 0 ? lg : gl) + e, a);
	*out = k;
	hip_wipe(&k, sizeof(k));
	hip_wipe(block, sizeof(block));
	return HIP_OK;
}
