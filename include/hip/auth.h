/*
 * hip/auth.h - what HIP_MAC, HIP_MAC_2, HIP_SIGNATURE and
 * HIP_SIGNATURE_2 cover (RFC 7401 6.4), and HMAC over it.
 *
 * The covered string is the HIP header plus every parameter before the
 * MAC/signature parameter, with the Checksum zeroed and Header Length
 * rewritten to cover only that part ((len / 8) - 1).  Additionally:
 *   HIP_MAC_2: the Responder's HOST_ID parameter (the whole TLV with its
 *     padding, exactly as sent in R1) is inserted in parameter type
 *     order, i.e. before the first covered parameter with a greater
 *     type, and counted in Header Length (6.4.1).
 *   HIP_SIGNATURE_2: the Receiver's HIT and the PUZZLE's Opaque and #I
 *     fields are zeroed (6.4.2).
 * param_off is the offset of the MAC/signature parameter in the packet;
 * it must lie on a parameter boundary and have the expected type.
 */
#ifndef HIP_AUTH_H
#define HIP_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "hip/proto.h"

#define HIP_AUTH_MAX_INPUT	HIP_MAX_PACKET

/* Build the covered string of the parameter at param_off, whose type
 * selects the rule: HIP_PARAM_HIP_MAC, _HIP_MAC_2 (host_id required),
 * _HIP_SIGNATURE or _HIP_SIGNATURE_2 (host_id must be NULL otherwise).
 * 0, HIP_EINVAL, HIP_ETRUNC, HIP_ELEN (covered part longer than
 * HdrLen can express), HIP_EFORMAT (param_off not a boundary or wrong
 * type), HIP_EMISSING (no PUZZLE for HIP_SIGNATURE_2), HIP_ENOSPC. */
int hip_auth_input(const uint8_t *pkt, size_t pkt_len, size_t param_off,
		   const uint8_t *host_id, size_t host_id_len,
		   uint8_t *out, size_t cap, size_t *outlen);

/* HMAC of data with the HIT suite's hash; *maclen = RHASH_len/8. */
int hip_auth_hmac(int hit_suite, const uint8_t *key, size_t key_len,
		  const uint8_t *data, size_t len, uint8_t *mac, size_t cap,
		  size_t *maclen);

/* HMAC over the covered string of the HIP_MAC / HIP_MAC_2 parameter at
 * param_off (its value is ignored, so this also serves the sender who
 * reserved the parameter and fills the value in afterwards). */
int hip_auth_mac_compute(int hit_suite, const uint8_t *key, size_t key_len,
			 const uint8_t *pkt, size_t pkt_len,
			 size_t param_off, const uint8_t *host_id,
			 size_t host_id_len, uint8_t *mac, size_t cap,
			 size_t *maclen);

/* Verify the HIP_MAC / HIP_MAC_2 at param_off in constant time: 0 or
 * HIP_EVERIFY (also for a value of the wrong length or a packet whose
 * parameters do not lead to param_off); HIP_EINVAL / HIP_EUNSUPPORTED
 * for bad arguments. */
int hip_auth_mac_verify(int hit_suite, const uint8_t *key, size_t key_len,
			const uint8_t *pkt, size_t pkt_len, size_t param_off,
			const uint8_t *host_id, size_t host_id_len);

/* Signatures over the covered string, through hip/identity.h.  The
 * HIP_SIGNATURE or HIP_SIGNATURE_2 parameter at param_off must be in the
 * packet already (reserved with a value of 2 + hip_sig_len() octets);
 * its value is ignored when signing.  hip_auth_sign writes the
 * signature (without the SIG alg field) and its algorithm ID. */
struct hip_identity;
int hip_auth_sign(const struct hip_identity *id, const uint8_t *pkt,
		  size_t pkt_len, size_t param_off, uint8_t *sig, size_t cap,
		  size_t *sig_len, uint16_t *sig_algo);

/* Verify the HIP_SIGNATURE / HIP_SIGNATURE_2 at param_off (value: SIG
 * alg(2) | signature) with the peer's public identity.  0 or
 * HIP_EVERIFY (also for a malformed packet). */
int hip_auth_verify(const struct hip_identity *id, const uint8_t *pkt,
		    size_t pkt_len, size_t param_off);

#endif
