/*
 * kernel_pfkey_decode.c - the PF_KEY backend's reading of kernel
 * messages, with no socket and no state: SADB_EXPIRE and SADB_X_MIGRATE
 * become struct hip_kernel_event, SADB_ACQUIRE everything but the flow
 * (kernel_pfkey_events.c finds that).  Input is a message that
 * libpfkey's parser accepted; every field is read through its typed
 * accessors.  Fuzzed by test/fuzz/fuzz_pfkey_events.c.
 */
#include <string.h>
#include <sys/socket.h>

#include "hip/error.h"
#include "hipd/kernel_pfkey.h"

static uint16_t pfk_rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/*
 * af_key writes a BEET SA's PROXY extension (the inner source) in the
 * outer family: for HITs over IPv4 locators that is an AF_INET sockaddr
 * with the HIT's first four bytes and prefix length 128, which no
 * parser can accept, and libpfkey rightly rejects the whole message
 * (SADB_GET, SADB_DUMP, SADB_EXPIRE of such an SA).  The extension says
 * nothing true: drop it.  Everything else is left to pfkey_parse().
 */
size_t pfk_msg_repair(uint8_t *buf, size_t len)
{
	size_t off = 16, elen;

	if (len < 16 || (size_t)pfk_rd16(buf + 4) * 8 != len)
		return len;
	while (off + 8 <= len) {
		elen = (size_t)pfk_rd16(buf + off) * 8;
		if (elen < 8 || elen > len - off)
			return len;
		if (pfk_rd16(buf + off + 2) == SADB_EXT_ADDRESS_PROXY &&
		    elen >= 8 + 2 && buf[off + 5] > 32 &&
		    pfk_rd16(buf + off + 8) == AF_INET) {
			uint16_t words;

			memmove(buf + off, buf + off + elen, len - off - elen);
			len -= elen;
			memset(buf + len, 0, elen);
			words = (uint16_t)(len / 8);
			memcpy(buf + 4, &words, 2);
			continue;
		}
		off += elen;
	}
	return len;
}

int pfk_is_zero(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

int pfk_addr_bytes(const union pfkey_sockaddr *sa, sa_family_t *family,
		   uint8_t b[16])
{
	memset(b, 0, 16);
	if (sa->sa.sa_family == AF_INET) {
		memcpy(b, &sa->sin.sin_addr, 4);
	} else if (sa->sa.sa_family == AF_INET6) {
		memcpy(b, &sa->sin6.sin6_addr, 16);
	} else {
		return HIP_EFORMAT;
	}
	*family = sa->sa.sa_family;
	return 0;
}

int pfk_msg_sel(const struct pfkey_msg *m, struct hip_kernel_sel *sel)
{
	struct pfkey_address src, dst;
	sa_family_t f1, f2;

	memset(sel, 0, sizeof(*sel));
	if (pfkey_get_address(m, SADB_EXT_ADDRESS_SRC, &src) < 0 ||
	    pfkey_get_address(m, SADB_EXT_ADDRESS_DST, &dst) < 0 ||
	    pfk_addr_bytes(&src.addr, &f1, sel->src.b) < 0 ||
	    pfk_addr_bytes(&dst.addr, &f2, sel->dst.b) < 0 || f1 != f2)
		return HIP_EFORMAT;
	sel->family = f1;
	sel->src_plen = src.prefixlen;
	sel->dst_plen = dst.prefixlen;
	return 0;
}

int pfk_msg_outer(const struct pfkey_msg *m,
			 struct hip_kernel_outer *o)
{
	struct pfkey_address src, dst;
	sa_family_t f1, f2;

	memset(o, 0, sizeof(*o));
	if (pfkey_get_address(m, SADB_EXT_ADDRESS_SRC, &src) < 0 ||
	    pfkey_get_address(m, SADB_EXT_ADDRESS_DST, &dst) < 0)
		return HIP_EMISSING;
	if (pfk_addr_bytes(&src.addr, &f1, o->src.b) < 0 ||
	    pfk_addr_bytes(&dst.addr, &f2, o->dst.b) < 0 || f1 != f2)
		return HIP_EFORMAT;
	o->family = f1;
	return 0;
}

static void pfk_outer_of_rq(const struct pfkey_ipsecrequest *rq,
			    struct hip_kernel_outer *o)
{
	sa_family_t f1 = AF_UNSPEC, f2 = AF_UNSPEC;

	memset(o, 0, sizeof(*o));
	if (!rq->has_addrs || pfk_addr_bytes(&rq->src, &f1, o->src.b) < 0 ||
	    pfk_addr_bytes(&rq->dst, &f2, o->dst.b) < 0 || f1 != f2) {
		memset(o, 0, sizeof(*o));	/* AF_UNSPEC: none */
		return;
	}
	o->family = f1;
}

static int pfk_decode_expire(const struct pfkey_msg *m,
			     struct hip_kernel_event *ev)
{
	struct pfkey_address proxy;
	struct pfkey_sa2 sa2;
	struct pfkey_sa sa;
	int r;

	memset(ev, 0, sizeof(*ev));
	if (pfkey_get_sa(m, &sa) < 0)
		return HIP_EMISSING;
	if (!pfkey_msg_has(m, SADB_EXT_LIFETIME_HARD) &&
	    !pfkey_msg_has(m, SADB_EXT_LIFETIME_SOFT))
		return HIP_EMISSING;
	r = pfk_msg_outer(m, &ev->u.expire.outer);
	if (r < 0)
		return r;
	ev->type = HIP_KEV_EXPIRE;
	ev->u.expire.spi = sa.spi;
	if (pfkey_get_sa2(m, &sa2) == 0)
		ev->u.expire.reqid = sa2.reqid;
	/* RFC 2367: the lifetime that expired is the one present. */
	ev->u.expire.hard = pfkey_msg_has(m, SADB_EXT_LIFETIME_HARD);
	/* af_key reports the inner source only (as PROXY); the inner
	 * destination stays unknown (prefix length 0). */
	if (pfkey_get_address(m, SADB_EXT_ADDRESS_PROXY, &proxy) == 0 &&
	    pfk_addr_bytes(&proxy.addr, &ev->u.expire.inner.family,
			   ev->u.expire.inner.src.b) == 0)
		ev->u.expire.inner.src_plen = proxy.prefixlen;
	return 1;
}

static int pfk_decode_migrate(const struct pfkey_msg *m,
			      struct hip_kernel_event *ev)
{
	struct pfkey_ipsecrequest old, new;
	struct pfkey_policy xp;
	size_t nreqs, i;
	int r;

	memset(ev, 0, sizeof(*ev));
	if (pfkey_get_policy(m, &xp, &nreqs) < 0)
		return HIP_EMISSING;
	if (nreqs < 2 || nreqs % 2 != 0)
		return HIP_ELEN;
	r = pfk_msg_sel(m, &ev->u.migrate.inner);
	if (r < 0)
		return r;
	ev->type = HIP_KEV_MIGRATE;
	ev->u.migrate.dir = xp.dir == IPSEC_DIR_INBOUND ? HIP_KERNEL_DIR_IN :
			    HIP_KERNEL_DIR_OUT;
	for (i = 0; i + 1 < nreqs && ev->u.migrate.n < HIP_KERNEL_MIGRATE_MAX;
	     i += 2) {
		struct hip_kernel_migrate_entry *e =
			&ev->u.migrate.e[ev->u.migrate.n];

		if (pfkey_get_ipsecrequest(m, i, &old) < 0 ||
		    pfkey_get_ipsecrequest(m, i + 1, &new) < 0)
			return HIP_EFORMAT;
		pfk_outer_of_rq(&old, &e->old_outer);
		pfk_outer_of_rq(&new, &e->new_outer);
		e->reqid = old.reqid;
		ev->u.migrate.n++;
	}
	return 1;
}

int pfk_event_decode(const struct pfkey_msg *m, struct hip_kernel_event *ev)
{
	switch (m->type) {
	case SADB_EXPIRE:
		return pfk_decode_expire(m, ev);
	case SADB_X_MIGRATE:
		/* Replies to others' requests carry an errno: no event. */
		return m->errno_val ? 0 : pfk_decode_migrate(m, ev);
	default:
		return 0;
	}
}

int pfk_acquire_decode(const struct pfkey_msg *m, struct hip_kernel_event *ev,
		       struct hip_kernel_outer *outer, uint8_t *dir)
{
	struct pfkey_policy xp;
	size_t nreqs, n;
	int r;

	if (m->type != SADB_ACQUIRE)
		return 0;
	if (pfkey_get_policy(m, &xp, &nreqs) < 0)
		return HIP_EMISSING;
	r = pfk_msg_outer(m, outer);
	if (r < 0)
		return r;
	memset(ev, 0, sizeof(*ev));
	ev->type = HIP_KEV_ACQUIRE;
	/* The trigger policies' unspecified destination: no locator. */
	n = outer->family == AF_INET ? 4 : 16;
	if (!pfk_is_zero(outer->dst.b, n))
		ev->u.acquire.outer = *outer;
	ev->u.acquire.policy_index = xp.id;
	ev->u.acquire.policy_dir = xp.dir == IPSEC_DIR_INBOUND ?
				   HIP_KERNEL_DIR_IN : HIP_KERNEL_DIR_OUT;
	ev->u.acquire.seq = m->seq;
	*dir = xp.dir;
	return 1;
}
