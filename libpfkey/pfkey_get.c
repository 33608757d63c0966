/*
 * libpfkey: typed accessors of a parsed message.  pfkey_parse() has
 * checked every extension's size, so the reads here stay in bounds.
 */
#include <arpa/inet.h>
#include <string.h>

#include <pfkey/pfkey.h>
#include "libpfkey/pfkey_wire.h"

/* The extension of a type and kind, or NULL (with *err set). */
static const uint8_t *ext_of(const struct pfkey_msg *m, uint16_t exttype,
			     enum pfkey_ext_kind kind, size_t *len, int *err)
{
	if (!m || exttype > PFKEY_EXT_TYPE_MAX ||
	    pfkey_ext_kind(exttype) != kind) {
		*err = PFKEY_EINVAL;
		return NULL;
	}
	if (!m->ext_off[exttype]) {
		*err = PFKEY_ENOENT;
		return NULL;
	}
	*len = m->ext_len[exttype];
	return m->buf + m->ext_off[exttype];
}

int pfkey_msg_has(const struct pfkey_msg *m, uint16_t exttype)
{
	return m && exttype <= PFKEY_EXT_TYPE_MAX && m->ext_off[exttype] != 0;
}

int pfkey_msg_ext(const struct pfkey_msg *m, uint16_t exttype,
		  const uint8_t **ext, size_t *len)
{
	if (!m || !ext || !len || exttype > PFKEY_EXT_TYPE_MAX)
		return PFKEY_EINVAL;
	if (!m->ext_off[exttype])
		return PFKEY_ENOENT;
	*ext = m->buf + m->ext_off[exttype];
	*len = m->ext_len[exttype];
	return 0;
}

int pfkey_get_sa(const struct pfkey_msg *m, struct pfkey_sa *sa)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!sa)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_EXT_SA, PFKEY_KIND_SA, &len, &err);
	if (!e)
		return err;
	sa->spi = ntohl(pfkey_rd32(e + 4));
	sa->replay = e[8];
	sa->state = e[9];
	sa->auth = e[10];
	sa->encrypt = e[11];
	sa->flags = pfkey_rd32(e + 12);
	return 0;
}

int pfkey_get_lifetime(const struct pfkey_msg *m, uint16_t exttype,
		       struct pfkey_lifetime *lt)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!lt)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_LIFETIME, &len, &err);
	if (!e)
		return err;
	lt->allocations = pfkey_rd32(e + 4);
	lt->bytes = pfkey_rd64(e + 8);
	lt->addtime = pfkey_rd64(e + 16);
	lt->usetime = pfkey_rd64(e + 24);
	return 0;
}

int pfkey_get_address(const struct pfkey_msg *m, uint16_t exttype,
		      struct pfkey_address *a)
{
	union pfkey_sockaddr sa;
	const uint8_t *e;
	size_t len;
	int err;

	if (!a)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_ADDRESS, &len, &err);
	if (!e)
		return err;
	err = pfkey_sockaddr_read(e + 8,
				  pfkey_sockaddr_len(pfkey_rd16(e + 8)), &sa);
	if (err)
		return err;
	a->proto = e[4];
	a->prefixlen = e[5];
	a->addr = sa;
	return 0;
}

int pfkey_get_key(const struct pfkey_msg *m, uint16_t exttype,
		  struct pfkey_key *key)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!key)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_KEY, &len, &err);
	if (!e)
		return err;
	key->bits = pfkey_rd16(e + 4);
	key->len = ((size_t)key->bits + 7) / 8;
	key->data = e + 8;
	return 0;
}

int pfkey_get_identity(const struct pfkey_msg *m, uint16_t exttype,
		       struct pfkey_ident *id)
{
	const uint8_t *e;
	size_t len, n;
	int err;

	if (!id)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_IDENT, &len, &err);
	if (!e)
		return err;
	n = len - 16;
	while (n && e[16 + n - 1] == 0)
		n--;
	id->type = pfkey_rd16(e + 4);
	id->id = pfkey_rd64(e + 8);
	id->str = (const char *)e + 16;
	id->len = n;
	return 0;
}

int pfkey_get_sensitivity(const struct pfkey_msg *m, struct pfkey_sens *s)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!s)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_EXT_SENSITIVITY, PFKEY_KIND_SENS, &len, &err);
	if (!e)
		return err;
	s->dpd = pfkey_rd32(e + 4);
	s->sens_level = e[8];
	s->sens_len = e[9];
	s->integ_level = e[10];
	s->integ_len = e[11];
	s->sens_bitmap = e + 16;
	s->integ_bitmap = e + 16 + 8 * (size_t)e[9];
	return 0;
}

int pfkey_get_proposal(const struct pfkey_msg *m, uint8_t *replay,
		       size_t *ncombs)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!replay || !ncombs)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_EXT_PROPOSAL, PFKEY_KIND_PROP, &len, &err);
	if (!e)
		return err;
	*replay = e[4];
	*ncombs = (len - 8) / PFKEY_COMB_LEN;
	return 0;
}

int pfkey_get_comb(const struct pfkey_msg *m, size_t i,
		   struct pfkey_comb *k)
{
	const uint8_t *e, *c;
	size_t len;
	int err;

	if (!k)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_EXT_PROPOSAL, PFKEY_KIND_PROP, &len, &err);
	if (!e)
		return err;
	if (i >= (len - 8) / PFKEY_COMB_LEN)
		return PFKEY_ENOENT;
	c = e + 8 + i * PFKEY_COMB_LEN;
	k->auth = c[0];
	k->encrypt = c[1];
	k->flags = pfkey_rd16(c + 2);
	k->auth_minbits = pfkey_rd16(c + 4);
	k->auth_maxbits = pfkey_rd16(c + 6);
	k->encrypt_minbits = pfkey_rd16(c + 8);
	k->encrypt_maxbits = pfkey_rd16(c + 10);
	k->soft_allocations = pfkey_rd32(c + 16);
	k->hard_allocations = pfkey_rd32(c + 20);
	k->soft_bytes = pfkey_rd64(c + 24);
	k->hard_bytes = pfkey_rd64(c + 32);
	k->soft_addtime = pfkey_rd64(c + 40);
	k->hard_addtime = pfkey_rd64(c + 48);
	k->soft_usetime = pfkey_rd64(c + 56);
	k->hard_usetime = pfkey_rd64(c + 64);
	return 0;
}

int pfkey_get_supported(const struct pfkey_msg *m, uint16_t exttype,
			size_t *nalgs)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!nalgs)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_SUPPORTED, &len, &err);
	if (!e)
		return err;
	*nalgs = (len - 8) / PFKEY_ALG_LEN;
	return 0;
}

int pfkey_get_alg(const struct pfkey_msg *m, uint16_t exttype, size_t i,
		  struct pfkey_alg *alg)
{
	const uint8_t *e, *a;
	size_t len;
	int err;

	if (!alg)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_SUPPORTED, &len, &err);
	if (!e)
		return err;
	if (i >= (len - 8) / PFKEY_ALG_LEN)
		return PFKEY_ENOENT;
	a = e + 8 + i * PFKEY_ALG_LEN;
	alg->id = a[0];
	alg->ivlen = a[1];
	alg->minbits = pfkey_rd16(a + 2);
	alg->maxbits = pfkey_rd16(a + 4);
	return 0;
}

int pfkey_get_spirange(const struct pfkey_msg *m, struct pfkey_spirange *r)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!r)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_EXT_SPIRANGE, PFKEY_KIND_SPIRANGE, &len, &err);
	if (!e)
		return err;
	r->min = pfkey_rd32(e + 4);
	r->max = pfkey_rd32(e + 8);
	return 0;
}

int pfkey_get_kmprivate(const struct pfkey_msg *m, const uint8_t **data,
			size_t *len)
{
	const uint8_t *e;
	size_t elen;
	int err;

	if (!data || !len)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_KMPRIVATE, PFKEY_KIND_KMPRIVATE, &elen, &err);
	if (!e)
		return err;
	*data = e + 8;
	*len = elen - 8;
	return 0;
}

int pfkey_get_sa2(const struct pfkey_msg *m, struct pfkey_sa2 *sa2)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!sa2)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_SA2, PFKEY_KIND_SA2, &len, &err);
	if (!e)
		return err;
	sa2->mode = e[4];
	sa2->sequence = pfkey_rd32(e + 8);
	sa2->reqid = pfkey_rd32(e + 12);
	return 0;
}

int pfkey_get_policy(const struct pfkey_msg *m, struct pfkey_policy *p,
		     size_t *nreqs)
{
	const uint8_t *e;
	size_t len, off, n = 0;
	int err;

	if (!p || !nreqs)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_POLICY, PFKEY_KIND_POLICY, &len, &err);
	if (!e)
		return err;
	for (off = 16; off < len; off += pfkey_rd16(e + off))
		n++;
	p->type = pfkey_rd16(e + 4);
	p->dir = e[6];
	p->id = pfkey_rd32(e + 8);
	p->priority = pfkey_rd32(e + 12);
	*nreqs = n;
	return 0;
}

int pfkey_get_ipsecrequest(const struct pfkey_msg *m, size_t i,
			   struct pfkey_ipsecrequest *rq)
{
	struct pfkey_ipsecrequest q;
	const uint8_t *e, *r;
	size_t len, off = 16, rl, salen;
	int err;

	if (!rq)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_POLICY, PFKEY_KIND_POLICY, &len, &err);
	if (!e)
		return err;
	for (; off < len && i; i--)
		off += pfkey_rd16(e + off);
	if (off >= len)
		return PFKEY_ENOENT;
	r = e + off;
	rl = pfkey_rd16(r);
	memset(&q, 0, sizeof(q));
	q.proto = pfkey_rd16(r + 2);
	q.mode = r[4];
	q.level = r[5];
	q.reqid = pfkey_rd32(r + 8);
	if (rl > PFKEY_IPSECREQ_LEN) {
		salen = (rl - PFKEY_IPSECREQ_LEN) / 2;
		if (pfkey_sockaddr_read(r + 16, salen, &q.src) ||
		    pfkey_sockaddr_read(r + 16 + salen, salen, &q.dst))
			return PFKEY_EEXT;
		q.has_addrs = 1;
	}
	*rq = q;
	return 0;
}

int pfkey_get_nat_t_type(const struct pfkey_msg *m, uint8_t *type)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!type)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_NAT_T_TYPE, PFKEY_KIND_NAT_T_TYPE, &len,
		   &err);
	if (!e)
		return err;
	*type = e[4];
	return 0;
}

int pfkey_get_nat_t_port(const struct pfkey_msg *m, uint16_t exttype,
			 uint16_t *port)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!port)
		return PFKEY_EINVAL;
	e = ext_of(m, exttype, PFKEY_KIND_NAT_T_PORT, &len, &err);
	if (!e)
		return err;
	*port = ntohs(pfkey_rd16(e + 4));
	return 0;
}

int pfkey_get_sec_ctx(const struct pfkey_msg *m, struct pfkey_sec_ctx *c)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!c)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_SEC_CTX, PFKEY_KIND_SEC_CTX, &len, &err);
	if (!e)
		return err;
	c->alg = e[4];
	c->doi = e[5];
	c->len = pfkey_rd16(e + 6);
	c->ctx = e + 8;
	return 0;
}

int pfkey_get_kmaddress(const struct pfkey_msg *m,
			struct pfkey_kmaddress *km)
{
	struct pfkey_kmaddress k;
	const uint8_t *e;
	size_t len, salen;
	int err;

	if (!km)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_KMADDRESS, PFKEY_KIND_KMADDRESS, &len, &err);
	if (!e)
		return err;
	salen = pfkey_sockaddr_len(pfkey_rd16(e + 8));
	if (pfkey_sockaddr_read(e + 8, salen, &k.local) ||
	    pfkey_sockaddr_read(e + 8 + salen, salen, &k.remote))
		return PFKEY_EEXT;
	*km = k;
	return 0;
}

int pfkey_get_filter(const struct pfkey_msg *m, struct pfkey_filter *f)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!f)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_FILTER, PFKEY_KIND_FILTER, &len, &err);
	if (!e)
		return err;
	memcpy(f->saddr, e + 4, 16);
	memcpy(f->daddr, e + 20, 16);
	f->family = pfkey_rd16(e + 36);
	f->splen = e[38];
	f->dplen = e[39];
	return 0;
}

int pfkey_get_ref(const struct pfkey_msg *m, struct pfkey_ref *ref)
{
	const uint8_t *e;
	size_t len;
	int err;

	if (!ref)
		return PFKEY_EINVAL;
	e = ext_of(m, SADB_X_EXT_REF, PFKEY_KIND_REF, &len, &err);
	if (!e)
		return err;
	ref->ver = e[4];
	ref->type = e[5];
	ref->type_ext = pfkey_rd16(e + 6);
	ref->mpi = pfkey_hton64(pfkey_rd64(e + 8));
	return 0;
}
