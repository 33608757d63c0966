/*
 * dh.c - DH (MODP) and ECDH key pairs, public values in HIP format,
 * validation of the peer's value and the shared secret Kij
 * (RFC 7401 5.2.6, 5.2.7, 6.5).  OpenSSL 3 EVP and PARAM APIs only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "hip/dh.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"

struct dh_group {
	int id;
	int ec;			/* 1: ECDH, 0: MODP */
	const char *name;	/* OpenSSL group name */
	size_t len;		/* prime / field octets */
};

/* RFC 7401 5.2.7: 3 = 1536-bit MODP (RFC 3526 2), 4 = 3072-bit MODP
 * (RFC 3526 4), 11 = 2048-bit MODP (RFC 3526 3), 7/8/9 = NIST P-256,
 * P-384, P-521 (RFC 5903).  OpenSSL 3 knows the RFC 3526 primes as the
 * named groups "modp_*" (the "ffdhe*" names are RFC 7919's, a different
 * set).  Group 10 (SECP160R1) is deliberately not offered. */
static const struct dh_group groups[] = {
	{ HIP_DH_MODP_1536, 0, "modp_1536", 192 },
	{ HIP_DH_MODP_3072, 0, "modp_3072", 384 },
	{ HIP_DH_NIST_P256, 1, "P-256", 32 },
	{ HIP_DH_NIST_P384, 1, "P-384", 48 },
	{ HIP_DH_NIST_P521, 1, "P-521", 66 },
	{ HIP_DH_MODP_2048, 0, "modp_2048", 256 },
};

struct hip_dh {
	const struct dh_group *g;
	EVP_PKEY *key;
};

static const struct dh_group *find_group(int id)
{
	for (size_t n = 0; n < HIP_ARRAY_SIZE(groups); n++)
		if (groups[n].id == id)
			return &groups[n];
	return NULL;
}

int hip_dh_supported(int group)
{
	return find_group(group) != NULL;
}

size_t hip_dh_public_len(int group)
{
	const struct dh_group *g = find_group(group);

	if (g == NULL)
		return 0;
	return g->ec ? 2 * g->len : g->len;
}

size_t hip_dh_secret_len(int group)
{
	const struct dh_group *g = find_group(group);

	return g != NULL ? g->len : 0;
}

int hip_dh_generate(int group, struct hip_dh **out)
{
	const struct dh_group *g = find_group(group);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	struct hip_dh *dh;
	OSSL_PARAM params[2];

	if (out == NULL)
		return HIP_EINVAL;
	if (g == NULL)
		return HIP_EUNSUPPORTED;
	dh = calloc(1, sizeof(*dh));
	if (dh == NULL)
		return HIP_ENOMEM;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->ec ? "EC" : "DH", NULL);
	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_params(ctx, params) <= 0 ||
	    EVP_PKEY_generate(ctx, &key) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		free(dh);
		return HIP_ECRYPTO;
	}
	EVP_PKEY_CTX_free(ctx);
	dh->g = g;
	dh->key = key;
	*out = dh;
	return HIP_OK;
}

void hip_dh_free(struct hip_dh *dh)
{
	if (dh == NULL)
		return;
	/* OpenSSL clears private key material when it frees it. */
	EVP_PKEY_free(dh->key);
	hip_wipe(dh, sizeof(*dh));
	free(dh);
}

int hip_dh_group(const struct hip_dh *dh)
{
	return dh != NULL ? dh->g->id : 0;
}

int hip_dh_public(const struct hip_dh *dh, uint8_t *out, size_t cap,
		  size_t *outlen)
{
	size_t need;

	if (dh == NULL || out == NULL || outlen == NULL)
		return HIP_EINVAL;
	need = hip_dh_public_len(dh->g->id);
	if (cap < need)
		return HIP_ENOSPC;
	if (dh->g->ec) {
		/* The provider encodes the point uncompressed: 0x04|X|Y. */
		uint8_t buf[1 + 2 * 66];
		size_t len = 0;

		if (EVP_PKEY_get_octet_string_param(dh->key,
				OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof(buf),
				&len) != 1 ||
		    len != need + 1 || buf[0] != 0x04)
			return HIP_ECRYPTO;
		memcpy(out, buf + 1, need);
	} else {
		BIGNUM *y = NULL;
		int ok;

		if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY,
					  &y) != 1)
			return HIP_ECRYPTO;
		ok = BN_bn2binpad(y, out, (int)need) == (int)need;
		BN_free(y);
		if (!ok)
			return HIP_ECRYPTO;
	}
	*outlen = need;
	return HIP_OK;
}

/* MODP: 1 < y < p-1 (RFC 7401 leaves validation to the DH RFCs; this is
 * the RFC 2631 / SP 800-56A range check). */
static int modp_range_ok(const EVP_PKEY *pk, const uint8_t *pub, size_t len)
{
	BIGNUM *p = NULL, *y = NULL, *pm1 = NULL;
	int ok = 0;

	if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_FFC_P, &p) != 1)
		return 0;
	y = BN_bin2bn(pub, (int)len, NULL);
	pm1 = BN_dup(p);
	if (y != NULL && pm1 != NULL && BN_sub_word(pm1, 1) == 1)
		ok = BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, pm1) < 0;
	BN_free(p);
	BN_free(y);
	BN_free(pm1);
	return ok;
}

/* Build a public-only key of group g from a HIP public value and check
 * it fully: exact length, range (MODP), on curve and of the right order
 * (EC; the HIP groups have cofactor 1, RFC 7401 5.2.7).  The peer key is
 * returned in *peer_out when that is not NULL. */
static int import_peer(const struct dh_group *g, const uint8_t *pub,
		       size_t len, EVP_PKEY **peer_out)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *chk = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *y = NULL;
	uint8_t point[1 + 2 * 66];
	int ret = HIP_EVERIFY;

	if (pub == NULL)
		return HIP_EINVAL;
	if (len != (g->ec ? 2 * g->len : g->len))
		return HIP_ELEN;
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL)
		return HIP_ENOMEM;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    g->name, 0) != 1) {
		ret = HIP_ECRYPTO;
		goto out;
	}
	if (g->ec) {
		point[0] = 0x04;	/* SEC1 uncompressed (RFC 5903 7) */
		memcpy(point + 1, pub, len);
		if (OSSL_PARAM_BLD_push_octet_string(bld,
				OSSL_PKEY_PARAM_PUB_KEY, point,
				len + 1) != 1) {
			ret = HIP_ECRYPTO;
			goto out;
		}
	} else {
		y = BN_bin2bn(pub, (int)len, NULL);
		if (y == NULL ||
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY,
					   y) != 1) {
			ret = HIP_ECRYPTO;
			goto out;
		}
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->ec ? "EC" : "DH", NULL);
	if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0) {
		ret = HIP_ECRYPTO;
		goto out;
	}
	/* fromdata fails on points that are not on the curve. */
	if (EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	if (!g->ec && !modp_range_ok(pk, pub, len))
		goto out;
	/* Public key check.  MODP: the full check, i.e. the safe-prime
	 * subgroup test y^q = 1.  EC: the quick check (point on the curve,
	 * not at infinity) is complete, as P-256/384/521 have cofactor 1;
	 * the full check would add a scalar multiplication per exchange. */
	chk = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
	if (chk == NULL) {
		ret = HIP_ENOMEM;
		goto out;
	}
	if ((g->ec ? EVP_PKEY_public_check_quick(chk)
		   : EVP_PKEY_public_check(chk)) != 1)
		goto out;
	ret = HIP_OK;
	if (peer_out != NULL) {
		*peer_out = pk;
		pk = NULL;
	}
out:
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	return ret;
}

int hip_dh_check_public(int group, const uint8_t *pub, size_t len)
{
	const struct dh_group *g = find_group(group);

	if (g == NULL)
		return HIP_EUNSUPPORTED;
	return import_peer(g, pub, len, NULL);
}

int hip_dh_derive(const struct hip_dh *dh, const uint8_t *peer,
		  size_t peer_len, uint8_t *out, size_t cap, size_t *outlen)
{
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t secret[HIP_DH_MAX_SECRET_LEN];
	size_t slen = sizeof(secret), need;
	int ret;

	if (dh == NULL || out == NULL || outlen == NULL)
		return HIP_EINVAL;
	need = dh->g->len;
	if (cap < need)
		return HIP_ENOSPC;
	ret = import_peer(dh->g, peer, peer_len, &pk);
	if (ret != HIP_OK)
		return ret;
	ret = HIP_ECRYPTO;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (ctx == NULL || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, pk) <= 0 ||
	    EVP_PKEY_derive(ctx, secret, &slen) <= 0 || slen > need)
		goto out;
	/* Kij has the full prime / field length (RFC 5903 7 for ECDH; for
	 * MODP, leading zero octets are kept as in RFC 2631). */
	memset(out, 0, need - slen);
	memcpy(out + (need - slen), secret, slen);
	*outlen = need;
	ret = HIP_OK;
out:
	hip_wipe(secret, sizeof(secret));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}

static int in_list(const uint8_t *list, size_t n, uint8_t id)
{
	for (size_t k = 0; k < n; k++)
		if (list[k] == id)
			return 1;
	return 0;
}

int hip_dh_select(const uint8_t *ours, size_t n_ours,
		  const uint8_t *peer, size_t n_peer, uint8_t *chosen)
{
	if ((ours == NULL && n_ours > 0) || (peer == NULL && n_peer > 0) ||
	    chosen == NULL)
		return HIP_EINVAL;
	for (size_t k = 0; k < n_ours; k++) {
		if (in_list(peer, n_peer, ours[k])) {
			*chosen = ours[k];
			return HIP_OK;
		}
	}
	return HIP_ENOENT;
}

int hip_dh_check_choice(const uint8_t *sent, size_t n_sent,
			const uint8_t *r1_list, size_t n_r1, uint8_t chosen)
{
	uint8_t expect;

	if (hip_dh_select(r1_list, n_r1, sent, n_sent, &expect) != HIP_OK)
		return HIP_EVERIFY;
	return expect == chosen ? HIP_OK : HIP_EVERIFY;
}
