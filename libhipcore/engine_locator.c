/*
 * engine_locator.c - mobility and multihoming (RFC 8046, RFC 8047).
 *
 * Our side: when the host's locators change (or a mobility daemon pins
 * an association to its own set), every association concerned sends an
 * UPDATE with LOCATOR_SET (all usable locators, P bit on the one that
 * carries data), ESP_INFO (current SPI, no rekey) and SEQ.  When the
 * locator the association used is gone, its SAs move at once to the
 * preferred remaining one (SA_MIGRATE): our own addresses need no
 * verification.
 *
 * Peer side: every new peer locator is UNVERIFIED until it answered an
 * ECHO_REQUEST_SIGNED (in an UPDATE sent to that address) with the
 * right ECHO_RESPONSE_SIGNED; only then may data go there (ACTIVE).  A
 * locator the peer no longer lists is DEPRECATED: data stays on it
 * until a new one is verified, so a LOCATOR_SET naming a third party's
 * address that never answers redirects nothing.  The preferred locator
 * is checked first, then the others one after the other, so that when
 * the preferred one goes a verified one can take over at once.  Outer
 * families may change (IPv4 <-> IPv6, BEET); the two ends of a path are
 * always of the same family.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/params.h"
#include "hip/util.h"
#include "engine_internal.h"

static bool addr_eq(const struct in6_addr *x, const struct in6_addr *y)
{
	return memcmp(x, y, sizeof(*x)) == 0;
}

static bool is_v4(const struct in6_addr *x)
{
	return IN6_IS_ADDR_V4MAPPED(x);
}

/* A locator that can carry packets at all. */
static bool addr_usable(const struct in6_addr *x)
{
	if (IN6_IS_ADDR_UNSPECIFIED(x) || IN6_IS_ADDR_LOOPBACK(x) ||
	    IN6_IS_ADDR_MULTICAST(x))
		return false;
	if (is_v4(x)) {
		uint8_t b0 = x->s6_addr[12];

		return b0 != 0 && b0 != 127 && b0 < 224;
	}
	return true;
}

/* Our locators for association a: its own set, the host's, or where it
 * is now. */
static size_t our_locs(const struct hip_engine *e, const struct hip_assoc *a,
		       const struct in6_addr **l)
{
	if (a->mob != NULL && a->mob->n_my_locs > 0) {
		*l = a->mob->my_locs;
		return a->mob->n_my_locs;
	}
	if (e->n_locs > 0) {
		*l = e->locs;
		return e->n_locs;
	}
	*l = &a->local_loc;
	return 1;
}

/* Our locator of the family of peer (the current one preferred). */
static const struct in6_addr *local_for(const struct hip_engine *e,
					const struct hip_assoc *a,
					const struct in6_addr *peer)
{
	const struct in6_addr *l;
	size_t n = our_locs(e, a, &l);

	if (is_v4(&a->local_loc) == is_v4(peer))
		return &a->local_loc;
	for (size_t k = 0; k < n; k++)
		if (is_v4(&l[k]) == is_v4(peer))
			return &l[k];
	return NULL;
}

/* A peer locator of the family of local: the current one, an ACTIVE
 * one, or one of the peer's configured locators (trusted like those of
 * the base exchange). */
static const struct in6_addr *peer_for(struct hip_engine *e,
				       const struct hip_assoc *a,
				       const struct in6_addr *local)
{
	const struct engine_peer *p;

	if (is_v4(&a->peer_loc) == is_v4(local))
		return &a->peer_loc;
	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++) {
		const struct engine_peer_loc *pl = &a->mob->peer_locs[k];

		if (pl->state == ENGINE_LOC_ACTIVE &&
		    is_v4(&pl->addr) == is_v4(local))
			return &pl->addr;
	}
	p = engine_peer_find(e, a->peer_hit);
	for (size_t k = 0; p != NULL && k < p->p.n_locators; k++)
		if (is_v4(&p->p.locators[k]) == is_v4(local))
			return &p->p.locators[k];
	return NULL;
}

/* Move the SA pair (and the association) to new_local/new_peer. */
static int migrate(struct hip_engine *e, struct hip_assoc *a,
		   const struct in6_addr *new_local,
		   const struct in6_addr *new_peer)
{
	struct hip_engine_action *act;
	char from[HIP_HIT_STRLEN];

	if (addr_eq(new_local, &a->local_loc) &&
	    addr_eq(new_peer, &a->peer_loc))
		return HIP_OK;
	/* The pair a rekey replaced stays where it was: it goes now. */
	engine_old_sa_delete(e, a);
	if (a->sa_installed) {
		act = engine_push(e, HIP_ACT_SA_MIGRATE);
		if (act == NULL)
			return HIP_ENOSPC;
		memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
		memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
		act->u.sa_migrate.spi_in = a->spi_in;
		act->u.sa_migrate.spi_out = a->spi_out;
		act->u.sa_migrate.old_local = a->local_loc;
		act->u.sa_migrate.old_peer = a->peer_loc;
		act->u.sa_migrate.new_local = *new_local;
		act->u.sa_migrate.new_peer = *new_peer;
		e->stats.locator_moves++;
		a->moves++;
	}
	a->local_loc = *new_local;
	a->peer_loc = *new_peer;
	if (hip_hit_to_str(a->peer_hit, from, sizeof(from)))
		strcpy(from, "?");
	engine_log(e, LOG_INFO, "association with %s moved to new locators",
		   from);
	return HIP_OK;
}

/* --- our locators ------------------------------------------------------- */

/* The mobility state of a, allocated on first use; NULL: no memory. */
static struct engine_mob *mob_of(struct hip_assoc *a)
{
	if (a->mob == NULL)
		a->mob = calloc(1, sizeof(*a->mob));
	return a->mob;
}

bool engine_loc_outstanding(const struct hip_assoc *a)
{
	if (a->mob == NULL)
		return false;
	if (a->mob->loc_dirty || a->mob->loc_first_id != 0)
		return true;
	for (size_t k = 0; k < ENGINE_PEER_LOCS; k++)
		if (a->mob->peer_locs[k].checking)
			return true;
	return false;
}

int engine_loc_put(struct hip_builder *b, struct hip_engine *e,
		   const struct hip_assoc *a, uint16_t type)
{
	if (a->mob == NULL)
		return HIP_OK;
	if (type == HIP_PARAM_LOCATOR_SET) {
		struct hip_locator_set *ls;
		const struct in6_addr *l;
		size_t n = our_locs(e, a, &l);
		int r;

		if (!a->mob->loc_dirty && a->mob->loc_first_id == 0)
			return HIP_OK;
		ls = calloc(1, sizeof(*ls));
		if (ls == NULL)
			return HIP_ENOMEM;
		for (size_t k = 0; k < n; k++) {
			struct hip_locator *x = &ls->loc[ls->count++];

			x->traffic_type = HIP_LOC_TRAFFIC_BOTH;
			x->type = HIP_LOC_TYPE_ADDR;
			x->preferred = addr_eq(&l[k], &a->local_loc);
			x->lifetime = e->cfg.locator_lifetime_s;
			x->addr = l[k];
		}
		r = hip_put_locator_set(b, ls);
		free(ls);
		return r;
	}
	for (size_t k = 0; k < ENGINE_PEER_LOCS; k++)
		if (a->mob->peer_locs[k].checking)
			return hip_put_param(b, HIP_PARAM_ECHO_REQUEST_SIGNED,
					     a->mob->peer_locs[k].nonce,
					     ENGINE_ECHO_LEN);
	return HIP_OK;
}

/* An UPDATE with an echo request goes to the address being checked;
 * everything else to where the peer is, and its retransmissions in turn
 * to the peer's other known locators (RFC 8046 5.5: both ends may have
 * moved). */
const struct in6_addr *engine_loc_update_dst(const struct hip_engine *e,
					     const struct hip_assoc *a,
					     unsigned attempt)
{
	const struct in6_addr *cand[ENGINE_PEER_LOCS + HIP_ENGINE_MAX_LOCATORS];
	const struct engine_peer *p;
	size_t n = 0;

	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++)
		if (a->mob->peer_locs[k].checking)
			return &a->mob->peer_locs[k].addr;
	cand[n++] = &a->peer_loc;
	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++) {
		const struct engine_peer_loc *l = &a->mob->peer_locs[k];

		if (l->state != ENGINE_LOC_UNUSED &&
		    !addr_eq(&l->addr, &a->peer_loc) &&
		    local_for(e, a, &l->addr) != NULL)
			cand[n++] = &l->addr;
	}
	p = engine_peer_find(e, a->peer_hit);
	for (size_t k = 0; p != NULL && k < p->p.n_locators; k++) {
		bool known = false;

		for (size_t m = 0; m < n; m++)
			known |= addr_eq(cand[m], &p->p.locators[k]);
		if (!known && local_for(e, a, &p->p.locators[k]) != NULL)
			cand[n++] = &p->p.locators[k];
	}
	return cand[attempt % n];
}

const struct in6_addr *engine_loc_src_for(const struct hip_engine *e,
					  const struct hip_assoc *a,
					  const struct in6_addr *dst)
{
	const struct in6_addr *l = local_for(e, a, dst);

	return l != NULL ? l : &a->local_loc;
}

static bool same_set(const struct in6_addr *x, size_t nx,
		     const struct in6_addr *y, size_t ny)
{
	if (nx != ny)
		return false;
	for (size_t k = 0; k < nx; k++)
		if (!addr_eq(&x[k], &y[k]))
			return false;
	return true;
}

/* The association's locators, cur[0..ncur) so far, are now locs[0..n):
 * move off a vanished one, announce the set. */
static int assoc_apply(struct hip_engine *e, uint64_t now, struct hip_assoc *a,
		       const struct in6_addr *locs, size_t n,
		       const struct in6_addr *cur, size_t ncur)
{
	bool gone = true;
	int r;

	if (n == 0 || same_set(cur, ncur, locs, n))
		return HIP_OK;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	if (mob_of(a) == NULL)
		return HIP_ENOMEM;
	for (size_t k = 0; k < n; k++)
		gone &= !addr_eq(&locs[k], &a->local_loc);
	if (gone) {
		/* To the preferred locator that reaches the peer. */
		const struct in6_addr *peer = NULL;
		size_t k;

		for (k = 0; k < n && peer == NULL; k++)
			peer = peer_for(e, a, &locs[k]);
		if (peer == NULL) {
			engine_log(e, LOG_WARNING, "no locator of ours "
				   "reaches the peer: association waits");
			return HIP_OK;
		}
		r = migrate(e, a, &locs[k - 1], peer);
		if (r)
			return r;
	}
	memcpy(a->mob->my_locs, locs, n * sizeof(*locs));
	a->mob->n_my_locs = n;
	a->mob->loc_dirty = true;
	a->mob->loc_first_id = 0;
	r = engine_update_flush(e, now, a, NULL, 0, NULL);
	if (r)
		engine_log(e, LOG_WARNING, "LOCATOR_SET UPDATE: %s",
			   hip_strerror(r));
	return HIP_OK;
}

static int check_locs(const struct in6_addr *locs, size_t n)
{
	if (n > 0 && locs == NULL)
		return HIP_EINVAL;
	for (size_t k = 0; k < n; k++)
		if (!addr_usable(&locs[k]))
			return HIP_EINVAL;
	return HIP_OK;
}

int hip_engine_set_locators(struct hip_engine *e, uint64_t now_ms,
			    const struct in6_addr *locs, size_t n)
{
	int r;

	if (e == NULL || n > HIP_LOCATOR_MAX || check_locs(locs, n))
		return HIP_EINVAL;
	/* The most preferred ENGINE_LOCAL_LOCS are used. */
	if (n > ENGINE_LOCAL_LOCS)
		n = ENGINE_LOCAL_LOCS;
	if (n == 0) {
		/* No address at all: associations wait for one. */
		e->n_locs = 0;
		return HIP_OK;
	}
	/* Called again with the same set (after HIP_ENOSPC): the
	 * associations not yet done still compare with the old one. */
	if (!same_set(e->locs, e->n_locs, locs, n)) {
		memcpy(e->prev_locs, e->locs, sizeof(e->locs));
		e->n_prev_locs = e->n_locs;
		memcpy(e->locs, locs, n * sizeof(*locs));
		e->n_locs = n;
	}
	for (size_t k = 0; k < e->n_assocs; k++) {
		struct hip_assoc *a = e->assocs[k];
		const struct in6_addr *cur = e->prev_locs;
		size_t ncur = e->n_prev_locs;

		if (a->state != HIP_STATE_ESTABLISHED ||
		    (a->mob != NULL && a->mob->pinned))
			continue;
		/* What it used so far: its own set (announced before), the
		 * host's previous one, or where it is. */
		if (a->mob != NULL && a->mob->n_my_locs > 0) {
			cur = a->mob->my_locs;
			ncur = a->mob->n_my_locs;
		} else if (ncur == 0) {
			cur = &a->local_loc;
			ncur = 1;
		}
		r = assoc_apply(e, now_ms, a, e->locs, e->n_locs, cur, ncur);
		if (r)
			return r;
	}
	return HIP_OK;
}

int hip_engine_assoc_set_locators(struct hip_engine *e, uint64_t now_ms,
				  const uint8_t *local_hit,
				  const uint8_t peer_hit[HIP_HIT_LEN],
				  const struct in6_addr *locs, size_t n)
{
	struct in6_addr cur[ENGINE_LOCAL_LOCS];
	const struct in6_addr *l;
	struct hip_assoc *a;
	size_t ncur;

	if (e == NULL || peer_hit == NULL || n > HIP_LOCATOR_MAX ||
	    check_locs(locs, n))
		return HIP_EINVAL;
	a = engine_assoc_find(e, local_hit, peer_hit);
	if (a == NULL)
		return HIP_ENOENT;
	if (a->state != HIP_STATE_ESTABLISHED)
		return HIP_ESTATE;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	if (n > ENGINE_LOCAL_LOCS)
		n = ENGINE_LOCAL_LOCS;
	if (mob_of(a) == NULL)
		return HIP_ENOMEM;
	ncur = our_locs(e, a, &l);
	memcpy(cur, l, ncur * sizeof(*l));
	if (n == 0) {
		a->mob->pinned = false;
		return assoc_apply(e, now_ms, a, e->locs, e->n_locs, cur, ncur);
	}
	a->mob->pinned = true;
	return assoc_apply(e, now_ms, a, locs, n, cur, ncur);
}

/* --- the peer's locators -------------------------------------------------- */

static bool loc_usable(const struct hip_locator *l)
{
	return (l->type == HIP_LOC_TYPE_ADDR ||
		l->type == HIP_LOC_TYPE_SPI_ADDR) &&
	       l->traffic_type != HIP_LOC_TRAFFIC_SIGNAL &&
	       addr_usable(&l->addr);
}

int engine_loc_check(struct hip_engine *e, const struct hip_assoc *a,
		     const struct update_in *in)
{
	size_t usable = 0;

	(void)a;
	if (!in->have_locs)
		return HIP_OK;
	for (size_t k = 0; k < in->locs.count; k++)
		usable += loc_usable(&in->locs.loc[k]);
	if (usable == 0)
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EINVAL,
				   "LOCATOR_SET without a usable locator");
	return HIP_OK;
}

static bool listed_in(const struct engine_peer_loc *l, size_t n,
		      const struct in6_addr *x)
{
	for (size_t k = 0; k < n; k++)
		if (addr_eq(&l[k].addr, x))
			return true;
	return false;
}

static struct engine_peer_loc *peer_loc_find(struct hip_assoc *a,
					     const struct in6_addr *x)
{
	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++)
		if (a->mob->peer_locs[k].state != ENGINE_LOC_UNUSED &&
		    addr_eq(&a->mob->peer_locs[k].addr, x))
			return &a->mob->peer_locs[k];
	return NULL;
}

/* Check the next UNVERIFIED locator, the preferred one first.  Returns
 * true when an echo is to go out. */
static bool next_check(struct hip_engine *e, uint64_t now,
		       struct hip_assoc *a)
{
	struct engine_peer_loc *pick = NULL;

	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++) {
		struct engine_peer_loc *l = &a->mob->peer_locs[k];

		if (l->checking)
			return false;
		if (l->state != ENGINE_LOC_UNVERIFIED)
			continue;
		if (pick == NULL || (l->preferred && !pick->preferred))
			pick = l;
	}
	if (pick == NULL || engine_random(e, pick->nonce, ENGINE_ECHO_LEN))
		return false;
	pick->checking = true;
	pick->echo_first_id = 0;
	pick->verify_by = now + e->cfg.locator_verify_ms;
	return true;
}

int engine_loc_recv(struct hip_engine *e, uint64_t now,
		    struct hip_assoc *a, const struct update_in *in,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    bool *need_send)
{
	struct engine_peer_loc next[ENGINE_PEER_LOCS];
	struct engine_peer_loc *pref = NULL;
	size_t m = 0;

	(void)src;
	(void)dst;
	if (!in->have_locs)
		return HIP_OK;
	if (mob_of(a) == NULL)
		return HIP_ENOMEM;
	memset(next, 0, sizeof(next));
	for (size_t k = 0; k < in->locs.count && m < ENGINE_PEER_LOCS; k++) {
		const struct hip_locator *l = &in->locs.loc[k];
		struct engine_peer_loc *old, *x;

		if (!loc_usable(l) || local_for(e, a, &l->addr) == NULL)
			continue;
		x = &next[m++];
		old = peer_loc_find(a, &l->addr);
		if (old != NULL && old->state != ENGINE_LOC_DEPRECATED)
			*x = *old;
		x->addr = l->addr;
		x->preferred = l->preferred;
		if (addr_eq(&l->addr, &a->peer_loc))
			x->state = ENGINE_LOC_ACTIVE;
		else if (x->state == ENGINE_LOC_UNUSED ||
			 x->state == ENGINE_LOC_DEPRECATED)
			x->state = ENGINE_LOC_UNVERIFIED;
		if (x->state != ENGINE_LOC_UNVERIFIED)
			x->checking = false;
		if (l->preferred && pref == NULL)
			pref = x;
	}
	if (m == 0) {
		engine_log(e, LOG_WARNING, "peer locators: none of a family "
			   "we have");
		return HIP_OK;
	}
	/* The locator data uses now, if no longer listed: DEPRECATED, and
	 * data stays there until another one is verified. */
	if (!listed_in(next, m, &a->peer_loc)) {
		struct engine_peer_loc *x;

		if (m == ENGINE_PEER_LOCS)
			m--;	/* the least preferred gives way */
		x = &next[m++];
		if (pref == x)
			pref = NULL;
		memset(x, 0, sizeof(*x));
		x->addr = a->peer_loc;
		x->state = ENGINE_LOC_DEPRECATED;
	}
	if (pref == NULL)
		pref = &next[0];
	memcpy(a->mob->peer_locs, next, sizeof(next));
	pref = &a->mob->peer_locs[pref - next];
	if (pref->state == ENGINE_LOC_ACTIVE &&
	    !addr_eq(&pref->addr, &a->peer_loc)) {
		/* Verified before (multihoming): take it over at once. */
		const struct in6_addr *local = local_for(e, a, &pref->addr);

		if (local != NULL) {
			int r = migrate(e, a, local, &pref->addr);

			if (r)
				return r;
		}
	}
	if (next_check(e, now, a))
		*need_send = true;
	return HIP_OK;
}

void engine_loc_acked(struct hip_engine *e, uint64_t now,
		      struct hip_assoc *a, uint32_t id,
		      const struct update_in *in)
{
	struct engine_peer_loc *l = NULL;
	bool move;

	if (a->mob == NULL)
		return;
	if (id != 0 && a->mob->loc_first_id != 0 && !a->mob->loc_dirty &&
	    engine_update_id_covers(a, a->mob->loc_first_id, id))
		a->mob->loc_first_id = 0;
	if (in->echo_resp == NULL || in->echo_resp->len != ENGINE_ECHO_LEN)
		return;
	for (size_t k = 0; k < ENGINE_PEER_LOCS && l == NULL; k++)
		if (a->mob->peer_locs[k].checking &&
		    hip_ct_memeq(a->mob->peer_locs[k].nonce,
				 in->echo_resp->value, ENGINE_ECHO_LEN))
			l = &a->mob->peer_locs[k];
	if (l == NULL)
		return;
	/* RFC 8046 5.4: the address answered; data may go there. */
	l->checking = false;
	l->state = ENGINE_LOC_ACTIVE;
	hip_wipe(l->nonce, sizeof(l->nonce));
	{
		struct engine_peer_loc *cur = peer_loc_find(a, &a->peer_loc);

		move = l->preferred ||
		       (cur != NULL && cur->state == ENGINE_LOC_DEPRECATED);
	}
	if (move) {
		const struct in6_addr *local = local_for(e, a, &l->addr);
		struct in6_addr dst = l->addr;

		if (local != NULL && migrate(e, a, local, &dst) == 0) {
			/* The old one is no longer listed: forget it. */
			struct engine_peer_loc *old;

			for (size_t k = 0; k < ENGINE_PEER_LOCS; k++) {
				old = &a->mob->peer_locs[k];
				if (old->state == ENGINE_LOC_DEPRECATED)
					memset(old, 0, sizeof(*old));
			}
		}
	}
	/* Then the next one, so that a failover finds it verified. */
	if (next_check(e, now, a)) {
		int r = engine_update_flush(e, now, a, NULL, 0, NULL);

		if (r)
			engine_log(e, LOG_WARNING, "echo UPDATE: %s",
				   hip_strerror(r));
	}
}

/* Our UPDATE went unanswered: announcements and checks end there. */
void engine_loc_given_up(struct hip_engine *e, struct hip_assoc *a)
{
	if (a->mob == NULL)
		return;
	a->mob->loc_first_id = 0;
	a->mob->loc_dirty = false;
	for (size_t k = 0; k < ENGINE_PEER_LOCS; k++) {
		struct engine_peer_loc *l = &a->mob->peer_locs[k];

		if (!l->checking)
			continue;
		engine_log(e, LOG_INFO, "peer locator did not answer: not "
			   "used");
		memset(l, 0, sizeof(*l));
	}
}

uint64_t engine_loc_deadline(const struct hip_assoc *a)
{
	uint64_t d = ENGINE_NO_DEADLINE;

	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++) {
		const struct engine_peer_loc *l = &a->mob->peer_locs[k];

		if (l->checking && l->verify_by < d)
			d = l->verify_by;
	}
	return d;
}

void engine_loc_timeout(struct hip_engine *e, uint64_t now,
			struct hip_assoc *a)
{
	bool expired = false;

	for (size_t k = 0; a->mob != NULL && k < ENGINE_PEER_LOCS; k++) {
		struct engine_peer_loc *l = &a->mob->peer_locs[k];

		if (!l->checking || now < l->verify_by)
			continue;
		engine_log(e, LOG_INFO, "peer locator not verified in time: "
			   "not used");
		memset(l, 0, sizeof(*l));
		expired = true;
	}
	if (expired && next_check(e, now, a)) {
		int r = engine_update_flush(e, now, a, NULL, 0, NULL);

		if (r)
			engine_log(e, LOG_WARNING, "echo UPDATE: %s",
				   hip_strerror(r));
	}
}
