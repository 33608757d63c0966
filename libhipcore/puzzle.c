/*
 * puzzle.c - solving and verifying the HIP puzzle, and a stateless #I
 * (RFC 7401 4.1.2, 5.2.4, 5.2.5, 6.3, App. A).
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "hip/auth.h"
#include "hip/error.h"
#include "hip/puzzle.h"
#include "hip/suite.h"
#include "hip/util.h"

size_t hip_puzzle_ij_len(int hit_suite)
{
	/* 5.2.4/5.2.5: #I and #J are RHASH_len / 8 octets. */
	return hip_suite_rhash_len(hit_suite);
}

/* 0 when the k lowest-order bits of the digest (a big-endian number, so
 * its last octets) are all zero; non-zero otherwise.  No branch depends
 * on the digest. */
static unsigned ltrunc_bits(const uint8_t *d, size_t len, unsigned k)
{
	unsigned acc = 0;
	size_t full = k / 8;
	unsigned rem = k % 8;

	for (size_t n = 0; n < full; n++)
		acc |= d[len - 1 - n];
	if (rem > 0)
		acc |= d[len - 1 - full] & ((1u << rem) - 1);
	return acc;
}

/* A digest context holding RHASH(#I | HIT-I | HIT-R ...) so each
 * candidate only hashes #J. */
static int prefix_ctx(const struct hip_rhash_info *rh, const uint8_t *i,
		      const uint8_t hit_i[16], const uint8_t hit_r[16],
		      EVP_MD **md_out, EVP_MD_CTX **ctx_out)
{
	EVP_MD *md = EVP_MD_fetch(NULL, rh->digest, NULL);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (md == NULL || ctx == NULL ||
	    EVP_DigestInit_ex(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, i, rh->len) != 1 ||
	    EVP_DigestUpdate(ctx, hit_i, 16) != 1 ||
	    EVP_DigestUpdate(ctx, hit_r, 16) != 1) {
		EVP_MD_CTX_free(ctx);
		EVP_MD_free(md);
		return HIP_ECRYPTO;
	}
	*md_out = md;
	*ctx_out = ctx;
	return HIP_OK;
}

static int hash_j(EVP_MD_CTX *work, const EVP_MD_CTX *prefix,
		  const uint8_t *j, size_t len, uint8_t *digest)
{
	unsigned int dlen = 0;

	if (EVP_MD_CTX_copy_ex(work, prefix) != 1 ||
	    EVP_DigestUpdate(work, j, len) != 1 ||
	    EVP_DigestFinal_ex(work, digest, &dlen) != 1 || dlen != len)
		return HIP_ECRYPTO;
	return HIP_OK;
}

static void increment_be(uint8_t *v, size_t len)
{
	for (size_t n = len; n-- > 0;)
		if (++v[n] != 0)
			break;
}

static int check_args(const struct hip_rhash_info *rh, uint8_t k,
		      const uint8_t *i, const uint8_t *hit_i,
		      const uint8_t *hit_r)
{
	if (rh == NULL)
		return HIP_EUNSUPPORTED;
	if (i == NULL || hit_i == NULL || hit_r == NULL)
		return HIP_EINVAL;
	if (k > 8 * rh->len)
		return HIP_EINVAL;
	return HIP_OK;
}

int hip_puzzle_solve(int hit_suite, uint8_t k, const uint8_t *i,
		     const uint8_t hit_i[16], const uint8_t hit_r[16],
		     const uint8_t *j_start, uint64_t max_iter,
		     uint8_t *j_out)
{
	const struct hip_rhash_info *rh = hip_suite_rhash(hit_suite);
	uint8_t j[HIP_RHASH_MAX_LEN], d[HIP_RHASH_MAX_LEN];
	EVP_MD *md = NULL;
	EVP_MD_CTX *prefix = NULL, *work = NULL;
	int ret;

	ret = check_args(rh, k, i, hit_i, hit_r);
	if (ret != HIP_OK)
		return ret;
	if (j_out == NULL)
		return HIP_EINVAL;
	if (j_start != NULL)
		memcpy(j, j_start, rh->len);
	else if (RAND_bytes(j, (int)rh->len) != 1)
		return HIP_ECRYPTO;
	ret = prefix_ctx(rh, i, hit_i, hit_r, &md, &prefix);
	if (ret != HIP_OK)
		return ret;
	work = EVP_MD_CTX_new();
	ret = work != NULL ? HIP_ENOENT : HIP_ENOMEM;
	for (uint64_t n = 0; work != NULL && n < max_iter; n++) {
		if (hash_j(work, prefix, j, rh->len, d) != HIP_OK) {
			ret = HIP_ECRYPTO;
			break;
		}
		if (ltrunc_bits(d, rh->len, k) == 0) {
			memcpy(j_out, j, rh->len);
			ret = HIP_OK;
			break;
		}
		increment_be(j, rh->len);
	}
	EVP_MD_CTX_free(work);
	EVP_MD_CTX_free(prefix);
	EVP_MD_free(md);
	return ret;
}

int hip_puzzle_verify(int hit_suite, uint8_t k, const uint8_t *i,
		      const uint8_t hit_i[16], const uint8_t hit_r[16],
		      const uint8_t *j)
{
	const struct hip_rhash_info *rh = hip_suite_rhash(hit_suite);
	uint8_t d[HIP_RHASH_MAX_LEN];
	EVP_MD *md = NULL;
	EVP_MD_CTX *prefix = NULL, *work = NULL;
	int ret;

	ret = check_args(rh, k, i, hit_i, hit_r);
	if (ret != HIP_OK)
		return ret;
	if (j == NULL)
		return HIP_EINVAL;
	ret = prefix_ctx(rh, i, hit_i, hit_r, &md, &prefix);
	if (ret != HIP_OK)
		return ret;
	work = EVP_MD_CTX_new();
	if (work == NULL)
		ret = HIP_ENOMEM;
	else
		ret = hash_j(work, prefix, j, rh->len, d);
	if (ret == HIP_OK && ltrunc_bits(d, rh->len, k) != 0)
		ret = HIP_EVERIFY;
	hip_wipe(d, sizeof(d));
	EVP_MD_CTX_free(work);
	EVP_MD_CTX_free(prefix);
	EVP_MD_free(md);
	return ret;
}

int hip_puzzle_make_i(const uint8_t *secret, size_t secret_len,
		      const uint8_t hit_i[16], const uint8_t hit_r[16],
		      const uint8_t ip_i[16], const uint8_t ip_r[16],
		      int hit_suite, uint8_t *out)
{
	const struct hip_rhash_info *rh = hip_suite_rhash(hit_suite);
	uint8_t msg[4 * 16], mac[HIP_RHASH_MAX_LEN];
	size_t len;
	int ret;

	if (rh == NULL)
		return HIP_EUNSUPPORTED;
	if (secret == NULL || secret_len == 0 || hit_i == NULL ||
	    hit_r == NULL || ip_i == NULL || ip_r == NULL || out == NULL)
		return HIP_EINVAL;
	memcpy(msg, hit_i, 16);
	memcpy(msg + 16, hit_r, 16);
	memcpy(msg + 32, ip_i, 16);
	memcpy(msg + 48, ip_r, 16);
	/* The HMAC output is RHASH_len long, so Ltrunc(., RHASH_len) is
	 * the whole MAC. */
	ret = hip_auth_hmac(hit_suite, secret, secret_len, msg, sizeof(msg),
			    mac, sizeof(mac), &len);
	if (ret == HIP_OK)
		memcpy(out, mac, rh->len);
	hip_wipe(mac, sizeof(mac));
	return ret;
}
