/*
 * suite.c - algorithm tables: RHASH per HIT suite, HIP_CIPHER sizes and
 * ESP transform suites with their kernel names.
 */
#include <stddef.h>

#include "hip/proto.h"
#include "hip/suite.h"

/* RFC 7401 5.2.10: suite 1 RSA/DSA with SHA-256, suite 2 ECDSA with
 * SHA-384, suite 3 ECDSA_LOW with SHA-1; HMAC uses the same hash. */
static const struct hip_rhash_info rhash_table[] = {
	{ HIP_HIT_SUITE_RSA_DSA_SHA256, "SHA256", 32 },
	{ HIP_HIT_SUITE_ECDSA_SHA384, "SHA384", 48 },
	{ HIP_HIT_SUITE_ECDSA_LOW_SHA1, "SHA1", 20 },
};

const struct hip_rhash_info *hip_suite_rhash(int hit_suite)
{
	for (size_t n = 0; n < sizeof(rhash_table) / sizeof(rhash_table[0]);
	     n++)
		if (rhash_table[n].suite == hit_suite)
			return &rhash_table[n];
	return NULL;
}

size_t hip_suite_rhash_len(int hit_suite)
{
	const struct hip_rhash_info *r = hip_suite_rhash(hit_suite);

	return r != NULL ? r->len : 0;
}

/* RFC 7401 5.2.8 (IDs) and 6.5 ("natural" key sizes: AES 128/256 bits,
 * NULL 0).  CBC IVs are one block (5.2.18). */
static const struct hip_cipher_info cipher_table[] = {
	{ HIP_CIPHER_NULL, NULL, 0, 1, 0 },
	{ HIP_CIPHER_AES_128_CBC, "AES-128-CBC", 16, 16, 16 },
	{ HIP_CIPHER_AES_256_CBC, "AES-256-CBC", 32, 16, 16 },
};

const struct hip_cipher_info *hip_cipher_info(int cipher_id)
{
	for (size_t n = 0; n < sizeof(cipher_table) / sizeof(cipher_table[0]);
	     n++)
		if (cipher_table[n].id == cipher_id)
			return &cipher_table[n];
	return NULL;
}

/* PF_KEY numbers (RFC 2367 and Linux pfkeyv2.h). */
enum {
	SADB_AALG_NONE_ = 0,
	SADB_AALG_SHA1HMAC_ = 3,
	SADB_X_AALG_SHA2_256HMAC_ = 5,
	SADB_EALG_NULL_ = 11,
	SADB_X_EALG_AESCBC_ = 12,
	SADB_X_EALG_AES_CCM_ICV8_ = 14,
	SADB_X_EALG_AES_CCM_ICV16_ = 16,
	SADB_X_EALG_AES_GCM_ICV8_ = 18,
	SADB_X_EALG_AES_GCM_ICV16_ = 20,
	SADB_X_EALG_NULL_AES_GMAC_ = 23,
};

/*
 * RFC 7402 5.1.2 and the IANA "ESP Transform Suite IDs" registry.
 * HMAC-SHA-256 in ESP is truncated to 128 bits (RFC 4868); Linux's
 * plain XFRMA_ALG_AUTH would default to 96, hence XFRMA_ALG_AUTH_TRUNC
 * with icv_bits.  HMAC-SHA-1 is truncated to 96 bits (RFC 2404).  The
 * AEAD suites use AES-128 [RFC 7402 does not name a key size; 128 is the
 * smallest RFC 4106/4309 size and what the MUST suite 8 uses].  CCM has
 * a 3-octet salt (RFC 4309), GCM and GMAC a 4-octet one (RFC 4106,
 * 4543).
 */
static const struct hip_esp_suite_info esp_table[] = {
	{ HIP_ESP_AES128_CBC_SHA1, 0, 16, 0, 20, 96,
	  "cbc(aes)", "hmac(sha1)", NULL,
	  SADB_X_EALG_AESCBC_, SADB_AALG_SHA1HMAC_ },
	{ HIP_ESP_NULL_SHA256, 0, 0, 0, 32, 128,
	  "ecb(cipher_null)", "hmac(sha256)", NULL,
	  SADB_EALG_NULL_, SADB_X_AALG_SHA2_256HMAC_ },
	{ HIP_ESP_AES128_CBC_SHA256, 0, 16, 0, 32, 128,
	  "cbc(aes)", "hmac(sha256)", NULL,
	  SADB_X_EALG_AESCBC_, SADB_X_AALG_SHA2_256HMAC_ },
	{ HIP_ESP_AES256_CBC_SHA256, 0, 32, 0, 32, 128,
	  "cbc(aes)", "hmac(sha256)", NULL,
	  SADB_X_EALG_AESCBC_, SADB_X_AALG_SHA2_256HMAC_ },
	{ HIP_ESP_AES_CCM_8, 1, 16, 3, 0, 64,
	  NULL, NULL, "rfc4309(ccm(aes))",
	  SADB_X_EALG_AES_CCM_ICV8_, SADB_AALG_NONE_ },
	{ HIP_ESP_AES_CCM_16, 1, 16, 3, 0, 128,
	  NULL, NULL, "rfc4309(ccm(aes))",
	  SADB_X_EALG_AES_CCM_ICV16_, SADB_AALG_NONE_ },
	{ HIP_ESP_AES_GCM_8, 1, 16, 4, 0, 64,
	  NULL, NULL, "rfc4106(gcm(aes))",
	  SADB_X_EALG_AES_GCM_ICV8_, SADB_AALG_NONE_ },
	{ HIP_ESP_AES_GCM_16, 1, 16, 4, 0, 128,
	  NULL, NULL, "rfc4106(gcm(aes))",
	  SADB_X_EALG_AES_GCM_ICV16_, SADB_AALG_NONE_ },
	/* Authentication only (RFC 4494): no PF_KEY number on Linux. */
	{ HIP_ESP_AES_CMAC_96, 0, 0, 0, 16, 96,
	  "ecb(cipher_null)", "cmac(aes)", NULL,
	  SADB_EALG_NULL_, SADB_AALG_NONE_ },
	{ HIP_ESP_AES_GMAC, 1, 16, 4, 0, 128,
	  NULL, NULL, "rfc4543(gcm(aes))",
	  SADB_X_EALG_NULL_AES_GMAC_, SADB_AALG_NONE_ },
};

const struct hip_esp_suite_info *hip_esp_suite_info(int esp_suite)
{
	for (size_t n = 0; n < sizeof(esp_table) / sizeof(esp_table[0]); n++)
		if (esp_table[n].id == esp_suite)
			return &esp_table[n];
	return NULL;
}

size_t hip_esp_suite_enc_draw_len(const struct hip_esp_suite_info *s)
{
	return s != NULL ? s->enc_key_len + s->salt_len : 0;
}
