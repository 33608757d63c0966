/*
 * identity.c - host identity objects: generation, classification of
 * OpenSSL keys, accessors, public key export.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "libhipcore/identity_priv.h"

static const struct {
	enum hip_key_type type;
	const char *name;
} key_type_names[] = {
	{ HIP_KEY_RSA, "rsa" },
	{ HIP_KEY_ECDSA_P256, "ecdsa-p256" },
	{ HIP_KEY_ECDSA_P384, "ecdsa-p384" },
	{ HIP_KEY_ED25519, "ed25519" },
	{ HIP_KEY_ED448, "ed448" },
};

const char *hip_key_type_name(enum hip_key_type type)
{
	for (size_t i = 0; i < sizeof(key_type_names) / sizeof(key_type_names[0]);
	     i++)
		if (key_type_names[i].type == type)
			return key_type_names[i].name;
	return "?";
}

static int parse_bits(const char *s, unsigned int *bits)
{
	unsigned long v = 0;

	if (*s == '\0')
		return HIP_EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return HIP_EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > HIP_RSA_MAX_BITS)
			return HIP_EINVAL;
	}
	if (v < HIP_RSA_MIN_GEN_BITS || v % 8 != 0)
		return HIP_EINVAL;
	*bits = (unsigned int)v;
	return 0;
}

int hip_key_type_parse(const char *name, enum hip_key_type *type,
		       unsigned int *bits)
{
	unsigned int b = 0;

	if (name == NULL || type == NULL || bits == NULL)
		return HIP_EINVAL;
	if (strncmp(name, "rsa:", 4) == 0) {
		if (parse_bits(name + 4, &b) < 0)
			return HIP_EINVAL;
		*type = HIP_KEY_RSA;
		*bits = b;
		return 0;
	}
	for (size_t i = 0; i < sizeof(key_type_names) / sizeof(key_type_names[0]);
	     i++) {
		if (strcmp(name, key_type_names[i].name) == 0) {
			*type = key_type_names[i].type;
			*bits = 0;
			return 0;
		}
	}
	return HIP_EINVAL;
}

size_t hip_ecdsa_field_len(int curve)
{
	switch (curve) {
	case HIP_ECDSA_CURVE_P256:
		return 32;
	case HIP_ECDSA_CURVE_P384:
		return 48;
	default:
		return 0;
	}
}

/* 1 when the key holds its private half.  Private scalars fetched to
 * find out are cleared at once. */
static int pkey_has_private(const EVP_PKEY *pkey, int algo)
{
	BIGNUM *bn = NULL;
	size_t len = 0;
	int ret = 0;

	switch (algo) {
	case HIP_HI_RSA:
		ret = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &bn);
		break;
	case HIP_HI_ECDSA:
		ret = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn);
		break;
	case HIP_HI_EDDSA:
		ret = EVP_PKEY_get_raw_private_key(pkey, NULL, &len) == 1 &&
		      len > 0;
		break;
	}
	BN_clear_free(bn);
	ERR_clear_error();
	return ret == 1;
}

static int classify_ec(const EVP_PKEY *pkey, struct hip_identity *id)
{
	char group[64];
	size_t glen = 0;

	if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
					   group, sizeof(group), &glen) != 1) {
		ERR_clear_error();
		return HIP_EUNSUPPORTED;	/* explicit parameters */
	}
	if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0) {
		id->type = HIP_KEY_ECDSA_P256;
		id->curve = HIP_ECDSA_CURVE_P256;
		id->bits = 256;
	} else if (strcmp(group, "secp384r1") == 0 ||
		   strcmp(group, "P-384") == 0) {
		id->type = HIP_KEY_ECDSA_P384;
		id->curve = HIP_ECDSA_CURVE_P384;
		id->bits = 384;
	} else {
		return HIP_EUNSUPPORTED;
	}
	id->algo = HIP_HI_ECDSA;
	return 0;
}

static int classify_rsa(const EVP_PKEY *pkey, struct hip_identity *id)
{
	BIGNUM *e = NULL;
	int bits = EVP_PKEY_get_bits(pkey);
	int ok;

	if (bits < HIP_RSA_MIN_BITS || bits > HIP_RSA_MAX_BITS)
		return HIP_EUNSUPPORTED;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		ERR_clear_error();
		return HIP_EUNSUPPORTED;
	}
	/* Odd, at least 3, and short enough for our HI encoding. */
	ok = BN_is_odd(e) && !BN_is_one(e) &&
	     BN_num_bytes(e) <= HIP_RSA_MAX_E_LEN;
	BN_free(e);
	if (!ok)
		return HIP_EUNSUPPORTED;
	id->type = HIP_KEY_RSA;
	id->algo = HIP_HI_RSA;
	id->curve = 0;
	id->bits = (unsigned int)bits;
	return 0;
}

/* RSA modulus: odd and without a prime factor below 1000.  OpenSSL's
 * own RSA public check is not used: its Miller-Rabin test picks random
 * bases, so a malformed modulus could pass it on one call and fail on
 * the next (the same key loading but not decoding; found by
 * fuzz_keyfile), and it costs about 10 ms per received HOST_ID.  A
 * peer's RSA key only verifies that peer's signatures, so a deterministic
 * sanity check is what is needed. */
static int rsa_modulus_valid(const EVP_PKEY *pkey)
{
	BIGNUM *n = NULL;
	int ok;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1) {
		ERR_clear_error();
		return 0;
	}
	ok = BN_is_odd(n);
	for (BN_ULONG p = 3; ok && p < 1000; p += 2) {
		BN_ULONG d;

		for (d = 3; d * d <= p && p % d != 0; d += 2)
			;
		if (d * d <= p)
			continue;	/* p is not prime */
		ok = BN_mod_word(n, p) != 0;
	}
	BN_free(n);
	return ok;
}

/* The provider's public key validation: point on the curve and not at
 * infinity, RSA modulus odd and without small factors.  (It does nothing
 * useful for EdDSA keys.)  For EC keys the quick check suffices: the
 * NIST curves have cofactor 1, so a point on the curve is in the prime
 * order group and the full check's [n]P = O adds nothing but a scalar
 * multiplication (38 us against 3 us on P-256, test/bench). */
static int public_key_valid(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	int ok;

	if (EVP_PKEY_is_a(pkey, "RSA"))
		ok = rsa_modulus_valid(pkey);
	else if (ctx != NULL && EVP_PKEY_is_a(pkey, "EC"))
		ok = EVP_PKEY_public_check_quick(ctx) == 1;
	else
		ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;

	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

int hip_identity_wrap(EVP_PKEY *pkey, struct hip_identity **out)
{
	struct hip_identity tmp, *id;
	int ret;

	if (pkey == NULL || out == NULL)
		return HIP_EINVAL;
	memset(&tmp, 0, sizeof(tmp));
	/* "RSA" only: an "RSA-PSS" key may carry restrictions that clash
	 * with the parameters HIP prescribes. */
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		ret = classify_rsa(pkey, &tmp);
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		ret = classify_ec(pkey, &tmp);
	} else if (EVP_PKEY_is_a(pkey, "ED25519")) {
		tmp.type = HIP_KEY_ED25519;
		tmp.algo = HIP_HI_EDDSA;
		tmp.curve = HIP_EDDSA_CURVE_ED25519;
		tmp.bits = 256;
		ret = 0;
	} else if (EVP_PKEY_is_a(pkey, "ED448")) {
		tmp.type = HIP_KEY_ED448;
		tmp.algo = HIP_HI_EDDSA;
		tmp.curve = HIP_EDDSA_CURVE_ED448;
		tmp.bits = 448;
		ret = 0;
	} else {
		ret = HIP_EUNSUPPORTED;
	}
	if (ret < 0)
		return ret;
	if (tmp.algo != HIP_HI_EDDSA && !public_key_valid(pkey))
		return HIP_EFORMAT;
	tmp.priv = pkey_has_private(pkey, tmp.algo);
	id = malloc(sizeof(*id));
	if (id == NULL)
		return HIP_ENOMEM;
	*id = tmp;
	id->pkey = pkey;
	*out = id;
	return 0;
}

static EVP_PKEY *generate_rsa(unsigned int bits)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;
	BIGNUM *e = BN_new();

	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (ctx == NULL || e == NULL || !BN_set_word(e, RSA_F4) ||
	    EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1 ||
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) != 1 ||
	    EVP_PKEY_generate(ctx, &pkey) != 1)
		pkey = NULL;
	BN_free(e);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

int hip_identity_generate(enum hip_key_type type, unsigned int rsa_bits,
			  struct hip_identity **out)
{
	EVP_PKEY *pkey = NULL;
	int ret;

	if (out == NULL)
		return HIP_EINVAL;
	if (type == HIP_KEY_RSA) {
		if (rsa_bits == 0)
			rsa_bits = HIP_RSA_DEFAULT_BITS;
		if (rsa_bits < HIP_RSA_MIN_GEN_BITS ||
		    rsa_bits > HIP_RSA_MAX_BITS || rsa_bits % 8 != 0)
			return HIP_EINVAL;
	} else if (rsa_bits != 0) {
		return HIP_EINVAL;
	}

	switch (type) {
	case HIP_KEY_RSA:
		pkey = generate_rsa(rsa_bits);
		break;
	case HIP_KEY_ECDSA_P256:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case HIP_KEY_ECDSA_P384:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
		break;
	case HIP_KEY_ED25519:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case HIP_KEY_ED448:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED448");
		break;
	default:
		return HIP_EINVAL;
	}
	if (pkey == NULL) {
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	ret = hip_identity_wrap(pkey, out);
	if (ret < 0) {
		EVP_PKEY_free(pkey);
		return ret == HIP_ENOMEM ? ret : HIP_ECRYPTO;
	}
	return 0;
}

void hip_identity_free(struct hip_identity *id)
{
	if (id == NULL)
		return;
	/* EVP_PKEY_free clears the private key material it holds. */
	EVP_PKEY_free(id->pkey);
	free(id);
}

int hip_identity_dup_public(const struct hip_identity *id,
			    struct hip_identity **out)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	EVP_PKEY *pub;
	int len, ret;

	if (id == NULL || out == NULL)
		return HIP_EINVAL;
	len = i2d_PUBKEY(id->pkey, &der);
	if (len <= 0) {
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	p = der;
	pub = d2i_PUBKEY_ex(NULL, &p, len, NULL, NULL);
	OPENSSL_free(der);
	if (pub == NULL) {
		ERR_clear_error();
		return HIP_ECRYPTO;
	}
	ret = hip_identity_wrap(pub, out);
	if (ret < 0)
		EVP_PKEY_free(pub);
	return ret;
}

int hip_identity_algo(const struct hip_identity *id)
{
	return id->algo;
}

int hip_identity_curve(const struct hip_identity *id)
{
	return id->curve;
}

enum hip_key_type hip_identity_key_type(const struct hip_identity *id)
{
	return id->type;
}

unsigned int hip_identity_bits(const struct hip_identity *id)
{
	return id->bits;
}

int hip_identity_is_private(const struct hip_identity *id)
{
	return id->priv;
}

int hip_identity_public_eq(const struct hip_identity *a,
			   const struct hip_identity *b)
{
	int r;

	if (a == NULL || b == NULL)
		return 0;
	r = EVP_PKEY_eq(a->pkey, b->pkey);
	ERR_clear_error();
	return r == 1;
}

int hip_identity_public_pem(const struct hip_identity *id, char *out,
			    size_t cap, size_t *len)
{
	BIO *bio;
	char *data;
	long n;
	int ret;

	if (id == NULL || out == NULL || len == NULL)
		return HIP_EINVAL;
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return HIP_ENOMEM;
	if (PEM_write_bio_PUBKEY(bio, id->pkey) != 1) {
		ERR_clear_error();
		BIO_free(bio);
		return HIP_ECRYPTO;
	}
	n = BIO_get_mem_data(bio, &data);
	if (n <= 0) {
		ret = HIP_ECRYPTO;
	} else if ((size_t)n >= cap) {
		ret = HIP_ENOSPC;
	} else {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
		ret = 0;
	}
	BIO_free(bio);
	return ret;
}
