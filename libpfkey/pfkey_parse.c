/*
 * libpfkey: checking and indexing a PF_KEY v2 message.  Every length
 * is checked before the bytes it covers are read; nothing is cast.
 */
#include <string.h>

#include <pfkey/pfkey.h>
#include "libpfkey/pfkey_wire.h"

static const unsigned char ext_kinds[PFKEY_EXT_TYPE_MAX + 1] = {
	[SADB_EXT_SA] = PFKEY_KIND_SA,
	[SADB_EXT_LIFETIME_CURRENT] = PFKEY_KIND_LIFETIME,
	[SADB_EXT_LIFETIME_HARD] = PFKEY_KIND_LIFETIME,
	[SADB_EXT_LIFETIME_SOFT] = PFKEY_KIND_LIFETIME,
	[SADB_EXT_ADDRESS_SRC] = PFKEY_KIND_ADDRESS,
	[SADB_EXT_ADDRESS_DST] = PFKEY_KIND_ADDRESS,
	[SADB_EXT_ADDRESS_PROXY] = PFKEY_KIND_ADDRESS,
	[SADB_EXT_KEY_AUTH] = PFKEY_KIND_KEY,
	[SADB_EXT_KEY_ENCRYPT] = PFKEY_KIND_KEY,
	[SADB_EXT_IDENTITY_SRC] = PFKEY_KIND_IDENT,
	[SADB_EXT_IDENTITY_DST] = PFKEY_KIND_IDENT,
	[SADB_EXT_SENSITIVITY] = PFKEY_KIND_SENS,
	[SADB_EXT_PROPOSAL] = PFKEY_KIND_PROP,
	[SADB_EXT_SUPPORTED_AUTH] = PFKEY_KIND_SUPPORTED,
	[SADB_EXT_SUPPORTED_ENCRYPT] = PFKEY_KIND_SUPPORTED,
	[SADB_EXT_SPIRANGE] = PFKEY_KIND_SPIRANGE,
	[SADB_X_EXT_KMPRIVATE] = PFKEY_KIND_KMPRIVATE,
	[SADB_X_EXT_POLICY] = PFKEY_KIND_POLICY,
	[SADB_X_EXT_SA2] = PFKEY_KIND_SA2,
	[SADB_X_EXT_NAT_T_TYPE] = PFKEY_KIND_NAT_T_TYPE,
	[SADB_X_EXT_NAT_T_SPORT] = PFKEY_KIND_NAT_T_PORT,
	[SADB_X_EXT_NAT_T_DPORT] = PFKEY_KIND_NAT_T_PORT,
	[SADB_X_EXT_NAT_T_OA] = PFKEY_KIND_ADDRESS,
	[SADB_X_EXT_SEC_CTX] = PFKEY_KIND_SEC_CTX,
	[SADB_X_EXT_KMADDRESS] = PFKEY_KIND_KMADDRESS,
	[SADB_X_EXT_FILTER] = PFKEY_KIND_FILTER,
	[SADB_X_EXT_REF] = PFKEY_KIND_REF,
};

enum pfkey_ext_kind pfkey_ext_kind(unsigned int exttype)
{
	if (exttype > PFKEY_EXT_TYPE_MAX)
		return PFKEY_KIND_NONE;
	return (enum pfkey_ext_kind)ext_kinds[exttype];
}

size_t pfkey_sockaddr_len(int family)
{
	if (family == AF_INET)
		return sizeof(struct sockaddr_in);
	if (family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

int pfkey_sockaddr_read(const uint8_t *p, size_t len,
			union pfkey_sockaddr *out)
{
	union pfkey_sockaddr sa;

	if (len < sizeof(sa_family_t) ||
	    pfkey_sockaddr_len(pfkey_rd16(p)) != len)
		return PFKEY_EEXT;
	memset(&sa, 0, sizeof(sa));
	memcpy(&sa, p, len);
	*out = sa;
	return 0;
}

/* Family of the sockaddr at p (len bytes available), 0 if unusable. */
static size_t sockaddr_len_at(const uint8_t *p, size_t avail)
{
	if (avail < sizeof(sa_family_t))
		return 0;
	return pfkey_sockaddr_len(pfkey_rd16(p));
}

static int check_address(const uint8_t *e, size_t len)
{
	size_t salen = sockaddr_len_at(e + 8, len - 8);
	unsigned int maxprefix;

	if (!salen || len != 8 + pfkey_align8(salen))
		return PFKEY_EEXT;
	maxprefix = pfkey_rd16(e + 8) == AF_INET ? 32 : 128;
	if (e[5] > maxprefix)
		return PFKEY_EEXT;
	return 0;
}

static int check_policy(const uint8_t *e, size_t len)
{
	size_t off = 16, rl, salen;

	while (off < len) {
		if (len - off < PFKEY_IPSECREQ_LEN)
			return PFKEY_EEXT;
		rl = pfkey_rd16(e + off);
		if (rl < PFKEY_IPSECREQ_LEN || rl > len - off || rl % 8)
			return PFKEY_EEXT;
		if (rl > PFKEY_IPSECREQ_LEN) {
			/* Outer source and destination, same family. */
			salen = sockaddr_len_at(e + off + 16, rl - 16);
			if (!salen || rl != PFKEY_IPSECREQ_LEN + 2 * salen ||
			    pfkey_rd16(e + off + 16 + salen) !=
			    pfkey_rd16(e + off + 16))
				return PFKEY_EEXT;
		}
		off += rl;
	}
	return 0;
}

static int check_kmaddress(const uint8_t *e, size_t len)
{
	size_t salen = sockaddr_len_at(e + 8, len - 8);

	if (!salen || len != 8 + pfkey_align8(2 * salen) ||
	    pfkey_rd16(e + 8 + salen) != pfkey_rd16(e + 8))
		return PFKEY_EEXT;
	return 0;
}

static int check_filter(const uint8_t *e)
{
	uint16_t family = pfkey_rd16(e + 36);
	unsigned int maxprefix;

	if (family != AF_INET && family != AF_INET6)
		return PFKEY_EEXT;
	maxprefix = family == AF_INET ? 32 : 128;
	if (e[38] > maxprefix || e[39] > maxprefix)
		return PFKEY_EEXT;
	return 0;
}

/* A string, when present, is NUL-terminated and NUL-padded: nothing
 * but NULs after the first one (RFC 2367 2.3.5). */
static int check_ident_string(const uint8_t *str, size_t len)
{
	const uint8_t *nul;

	if (len == 0)
		return 0;
	nul = memchr(str, 0, len);
	if (!nul)
		return PFKEY_EEXT;
	for (; nul < str + len; nul++)
		if (*nul)
			return PFKEY_EEXT;
	return 0;
}

static int fixed(size_t len, size_t want)
{
	return len == want ? 0 : PFKEY_EEXT;
}

int pfkey_ext_check(unsigned int exttype, const uint8_t *e, size_t len)
{
	size_t n;

	if (len < 8)
		return PFKEY_EEXT;
	switch (pfkey_ext_kind(exttype)) {
	case PFKEY_KIND_SA:
	case PFKEY_KIND_SA2:
		return fixed(len, 16);
	case PFKEY_KIND_LIFETIME:
		return fixed(len, 32);
	case PFKEY_KIND_ADDRESS:
		return check_address(e, len);
	case PFKEY_KIND_KEY:
		/* Key data is (bits + 7) / 8 bytes padded to 64 bits. */
		n = ((size_t)pfkey_rd16(e + 4) + 7) / 8;
		return fixed(len, 8 + pfkey_align8(n));
	case PFKEY_KIND_IDENT:
		if (len < 16)
			return PFKEY_EEXT;
		return check_ident_string(e + 16, len - 16);
	case PFKEY_KIND_SENS:
		if (len < 16)
			return PFKEY_EEXT;
		return fixed(len, 16 + 8 * ((size_t)e[9] + e[11]));
	case PFKEY_KIND_PROP:
		return (len - 8) % PFKEY_COMB_LEN ? PFKEY_EEXT : 0;
	case PFKEY_KIND_SUPPORTED:
	case PFKEY_KIND_KMPRIVATE:
		return 0;
	case PFKEY_KIND_SPIRANGE:
		if (len != 16 || pfkey_rd32(e + 4) > pfkey_rd32(e + 8))
			return PFKEY_EEXT;
		return 0;
	case PFKEY_KIND_POLICY:
		if (len < 16)
			return PFKEY_EEXT;
		return check_policy(e, len);
	case PFKEY_KIND_NAT_T_TYPE:
	case PFKEY_KIND_NAT_T_PORT:
		return fixed(len, 8);
	case PFKEY_KIND_SEC_CTX:
		return fixed(len, 8 + pfkey_align8(pfkey_rd16(e + 6)));
	case PFKEY_KIND_KMADDRESS:
		return check_kmaddress(e, len);
	case PFKEY_KIND_FILTER:
		if (len != 40)
			return PFKEY_EEXT;
		return check_filter(e);
	case PFKEY_KIND_REF:
		if (len != 16 || e[4] != PFKEY_X_REF_VERSION)
			return PFKEY_EEXT;
		return 0;
	case PFKEY_KIND_NONE:
		break;
	}
	return PFKEY_EUNKNOWN;
}

#define BIT(t) ((uint64_t)1 << (t))
#define SA_EXTS (BIT(SADB_EXT_SA) | BIT(SADB_EXT_LIFETIME_CURRENT) | \
	BIT(SADB_EXT_LIFETIME_HARD) | BIT(SADB_EXT_LIFETIME_SOFT) | \
	BIT(SADB_EXT_ADDRESS_SRC) | BIT(SADB_EXT_ADDRESS_DST) | \
	BIT(SADB_EXT_ADDRESS_PROXY) | BIT(SADB_EXT_KEY_AUTH) | \
	BIT(SADB_EXT_KEY_ENCRYPT) | BIT(SADB_EXT_IDENTITY_SRC) | \
	BIT(SADB_EXT_IDENTITY_DST) | BIT(SADB_EXT_SENSITIVITY) | \
	BIT(SADB_X_EXT_SA2) | BIT(SADB_X_EXT_NAT_T_TYPE) | \
	BIT(SADB_X_EXT_NAT_T_SPORT) | BIT(SADB_X_EXT_NAT_T_DPORT) | \
	BIT(SADB_X_EXT_NAT_T_OA) | BIT(SADB_X_EXT_SEC_CTX) | \
	BIT(SADB_X_EXT_KMPRIVATE))
#define SP_EXTS (BIT(SADB_EXT_ADDRESS_SRC) | BIT(SADB_EXT_ADDRESS_DST) | \
	BIT(SADB_X_EXT_POLICY) | BIT(SADB_EXT_LIFETIME_CURRENT) | \
	BIT(SADB_EXT_LIFETIME_HARD) | BIT(SADB_EXT_LIFETIME_SOFT) | \
	BIT(SADB_X_EXT_SEC_CTX))
#define ALL_EXTS (~(uint64_t)0)

/*
 * Extensions each message type may carry, in a request or in the
 * kernel's reply, after RFC 2367 section 3.1 and Linux's af_key (which
 * adds SA2, NAT-T and SEC_CTX to SA messages and sends X_POLICY in
 * ACQUIRE).  SADB_X_EXT_REF is allowed everywhere.
 */
static const uint64_t allowed_exts[SADB_MAX + 1] = {
	[SADB_GETSPI] = SA_EXTS | BIT(SADB_EXT_SPIRANGE),
	[SADB_UPDATE] = SA_EXTS,
	[SADB_ADD] = SA_EXTS,
	[SADB_DELETE] = SA_EXTS,
	[SADB_GET] = SA_EXTS,
	[SADB_ACQUIRE] = BIT(SADB_EXT_ADDRESS_SRC) |
		BIT(SADB_EXT_ADDRESS_DST) | BIT(SADB_EXT_ADDRESS_PROXY) |
		BIT(SADB_EXT_IDENTITY_SRC) | BIT(SADB_EXT_IDENTITY_DST) |
		BIT(SADB_EXT_SENSITIVITY) | BIT(SADB_EXT_PROPOSAL) |
		BIT(SADB_X_EXT_POLICY) | BIT(SADB_X_EXT_SEC_CTX),
	[SADB_REGISTER] = BIT(SADB_EXT_SUPPORTED_AUTH) |
		BIT(SADB_EXT_SUPPORTED_ENCRYPT),
	[SADB_EXPIRE] = SA_EXTS,
	[SADB_FLUSH] = 0,
	[SADB_DUMP] = SA_EXTS | BIT(SADB_X_EXT_FILTER),
	[SADB_X_PROMISC] = ALL_EXTS,
	[SADB_X_PCHANGE] = ALL_EXTS,
	[SADB_X_SPDUPDATE] = SP_EXTS,
	[SADB_X_SPDADD] = SP_EXTS,
	[SADB_X_SPDDELETE] = SP_EXTS,
	[SADB_X_SPDGET] = SP_EXTS,
	[SADB_X_SPDACQUIRE] = SP_EXTS,
	[SADB_X_SPDDUMP] = SP_EXTS,
	[SADB_X_SPDFLUSH] = 0,
	[SADB_X_SPDSETIDX] = SP_EXTS,
	[SADB_X_SPDEXPIRE] = SP_EXTS,
	[SADB_X_SPDDELETE2] = SP_EXTS,
	[SADB_X_NAT_T_NEW_MAPPING] = BIT(SADB_EXT_SA) |
		BIT(SADB_EXT_ADDRESS_SRC) | BIT(SADB_EXT_ADDRESS_DST) |
		BIT(SADB_X_EXT_NAT_T_TYPE) | BIT(SADB_X_EXT_NAT_T_SPORT) |
		BIT(SADB_X_EXT_NAT_T_DPORT),
	[SADB_X_MIGRATE] = BIT(SADB_EXT_ADDRESS_SRC) |
		BIT(SADB_EXT_ADDRESS_DST) | BIT(SADB_X_EXT_POLICY) |
		BIT(SADB_X_EXT_KMADDRESS),
};

int pfkey_parse(const void *buf, size_t len, unsigned int flags,
		struct pfkey_msg *out)
{
	const uint8_t *p = buf;
	struct pfkey_msg m;
	uint64_t seen = 0;
	size_t off, elen;
	unsigned int etype;
	int err;

	if (!p || !out)
		return PFKEY_EINVAL;
	if (len < PFKEY_MSG_HDR)
		return PFKEY_ETRUNC;
	if (p[0] != PF_KEY_V2)
		return PFKEY_EVERSION;
	if (p[1] == 0 || p[1] > SADB_MAX)
		return PFKEY_EUNKNOWN;
	if ((size_t)pfkey_rd16(p + 4) * 8 != len)
		return PFKEY_ELEN;

	memset(&m, 0, sizeof(m));
	m.type = p[1];
	m.errno_val = p[2];
	m.satype = p[3];
	m.seq = pfkey_rd32(p + 8);
	m.pid = pfkey_rd32(p + 12);
	m.len = len;
	m.buf = p;

	for (off = PFKEY_MSG_HDR; off < len; off += elen) {
		if (len - off < 8)
			return PFKEY_ELEN;
		elen = (size_t)pfkey_rd16(p + off) * 8;
		etype = pfkey_rd16(p + off + 2);
		if (elen == 0)
			return PFKEY_EZEROLEN;
		if (elen > len - off)
			return PFKEY_ETRUNC;
		if (pfkey_ext_kind(etype) == PFKEY_KIND_NONE) {
			if (flags & PFKEY_PARSE_SKIP_UNKNOWN)
				continue;
			return PFKEY_EUNKNOWN;
		}
		if (seen & BIT(etype))
			return PFKEY_EDUP;
		err = pfkey_ext_check(etype, p + off, elen);
		if (err)
			return err;
		if ((flags & PFKEY_PARSE_STRICT) && etype != SADB_X_EXT_REF &&
		    !(allowed_exts[m.type] & BIT(etype)))
			return PFKEY_ENOTALLOWED;
		seen |= BIT(etype);
		m.ext_off[etype] = (uint32_t)off;
		m.ext_len[etype] = (uint32_t)elen;
	}
	*out = m;
	return 0;
}
