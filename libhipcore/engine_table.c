/*
 * engine_table.c - the engine's tables: host associations (lookup,
 * creation, removal, state changes, SA deletion) and peers (where to
 * send an I1), and their introspection for "hipconf ha list".
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/util.h"
#include "engine_internal.h"

/* --- associations -------------------------------------------------------- */

struct hip_assoc *engine_assoc_find(struct hip_engine *e,
				    const uint8_t *local_hit,
				    const uint8_t *peer_hit)
{
	for (size_t n = 0; n < e->n_assocs; n++) {
		struct hip_assoc *a = e->assocs[n];

		if (engine_hit_eq(a->peer_hit, peer_hit) &&
		    (local_hit == NULL || engine_hit_eq(a->local_hit, local_hit)))
			return a;
	}
	return NULL;
}

int engine_assoc_new(struct hip_engine *e, size_t local_idx,
		     const uint8_t *peer_hit, uint64_t now,
		     struct hip_assoc **out)
{
	struct hip_assoc *a;

	if (e->n_assocs >= e->cfg.max_assocs)
		return HIP_ENOSPC;
	if (e->n_assocs == e->cap_assocs) {
		size_t ncap = e->cap_assocs ? e->cap_assocs * 2 : 16;
		struct hip_assoc **n = realloc(e->assocs, ncap * sizeof(*n));

		if (n == NULL)
			return HIP_ENOMEM;
		e->assocs = n;
		e->cap_assocs = ncap;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return HIP_ENOMEM;
	memcpy(a->local_hit, e->local[local_idx].hit, HIP_HIT_LEN);
	memcpy(a->peer_hit, peer_hit, HIP_HIT_LEN);
	a->local_idx = local_idx;
	a->state = HIP_STATE_UNASSOCIATED;
	a->created_ms = now;
	a->last_used_ms = now;
	a->deadline = ENGINE_NO_DEADLINE;
	e->assocs[e->n_assocs++] = a;
	*out = a;
	return HIP_OK;
}

void engine_assoc_clear_keys(struct hip_assoc *a)
{
	hip_wipe(&a->hk, sizeof(a->hk));
	hip_wipe(&a->ek, sizeof(a->ek));
	hip_wipe(a->i, sizeof(a->i));
	hip_wipe(a->j, sizeof(a->j));
	engine_update_clear(a);
	a->have_keys = false;
}

void engine_assoc_free(struct hip_assoc *a)
{
	engine_assoc_clear_keys(a);
	hip_identity_free(a->peer_id);
	hip_wipe(a, sizeof(*a));
	free(a);
}

void engine_assoc_remove(struct hip_engine *e, struct hip_assoc *a)
{
	for (size_t n = 0; n < e->n_assocs; n++) {
		if (e->assocs[n] != a)
			continue;
		e->assocs[n] = e->assocs[--e->n_assocs];
		engine_assoc_free(a);
		return;
	}
}

void engine_set_state(struct hip_engine *e, struct hip_assoc *a,
		      enum hip_engine_state s)
{
	struct hip_engine_action *act;
	char hit[HIP_HIT_STRLEN];

	if (a->state == s)
		return;
	act = engine_push(e, HIP_ACT_STATE_CHANGED);
	if (act != NULL) {
		memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
		memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
		act->u.state.old_state = a->state;
		act->u.state.new_state = s;
	}
	if (hip_hit_to_str(a->peer_hit, hit, sizeof(hit)))
		strcpy(hit, "?");
	engine_log(e, LOG_INFO, "association with %s: %s -> %s", hit,
		   hip_engine_state_name(a->state), hip_engine_state_name(s));
	if (s == HIP_STATE_ESTABLISHED)
		e->stats.exchanges_completed++;
	else if (s == HIP_STATE_E_FAILED)
		e->stats.exchanges_failed++;
	a->state = s;
}

/* Timer of a retransmitted packet: the current RTO from now. */
void engine_timer_arm(struct hip_assoc *a, uint64_t now)
{
	a->deadline = now + a->rto_ms;
}

void engine_sa_delete(struct hip_engine *e, struct hip_assoc *a)
{
	struct hip_engine_action *act;

	/* The pair a rekey replaced goes first (its SAs only). */
	engine_old_sa_delete(e, a);
	if (!a->sa_installed)
		return;
	act = engine_push(e, HIP_ACT_SA_DELETE);
	if (act == NULL)
		return;
	memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
	memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
	act->u.sa_delete.spi_in = a->spi_in;
	act->u.sa_delete.spi_out = a->spi_out;
	act->u.sa_delete.local_loc = a->local_loc;
	act->u.sa_delete.peer_loc = a->peer_loc;
	a->sa_installed = false;
}

/* --- peers ---------------------------------------------------------------- */

const struct engine_peer *engine_peer_find(const struct hip_engine *e,
					   const uint8_t *hit)
{
	for (size_t n = 0; n < e->n_peers; n++)
		if (engine_hit_eq(e->peers[n].p.hit, hit))
			return &e->peers[n];
	return NULL;
}

int hip_engine_peer_add(struct hip_engine *e,
			const uint8_t peer_hit[HIP_HIT_LEN],
			const struct in6_addr *locators, size_t n)
{
	struct engine_peer *p;

	if (e == NULL || peer_hit == NULL || locators == NULL || n == 0 ||
	    n > HIP_ENGINE_MAX_LOCATORS || !hip_hit_is_hit(peer_hit))
		return HIP_EINVAL;
	p = (struct engine_peer *)engine_peer_find(e, peer_hit);
	if (p == NULL) {
		if (e->n_peers == e->cap_peers) {
			size_t ncap = e->cap_peers ? e->cap_peers * 2 : 8;
			struct engine_peer *np;

			np = realloc(e->peers, ncap * sizeof(*np));
			if (np == NULL)
				return HIP_ENOMEM;
			e->peers = np;
			e->cap_peers = ncap;
		}
		p = &e->peers[e->n_peers++];
		memset(p, 0, sizeof(*p));
		memcpy(p->p.hit, peer_hit, HIP_HIT_LEN);
	}
	memset(p->p.locators, 0, sizeof(p->p.locators));
	memcpy(p->p.locators, locators, n * sizeof(*locators));
	p->p.n_locators = n;
	return HIP_OK;
}

int hip_engine_peer_del(struct hip_engine *e,
			const uint8_t peer_hit[HIP_HIT_LEN])
{
	const struct engine_peer *p;

	if (e == NULL || peer_hit == NULL)
		return HIP_EINVAL;
	p = engine_peer_find(e, peer_hit);
	if (p == NULL)
		return HIP_ENOENT;
	e->peers[p - e->peers] = e->peers[--e->n_peers];
	return HIP_OK;
}

int hip_engine_peer_list(const struct hip_engine *e,
			 struct hip_engine_peer *out, size_t cap,
			 size_t *count)
{
	if (e == NULL || (out == NULL && cap > 0) || count == NULL)
		return HIP_EINVAL;
	for (size_t n = 0; n < e->n_peers && n < cap; n++)
		out[n] = e->peers[n].p;
	*count = e->n_peers;
	return HIP_OK;
}

/* --- introspection -------------------------------------------------------- */

static void assoc_info(const struct hip_assoc *a,
		       struct hip_engine_assoc_info *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->local_hit, a->local_hit, HIP_HIT_LEN);
	memcpy(o->peer_hit, a->peer_hit, HIP_HIT_LEN);
	o->state = a->state;
	o->initiator = a->initiator;
	o->local_loc = a->local_loc;
	o->peer_loc = a->peer_loc;
	o->spi_in = a->spi_in;
	o->spi_out = a->spi_out;
	o->esp_suite = a->esp_suite;
	o->hip_cipher = a->cipher;
	o->dh_group = a->dh_group;
	o->hit_suite = a->rhash_suite > 0 ? (uint8_t)a->rhash_suite : 0;
	o->created_ms = a->created_ms;
	o->established_ms = a->established_ms;
	o->last_used_ms = a->last_used_ms;
	o->rekeys = a->rekeys;
	o->moves = a->moves;
	o->update_pending = a->upd != NULL;
}

int hip_engine_assoc_list(const struct hip_engine *e,
			  struct hip_engine_assoc_info *out, size_t cap,
			  size_t *count)
{
	if (e == NULL || (out == NULL && cap > 0) || count == NULL)
		return HIP_EINVAL;
	for (size_t n = 0; n < e->n_assocs && n < cap; n++)
		assoc_info(e->assocs[n], &out[n]);
	*count = e->n_assocs;
	return HIP_OK;
}

int hip_engine_assoc_get(const struct hip_engine *e, const uint8_t *local_hit,
			 const uint8_t peer_hit[HIP_HIT_LEN],
			 struct hip_engine_assoc_info *out)
{
	const struct hip_assoc *a;

	if (e == NULL || peer_hit == NULL || out == NULL)
		return HIP_EINVAL;
	a = engine_assoc_find((struct hip_engine *)e, local_hit, peer_hit);
	if (a == NULL)
		return HIP_ENOENT;
	assoc_info(a, out);
	return HIP_OK;
}
