/*
 * hip/dh.h - Diffie-Hellman and ECDH of the base exchange (RFC 7401
 * 5.2.6, 5.2.7): key pairs, public values in HIP format, validation of
 * the peer's value, the shared secret Kij, and DH_GROUP_LIST
 * negotiation.
 *
 * Public value formats:
 *   MODP groups 3, 4, 11 (RFC 3526): y, big-endian, left-padded with
 *     zeros to the length of the prime.
 *   ECDH groups 7, 8, 9 (RFC 5903 section 7, referenced by RFC 7401
 *     5.2.7): x | y, each left-padded to the field size, WITHOUT the
 *     SEC1 0x04 prefix.
 * Kij: MODP g^xy mod p padded to the prime length; ECDH the x
 * coordinate of the shared point padded to the field size (RFC 5903 7).
 */
#ifndef HIP_DH_H
#define HIP_DH_H

#include <stddef.h>
#include <stdint.h>

#define HIP_DH_MAX_PUBLIC_LEN	384	/* MODP-3072 */
#define HIP_DH_MAX_SECRET_LEN	384
#define HIP_DH_MAX_GROUPS	16	/* sane bound on a DH_GROUP_LIST */

struct hip_dh;	/* one private/public key pair of one group */

/* 1 when the group ID is one this library implements, 0 otherwise. */
int hip_dh_supported(int group);

/* Octets of a public value / of Kij in this group; 0 when unsupported. */
size_t hip_dh_public_len(int group);
size_t hip_dh_secret_len(int group);

/* Generate a fresh key pair.  HIP_EUNSUPPORTED, HIP_ENOMEM, HIP_ECRYPTO. */
int hip_dh_generate(int group, struct hip_dh **out);

/* Wipe and free (NULL is fine). */
void hip_dh_free(struct hip_dh *dh);

int hip_dh_group(const struct hip_dh *dh);

/* Our public value in HIP format; *outlen = hip_dh_public_len(). */
int hip_dh_public(const struct hip_dh *dh, uint8_t *out, size_t cap,
		  size_t *outlen);

/* Check a received public value without a key pair of our own: exact
 * length, MODP 1 < y < p-1, EC point on the curve and not infinity.
 * 0, HIP_ELEN, HIP_EVERIFY or HIP_EUNSUPPORTED. */
int hip_dh_check_public(int group, const uint8_t *pub, size_t len);

/* Validate the peer's public value (as above) and compute Kij into out
 * (*outlen = hip_dh_secret_len()).  HIP_ELEN, HIP_EVERIFY, HIP_ENOSPC,
 * HIP_ECRYPTO.  The caller wipes out when done. */
int hip_dh_derive(const struct hip_dh *dh, const uint8_t *peer,
		  size_t peer_len, uint8_t *out, size_t cap, size_t *outlen);

/* Responder's choice (RFC 7401 5.2.6): the first group of OUR preference
 * list that also appears in the peer's (I1) list.  0 with *chosen set,
 * or HIP_ENOENT (answer NOTIFY NO_DH_PROPOSAL_CHOSEN). */
int hip_dh_select(const uint8_t *ours, size_t n_ours,
		  const uint8_t *peer, size_t n_peer, uint8_t *chosen);

/* Initiator's downgrade check (RFC 7401 4.1.7, 6.8): the group of the
 * R1's DIFFIE_HELLMAN must be the first group of the R1's (signed)
 * DH_GROUP_LIST that is also in the list we sent in I1.  0 or
 * HIP_EVERIFY. */
int hip_dh_check_choice(const uint8_t *sent, size_t n_sent,
			const uint8_t *r1_list, size_t n_r1, uint8_t chosen);

#endif
