/*
 * sign.c - HIP_SIGNATURE / HIP_SIGNATURE_2 signatures (RFC 7401 5.2.14,
 * 5.2.15, 6.4.2) with the identity's algorithm.
 *
 * RSA:   RSASSA-PSS (RFC 8017 8.1) with SHA-256, the RHASH of HIT suite 1,
 *        MGF1 with SHA-256 and a 32-octet salt.  Verification recovers the
 *        salt length from the signature, so peers using another salt
 *        length still verify.
 * ECDSA: with SHA-384, the RHASH of HIT suite 2 ("ECDSA/SHA-384"), for
 *        both curves; the signature is r | s, each left-padded to the
 *        curve's order size (RFC 6090 / RFC 4754 format, not DER).
 * EdDSA: pure Ed25519 / Ed448 (RFC 8032), no context string.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "libhipcore/identity_priv.h"

#define PSS_SALT_LEN	32
#define ECDSA_MAX_DER	(2 * 48 + 16)

size_t hip_sig_len(const struct hip_identity *id)
{
	if (id == NULL)
		return 0;
	switch (id->algo) {
	case HIP_HI_RSA:
		return (size_t)EVP_PKEY_get_size(id->pkey);
	case HIP_HI_ECDSA:
		return 2 * hip_ecdsa_field_len(id->curve);
	case HIP_HI_EDDSA:
		return id->curve == HIP_EDDSA_CURVE_ED25519 ? 64 : 114;
	default:
		return 0;
	}
}

/* Digest name for DigestSign/Verify; NULL = the algorithm hashes itself. */
static const char *sig_digest(const struct hip_identity *id)
{
	switch (id->algo) {
	case HIP_HI_RSA:
		return "SHA256";
	case HIP_HI_ECDSA:
		return "SHA384";
	default:
		return NULL;
	}
}

static int md_ctx_init(const struct hip_identity *id, int sign,
		       EVP_MD_CTX **out)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	if (md == NULL)
		return HIP_ENOMEM;
	if (sign)
		ok = EVP_DigestSignInit_ex(md, &pctx, sig_digest(id), NULL,
					   NULL, id->pkey, NULL) == 1;
	else
		ok = EVP_DigestVerifyInit_ex(md, &pctx, sig_digest(id), NULL,
					     NULL, id->pkey, NULL) == 1;
	if (ok && id->algo == HIP_HI_RSA)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
						  RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256",
						       NULL) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(
			     pctx, sign ? PSS_SALT_LEN
					: RSA_PSS_SALTLEN_AUTO) == 1;
	if (!ok) {
		EVP_MD_CTX_free(md);
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	*out = md;
	return 0;
}

/* DER ECDSA-Sig-Value -> r | s of 2 * flen octets. */
static int ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t flen,
			    uint8_t *raw)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	const BIGNUM *r, *s;
	int ok;

	if (sig == NULL)
		return HIP_ECRYPTO;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, raw, (int)flen) == (int)flen &&
	     BN_bn2binpad(s, raw + flen, (int)flen) == (int)flen;
	ECDSA_SIG_free(sig);
	return ok ? 0 : HIP_ECRYPTO;
}

/* r | s -> DER; returns the DER length or a negative HIP_E*. */
static int ecdsa_raw_to_der(const uint8_t *raw, size_t flen, uint8_t *der,
			    size_t cap)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)flen, NULL);
	BIGNUM *s = BN_bin2bn(raw + flen, (int)flen, NULL);
	unsigned char *p = der;
	int len;

	if (sig == NULL || r == NULL || s == NULL ||
	    ECDSA_SIG_set0(sig, r, s) != 1) {
		ECDSA_SIG_free(sig);
		BN_free(r);
		BN_free(s);
		return HIP_ENOMEM;
	}
	len = i2d_ECDSA_SIG(sig, NULL);
	if (len <= 0 || (size_t)len > cap)
		len = HIP_ECRYPTO;
	else
		len = i2d_ECDSA_SIG(sig, &p);
	ECDSA_SIG_free(sig);	/* frees r and s */
	return len > 0 ? len : HIP_ECRYPTO;
}

int hip_sign(const struct hip_identity *id, const uint8_t *msg,
	     size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len,
	     uint16_t *sig_algo)
{
	uint8_t der[ECDSA_MAX_DER];
	size_t want, got;
	EVP_MD_CTX *md = NULL;
	int ret;

	if (id == NULL || (msg == NULL && msg_len > 0) || sig == NULL ||
	    sig_len == NULL || !id->priv)
		return HIP_EINVAL;
	want = hip_sig_len(id);
	if (want == 0)
		return HIP_EUNSUPPORTED;
	if (cap < want)
		return HIP_ENOSPC;
	ret = md_ctx_init(id, 1, &md);
	if (ret < 0)
		return ret;
	if (id->algo == HIP_HI_ECDSA) {
		got = sizeof(der);
		if (EVP_DigestSign(md, der, &got, msg, msg_len) != 1)
			ret = HIP_ECRYPTO;
		else
			ret = ecdsa_der_to_raw(der, got,
					       hip_ecdsa_field_len(id->curve),
					       sig);
	} else {
		got = cap;
		if (EVP_DigestSign(md, sig, &got, msg, msg_len) != 1 ||
		    got != want)
			ret = HIP_ECRYPTO;
	}
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	if (ret < 0)
		return ret;
	*sig_len = want;
	if (sig_algo != NULL)
		*sig_algo = (uint16_t)id->algo;
	return 0;
}

int hip_verify(const struct hip_identity *id, uint16_t sig_algo,
	       const uint8_t *msg, size_t msg_len, const uint8_t *sig,
	       size_t sig_len)
{
	uint8_t der[ECDSA_MAX_DER];
	const uint8_t *vsig = sig;
	size_t vlen = sig_len;
	EVP_MD_CTX *md = NULL;
	int ret, r;

	if (id == NULL || (msg == NULL && msg_len > 0) ||
	    (sig == NULL && sig_len > 0))
		return HIP_EINVAL;
	if (sig_algo != id->algo || sig_len != hip_sig_len(id) ||
	    sig_len == 0)
		return HIP_EVERIFY;
	if (id->algo == HIP_HI_ECDSA) {
		ret = ecdsa_raw_to_der(sig, sig_len / 2, der, sizeof(der));
		if (ret < 0)
			return ret;
		vsig = der;
		vlen = (size_t)ret;
	}
	ret = md_ctx_init(id, 0, &md);
	if (ret < 0)
		return ret;
	r = EVP_DigestVerify(md, vsig, vlen, msg, msg_len);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	/* 0 = bad signature, negative = malformed: both fail to verify. */
	return r == 1 ? 0 : HIP_EVERIFY;
}
