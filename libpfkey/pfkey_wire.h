/*
 * libpfkey internal: reading and writing PF_KEY fields at byte offsets.
 * PF_KEY fields are in host order except SPIs, ports and the SADB_X_REF
 * MPI; memcpy keeps unaligned access defined.
 */
#ifndef LIBPFKEY_PFKEY_WIRE_H
#define LIBPFKEY_PFKEY_WIRE_H

#include <stdint.h>
#include <string.h>

#include <pfkey/pfkey.h>

static inline uint16_t pfkey_rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t pfkey_rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t pfkey_rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void pfkey_wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void pfkey_wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void pfkey_wr64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline uint64_t pfkey_hton64(uint64_t v)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	if (!first)
		return v;
	return ((uint64_t)__builtin_bswap32((uint32_t)v) << 32) |
	       __builtin_bswap32((uint32_t)(v >> 32));
}

static inline size_t pfkey_align8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

/* Kinds of extension body, shared by parser, accessors and builder. */
enum pfkey_ext_kind {
	PFKEY_KIND_NONE = 0,	/* unknown type */
	PFKEY_KIND_SA,
	PFKEY_KIND_LIFETIME,
	PFKEY_KIND_ADDRESS,
	PFKEY_KIND_KEY,
	PFKEY_KIND_IDENT,
	PFKEY_KIND_SENS,
	PFKEY_KIND_PROP,
	PFKEY_KIND_SUPPORTED,
	PFKEY_KIND_SPIRANGE,
	PFKEY_KIND_KMPRIVATE,
	PFKEY_KIND_POLICY,
	PFKEY_KIND_SA2,
	PFKEY_KIND_NAT_T_TYPE,
	PFKEY_KIND_NAT_T_PORT,
	PFKEY_KIND_SEC_CTX,
	PFKEY_KIND_KMADDRESS,
	PFKEY_KIND_FILTER,
	PFKEY_KIND_REF,
};

/* Internal functions are not exported from the shared library. */
#define PFKEY_INTERNAL __attribute__((visibility("hidden")))

PFKEY_INTERNAL enum pfkey_ext_kind pfkey_ext_kind(unsigned int exttype);

/* Check one extension body (len bytes, header included; the header's
 * length and type are already known to be consistent). */
PFKEY_INTERNAL int pfkey_ext_check(unsigned int exttype, const uint8_t *ext,
				   size_t len);

/* Read a sockaddr of exactly len bytes at p: 0 or PFKEY_EEXT. */
PFKEY_INTERNAL int pfkey_sockaddr_read(const uint8_t *p, size_t len,
				       union pfkey_sockaddr *out);

/* Sizes of the fixed part of the structures on the wire. */
#define PFKEY_MSG_HDR	16u
#define PFKEY_EXT_HDR	4u
#define PFKEY_COMB_LEN	72u
#define PFKEY_ALG_LEN	8u
#define PFKEY_IPSECREQ_LEN 16u

#endif
