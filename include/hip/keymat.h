/*
 * hip/keymat.h - the keying material of an association (RFC 7401 6.5,
 * RFC 7402 7).
 *
 *   KEYMAT = HKDF-Expand(HKDF-Extract(salt = #I | #J, IKM = Kij),
 *                        info = sort(HIT-I | HIT-R), L)
 * with the RHASH of the Responder's HIT suite; sort puts the smaller
 * HIT (unsigned 128-bit comparison) first.  Keys are drawn in order:
 * HIP-gl encryption, HIP-gl integrity, HIP-lg encryption, HIP-lg
 * integrity, then the ESP keys SA-gl encryption, SA-gl authentication,
 * SA-lg encryption, SA-lg authentication.  "gl" keys protect the
 * outgoing traffic of the host with the greater HIT.
 *
 * The ESP_INFO "KEYMAT index" (RFC 7402 5.1.1) is the byte offset of
 * the first ESP key; rekeying without a new DH draws from a given index.
 */
#ifndef HIP_KEYMAT_H
#define HIP_KEYMAT_H

#include <stddef.h>
#include <stdint.h>

#include "hip/suite.h"

struct hip_keymat;

/* Derive the KEYMAT of an association.  hit_suite is the Responder's;
 * ij_len = hip_suite_rhash_len(hit_suite) (the #I and #J sizes).  The
 * order of the two HITs does not matter; equal HITs are HIP_EINVAL. */
int hip_keymat_new(int hit_suite, const uint8_t *kij, size_t kij_len,
		   const uint8_t *i, const uint8_t *j, size_t ij_len,
		   const uint8_t hit_a[16], const uint8_t hit_b[16],
		   struct hip_keymat **out);

/* Wipe and free (NULL is fine). */
void hip_keymat_free(struct hip_keymat *km);

int hip_keymat_suite(const struct hip_keymat *km);

/* Current draw offset (octets already drawn) and the HKDF limit
 * (255 * RHASH_len/8, also capped at 65535 by the 16-bit index). */
size_t hip_keymat_offset(const struct hip_keymat *km);
size_t hip_keymat_limit(const struct hip_keymat *km);

/* Draw len octets at the current offset and advance it.  HIP_ENOSPC
 * when the KEYMAT would be exhausted (nothing is drawn then). */
int hip_keymat_draw(struct hip_keymat *km, uint8_t *out, size_t len);

/* Draw len octets at byte index and set the offset to index + len. */
int hip_keymat_draw_at(struct hip_keymat *km, size_t index, uint8_t *out,
		       size_t len);

/* The HIP keys of one host, sorted by direction. */
struct hip_hip_keys {
	size_t enc_len;		/* HIP_CIPHER key octets (0 for NULL) */
	size_t mac_len;		/* HMAC key octets = RHASH_len/8 */
	uint8_t enc_out[HIP_CIPHER_MAX_KEY_LEN];  /* our ENCRYPTED */
	uint8_t enc_in[HIP_CIPHER_MAX_KEY_LEN];   /* peer's ENCRYPTED */
	uint8_t mac_out[HIP_RHASH_MAX_LEN];	  /* our HIP_MAC */
	uint8_t mac_in[HIP_RHASH_MAX_LEN];	  /* peer's HIP_MAC */
};

/* The ESP keys of one pair of SAs, sorted by direction. */
struct hip_esp_keys {
	uint16_t suite;
	uint16_t index;		/* KEYMAT index of the first ESP key */
	size_t enc_len;		/* key + AEAD salt */
	size_t auth_len;
	uint8_t enc_out[HIP_ESP_MAX_ENC_LEN];	/* outbound SA */
	uint8_t enc_in[HIP_ESP_MAX_ENC_LEN];	/* inbound SA */
	uint8_t auth_out[HIP_ESP_MAX_AUTH_LEN];
	uint8_t auth_in[HIP_ESP_MAX_AUTH_LEN];
};

/* Draw the four HIP keys from the current offset (0 after
 * hip_keymat_new) and assign them to our/peer direction.  HIP_EINVAL
 * for equal HITs, HIP_EUNSUPPORTED for an unknown cipher. */
int hip_keymat_hip_keys(struct hip_keymat *km, int cipher_id,
			const uint8_t our_hit[16], const uint8_t peer_hit[16],
			struct hip_hip_keys *out);

/* Draw the four ESP keys at index (RFC 7402 7; pass
 * hip_keymat_offset() in the base exchange, the negotiated index when
 * rekeying without DH).  out->index records it. */
int hip_keymat_esp_keys(struct hip_keymat *km, int esp_suite,
			size_t index, const uint8_t our_hit[16],
			const uint8_t peer_hit[16], struct hip_esp_keys *out);

/* memcmp-like unsigned comparison of two HITs (RFC 7401 6.5). */
int hip_keymat_hit_cmp(const uint8_t a[16], const uint8_t b[16]);

#endif
