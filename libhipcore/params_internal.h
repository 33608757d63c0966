/*
 * params_internal.h - helpers shared by the typed parameter files
 * (params_*.c); not installed.
 */
#ifndef HIP_PARAMS_INTERNAL_H
#define HIP_PARAMS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "hip/error.h"
#include "hip/param.h"
#include "hip/util.h"

/* A parser's first check: a parameter of the expected type. */
static inline int param_expect(const struct hip_param *p, uint16_t type)
{
	if (p == NULL || p->type != type || (p->len > 0 && p->value == NULL))
		return HIP_EINVAL;
	return HIP_OK;
}

/* RHASH output lengths in octets: SHA-1, SHA-256, SHA-384. */
static inline int rhash_len_ok(size_t n)
{
	return n == 20 || n == 32 || n == 48;
}

/* A list of 2-octet values taking exactly len octets: 1..max entries. */
static inline int get_u16_list(const uint8_t *v, size_t len, uint16_t *out,
			       size_t max, size_t *count)
{
	if (len == 0 || len % 2 != 0 || len / 2 > max)
		return HIP_ELEN;
	for (size_t i = 0; i < len / 2; i++)
		out[i] = hip_get16(v + 2 * i);
	*count = len / 2;
	return HIP_OK;
}

static inline void put_u16_list(uint8_t *dst, const uint16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hip_put16(dst + 2 * i, in[i]);
}

#endif
