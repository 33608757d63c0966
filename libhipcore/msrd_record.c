/*
 * msrd_record.c - MSRD records: validation and the TLV codec shared by
 * the client library, hipd's server and the fuzz target (hip/msrd.h).
 */
#include <string.h>

#include "hip/ctl.h"
#include "hip/hit.h"
#include "hip/msrd.h"
#include "hip/util.h"

static bool addr_usable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_MULTICAST(a);
}

static int binding_check(const struct hip_msrd_binding *b)
{
	if (b->flags == 0 || (b->flags & ~(uint32_t)HIP_MSRD_B_ALL))
		return HIP_EINVAL;
	if ((b->flags & HIP_MSRD_B_HITS) &&
	    (!hip_hit_is_hit(b->local_hit) || !hip_hit_is_hit(b->peer_hit)))
		return HIP_EINVAL;
	if ((b->flags & HIP_MSRD_B_POLICY) && b->policy_index == 0)
		return HIP_EINVAL;
	if ((b->flags & HIP_MSRD_B_REQID) && b->reqid == 0)
		return HIP_EINVAL;
	return 0;
}

int hip_msrd_record_check(const struct hip_msrd_record *r)
{
	if (r == NULL || r->mpi == 0 || (r->flags & ~(uint32_t)HIP_MSRD_F_ALL))
		return HIP_EINVAL;
	if (r->n_home > HIP_MSRD_MAX_HOME || r->n_coa > HIP_MSRD_MAX_COA ||
	    r->n_bind > HIP_MSRD_MAX_BIND ||
	    r->lifetime > HIP_MSRD_LIFETIME_MAX)
		return HIP_EINVAL;
	for (size_t i = 0; i < r->n_home; i++) {
		if (!addr_usable(&r->home[i]))
			return HIP_EINVAL;
		for (size_t j = 0; j < i; j++)
			if (IN6_ARE_ADDR_EQUAL(&r->home[i], &r->home[j]))
				return HIP_EINVAL;
	}
	for (size_t i = 0; i < r->n_coa; i++) {
		if (!addr_usable(&r->coa[i].addr))
			return HIP_EINVAL;
		for (size_t j = 0; j < i; j++)
			if (IN6_ARE_ADDR_EQUAL(&r->coa[i].addr,
					       &r->coa[j].addr))
				return HIP_EINVAL;
	}
	if ((r->flags & HIP_MSRD_F_PEER) && !addr_usable(&r->peer))
		return HIP_EINVAL;
	if (!(r->flags & HIP_MSRD_F_PEER) &&
	    !IN6_IS_ADDR_UNSPECIFIED(&r->peer))
		return HIP_EINVAL;
	for (size_t i = 0; i < r->n_bind; i++)
		if (binding_check(&r->bind[i]) < 0)
			return HIP_EINVAL;
	return 0;
}

void hip_msrd_record_sort(struct hip_msrd_record *r)
{
	/* insertion sort: stable, and n is at most HIP_MSRD_MAX_COA */
	for (size_t i = 1; i < r->n_coa && i < HIP_MSRD_MAX_COA; i++) {
		struct hip_msrd_locator l = r->coa[i];
		size_t j = i;

		while (j > 0 && r->coa[j - 1].pref > l.pref) {
			r->coa[j] = r->coa[j - 1];
			j--;
		}
		r->coa[j] = l;
	}
}

/* ---- encoding ------------------------------------------------------ */

static int put_hit(struct hip_ctl_msg *m, uint16_t type, const uint8_t *h)
{
	struct in6_addr a;

	memcpy(&a, h, sizeof(a));
	return hip_ctl_put_in6(m, type, &a);
}

static int binding_body(struct hip_ctl_msg *m,
			const struct hip_msrd_binding *b)
{
	int r = hip_ctl_put_u32(m, HIP_CTL_A_FLAGS, b->flags);

	if (r == 0 && (b->flags & HIP_MSRD_B_HITS))
		r = put_hit(m, HIP_CTL_A_LOCAL_HIT, b->local_hit);
	if (r == 0 && (b->flags & HIP_MSRD_B_HITS))
		r = put_hit(m, HIP_CTL_A_PEER_HIT, b->peer_hit);
	if (r == 0 && (b->flags & HIP_MSRD_B_POLICY))
		r = hip_ctl_put_u32(m, HIP_CTL_A_MSRD_POLICY,
				    b->policy_index);
	if (r == 0 && (b->flags & HIP_MSRD_B_REQID))
		r = hip_ctl_put_u32(m, HIP_CTL_A_MSRD_REQID, b->reqid);
	return r;
}

int hip_msrd_binding_put(struct hip_ctl_msg *m,
			 const struct hip_msrd_binding *b)
{
	int r;

	if (m == NULL || b == NULL || binding_check(b) < 0)
		return HIP_EINVAL;
	r = hip_ctl_nest_begin(m, HIP_CTL_A_MSRD_BIND);
	if (r < 0)
		return r;
	r = binding_body(m, b);
	if (r == 0)
		r = hip_ctl_nest_end(m);
	if (r < 0)
		hip_ctl_nest_cancel(m);
	return r;
}

static int record_body(struct hip_ctl_msg *m, const struct hip_msrd_record *rec)
{
	int r = hip_ctl_put_u64(m, HIP_CTL_A_MSRD_MPI, rec->mpi);

	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_UID, rec->owner);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_MSRD_SEQ, rec->seq);
	if (r == 0 && rec->expires)
		r = hip_ctl_put_u64(m, HIP_CTL_A_MSRD_EXPIRES, rec->expires);
	if (r == 0 && rec->lifetime)
		r = hip_ctl_put_u32(m, HIP_CTL_A_MSRD_LIFETIME, rec->lifetime);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_FLAGS, rec->flags);
	for (size_t i = 0; r == 0 && i < rec->n_home; i++)
		r = hip_ctl_put_in6(m, HIP_CTL_A_MSRD_HOME, &rec->home[i]);
	for (size_t i = 0; r == 0 && i < rec->n_coa; i++) {
		r = hip_ctl_nest_begin(m, HIP_CTL_A_MSRD_COA);
		if (r == 0)
			r = hip_ctl_put_in6(m, HIP_CTL_A_LOCATOR,
					    &rec->coa[i].addr);
		if (r == 0)
			r = hip_ctl_put_u8(m, HIP_CTL_A_MSRD_PREF,
					   rec->coa[i].pref);
		if (r == 0)
			r = hip_ctl_nest_end(m);
	}
	if (r == 0 && (rec->flags & HIP_MSRD_F_PEER))
		r = hip_ctl_put_in6(m, HIP_CTL_A_PEER_LOCATOR, &rec->peer);
	for (size_t i = 0; r == 0 && i < rec->n_bind; i++)
		r = hip_msrd_binding_put(m, &rec->bind[i]);
	return r;
}

int hip_msrd_record_put(struct hip_ctl_msg *m, const struct hip_msrd_record *r)
{
	unsigned depth;
	int e;

	if (m == NULL || hip_msrd_record_check(r) < 0)
		return HIP_EINVAL;
	depth = m->depth;
	e = hip_ctl_nest_begin(m, HIP_CTL_A_MSRD_RECORD);
	if (e < 0)
		return e;
	e = record_body(m, r);
	if (e == 0)
		e = hip_ctl_nest_end(m);
	if (e < 0)	/* drop the record and any nest left open in it */
		while (m->depth > depth)
			hip_ctl_nest_cancel(m);
	return e;
}

/* ---- decoding ------------------------------------------------------ */

/* Bit per single-valued attribute, to refuse repeats. */
enum {
	SEEN_MPI = 1 << 0, SEEN_UID = 1 << 1, SEEN_SEQ = 1 << 2,
	SEEN_EXPIRES = 1 << 3, SEEN_LIFETIME = 1 << 4, SEEN_FLAGS = 1 << 5,
	SEEN_PEER = 1 << 6, SEEN_LOCAL_HIT = 1 << 7, SEEN_PEER_HIT = 1 << 8,
	SEEN_POLICY = 1 << 9, SEEN_REQID = 1 << 10, SEEN_LOCATOR = 1 << 11,
	SEEN_PREF = 1 << 12,
};

static int once(unsigned *seen, unsigned bit)
{
	if (*seen & bit)
		return HIP_EDUP;
	*seen |= bit;
	return 0;
}

static int get_hit(const struct hip_ctl_attr *a, uint8_t *out)
{
	struct in6_addr v;
	int r = hip_ctl_get_in6(a, &v);

	if (r == 0)
		memcpy(out, &v, sizeof(v));
	return r;
}

int hip_msrd_binding_read(const struct hip_ctl_attr *a,
			  struct hip_msrd_binding *out)
{
	struct hip_msrd_binding b;
	struct hip_ctl_iter it;
	struct hip_ctl_attr x;
	unsigned seen = 0;
	int r;

	if (a == NULL || out == NULL || a->type != HIP_CTL_A_MSRD_BIND)
		return HIP_EFORMAT;
	r = hip_ctl_attr_nested(a, &it);
	if (r < 0)
		return r;
	memset(&b, 0, sizeof(b));
	while ((r = hip_ctl_iter_next(&it, &x)) == 1) {
		switch (x.type) {
		case HIP_CTL_A_FLAGS:
			r = once(&seen, SEEN_FLAGS);
			if (r == 0)
				r = hip_ctl_get_u32(&x, &b.flags);
			break;
		case HIP_CTL_A_LOCAL_HIT:
			r = once(&seen, SEEN_LOCAL_HIT);
			if (r == 0)
				r = get_hit(&x, b.local_hit);
			break;
		case HIP_CTL_A_PEER_HIT:
			r = once(&seen, SEEN_PEER_HIT);
			if (r == 0)
				r = get_hit(&x, b.peer_hit);
			break;
		case HIP_CTL_A_MSRD_POLICY:
			r = once(&seen, SEEN_POLICY);
			if (r == 0)
				r = hip_ctl_get_u32(&x, &b.policy_index);
			break;
		case HIP_CTL_A_MSRD_REQID:
			r = once(&seen, SEEN_REQID);
			if (r == 0)
				r = hip_ctl_get_u32(&x, &b.reqid);
			break;
		default:
			r = 0;	/* unknown: skipped */
			break;
		}
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	/* what the flags name must be there, and nothing else */
	if (!!(b.flags & HIP_MSRD_B_HITS) != !!(seen & SEEN_LOCAL_HIT) ||
	    !!(b.flags & HIP_MSRD_B_HITS) != !!(seen & SEEN_PEER_HIT) ||
	    !!(b.flags & HIP_MSRD_B_POLICY) != !!(seen & SEEN_POLICY) ||
	    !!(b.flags & HIP_MSRD_B_REQID) != !!(seen & SEEN_REQID))
		return HIP_EINVAL;
	r = binding_check(&b);
	if (r < 0)
		return r;
	*out = b;
	return 0;
}

static int coa_read(const struct hip_ctl_attr *a, struct hip_msrd_locator *l)
{
	struct hip_ctl_iter it;
	struct hip_ctl_attr x;
	unsigned seen = 0;
	int r;

	r = hip_ctl_attr_nested(a, &it);
	if (r < 0)
		return r;
	memset(l, 0, sizeof(*l));
	while ((r = hip_ctl_iter_next(&it, &x)) == 1) {
		if (x.type == HIP_CTL_A_LOCATOR) {
			r = once(&seen, SEEN_LOCATOR);
			if (r == 0)
				r = hip_ctl_get_in6(&x, &l->addr);
		} else if (x.type == HIP_CTL_A_MSRD_PREF) {
			r = once(&seen, SEEN_PREF);
			if (r == 0)
				r = hip_ctl_get_u8(&x, &l->pref);
		} else {
			r = 0;
		}
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return (seen & SEEN_LOCATOR) ? 0 : HIP_EMISSING;
}

static int record_attr(const struct hip_ctl_attr *x, struct hip_msrd_record *rec,
		       unsigned *seen)
{
	int r;

	switch (x->type) {
	case HIP_CTL_A_MSRD_MPI:
		r = once(seen, SEEN_MPI);
		return r ? r : hip_ctl_get_u64(x, &rec->mpi);
	case HIP_CTL_A_UID:
		r = once(seen, SEEN_UID);
		return r ? r : hip_ctl_get_u32(x, &rec->owner);
	case HIP_CTL_A_MSRD_SEQ:
		r = once(seen, SEEN_SEQ);
		return r ? r : hip_ctl_get_u32(x, &rec->seq);
	case HIP_CTL_A_MSRD_EXPIRES:
		r = once(seen, SEEN_EXPIRES);
		return r ? r : hip_ctl_get_u64(x, &rec->expires);
	case HIP_CTL_A_MSRD_LIFETIME:
		r = once(seen, SEEN_LIFETIME);
		return r ? r : hip_ctl_get_u32(x, &rec->lifetime);
	case HIP_CTL_A_FLAGS:
		r = once(seen, SEEN_FLAGS);
		return r ? r : hip_ctl_get_u32(x, &rec->flags);
	case HIP_CTL_A_PEER_LOCATOR:
		r = once(seen, SEEN_PEER);
		return r ? r : hip_ctl_get_in6(x, &rec->peer);
	case HIP_CTL_A_MSRD_HOME:
		if (rec->n_home >= HIP_MSRD_MAX_HOME)
			return HIP_ENOSPC;
		r = hip_ctl_get_in6(x, &rec->home[rec->n_home]);
		if (r == 0)
			rec->n_home++;
		return r;
	case HIP_CTL_A_MSRD_COA:
		if (rec->n_coa >= HIP_MSRD_MAX_COA)
			return HIP_ENOSPC;
		r = coa_read(x, &rec->coa[rec->n_coa]);
		if (r == 0)
			rec->n_coa++;
		return r;
	case HIP_CTL_A_MSRD_BIND:
		if (rec->n_bind >= HIP_MSRD_MAX_BIND)
			return HIP_ENOSPC;
		r = hip_msrd_binding_read(x, &rec->bind[rec->n_bind]);
		if (r == 0)
			rec->n_bind++;
		return r;
	default:
		return 0;	/* unknown: skipped, for later additions */
	}
}

int hip_msrd_record_read(const struct hip_ctl_attr *a,
			 struct hip_msrd_record *out)
{
	struct hip_msrd_record rec;
	struct hip_ctl_iter it;
	struct hip_ctl_attr x;
	unsigned seen = 0;
	int r;

	if (a == NULL || out == NULL || a->type != HIP_CTL_A_MSRD_RECORD)
		return HIP_EFORMAT;
	r = hip_ctl_attr_nested(a, &it);
	if (r < 0)
		return r;
	memset(&rec, 0, sizeof(rec));
	while ((r = hip_ctl_iter_next(&it, &x)) == 1) {
		r = record_attr(&x, &rec, &seen);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	if (!(seen & SEEN_MPI))
		return HIP_EMISSING;
	/* the flag and the address travel together */
	if (!!(rec.flags & HIP_MSRD_F_PEER) != !!(seen & SEEN_PEER))
		return HIP_EINVAL;
	r = hip_msrd_record_check(&rec);
	if (r < 0)
		return r;
	*out = rec;
	return 0;
}
