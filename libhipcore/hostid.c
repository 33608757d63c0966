/*
 * hostid.c - the HOST_ID parameter (RFC 7401 5.2.9): its "Host
 * Identity" field per algorithm and the whole parameter value.
 *
 *   RSA (RFC 3110):   e_len(1) | e | n, or 0 | e_len(2) | e | n when the
 *                     exponent is longer than 255 octets; no leading zero
 *                     octets in e or n.
 *   ECDSA (RFC 7401): Curve(2) | 0x04 | X | Y, X and Y left-padded to
 *                     the field size (uncompressed SEC1 point).
 *   EdDSA (RFC 9374): Curve(2) | public key (32 or 57 octets).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "libhipcore/identity_priv.h"

#define EC_POINT_UNCOMPRESSED	0x04
#define ED25519_KEY_LEN		32
#define ED448_KEY_LEN		57

/* --- encoding ------------------------------------------------------ */

static int hi_encode_rsa(const struct hip_identity *id, uint8_t *out,
			 size_t cap, size_t *len)
{
	BIGNUM *n = NULL, *e = NULL;
	size_t nlen, elen, hdr, total;
	int ret = HIP_ECRYPTO;

	if (EVP_PKEY_get_bn_param(id->pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(id->pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1)
		goto out;
	nlen = (size_t)BN_num_bytes(n);
	elen = (size_t)BN_num_bytes(e);
	hdr = elen > 255 ? 3 : 1;
	total = hdr + elen + nlen;
	ret = 0;
	if (out == NULL) {
		*len = total;
		goto out;
	}
	if (total > cap) {
		ret = HIP_ENOSPC;
		goto out;
	}
	if (hdr == 1) {
		out[0] = (uint8_t)elen;
	} else {
		out[0] = 0;
		hip_put16(out + 1, (uint16_t)elen);
	}
	if (BN_bn2bin(e, out + hdr) != (int)elen ||
	    BN_bn2bin(n, out + hdr + elen) != (int)nlen) {
		ret = HIP_ECRYPTO;
		goto out;
	}
	*len = total;
out:
	BN_free(n);
	BN_free(e);
	ERR_clear_error();
	return ret;
}

static int hi_encode_ecdsa(const struct hip_identity *id, uint8_t *out,
			   size_t cap, size_t *len)
{
	size_t flen = hip_ecdsa_field_len(id->curve);
	size_t total = 2 + 1 + 2 * flen;
	BIGNUM *x = NULL, *y = NULL;
	int ret = HIP_ECRYPTO;

	if (flen == 0)
		return HIP_EUNSUPPORTED;
	if (out == NULL) {
		*len = total;
		return 0;
	}
	if (total > cap)
		return HIP_ENOSPC;
	if (EVP_PKEY_get_bn_param(id->pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
	    EVP_PKEY_get_bn_param(id->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1)
		goto out;
	hip_put16(out, (uint16_t)id->curve);
	out[2] = EC_POINT_UNCOMPRESSED;
	if (BN_bn2binpad(x, out + 3, (int)flen) != (int)flen ||
	    BN_bn2binpad(y, out + 3 + flen, (int)flen) != (int)flen)
		goto out;
	*len = total;
	ret = 0;
out:
	BN_free(x);
	BN_free(y);
	ERR_clear_error();
	return ret;
}

static int hi_encode_eddsa(const struct hip_identity *id, uint8_t *out,
			   size_t cap, size_t *len)
{
	size_t klen = id->curve == HIP_EDDSA_CURVE_ED25519 ? ED25519_KEY_LEN
							    : ED448_KEY_LEN;
	size_t got = klen;

	if (out == NULL) {
		*len = 2 + klen;
		return 0;
	}
	if (2 + klen > cap)
		return HIP_ENOSPC;
	if (EVP_PKEY_get_raw_public_key(id->pkey, out + 2, &got) != 1 ||
	    got != klen) {
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	hip_put16(out, (uint16_t)id->curve);
	*len = 2 + klen;
	return 0;
}

int hip_hi_encode(const struct hip_identity *id, uint8_t *out, size_t cap,
		  size_t *len)
{
	if (id == NULL || len == NULL)
		return HIP_EINVAL;
	switch (id->algo) {
	case HIP_HI_RSA:
		return hi_encode_rsa(id, out, cap, len);
	case HIP_HI_ECDSA:
		return hi_encode_ecdsa(id, out, cap, len);
	case HIP_HI_EDDSA:
		return hi_encode_eddsa(id, out, cap, len);
	default:
		return HIP_EUNSUPPORTED;
	}
}

/* --- decoding ------------------------------------------------------ */

/* Build a public key from OSSL_PARAMs; hip_identity_wrap validates it. */
static int pkey_from_params(const char *type, OSSL_PARAM *params,
			    EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;
	int ret = HIP_EFORMAT;

	if (ctx == NULL) {
		ret = HIP_ENOMEM;
	} else if (EVP_PKEY_fromdata_init(ctx) == 1 &&
		   EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY,
				     params) == 1) {
		*out = pkey;
		ret = 0;
	}
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

static unsigned int bit_length(const uint8_t *p, size_t len)
{
	unsigned int bits = (unsigned int)(len - 1) * 8;

	for (uint8_t top = p[0]; top; top >>= 1)
		bits++;
	return bits;
}

static int hi_decode_rsa(const uint8_t *hi, size_t len, EVP_PKEY **out)
{
	const uint8_t *e, *n;
	size_t elen, nlen, off;
	unsigned int nbits;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *bn_e = NULL, *bn_n = NULL;
	int ret;

	if (len < 1)
		return HIP_ETRUNC;
	elen = hi[0];
	off = 1;
	if (elen == 0) {
		if (len < 3)
			return HIP_ETRUNC;
		elen = hip_get16(hi + 1);
		off = 3;
		if (elen <= 255)	/* the long form only for long exponents */
			return HIP_EFORMAT;
	}
	if (len - off < elen)
		return HIP_ETRUNC;
	if (elen > HIP_RSA_MAX_E_LEN)
		return HIP_EUNSUPPORTED;
	e = hi + off;
	n = e + elen;
	nlen = len - off - elen;
	if (nlen == 0)
		return HIP_ETRUNC;
	if (e[0] == 0 || n[0] == 0)	/* RFC 3110: no leading zeros */
		return HIP_EFORMAT;
	nbits = bit_length(n, nlen);
	if (nbits < HIP_RSA_MIN_BITS || nbits > HIP_RSA_MAX_BITS)
		return HIP_EUNSUPPORTED;
	if ((e[elen - 1] & 1) == 0 || (elen == 1 && e[0] == 1) ||
	    (n[nlen - 1] & 1) == 0)
		return HIP_EFORMAT;

	ret = HIP_ENOMEM;
	bn_e = BN_bin2bn(e, (int)elen, NULL);
	bn_n = BN_bin2bn(n, (int)nlen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (bn_e == NULL || bn_n == NULL || bld == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params == NULL)
		goto out;
	ret = pkey_from_params("RSA", params, out);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_e);
	BN_free(bn_n);
	ERR_clear_error();
	return ret;
}

static int hi_decode_ecdsa(const uint8_t *hi, size_t len, EVP_PKEY **out)
{
	OSSL_PARAM params[3];
	size_t flen, want;
	int curve;
	char *group;

	if (len < 2)
		return HIP_ETRUNC;
	curve = hip_get16(hi);
	flen = hip_ecdsa_field_len(curve);
	if (flen == 0)
		return HIP_EUNSUPPORTED;
	group = curve == HIP_ECDSA_CURVE_P256 ? "P-256" : "P-384";
	want = 2 + 1 + 2 * flen;
	if (len < want)
		return HIP_ETRUNC;
	if (len > want)
		return HIP_ELEN;
	if (hi[2] != EC_POINT_UNCOMPRESSED)
		return HIP_EFORMAT;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      (void *)(hi + 2),
						      1 + 2 * flen);
	params[2] = OSSL_PARAM_construct_end();
	return pkey_from_params("EC", params, out);
}

static int hi_decode_eddsa(const uint8_t *hi, size_t len, EVP_PKEY **out)
{
	const char *name;
	size_t klen;
	EVP_PKEY *pkey;

	if (len < 2)
		return HIP_ETRUNC;
	switch (hip_get16(hi)) {
	case HIP_EDDSA_CURVE_ED25519:
		name = "ED25519";
		klen = ED25519_KEY_LEN;
		break;
	case HIP_EDDSA_CURVE_ED448:
		name = "ED448";
		klen = ED448_KEY_LEN;
		break;
	default:	/* including the prehash variants */
		return HIP_EUNSUPPORTED;
	}
	if (len < 2 + klen)
		return HIP_ETRUNC;
	if (len > 2 + klen)
		return HIP_ELEN;
	/* OpenSSL does not check that the point decodes; a bad point just
	 * never verifies a signature. */
	pkey = EVP_PKEY_new_raw_public_key_ex(NULL, name, NULL, hi + 2, klen);
	if (pkey == NULL) {
		ERR_clear_error();
		return HIP_EFORMAT;
	}
	*out = pkey;
	return 0;
}

int hip_hi_decode(int algo, const uint8_t *hi, size_t len,
		  struct hip_identity **out)
{
	EVP_PKEY *pkey = NULL;
	int ret;

	if ((hi == NULL && len > 0) || out == NULL)
		return HIP_EINVAL;
	switch (algo) {
	case HIP_HI_RSA:
		ret = hi_decode_rsa(hi, len, &pkey);
		break;
	case HIP_HI_ECDSA:
		ret = hi_decode_ecdsa(hi, len, &pkey);
		break;
	case HIP_HI_EDDSA:
		ret = hi_decode_eddsa(hi, len, &pkey);
		break;
	default:
		return HIP_EUNSUPPORTED;
	}
	if (ret < 0)
		return ret;
	ret = hip_identity_wrap(pkey, out);
	if (ret < 0)
		EVP_PKEY_free(pkey);
	return ret;
}

/* --- the parameter value ------------------------------------------- */

#define HOSTID_FIXED_LEN	6

/* Domain identifiers: no control characters, no spaces (UTF-8 allowed). */
static int di_valid(int di_type, const uint8_t *di, size_t di_len)
{
	if (di_type == HIP_DI_NONE)
		return di_len == 0;
	if (di_type != HIP_DI_FQDN && di_type != HIP_DI_NAI)
		return 0;
	if (di_len == 0 || di_len > HIP_DI_MAX_LEN)
		return 0;
	for (size_t i = 0; i < di_len; i++)
		if (di[i] <= 0x20 || di[i] == 0x7f)
			return 0;
	return 1;
}

int hip_hostid_encode(const struct hip_identity *id, int di_type,
		      const char *di, size_t di_len, uint8_t *out, size_t cap,
		      size_t *len)
{
	size_t hi_len, total;
	int ret;

	if (id == NULL || len == NULL || (di == NULL && di_len > 0) ||
	    !di_valid(di_type, (const uint8_t *)di, di_len))
		return HIP_EINVAL;
	ret = hip_hi_encode(id, NULL, 0, &hi_len);
	if (ret < 0)
		return ret;
	total = HOSTID_FIXED_LEN + hi_len + di_len;
	if (out == NULL) {
		*len = total;
		return 0;
	}
	if (total > cap)
		return HIP_ENOSPC;
	ret = hip_hi_encode(id, out + HOSTID_FIXED_LEN,
			    cap - HOSTID_FIXED_LEN, &hi_len);
	if (ret < 0)
		return ret;
	hip_put16(out, (uint16_t)hi_len);
	hip_put16(out + 2, (uint16_t)((unsigned int)di_type << 12 | di_len));
	hip_put16(out + 4, (uint16_t)id->algo);
	if (di_len > 0)
		memcpy(out + HOSTID_FIXED_LEN + hi_len, di, di_len);
	*len = total;
	return 0;
}

int hip_hostid_parse(const uint8_t *val, size_t len,
		     struct hip_hostid_view *view)
{
	size_t hi_len, di_len;
	unsigned int di_type;

	if ((val == NULL && len > 0) || view == NULL)
		return HIP_EINVAL;
	if (len < HOSTID_FIXED_LEN)
		return HIP_ETRUNC;
	hi_len = hip_get16(val);
	di_type = hip_get16(val + 2) >> 12;
	di_len = hip_get16(val + 2) & 0x0fff;
	if (hi_len == 0)
		return HIP_ELEN;
	if (HOSTID_FIXED_LEN + hi_len + di_len > len)
		return HIP_ETRUNC;
	if (HOSTID_FIXED_LEN + hi_len + di_len < len)
		return HIP_ELEN;
	if (!di_valid((int)di_type, val + HOSTID_FIXED_LEN + hi_len, di_len))
		return HIP_EFORMAT;
	view->algo = hip_get16(val + 4);
	view->di_type = (uint8_t)di_type;
	view->hi = val + HOSTID_FIXED_LEN;
	view->hi_len = hi_len;
	view->di = di_len ? val + HOSTID_FIXED_LEN + hi_len : NULL;
	view->di_len = di_len;
	return 0;
}

int hip_hostid_decode(const uint8_t *val, size_t len,
		      struct hip_hostid_view *view, struct hip_identity **out)
{
	struct hip_hostid_view v;
	int ret;

	if (out == NULL)
		return HIP_EINVAL;
	ret = hip_hostid_parse(val, len, &v);
	if (ret < 0)
		return ret;
	ret = hip_hi_decode(v.algo, v.hi, v.hi_len, out);
	if (ret < 0)
		return ret;
	if (view != NULL)
		*view = v;
	return 0;
}
