/*
 * hit.c - HITs as ORCHIDv2 (RFC 7343, RFC 7401 3.2 and 5.2.10), the
 * EdDSA/cSHAKE128 suite of RFC 9374, and LSIs.  See hip/hit.h for the
 * constructions.
 */
#include <arpa/inet.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/suite.h"
#include "hip/identity.h"
#include "hip/util.h"
#include "libhipcore/identity_priv.h"

/* ORCHIDv2 prefix 2001:20::/28 (RFC 7343 2). */
static const uint8_t orchid_prefix[4] = { 0x20, 0x01, 0x00, 0x20 };

/* RFC 7401 3.2 / RFC 7343: Context ID of HIT generation. */
static const uint8_t hit_context_id[16] = {
	0xf0, 0xef, 0xf0, 0x2f, 0xbf, 0xf4, 0x3d, 0x0f,
	0xe7, 0x93, 0x0c, 0x3c, 0x6e, 0x61, 0x74, 0xea,
};

/* RFC 9374 3.5: cSHAKE128 customization for HHIT/ORCHID hashes. */
static const uint8_t cshake_context_id[16] = {
	0x00, 0xb5, 0xa6, 0x9c, 0x79, 0x5d, 0xf5, 0xd5,
	0xf0, 0x08, 0x7f, 0x56, 0x84, 0x3f, 0x2c, 0x40,
};

#define ORCHID_HASH_LEN	12	/* 96 bits */
#define CSHAKE128_RATE	168

int hip_hit_suite_for_algo(int hi_algo)
{
	switch (hi_algo) {
	case HIP_HI_RSA:
	case HIP_HI_DSA:
		return HIP_HIT_SUITE_RSA_DSA_SHA256;
	case HIP_HI_ECDSA:
		return HIP_HIT_SUITE_ECDSA_SHA384;
	case HIP_HI_ECDSA_LOW:
		return HIP_HIT_SUITE_ECDSA_LOW_SHA1;
	case HIP_HI_EDDSA:
		return HIP_HIT_SUITE_EDDSA_CSHAKE;
	default:
		return HIP_EUNSUPPORTED;
	}
}

int hip_hit_suite(const struct hip_identity *id)
{
	if (id == NULL)
		return HIP_EINVAL;
	return hip_hit_suite_for_algo(id->algo);
}

/* --- cSHAKE128 (NIST SP 800-185) ----------------------------------- */

/* left_encode(x) of SP 800-185 2.3.1 into out (at most 9 octets). */
static size_t left_encode(uint64_t x, uint8_t out[9])
{
	uint8_t n = 1;

	while (n < 8 && (x >> (8 * n)) != 0)
		n++;
	out[0] = n;
	for (uint8_t i = 0; i < n; i++)
		out[1 + i] = (uint8_t)(x >> (8 * (n - 1 - i)));
	return (size_t)n + 1;
}

static int absorb_string(EVP_MD_CTX *ctx, const uint8_t *s, size_t len,
			 size_t *total)
{
	uint8_t enc[9];
	size_t n;

	if (len > UINT64_MAX / 8)
		return 0;
	n = left_encode((uint64_t)len * 8, enc);
	if (EVP_DigestUpdate(ctx, enc, n) != 1 ||
	    (len > 0 && EVP_DigestUpdate(ctx, s, len) != 1))
		return 0;
	*total += n + len;
	return 1;
}

int hip_cshake128(const uint8_t *n, size_t n_len, const uint8_t *s,
		  size_t s_len, const uint8_t *in, size_t in_len,
		  uint8_t *out, size_t outlen)
{
	static const uint8_t zeros[CSHAKE128_RATE];
	EVP_MD_CTX *ctx;
	EVP_MD *md = NULL;
	uint8_t enc[9];
	size_t total, k;
	int ok = 0;

	if ((n == NULL && n_len > 0) || (s == NULL && s_len > 0) ||
	    (in == NULL && in_len > 0) || out == NULL || outlen == 0)
		return HIP_EINVAL;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return HIP_ENOMEM;
	if (n_len == 0 && s_len == 0) {
		/* SP 800-185 3.3: cSHAKE with empty N and S is SHAKE. */
		md = EVP_MD_fetch(NULL, "SHAKE128", NULL);
		ok = md != NULL && EVP_DigestInit_ex(ctx, md, NULL) == 1;
	} else {
		/* Keccak[256] with the cSHAKE domain bits 00: OpenSSL 3.0
		 * exposes it as the KMAC building block. */
		md = EVP_MD_fetch(NULL, "KECCAK-KMAC-128", NULL);
		ok = md != NULL && EVP_DigestInit_ex(ctx, md, NULL) == 1;
		/* bytepad(encode_string(N) || encode_string(S), 168) */
		total = left_encode(CSHAKE128_RATE, enc);
		ok = ok && EVP_DigestUpdate(ctx, enc, total) == 1 &&
		     absorb_string(ctx, n, n_len, &total) &&
		     absorb_string(ctx, s, s_len, &total);
		k = (CSHAKE128_RATE - total % CSHAKE128_RATE) % CSHAKE128_RATE;
		ok = ok && (k == 0 || EVP_DigestUpdate(ctx, zeros, k) == 1);
	}
	ok = ok && (in_len == 0 || EVP_DigestUpdate(ctx, in, in_len) == 1) &&
	     EVP_DigestFinalXOF(ctx, out, outlen) == 1;
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	return 0;
}

/* --- HITs ---------------------------------------------------------- */

/* Encode_96: the middle 96 bits of a digest of dlen octets. */
static int orchid_hash_rhash(const char *mdname, size_t dlen,
			     const uint8_t *hi, size_t len,
			     uint8_t hash[ORCHID_HASH_LEN])
{
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned int got = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, mdname, NULL);
	int ok;

	ok = ctx != NULL && md != NULL &&
	     EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	     EVP_DigestUpdate(ctx, hit_context_id, sizeof(hit_context_id)) == 1 &&
	     EVP_DigestUpdate(ctx, hi, len) == 1 &&
	     EVP_DigestFinal_ex(ctx, digest, &got) == 1 && got == dlen;
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	memcpy(hash, digest + (dlen - ORCHID_HASH_LEN) / 2, ORCHID_HASH_LEN);
	return 0;
}

/* RFC 9374 3.5: cSHAKE128(Prefix | OGA ID | HI, 96, "", Context ID);
 * for an ORCHIDv2 the prefix and the 4-bit OGA ID fill 4 octets and
 * there is no Additional Information. */
static int orchid_hash_cshake(const uint8_t head[4], const uint8_t *hi,
			      size_t len, uint8_t hash[ORCHID_HASH_LEN])
{
	uint8_t buf[4 + HIP_HI_MAX_LEN];

	if (len > HIP_HI_MAX_LEN)
		return HIP_EINVAL;
	memcpy(buf, head, 4);
	memcpy(buf + 4, hi, len);
	return hip_cshake128(NULL, 0, cshake_context_id,
			     sizeof(cshake_context_id), buf, 4 + len, hash,
			     ORCHID_HASH_LEN);
}

int hip_hit_from_hi(int hi_algo, const uint8_t *hi, size_t len,
		    uint8_t hit[HIP_HIT_LEN])
{
	uint8_t out[HIP_HIT_LEN];
	int suite, ret;

	if (hi == NULL || len == 0 || hit == NULL)
		return HIP_EINVAL;
	suite = hip_hit_suite_for_algo(hi_algo);
	if (suite < 0)
		return suite;
	memcpy(out, orchid_prefix, 4);
	out[3] |= (uint8_t)suite;
	if (suite == HIP_HIT_SUITE_EDDSA_CSHAKE) {
		ret = orchid_hash_cshake(out, hi, len, out + 4);
	} else {
		const struct hip_rhash_info *rh = hip_suite_rhash(suite);

		if (rh == NULL)
			return HIP_EUNSUPPORTED;
		ret = orchid_hash_rhash(rh->digest, rh->len, hi, len, out + 4);
	}
	if (ret < 0)
		return ret;
	memcpy(hit, out, HIP_HIT_LEN);
	return 0;
}

int hip_hit_from_identity(const struct hip_identity *id,
			  uint8_t hit[HIP_HIT_LEN])
{
	uint8_t hi[HIP_HI_MAX_LEN];
	size_t len;
	int ret;

	if (id == NULL || hit == NULL)
		return HIP_EINVAL;
	ret = hip_hi_encode(id, hi, sizeof(hi), &len);
	if (ret == 0)
		ret = hip_hit_from_hi(id->algo, hi, len, hit);
	return ret;
}

int hip_hit_verify(const uint8_t hit[HIP_HIT_LEN], int hi_algo,
		   const uint8_t *hi, size_t len)
{
	uint8_t want[HIP_HIT_LEN];
	int ret;

	if (hit == NULL)
		return HIP_EINVAL;
	ret = hip_hit_from_hi(hi_algo, hi, len, want);
	if (ret < 0)
		return ret;
	/* Public values: no constant time needed. */
	return memcmp(want, hit, HIP_HIT_LEN) == 0 ? 0 : HIP_EVERIFY;
}

int hip_hit_is_hit(const uint8_t addr[HIP_HIT_LEN])
{
	return addr[0] == orchid_prefix[0] && addr[1] == orchid_prefix[1] &&
	       addr[2] == orchid_prefix[2] &&
	       (addr[3] & 0xf0) == orchid_prefix[3];
}

int hip_hit_suite_of(const uint8_t hit[HIP_HIT_LEN])
{
	return hit[3] & 0x0f;
}

int hip_hit_to_str(const uint8_t hit[HIP_HIT_LEN], char *buf, size_t cap)
{
	char tmp[HIP_HIT_STRLEN];

	if (hit == NULL || buf == NULL)
		return HIP_EINVAL;
	if (inet_ntop(AF_INET6, hit, tmp, sizeof(tmp)) == NULL)
		return HIP_EINVAL;
	if (strlen(tmp) >= cap)
		return HIP_ENOSPC;
	memcpy(buf, tmp, strlen(tmp) + 1);
	return 0;
}

int hip_hit_from_str(const char *s, uint8_t hit[HIP_HIT_LEN])
{
	uint8_t tmp[HIP_HIT_LEN];

	if (s == NULL || hit == NULL)
		return HIP_EINVAL;
	if (inet_pton(AF_INET6, s, tmp) != 1 || !hip_hit_is_hit(tmp))
		return HIP_EFORMAT;
	memcpy(hit, tmp, HIP_HIT_LEN);
	return 0;
}

/* --- LSIs ---------------------------------------------------------- */

void hip_lsi_from_hit(const uint8_t hit[HIP_HIT_LEN],
		      uint8_t lsi[HIP_LSI_LEN])
{
	lsi[0] = HIP_LSI_PREFIX;
	memcpy(lsi + 1, hit + HIP_HIT_LEN - 3, 3);
}

int hip_lsi_is_lsi(const uint8_t lsi[HIP_LSI_LEN])
{
	return lsi[0] == HIP_LSI_PREFIX;
}

int hip_lsi_to_str(const uint8_t lsi[HIP_LSI_LEN], char *buf, size_t cap)
{
	char tmp[HIP_LSI_STRLEN];

	if (lsi == NULL || buf == NULL)
		return HIP_EINVAL;
	if (inet_ntop(AF_INET, lsi, tmp, sizeof(tmp)) == NULL)
		return HIP_EINVAL;
	if (strlen(tmp) >= cap)
		return HIP_ENOSPC;
	memcpy(buf, tmp, strlen(tmp) + 1);
	return 0;
}
