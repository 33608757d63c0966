/*
 * hip/puzzle.h - the cryptographic puzzle (RFC 7401 4.1.2, 5.2.4, 5.2.5,
 * 6.3, App. A).
 *
 * #I and #J are RHASH_len/8 octets each (RHASH of the Responder's HIT
 * suite).  A solution #J satisfies
 *     Ltrunc(RHASH(#I | HIT-I | HIT-R | #J), #K) == 0
 * where Ltrunc(x, K) is the K lowest-order bits of x, i.e. the last K
 * bits of the digest read as a big-endian number.
 */
#ifndef HIP_PUZZLE_H
#define HIP_PUZZLE_H

#include <stddef.h>
#include <stdint.h>

/* #I / #J octets for a HIT suite, 0 when unsupported. */
size_t hip_puzzle_ij_len(int hit_suite);

/* Search #J starting at j_start (NULL: a random start) and counting up
 * as a big-endian number, at most max_iter candidates.  On success j_out
 * (hip_puzzle_ij_len() octets) holds the solution.  HIP_EINVAL for
 * k > RHASH bits, HIP_ENOENT when max_iter candidates were tried. */
int hip_puzzle_solve(int hit_suite, uint8_t k, const uint8_t *i,
		     const uint8_t hit_i[16], const uint8_t hit_r[16],
		     const uint8_t *j_start, uint64_t max_iter,
		     uint8_t *j_out);

/* 0 when j solves the puzzle, HIP_EVERIFY otherwise.  The time taken
 * does not depend on the digest's content. */
int hip_puzzle_verify(int hit_suite, uint8_t k, const uint8_t *i,
		      const uint8_t hit_i[16], const uint8_t hit_r[16],
		      const uint8_t *j);

/* #I for a stateless Responder (App. A, with HMAC in place of a plain
 * hash): Ltrunc(HMAC(S, HIT-I | HIT-R | IP-I | IP-R), RHASH_len) using
 * the suite's HMAC.  IPs are 16 octets (IPv4 as v4-mapped IPv6).  The
 * same inputs give the same #I, so an I2's #I can be recomputed and
 * compared (with the current or the previous secret) without state. */
int hip_puzzle_make_i(const uint8_t *secret, size_t secret_len,
		      const uint8_t hit_i[16], const uint8_t hit_r[16],
		      const uint8_t ip_i[16], const uint8_t ip_r[16],
		      int hit_suite, uint8_t *out);

#endif
