/*
 * hip/hit.h - Host Identity Tags (ORCHIDv2, RFC 7343 and RFC 7401 3.2),
 * HIT suites (RFC 7401 5.2.10, RFC 9374) and LSIs (RFC 5338).
 *
 * HIT = 2001:20::/28 | OGA ID (4 bits, = HIT suite ID) | 96-bit hash
 *
 * Suites 1-3: hash = the middle 96 bits of
 *   RHASH(Context ID | HI), Context ID = F0EF F02F BFF4 3D0F E793 0C3C 6E61 74EA
 *   suite 1 (RSA, DSA): SHA-256, octets 10..21
 *   suite 2 (ECDSA):    SHA-384, octets 18..29
 *   suite 3 (ECDSA_LOW): SHA-1,  octets 4..15
 * Suite 5 (EdDSA, RFC 9374 3.5 ORCHID with cSHAKE128, applied to the
 * ORCHIDv2 layout, i.e. no Additional Information):
 *   hash = cSHAKE128(Prefix | OGA ID | HI, 96, "", Context ID 9374)
 *   where Prefix | OGA ID are the first 4 octets of the HIT (20 01 00 25)
 *   and Context ID 9374 = 00B5 A69C 795D F5D5 F008 7F56 843F 2C40.
 *
 * "HI" is always the HOST_ID's Host Identity field (hip_hi_encode),
 * never the whole HOST_ID parameter.
 *
 * LSIs: 1.0.0.0/8, the low 24 bits being the last 3 octets of the HIT.
 * Two HITs can map to the same LSI; hipd detects and resolves that.
 */
#ifndef HIP_HIT_H
#define HIP_HIT_H

#include <stddef.h>
#include <stdint.h>

#include "hip/proto.h"

struct hip_identity;

#define HIP_HIT_STRLEN	46	/* INET6_ADDRSTRLEN */
#define HIP_LSI_STRLEN	16	/* INET_ADDRSTRLEN */
#define HIP_LSI_LEN	4
#define HIP_LSI_PREFIX	1	/* first octet of every LSI */

/* The HIT suite for an HI algorithm (HIP_HI_*), or HIP_EUNSUPPORTED. */
int hip_hit_suite_for_algo(int hi_algo);

/* The HIT suite of an identity, or HIP_EUNSUPPORTED. */
int hip_hit_suite(const struct hip_identity *id);

/* The RHASH and HMAC of suites 1-3 are in hip/suite.h
 * (hip_suite_rhash); suite 5 hashes with cSHAKE128 (below). */

/* HIT of the HI field hi (len octets) of algorithm hi_algo.
 * Returns 0, HIP_EINVAL, HIP_EUNSUPPORTED or HIP_ECRYPTO. */
int hip_hit_from_hi(int hi_algo, const uint8_t *hi, size_t len,
		    uint8_t hit[HIP_HIT_LEN]);

/* HIT of an identity. */
int hip_hit_from_identity(const struct hip_identity *id,
			  uint8_t hit[HIP_HIT_LEN]);

/* 0 when the HI field hashes to hit, HIP_EVERIFY when it does not (also
 * when the OGA ID is not the algorithm's suite), other HIP_E* when the
 * HIT could not be computed. */
int hip_hit_verify(const uint8_t hit[HIP_HIT_LEN], int hi_algo,
		   const uint8_t *hi, size_t len);

/* 1 when addr lies in the ORCHIDv2 prefix 2001:20::/28, else 0. */
int hip_hit_is_hit(const uint8_t addr[HIP_HIT_LEN]);

/* The OGA ID (HIT suite) in a HIT. */
int hip_hit_suite_of(const uint8_t hit[HIP_HIT_LEN]);

/* Text forms (inet_ntop/inet_pton).  to_str returns 0 or HIP_ENOSPC;
 * from_str returns 0 or HIP_EFORMAT (also for addresses outside the HIT
 * prefix). */
int hip_hit_to_str(const uint8_t hit[HIP_HIT_LEN], char *buf, size_t cap);
int hip_hit_from_str(const char *s, uint8_t hit[HIP_HIT_LEN]);

/* The LSI of a HIT: 1.x.y.z with x.y.z = the HIT's last 3 octets. */
void hip_lsi_from_hit(const uint8_t hit[HIP_HIT_LEN],
		      uint8_t lsi[HIP_LSI_LEN]);
int hip_lsi_is_lsi(const uint8_t lsi[HIP_LSI_LEN]);
int hip_lsi_to_str(const uint8_t lsi[HIP_LSI_LEN], char *buf, size_t cap);

/* cSHAKE128 (NIST SP 800-185) with function name n and customization s,
 * outlen octets of output.  Exposed for suite 5 users and tests. */
int hip_cshake128(const uint8_t *n, size_t n_len, const uint8_t *s,
		  size_t s_len, const uint8_t *in, size_t in_len,
		  uint8_t *out, size_t outlen);

#endif
