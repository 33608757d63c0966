/*
 * msrd_store.c - the MSRD records in hipd (msrd_store.h).
 */
#include <string.h>

#include "hipd/msrd_store.h"

void hipd_msrd_store_init(struct hipd_msrd_store *s)
{
	memset(s, 0, sizeof(*s));
}

bool hipd_msrd_may_change(uid_t uid, const struct hip_msrd_record *r)
{
	return uid == 0 || (uint32_t)uid == r->owner;
}

/* Index of mpi, or of where it would go (*found false). */
static size_t find(const struct hipd_msrd_store *s, uint64_t mpi, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->rec[mid].mpi < mpi)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < s->n && s->rec[lo].mpi == mpi;
	return lo;
}

static void insert_at(struct hipd_msrd_store *s, size_t i,
		      const struct hip_msrd_record *r)
{
	memmove(&s->rec[i + 1], &s->rec[i], (s->n - i) * sizeof(s->rec[0]));
	s->rec[i] = *r;
	s->n++;
}

static void remove_at(struct hipd_msrd_store *s, size_t i)
{
	memmove(&s->rec[i], &s->rec[i + 1],
		(s->n - i - 1) * sizeof(s->rec[0]));
	s->n--;
	memset(&s->rec[s->n], 0, sizeof(s->rec[0]));
}

static bool same_coa(const struct hip_msrd_record *a,
		     const struct hip_msrd_record *b)
{
	if (a->n_coa != b->n_coa)
		return false;
	for (size_t i = 0; i < a->n_coa; i++)
		if (!IN6_ARE_ADDR_EQUAL(&a->coa[i].addr, &b->coa[i].addr) ||
		    a->coa[i].pref != b->coa[i].pref)
			return false;
	return true;
}

int hipd_msrd_store_put(struct hipd_msrd_store *s, uid_t uid, uint64_t now,
			const struct hip_msrd_record *in,
			struct hip_msrd_record *out, bool *coa_changed)
{
	struct hip_msrd_record r;
	bool found;
	size_t i;

	if (hip_msrd_record_check(in) < 0)
		return HIP_EINVAL;
	i = find(s, in->mpi, &found);
	if (found && !hipd_msrd_may_change(uid, &s->rec[i]))
		return HIP_EPERM;
	if (!found && s->n >= HIP_MSRD_MAX_RECORDS)
		return HIP_ENOSPC;
	r = *in;
	if (found) {
		r.owner = s->rec[i].owner;
		r.n_bind = s->rec[i].n_bind;
		memcpy(r.bind, s->rec[i].bind, sizeof(r.bind));
	} else {
		r.owner = (uint32_t)uid;
		r.n_bind = 0;
		memset(r.bind, 0, sizeof(r.bind));
	}
	r.seq = s->last_seq + 1;
	r.expires = r.lifetime ? now + r.lifetime : 0;
	hip_msrd_record_sort(&r);
	*coa_changed = !found || !same_coa(&s->rec[i], &r);
	if (found)
		s->rec[i] = r;
	else
		insert_at(s, i, &r);
	s->last_seq = r.seq;
	if (out != NULL)
		*out = r;
	return 0;
}

int hipd_msrd_store_get(const struct hipd_msrd_store *s, uint64_t mpi,
			struct hip_msrd_record *out)
{
	bool found;
	size_t i = find(s, mpi, &found);

	if (!found)
		return HIP_ENOENT;
	*out = s->rec[i];
	return 0;
}

int hipd_msrd_store_del(struct hipd_msrd_store *s, uid_t uid, uint64_t mpi,
			struct hip_msrd_record *old)
{
	bool found;
	size_t i = find(s, mpi, &found);

	if (!found)
		return HIP_ENOENT;
	if (!hipd_msrd_may_change(uid, &s->rec[i]))
		return HIP_EPERM;
	if (old != NULL)
		*old = s->rec[i];
	remove_at(s, i);
	s->last_seq++;	/* a deletion is a change too */
	return 0;
}

int hipd_msrd_store_bind(struct hipd_msrd_store *s, uid_t uid, uint64_t mpi,
			 const struct hip_msrd_binding *b, size_t n,
			 struct hip_msrd_record *out)
{
	struct hip_msrd_record r;
	bool found;
	size_t i = find(s, mpi, &found);

	if (!found)
		return HIP_ENOENT;
	if (!hipd_msrd_may_change(uid, &s->rec[i]))
		return HIP_EPERM;
	if (n > HIP_MSRD_MAX_BIND || (n > 0 && b == NULL))
		return HIP_EINVAL;
	r = s->rec[i];
	memset(r.bind, 0, sizeof(r.bind));
	if (n > 0)
		memcpy(r.bind, b, n * sizeof(*b));
	r.n_bind = n;
	if (hip_msrd_record_check(&r) < 0)
		return HIP_EINVAL;
	r.seq = s->last_seq + 1;
	s->rec[i] = r;
	s->last_seq = r.seq;
	if (out != NULL)
		*out = r;
	return 0;
}

size_t hipd_msrd_store_expire(struct hipd_msrd_store *s, uint64_t now,
			      void (*gone)(const struct hip_msrd_record *r,
					   void *arg),
			      void *arg)
{
	size_t i = 0, n = 0;

	while (i < s->n) {
		if (s->rec[i].expires == 0 || s->rec[i].expires > now) {
			i++;
			continue;
		}
		if (gone != NULL)
			gone(&s->rec[i], arg);
		remove_at(s, i);
		s->last_seq++;
		n++;
	}
	return n;
}

uint64_t hipd_msrd_store_next_expiry(const struct hipd_msrd_store *s)
{
	uint64_t next = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->rec[i].expires &&
		    (next == 0 || s->rec[i].expires < next))
			next = s->rec[i].expires;
	return next;
}

int hipd_msrd_store_insert(struct hipd_msrd_store *s,
			   const struct hip_msrd_record *r)
{
	bool found;
	size_t i;

	if (hip_msrd_record_check(r) < 0 || r->seq == 0)
		return HIP_EINVAL;
	i = find(s, r->mpi, &found);
	if (found)
		return HIP_EEXIST;
	if (s->n >= HIP_MSRD_MAX_RECORDS)
		return HIP_ENOSPC;
	insert_at(s, i, r);
	if (r->seq > s->last_seq)
		s->last_seq = r->seq;
	return 0;
}

static bool binding_matches(const struct hip_msrd_binding *b,
			    const uint8_t *local_hit, const uint8_t *peer_hit,
			    uint32_t policy_index, uint32_t reqid)
{
	if ((b->flags & HIP_MSRD_B_HITS) &&
	    (local_hit != NULL || peer_hit != NULL) &&
	    (local_hit == NULL || !memcmp(b->local_hit, local_hit, 16)) &&
	    (peer_hit == NULL || !memcmp(b->peer_hit, peer_hit, 16)))
		return true;
	if ((b->flags & HIP_MSRD_B_POLICY) && policy_index != 0 &&
	    b->policy_index == policy_index)
		return true;
	return (b->flags & HIP_MSRD_B_REQID) && reqid != 0 &&
	       b->reqid == reqid;
}

const struct hip_msrd_record *
hipd_msrd_store_lookup(const struct hipd_msrd_store *s,
		       const uint8_t *local_hit, const uint8_t *peer_hit,
		       uint32_t policy_index, uint32_t reqid)
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->rec[i].n_bind; j++)
			if (binding_matches(&s->rec[i].bind[j], local_hit,
					    peer_hit, policy_index, reqid))
				return &s->rec[i];
	return NULL;
}
