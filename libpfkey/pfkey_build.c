/*
 * libpfkey: building PF_KEY v2 messages into a caller buffer.
 */
#include <arpa/inet.h>
#include <string.h>

#include <pfkey/pfkey.h>
#include "libpfkey/pfkey_wire.h"

int pfkey_build_init(struct pfkey_builder *b, void *buf, size_t cap,
		     uint8_t type, uint8_t satype, uint32_t seq, uint32_t pid)
{
	uint8_t *p = buf;

	if (!b || !buf)
		return PFKEY_EINVAL;
	if (type == 0 || type > SADB_MAX)
		return PFKEY_EINVAL;
	if (cap < PFKEY_MSG_HDR)
		return PFKEY_ENOSPC;
	memset(p, 0, PFKEY_MSG_HDR);
	p[0] = PF_KEY_V2;
	p[1] = type;
	p[3] = satype;
	pfkey_wr16(p + 4, PFKEY_MSG_HDR / 8);
	pfkey_wr32(p + 8, seq);
	pfkey_wr32(p + 12, pid);
	b->buf = p;
	b->cap = cap < PFKEY_MSG_MAX ? cap : PFKEY_MSG_MAX;
	b->len = PFKEY_MSG_HDR;
	b->err = 0;
	b->present = 0;
	return 0;
}

int pfkey_build_finish(struct pfkey_builder *b, size_t *len)
{
	if (!b || !b->buf || !len)
		return PFKEY_EINVAL;
	if (b->err)
		return b->err;
	pfkey_wr16(b->buf + 4, (uint16_t)(b->len / 8));
	*len = b->len;
	return 0;
}

static int fail(struct pfkey_builder *b, int err)
{
	if (b && b->buf && !b->err)
		b->err = err;
	return err;
}

/*
 * Reserve an extension of total length len (a multiple of 8) and write
 * its header; the body is zeroed.  Returns NULL and records the error
 * when the type is repeated or the buffer is full.
 */
static uint8_t *ext_begin(struct pfkey_builder *b, uint16_t exttype,
			  size_t len, int *err)
{
	uint8_t *p;

	if (!b || !b->buf) {
		*err = PFKEY_EINVAL;
		return NULL;
	}
	if (exttype == 0 || exttype > PFKEY_EXT_TYPE_MAX ||
	    pfkey_ext_kind(exttype) == PFKEY_KIND_NONE) {
		*err = fail(b, PFKEY_EINVAL);
		return NULL;
	}
	if (b->present & ((uint64_t)1 << exttype)) {
		*err = fail(b, PFKEY_EDUP);
		return NULL;
	}
	if (len % 8 || len / 8 > UINT16_MAX || len > b->cap - b->len) {
		*err = fail(b, PFKEY_ENOSPC);
		return NULL;
	}
	p = b->buf + b->len;
	memset(p, 0, len);
	pfkey_wr16(p, (uint16_t)(len / 8));
	pfkey_wr16(p + 2, exttype);
	return p;
}

static void ext_commit(struct pfkey_builder *b, uint16_t exttype, size_t len)
{
	b->len += len;
	b->present |= (uint64_t)1 << exttype;
}

static int kind_is(uint16_t exttype, enum pfkey_ext_kind kind)
{
	return exttype <= PFKEY_EXT_TYPE_MAX && pfkey_ext_kind(exttype) == kind;
}

/* Length of a sockaddr the caller gives, 0 if it is not usable. */
static size_t caller_sockaddr_len(const struct sockaddr *sa)
{
	if (!sa)
		return 0;
	return pfkey_sockaddr_len(sa->sa_family);
}

int pfkey_add_sa(struct pfkey_builder *b, const struct pfkey_sa *sa)
{
	uint8_t *p;
	int err;

	if (!sa)
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, SADB_EXT_SA, 16, &err);
	if (!p)
		return err;
	pfkey_wr32(p + 4, htonl(sa->spi));
	p[8] = sa->replay;
	p[9] = sa->state;
	p[10] = sa->auth;
	p[11] = sa->encrypt;
	pfkey_wr32(p + 12, sa->flags);
	ext_commit(b, SADB_EXT_SA, 16);
	return 0;
}

int pfkey_add_lifetime(struct pfkey_builder *b, uint16_t exttype,
		       const struct pfkey_lifetime *lt)
{
	uint8_t *p;
	int err;

	if (!lt || !kind_is(exttype, PFKEY_KIND_LIFETIME))
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, exttype, 32, &err);
	if (!p)
		return err;
	pfkey_wr32(p + 4, lt->allocations);
	pfkey_wr64(p + 8, lt->bytes);
	pfkey_wr64(p + 16, lt->addtime);
	pfkey_wr64(p + 24, lt->usetime);
	ext_commit(b, exttype, 32);
	return 0;
}

int pfkey_add_address(struct pfkey_builder *b, uint16_t exttype,
		      uint8_t proto, uint8_t prefixlen,
		      const struct sockaddr *addr)
{
	size_t salen = caller_sockaddr_len(addr), len;
	uint8_t *p;
	int err;

	if (!salen || !kind_is(exttype, PFKEY_KIND_ADDRESS))
		return fail(b, PFKEY_EINVAL);
	if (prefixlen > (addr->sa_family == AF_INET ? 32 : 128))
		return fail(b, PFKEY_EINVAL);
	len = 8 + pfkey_align8(salen);
	p = ext_begin(b, exttype, len, &err);
	if (!p)
		return err;
	p[4] = proto;
	p[5] = prefixlen;
	memcpy(p + 8, addr, salen);
	ext_commit(b, exttype, len);
	return 0;
}

int pfkey_add_key(struct pfkey_builder *b, uint16_t exttype,
		  const uint8_t *key, uint16_t bits)
{
	size_t bytes = ((size_t)bits + 7) / 8, len = 8 + pfkey_align8(bytes);
	uint8_t *p;
	int err;

	if ((bytes && !key) || !kind_is(exttype, PFKEY_KIND_KEY))
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, exttype, len, &err);
	if (!p)
		return err;
	pfkey_wr16(p + 4, bits);
	if (bytes)
		memcpy(p + 8, key, bytes);
	ext_commit(b, exttype, len);
	return 0;
}

int pfkey_add_identity(struct pfkey_builder *b, uint16_t exttype,
		       const struct pfkey_ident *id)
{
	size_t len;
	uint8_t *p;
	int err;

	if (!id || (id->len && !id->str) ||
	    !kind_is(exttype, PFKEY_KIND_IDENT))
		return fail(b, PFKEY_EINVAL);
	if (id->len > PFKEY_MSG_MAX)
		return fail(b, PFKEY_ENOSPC);
	/* The string is NUL-terminated on the wire (RFC 2367 2.3.5). */
	if (memchr(id->str ? id->str : "", 0, id->len))
		return fail(b, PFKEY_EINVAL);
	len = 16 + (id->len ? pfkey_align8(id->len + 1) : 0);
	p = ext_begin(b, exttype, len, &err);
	if (!p)
		return err;
	pfkey_wr16(p + 4, id->type);
	pfkey_wr64(p + 8, id->id);
	if (id->len)
		memcpy(p + 16, id->str, id->len);
	ext_commit(b, exttype, len);
	return 0;
}

int pfkey_add_sensitivity(struct pfkey_builder *b,
			  const struct pfkey_sens *s)
{
	size_t len;
	uint8_t *p;
	int err;

	if (!s || (s->sens_len && !s->sens_bitmap) ||
	    (s->integ_len && !s->integ_bitmap))
		return fail(b, PFKEY_EINVAL);
	len = 16 + 8 * ((size_t)s->sens_len + s->integ_len);
	p = ext_begin(b, SADB_EXT_SENSITIVITY, len, &err);
	if (!p)
		return err;
	pfkey_wr32(p + 4, s->dpd);
	p[8] = s->sens_level;
	p[9] = s->sens_len;
	p[10] = s->integ_level;
	p[11] = s->integ_len;
	if (s->sens_len)
		memcpy(p + 16, s->sens_bitmap, 8 * (size_t)s->sens_len);
	if (s->integ_len)
		memcpy(p + 16 + 8 * (size_t)s->sens_len, s->integ_bitmap,
		       8 * (size_t)s->integ_len);
	ext_commit(b, SADB_EXT_SENSITIVITY, len);
	return 0;
}

int pfkey_add_proposal(struct pfkey_builder *b, uint8_t replay,
		       const struct pfkey_comb *combs, size_t ncombs)
{
	size_t len, i;
	uint8_t *p, *c;
	int err;

	if (!combs || ncombs == 0)
		return fail(b, PFKEY_EINVAL);
	if (ncombs > PFKEY_MSG_MAX / PFKEY_COMB_LEN)
		return fail(b, PFKEY_ENOSPC);
	len = 8 + ncombs * PFKEY_COMB_LEN;
	p = ext_begin(b, SADB_EXT_PROPOSAL, len, &err);
	if (!p)
		return err;
	p[4] = replay;
	for (i = 0; i < ncombs; i++) {
		const struct pfkey_comb *k = &combs[i];

		c = p + 8 + i * PFKEY_COMB_LEN;
		c[0] = k->auth;
		c[1] = k->encrypt;
		pfkey_wr16(c + 2, k->flags);
		pfkey_wr16(c + 4, k->auth_minbits);
		pfkey_wr16(c + 6, k->auth_maxbits);
		pfkey_wr16(c + 8, k->encrypt_minbits);
		pfkey_wr16(c + 10, k->encrypt_maxbits);
		pfkey_wr32(c + 16, k->soft_allocations);
		pfkey_wr32(c + 20, k->hard_allocations);
		pfkey_wr64(c + 24, k->soft_bytes);
		pfkey_wr64(c + 32, k->hard_bytes);
		pfkey_wr64(c + 40, k->soft_addtime);
		pfkey_wr64(c + 48, k->hard_addtime);
		pfkey_wr64(c + 56, k->soft_usetime);
		pfkey_wr64(c + 64, k->hard_usetime);
	}
	ext_commit(b, SADB_EXT_PROPOSAL, len);
	return 0;
}

int pfkey_add_supported(struct pfkey_builder *b, uint16_t exttype,
			const struct pfkey_alg *algs, size_t nalgs)
{
	size_t len, i;
	uint8_t *p, *a;
	int err;

	if ((nalgs && !algs) || !kind_is(exttype, PFKEY_KIND_SUPPORTED))
		return fail(b, PFKEY_EINVAL);
	if (nalgs > PFKEY_MSG_MAX / PFKEY_ALG_LEN)
		return fail(b, PFKEY_ENOSPC);
	len = 8 + nalgs * PFKEY_ALG_LEN;
	p = ext_begin(b, exttype, len, &err);
	if (!p)
		return err;
	for (i = 0; i < nalgs; i++) {
		a = p + 8 + i * PFKEY_ALG_LEN;
		a[0] = algs[i].id;
		a[1] = algs[i].ivlen;
		pfkey_wr16(a + 2, algs[i].minbits);
		pfkey_wr16(a + 4, algs[i].maxbits);
	}
	ext_commit(b, exttype, len);
	return 0;
}

int pfkey_add_spirange(struct pfkey_builder *b,
		       const struct pfkey_spirange *r)
{
	uint8_t *p;
	int err;

	if (!r || r->min > r->max)
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, SADB_EXT_SPIRANGE, 16, &err);
	if (!p)
		return err;
	pfkey_wr32(p + 4, r->min);
	pfkey_wr32(p + 8, r->max);
	ext_commit(b, SADB_EXT_SPIRANGE, 16);
	return 0;
}

int pfkey_add_kmprivate(struct pfkey_builder *b, const void *data,
			size_t len)
{
	size_t total;
	uint8_t *p;
	int err;

	if (len && !data)
		return fail(b, PFKEY_EINVAL);
	if (len > PFKEY_MSG_MAX)
		return fail(b, PFKEY_ENOSPC);
	total = 8 + pfkey_align8(len);
	p = ext_begin(b, SADB_X_EXT_KMPRIVATE, total, &err);
	if (!p)
		return err;
	if (len)
		memcpy(p + 8, data, len);
	ext_commit(b, SADB_X_EXT_KMPRIVATE, total);
	return 0;
}

int pfkey_add_sa2(struct pfkey_builder *b, const struct pfkey_sa2 *sa2)
{
	uint8_t *p;
	int err;

	if (!sa2)
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, SADB_X_EXT_SA2, 16, &err);
	if (!p)
		return err;
	p[4] = sa2->mode;
	pfkey_wr32(p + 8, sa2->sequence);
	pfkey_wr32(p + 12, sa2->reqid);
	ext_commit(b, SADB_X_EXT_SA2, 16);
	return 0;
}

/* Wire length of one ipsecrequest, 0 if its addresses are unusable. */
static size_t ipsecrequest_len(const struct pfkey_ipsecrequest *rq)
{
	size_t salen;

	if (!rq->has_addrs)
		return PFKEY_IPSECREQ_LEN;
	salen = pfkey_sockaddr_len(rq->src.sa.sa_family);
	if (!salen || rq->dst.sa.sa_family != rq->src.sa.sa_family)
		return 0;
	/* sockaddr_in (16) and sockaddr_in6 (28) pairs are 8-aligned. */
	return PFKEY_IPSECREQ_LEN + 2 * salen;
}

int pfkey_add_policy(struct pfkey_builder *b, const struct pfkey_policy *pol,
		     const struct pfkey_ipsecrequest *reqs, size_t nreqs)
{
	size_t len = 16, i, rl;
	uint8_t *p, *r;
	int err;

	if (!pol || (nreqs && !reqs))
		return fail(b, PFKEY_EINVAL);
	for (i = 0; i < nreqs; i++) {
		rl = ipsecrequest_len(&reqs[i]);
		if (!rl)
			return fail(b, PFKEY_EINVAL);
		len += rl;
		if (len > PFKEY_MSG_MAX)
			return fail(b, PFKEY_ENOSPC);
	}
	p = ext_begin(b, SADB_X_EXT_POLICY, len, &err);
	if (!p)
		return err;
	pfkey_wr16(p + 4, pol->type);
	p[6] = pol->dir;
	pfkey_wr32(p + 8, pol->id);
	pfkey_wr32(p + 12, pol->priority);
	r = p + 16;
	for (i = 0; i < nreqs; i++) {
		const struct pfkey_ipsecrequest *q = &reqs[i];
		size_t salen = pfkey_sockaddr_len(q->src.sa.sa_family);

		rl = ipsecrequest_len(q);
		pfkey_wr16(r, (uint16_t)rl);
		pfkey_wr16(r + 2, q->proto);
		r[4] = q->mode;
		r[5] = q->level;
		pfkey_wr32(r + 8, q->reqid);
		if (q->has_addrs) {
			memcpy(r + 16, &q->src, salen);
			memcpy(r + 16 + salen, &q->dst, salen);
		}
		r += rl;
	}
	ext_commit(b, SADB_X_EXT_POLICY, len);
	return 0;
}

int pfkey_add_nat_t_type(struct pfkey_builder *b, uint8_t type)
{
	uint8_t *p;
	int err;

	p = ext_begin(b, SADB_X_EXT_NAT_T_TYPE, 8, &err);
	if (!p)
		return err;
	p[4] = type;
	ext_commit(b, SADB_X_EXT_NAT_T_TYPE, 8);
	return 0;
}

int pfkey_add_nat_t_port(struct pfkey_builder *b, uint16_t exttype,
			 uint16_t port)
{
	uint8_t *p;
	int err;

	if (!kind_is(exttype, PFKEY_KIND_NAT_T_PORT))
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, exttype, 8, &err);
	if (!p)
		return err;
	pfkey_wr16(p + 4, htons(port));
	ext_commit(b, exttype, 8);
	return 0;
}

int pfkey_add_sec_ctx(struct pfkey_builder *b,
		      const struct pfkey_sec_ctx *ctx)
{
	size_t len;
	uint8_t *p;
	int err;

	if (!ctx || (ctx->len && !ctx->ctx))
		return fail(b, PFKEY_EINVAL);
	len = 8 + pfkey_align8(ctx->len);
	p = ext_begin(b, SADB_X_EXT_SEC_CTX, len, &err);
	if (!p)
		return err;
	p[4] = ctx->alg;
	p[5] = ctx->doi;
	pfkey_wr16(p + 6, ctx->len);
	if (ctx->len)
		memcpy(p + 8, ctx->ctx, ctx->len);
	ext_commit(b, SADB_X_EXT_SEC_CTX, len);
	return 0;
}

int pfkey_add_kmaddress(struct pfkey_builder *b,
			const struct pfkey_kmaddress *km)
{
	size_t salen, len;
	uint8_t *p;
	int err;

	if (!km)
		return fail(b, PFKEY_EINVAL);
	salen = pfkey_sockaddr_len(km->local.sa.sa_family);
	if (!salen || km->remote.sa.sa_family != km->local.sa.sa_family)
		return fail(b, PFKEY_EINVAL);
	len = 8 + pfkey_align8(2 * salen);
	p = ext_begin(b, SADB_X_EXT_KMADDRESS, len, &err);
	if (!p)
		return err;
	memcpy(p + 8, &km->local, salen);
	memcpy(p + 8 + salen, &km->remote, salen);
	ext_commit(b, SADB_X_EXT_KMADDRESS, len);
	return 0;
}

int pfkey_add_filter(struct pfkey_builder *b, const struct pfkey_filter *f)
{
	unsigned int maxlen;
	uint8_t *p;
	int err;

	if (!f || (f->family != AF_INET && f->family != AF_INET6))
		return fail(b, PFKEY_EINVAL);
	maxlen = f->family == AF_INET ? 32 : 128;
	if (f->splen > maxlen || f->dplen > maxlen)
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, SADB_X_EXT_FILTER, 40, &err);
	if (!p)
		return err;
	memcpy(p + 4, f->saddr, 16);
	memcpy(p + 20, f->daddr, 16);
	pfkey_wr16(p + 36, f->family);
	p[38] = f->splen;
	p[39] = f->dplen;
	ext_commit(b, SADB_X_EXT_FILTER, 40);
	return 0;
}

int pfkey_add_ref(struct pfkey_builder *b, const struct pfkey_ref *ref)
{
	uint8_t *p;
	int err;

	if (!ref)
		return fail(b, PFKEY_EINVAL);
	p = ext_begin(b, SADB_X_EXT_REF, 16, &err);
	if (!p)
		return err;
	p[4] = ref->ver;
	p[5] = ref->type;
	pfkey_wr16(p + 6, ref->type_ext);
	pfkey_wr64(p + 8, pfkey_hton64(ref->mpi));
	ext_commit(b, SADB_X_EXT_REF, 16);
	return 0;
}

int pfkey_add_raw(struct pfkey_builder *b, const void *ext, size_t len)
{
	const uint8_t *src = ext;
	uint16_t exttype;
	uint8_t *p;
	int err;

	if (!src || len < 8 || len % 8 || pfkey_rd16(src) * 8u != len)
		return fail(b, PFKEY_EINVAL);
	exttype = pfkey_rd16(src + 2);
	if (exttype == 0 || exttype > PFKEY_EXT_TYPE_MAX ||
	    pfkey_ext_kind(exttype) == PFKEY_KIND_NONE)
		return fail(b, PFKEY_EINVAL);
	err = pfkey_ext_check(exttype, src, len);
	if (err)
		return fail(b, err);
	p = ext_begin(b, exttype, len, &err);
	if (!p)
		return err;
	memcpy(p, src, len);
	ext_commit(b, exttype, len);
	return 0;
}
