/*
 * hip/suite.h - algorithm tables of an association: RHASH/HMAC per HIT
 * suite (RFC 7401 5.2.10), HIP_CIPHER key and block sizes (RFC 7401
 * 5.2.8, 6.5) and ESP transform suites (RFC 7402 5.1.2) with the names
 * the Linux XFRM and PF_KEY interfaces know them by.
 */
#ifndef HIP_SUITE_H
#define HIP_SUITE_H

#include <stddef.h>
#include <stdint.h>

#define HIP_RHASH_MAX_LEN	48	/* SHA-384 */
#define HIP_CIPHER_MAX_KEY_LEN	32	/* AES-256 */
#define HIP_CIPHER_MAX_BLOCK	16
#define HIP_ESP_MAX_ENC_LEN	36	/* AES-256 key + 4-octet salt */
#define HIP_ESP_MAX_AUTH_LEN	48

/* RHASH and HMAC of a HIT suite (the Responder's suite selects both for
 * the association, RFC 7401 App. E). */
struct hip_rhash_info {
	uint8_t suite;		/* enum hip_hit_suite */
	const char *digest;	/* OpenSSL digest name, e.g. "SHA256" */
	size_t len;		/* RHASH_len / 8 = HMAC key and output octets */
};

/* NULL when the suite is unknown or not supported (e.g. 5, cSHAKE). */
const struct hip_rhash_info *hip_suite_rhash(int hit_suite);

/* RHASH_len/8 of a suite, 0 when unsupported. */
size_t hip_suite_rhash_len(int hit_suite);

/* HIP_CIPHER (RFC 7401 5.2.8): key size drawn from KEYMAT (6.5) and the
 * block / IV size of the ENCRYPTED parameter (5.2.18). */
struct hip_cipher_info {
	uint16_t id;		/* enum hip_cipher_id */
	const char *evp;	/* OpenSSL cipher name, NULL for NULL-ENCRYPT */
	size_t key_len;		/* octets; 0 for NULL-ENCRYPT */
	size_t block_len;	/* octets; 1 for NULL-ENCRYPT */
	size_t iv_len;		/* octets; 0 for NULL-ENCRYPT */
};

/* NULL when the cipher is unknown or not supported. */
const struct hip_cipher_info *hip_cipher_info(int cipher_id);

/* ESP transform suites (RFC 7402 5.1.2, IANA "ESP Transform Suite IDs").
 * For AEAD suites the salt is drawn from KEYMAT immediately after the
 * encryption key, key and salt together forming the "encryption key"
 * (RFC 7402 leaves this unspecified; RFC 4106/4309 define key|salt as
 * the keying material of one SA, which is what Linux expects too). */
struct hip_esp_suite_info {
	uint16_t id;		/* enum hip_esp_suite */
	int aead;		/* 1: combined mode, no separate auth key */
	size_t enc_key_len;	/* cipher key octets (0 for NULL) */
	size_t salt_len;	/* AEAD salt octets after the key (GCM 4) */
	size_t auth_key_len;	/* integrity key octets (0 for AEAD) */
	unsigned icv_bits;	/* ICV length on the wire */
	/* Linux XFRM: XFRMA_ALG_CRYPT + XFRMA_ALG_AUTH_TRUNC (trunc_len =
	 * icv_bits), or XFRMA_ALG_AEAD (icv_len = icv_bits, key = key |
	 * salt, alg_key_len = 8 * (enc_key_len + salt_len)).  NULL when
	 * the attribute is not used by this suite. */
	const char *xfrm_enc;
	const char *xfrm_auth;
	const char *xfrm_aead;
	/* PF_KEY v2 (RFC 2367, Linux pfkeyv2.h) SADB_*ALG_* numbers; 0 when
	 * PF_KEY has no number for the algorithm. */
	uint8_t sadb_ealg;
	uint8_t sadb_aalg;
};

/* NULL when the suite is unknown, deprecated (2-6) or not supported. */
const struct hip_esp_suite_info *hip_esp_suite_info(int esp_suite);

/* Octets drawn from KEYMAT for one SA's encryption key (key + salt). */
size_t hip_esp_suite_enc_draw_len(const struct hip_esp_suite_info *s);

#endif
