/*
 * engine_r1.c - the Responder's stateless first half (RFC 7401 4.1.3,
 * 6.6, 6.7): R1 generations with a rotating puzzle secret and
 * precomputed, pre-signed R1s, and the answer to an I1.
 *
 * An R1 generation holds one DH key pair per group (shared by all local
 * identities) and one signed R1 per identity and group; the R1_COUNTER
 * is the generation number.  #I is computed per I1 from the
 * generation's secret, the HITs and the addresses, so the Responder can
 * check an I2 of the current or the previous generation without having
 * kept anything about the R1 it answered.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/dh.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/keymat.h"
#include "hip/params.h"
#include "hip/puzzle.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

#define HDR_RECEIVER_HIT	24	/* RFC 7401 5.1 */

static void gen_free(struct hip_engine *e, struct engine_r1gen *g)
{
	for (size_t n = 0; n < HIP_ENGINE_MAX_DH; n++)
		hip_dh_free(g->dh[n]);
	if (g->r1 != NULL) {
		hip_wipe(g->r1, e->n_local * e->cfg.n_dh_groups *
				    sizeof(*g->r1));
		free(g->r1);
	}
	hip_wipe(g, sizeof(*g));
}

/* PUZZLE Lifetime (5.2.4): 2^(v - 32) s covering two rotations, as an
 * I2 answering the previous generation is still accepted. */
static uint8_t puzzle_lifetime(uint32_t rotate_ms)
{
	uint64_t secs = ((uint64_t)rotate_ms * 2 + 999) / 1000;
	unsigned v = 32;

	while (v < 255 && ((uint64_t)1 << (v - 32 < 63 ? v - 32 : 63)) < secs)
		v++;
	return (uint8_t)v;
}

/* HIT suites whose HITs this library verifies (RFC 7401 5.2.10,
 * RFC 9374). */
static const uint8_t accepted_suites[] = {
	HIP_HIT_SUITE_RSA_DSA_SHA256, HIP_HIT_SUITE_ECDSA_SHA384,
	HIP_HIT_SUITE_EDDSA_CSHAKE,
};

static int build_r1(struct hip_engine *e, const struct engine_r1gen *g,
		    const struct engine_local *l, size_t gi,
		    struct engine_r1 *out)
{
	static const struct in6_addr zero_hit;
	struct in6_addr me;
	struct hip_builder b;
	struct hip_r1_counter rc = { 0, g->counter };
	struct hip_puzzle pz;
	struct hip_diffie_hellman *dh;
	struct hip_cipher ci;
	struct hip_hit_suite_list hs;
	struct hip_dh_group_list gl;
	struct hip_transport_format_list tf = { 1, { HIP_TRANSPORT_ESP } };
	struct hip_esp_transform et;
	size_t puzzle_off;
	int r;

	memset(&pz, 0, sizeof(pz));
	pz.k = g->k;
	pz.lifetime = puzzle_lifetime(e->cfg.r1_rotate_ms);
	pz.i_len = hip_puzzle_ij_len(l->rhash_suite);
	memset(&ci, 0, sizeof(ci));
	ci.count = e->cfg.n_ciphers;
	memcpy(ci.ids, e->cfg.ciphers, ci.count * sizeof(ci.ids[0]));
	/* 5.2.10: the HIT suites we accept from Initiators (all we can
	 * verify), this identity's first. */
	memset(&hs, 0, sizeof(hs));
	hs.ids[hs.count++] = (uint8_t)(l->hit_suite << 4);
	for (size_t n = 0; n < HIP_ARRAY_SIZE(accepted_suites); n++) {
		uint8_t id = (uint8_t)(accepted_suites[n] << 4);
		bool seen = false;

		for (size_t m = 0; m < hs.count; m++)
			seen |= hs.ids[m] == id;
		if (!seen)
			hs.ids[hs.count++] = id;
	}
	memset(&gl, 0, sizeof(gl));
	gl.count = e->cfg.n_dh_groups;
	memcpy(gl.groups, e->cfg.dh_groups, gl.count);
	memset(&et, 0, sizeof(et));
	et.count = e->cfg.n_esp_suites;
	memcpy(et.suites, e->cfg.esp_suites, et.count * sizeof(et.suites[0]));

	dh = calloc(1, sizeof(*dh));
	if (dh == NULL)
		return HIP_ENOMEM;
	dh->count = 1;
	dh->v[0].group = e->cfg.dh_groups[gi];
	r = hip_dh_public(g->dh[gi], dh->v[0].pub, sizeof(dh->v[0].pub),
			  &dh->v[0].pub_len);
	if (r)
		goto out;
	memcpy(&me, l->hit, HIP_HIT_LEN);
	r = hip_builder_init(&b, out->pkt, sizeof(out->pkt), HIP_R1, &me,
			     &zero_hit, 0);
	if (r == 0)
		r = hip_put_r1_counter(&b, &rc);
	puzzle_off = b.len;
	if (r == 0)
		r = hip_put_puzzle(&b, &pz);
	/* Parameter types ascend: DH_GROUP_LIST (511) comes before
	 * DIFFIE_HELLMAN (513) whatever order 5.3.2 lists them in. */
	if (r == 0)
		r = hip_put_dh_group_list(&b, &gl);
	if (r == 0)
		r = hip_put_diffie_hellman(&b, dh);
	if (r == 0)
		r = hip_put_cipher(&b, &ci);
	if (r == 0)
		r = hip_put_param_raw(&b, l->host_id, l->host_id_len);
	if (r == 0)
		r = hip_put_hit_suite_list(&b, &hs);
	if (r == 0)
		r = hip_put_transport_format_list(&b, &tf);
	if (r == 0)
		r = hip_put_esp_transform(&b, &et);
	if (r == 0)
		r = engine_put_sig(&b, l->id, HIP_PARAM_HIP_SIGNATURE_2);
	if (r == 0)
		r = hip_builder_finish(&b, &out->len);
	out->puzzle_val = puzzle_off + HIP_PARAM_HDR_LEN;
out:
	free(dh);
	return r;
}

static int gen_build(struct hip_engine *e, uint64_t counter,
		     struct engine_r1gen *g)
{
	size_t ng = e->cfg.n_dh_groups;
	int r;

	memset(g, 0, sizeof(*g));
	g->counter = counter;
	g->k = e->cfg.puzzle_k;
	r = engine_random(e, g->secret, sizeof(g->secret));
	if (r)
		goto fail;
	for (size_t n = 0; n < ng; n++) {
		r = hip_dh_generate(e->cfg.dh_groups[n], &g->dh[n]);
		if (r)
			goto fail;
	}
	g->r1 = calloc(e->n_local * ng, sizeof(*g->r1));
	if (g->r1 == NULL) {
		r = HIP_ENOMEM;
		goto fail;
	}
	for (size_t l = 0; l < e->n_local; l++)
		for (size_t n = 0; n < ng; n++) {
			r = build_r1(e, g, &e->local[l], n,
				     &g->r1[l * ng + n]);
			if (r)
				goto fail;
		}
	g->valid = true;
	return HIP_OK;
fail:
	gen_free(e, g);
	return r;
}

int engine_r1_init(struct hip_engine *e, uint64_t now)
{
	int r = gen_build(e, e->cfg.r1_counter_start, &e->gen[0]);

	if (r)
		return r;
	e->next_rotate_ms = now + e->cfg.r1_rotate_ms;
	return HIP_OK;
}

void engine_r1_free(struct hip_engine *e)
{
	gen_free(e, &e->gen[0]);
	gen_free(e, &e->gen[1]);
}

int engine_r1_rotate(struct hip_engine *e, uint64_t now)
{
	struct engine_r1gen g;
	int r;

	/* Retry at the next period on failure; the old R1s stay usable. */
	e->next_rotate_ms = now + e->cfg.r1_rotate_ms;
	r = gen_build(e, e->gen[0].counter + 1, &g);
	if (r)
		return r;
	gen_free(e, &e->gen[1]);
	e->gen[1] = e->gen[0];
	e->gen[0] = g;
	engine_log(e, LOG_DEBUG, "R1 generation %llu",
		   (unsigned long long)g.counter);
	return HIP_OK;
}

uint64_t hip_engine_r1_counter(const struct hip_engine *e)
{
	return e != NULL ? e->gen[0].counter : 0;
}

const struct engine_r1gen *engine_r1_gen(const struct hip_engine *e,
					 uint64_t counter)
{
	for (size_t n = 0; n < 2; n++)
		if (e->gen[n].valid && e->gen[n].counter == counter)
			return &e->gen[n];
	return NULL;
}

/* RFC 7401 4.4.4 / 6.7: an I1 needs no state.  In I1-SENT and I2-SENT
 * the host with the smaller HIT drops it and stays Initiator. */
int engine_handle_i1(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	const struct engine_local *l = &e->local[local_idx];
	const struct hip_param *gp;
	const struct engine_r1 *tpl;
	const struct engine_r1gen *g = &e->gen[0];
	struct hip_dh_group_list gl;
	struct hip_assoc *a;
	uint8_t chosen, pkt[HIP_MAX_PACKET];
	size_t gi;
	int r;

	gp = hip_packet_find(p, HIP_PARAM_DH_GROUP_LIST);
	if (gp == NULL) {
		engine_notify(e, now, local_idx, p->hdr.sender_hit.s6_addr,
			      dst, src, HIP_NTF_INVALID_SYNTAX, NULL, 0);
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EMISSING,
				   "I1 without DH_GROUP_LIST");
	}
	r = hip_parse_dh_group_list(gp, &gl);
	if (r)
		return engine_drop(e, HIP_DROP_MALFORMED, r, "DH_GROUP_LIST");
	a = engine_assoc_find(e, l->hit, p->hdr.sender_hit.s6_addr);
	if (a != NULL && (a->state == HIP_STATE_I1_SENT ||
			  a->state == HIP_STATE_I2_SENT) &&
	    hip_keymat_hit_cmp(l->hit, a->peer_hit) < 0)
		return engine_drop(e, HIP_DROP_SIMULTANEOUS, HIP_ESTATE,
				   "I1 in simultaneous open, our HIT smaller");
	if (e->cfg.r1_per_sec) {
		if (now >= e->r1_window_ms + 1000 || now < e->r1_window_ms) {
			e->r1_window_ms = now;
			e->r1_in_window = 0;
		}
		if (e->r1_in_window >= e->cfg.r1_per_sec)
			return engine_drop(e, HIP_DROP_RATE, HIP_EPERM,
					   "R1 rate limit");
		e->r1_in_window++;
	}
	r = hip_dh_select(e->cfg.dh_groups, e->cfg.n_dh_groups, gl.groups,
			  gl.count, &chosen);
	if (r) {
		engine_notify(e, now, local_idx, p->hdr.sender_hit.s6_addr,
			      dst, src, HIP_NTF_NO_DH_PROPOSAL_CHOSEN, NULL,
			      0);
		return engine_drop(e, HIP_DROP_DH, HIP_EUNSUPPORTED,
				   "no common DH group");
	}
	for (gi = 0; gi < e->cfg.n_dh_groups; gi++)
		if (e->cfg.dh_groups[gi] == chosen)
			break;
	tpl = &g->r1[local_idx * e->cfg.n_dh_groups + gi];
	memcpy(pkt, tpl->pkt, tpl->len);
	memcpy(pkt + HDR_RECEIVER_HIT, p->hdr.sender_hit.s6_addr, HIP_HIT_LEN);
	r = hip_puzzle_make_i(g->secret, sizeof(g->secret),
			      p->hdr.sender_hit.s6_addr, l->hit, src->s6_addr,
			      dst->s6_addr, l->rhash_suite,
			      pkt + tpl->puzzle_val + 4);
	if (r == 0)
		r = engine_send(e, a, dst, src, pkt, tpl->len);
	if (r)
		return engine_drop(e, HIP_DROP_RESOURCES, r, "R1");
	return HIP_OK;
}
