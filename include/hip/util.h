/*
 * hip/util.h - small helpers every module needs: constant-time
 * comparison, wiping secrets, hex conversion.
 */
#ifndef HIP_UTIL_H
#define HIP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define HIP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 1 when the n bytes at a and b are equal, 0 otherwise; the time taken
 * depends only on n (use it for MACs, puzzle solutions, secrets). */
int hip_ct_memeq(const void *a, const void *b, size_t n);

/* Overwrite n bytes at p with zeros in a way the compiler cannot drop. */
void hip_wipe(void *p, size_t n);

/* Lower-case hex of len bytes into out (2*len+1 bytes, NUL-terminated).
 * Returns 0 or HIP_ENOSPC. */
int hip_hex_encode(const uint8_t *in, size_t len, char *out, size_t outcap);

/* Parse exactly outlen bytes of hex (either case, no separators).
 * Returns 0, HIP_EFORMAT or HIP_ELEN. */
int hip_hex_decode(const char *in, uint8_t *out, size_t outlen);

/* Big-endian loads and stores on byte pointers (no alignment needed). */
static inline uint16_t hip_get16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t hip_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t hip_get64(const uint8_t *p)
{
	return (uint64_t)hip_get32(p) << 32 | hip_get32(p + 4);
}

static inline void hip_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void hip_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void hip_put64(uint8_t *p, uint64_t v)
{
	hip_put32(p, (uint32_t)(v >> 32));
	hip_put32(p + 4, (uint32_t)v);
}

#endif
