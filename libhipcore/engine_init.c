/*
 * engine_init.c - the Initiator's side of the base exchange (RFC 7401
 * 4.1, 6.6, 6.8, 6.10): send I1, process R1 and answer with I2,
 * process R2.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/cipher.h"
#include "hip/dh.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/keymat.h"
#include "hip/params.h"
#include "hip/puzzle.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

static void hit_addr(struct in6_addr *out, const uint8_t *hit)
{
	memcpy(out->s6_addr, hit, HIP_HIT_LEN);
}

/* Send (or resend) the I1 to the next locator of the peer. */
static int send_i1(struct hip_engine *e, struct hip_assoc *a)
{
	const struct engine_peer *peer = engine_peer_find(e, a->peer_hit);
	struct in6_addr dst, src;
	int r;

	if (peer == NULL || peer->p.n_locators == 0)
		return HIP_ENOENT;
	dst = peer->p.locators[a->loc_next % peer->p.n_locators];
	r = e->env.source_for(e->env.arg, &dst, &src);
	if (r)
		return r;
	r = engine_send(e, a, &src, &dst, a->last_pkt, a->last_len);
	if (r)
		return r;
	a->loc_next++;
	a->local_loc = src;
	a->peer_loc = dst;
	return HIP_OK;
}

int engine_start(struct hip_engine *e, uint64_t now, struct hip_assoc *a)
{
	struct hip_dh_group_list gl;
	struct hip_builder b;
	struct in6_addr me, peer;
	uint8_t pkt[HIP_MAX_PACKET];
	size_t len;
	int r;

	memset(&gl, 0, sizeof(gl));
	gl.count = e->cfg.n_dh_groups;
	memcpy(gl.groups, e->cfg.dh_groups, gl.count);
	hit_addr(&me, a->local_hit);
	hit_addr(&peer, a->peer_hit);
	r = hip_builder_init(&b, pkt, sizeof(pkt), HIP_I1, &me, &peer, 0);
	if (r == 0)
		r = hip_put_dh_group_list(&b, &gl);
	if (r == 0)
		r = hip_builder_finish(&b, &len);
	if (r)
		return r;
	memcpy(a->last_pkt, pkt, len);
	a->last_len = len;
	a->loc_next = 0;
	r = send_i1(e, a);
	if (r)
		return r;
	engine_assoc_clear_keys(a);
	hip_identity_free(a->peer_id);
	a->peer_id = NULL;
	a->have_r1_counter = false;
	a->spi_in = a->spi_out = 0;
	a->esp_suite = a->cipher = 0;
	a->dh_group = 0;
	a->established_ms = 0;
	a->initiator = true;
	a->retries = 0;
	a->rto_ms = e->cfg.rexmit_initial_ms;
	engine_timer_arm(a, now);
	engine_set_state(e, a, HIP_STATE_I1_SENT);
	return HIP_OK;
}

int engine_resend_i1(struct hip_engine *e, struct hip_assoc *a)
{
	return send_i1(e, a);
}

/* The first entry of the Responder's list (its preference order) that
 * we support too; 0 when none. */
static uint16_t pick16(const uint16_t *theirs, size_t n_theirs,
		       const uint16_t *ours, size_t n_ours)
{
	for (size_t n = 0; n < n_theirs; n++)
		for (size_t m = 0; m < n_ours; m++)
			if (theirs[n] == ours[m])
				return theirs[n];
	return 0;
}

/* Everything an R1 brings, parsed. */
struct r1_in {
	struct hip_r1_counter rc;
	bool have_rc;
	struct hip_puzzle pz;
	struct hip_diffie_hellman dh;
	struct hip_cipher ci;
	struct hip_dh_group_list gl;
	struct hip_esp_transform et;
	struct hip_transport_format_list tf;
	bool have_tf;
	struct hip_hit_suite_list hs;
	bool have_hs;
};

static int parse_r1(const struct hip_packet *p, struct r1_in *in)
{
	const struct hip_param *q;
	int r;

	memset(in, 0, sizeof(*in));
	q = hip_packet_find(p, HIP_PARAM_R1_COUNTER);
	if (q != NULL) {
		r = hip_parse_r1_counter(q, &in->rc);
		if (r)
			return r;
		in->have_rc = true;
	}
	q = hip_packet_find(p, HIP_PARAM_TRANSPORT_FORMAT_LIST);
	if (q != NULL) {
		r = hip_parse_transport_format_list(q, &in->tf);
		if (r)
			return r;
		in->have_tf = true;
	}
	q = hip_packet_find(p, HIP_PARAM_HIT_SUITE_LIST);
	if (q != NULL) {
		r = hip_parse_hit_suite_list(q, &in->hs);
		if (r)
			return r;
		in->have_hs = true;
	}
	q = hip_packet_find(p, HIP_PARAM_PUZZLE);
	r = q ? hip_parse_puzzle(q, &in->pz) : HIP_EMISSING;
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_DIFFIE_HELLMAN);
		r = q ? hip_parse_diffie_hellman(q, &in->dh) : HIP_EMISSING;
	}
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_HIP_CIPHER);
		r = q ? hip_parse_cipher(q, &in->ci) : HIP_EMISSING;
	}
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_DH_GROUP_LIST);
		r = q ? hip_parse_dh_group_list(q, &in->gl) : HIP_EMISSING;
	}
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_ESP_TRANSFORM);
		r = q ? hip_parse_esp_transform(q, &in->et) : HIP_EMISSING;
	}
	return r;
}

/* Build the I2 into a->last_pkt from the negotiated state in a. */
static int build_i2(struct hip_engine *e, struct hip_assoc *a,
		    const struct r1_in *in, const uint8_t *dh_pub,
		    size_t dh_pub_len)
{
	const struct engine_local *l = &e->local[a->local_idx];
	struct hip_esp_info ei = { a->ek.index, 0, a->spi_in };
	struct hip_solution sol;
	struct hip_diffie_hellman *dh = NULL;
	struct hip_cipher ci = { 1, { a->cipher } };
	struct hip_esp_transform et = { 1, { a->esp_suite } };
	struct hip_transport_format_list tf = { 1, { HIP_TRANSPORT_ESP } };
	struct hip_builder b;
	struct in6_addr me, peer;
	int r;

	memset(&sol, 0, sizeof(sol));
	sol.k = in->pz.k;
	memcpy(sol.opaque, in->pz.opaque, sizeof(sol.opaque));
	sol.i_len = a->ij_len;
	memcpy(sol.i, a->i, a->ij_len);
	memcpy(sol.j, a->j, a->ij_len);
	dh = calloc(1, sizeof(*dh));
	if (dh == NULL)
		return HIP_ENOMEM;
	dh->count = 1;
	dh->v[0].group = a->dh_group;
	dh->v[0].pub_len = dh_pub_len;
	memcpy(dh->v[0].pub, dh_pub, dh_pub_len);
	hit_addr(&me, a->local_hit);
	hit_addr(&peer, a->peer_hit);
	r = hip_builder_init(&b, a->last_pkt, sizeof(a->last_pkt), HIP_I2, &me,
			     &peer, 0);
	if (r == 0)
		r = hip_put_esp_info(&b, &ei);
	/* 4.1.4: echo the R1_COUNTER verbatim. */
	if (r == 0 && in->have_rc)
		r = hip_put_r1_counter(&b, &in->rc);
	if (r == 0)
		r = hip_put_solution(&b, &sol);
	if (r == 0)
		r = hip_put_diffie_hellman(&b, dh);
	if (r == 0)
		r = hip_put_cipher(&b, &ci);
	if (r == 0 && e->cfg.encrypt_host_id) {
		size_t need = hip_cipher_encrypted_len(a->cipher,
						       l->host_id_len), got;
		uint8_t *v;

		/* The value is Reserved | IV | ciphertext, as
		 * hip_cipher_encrypt writes it. */
		r = need ? hip_put_param_reserve(&b, HIP_PARAM_ENCRYPTED, need,
						 &v) : HIP_EUNSUPPORTED;
		if (r == 0)
			r = hip_cipher_encrypt(a->cipher, a->hk.enc_out,
					       a->hk.enc_len, l->host_id,
					       l->host_id_len, v, need, &got);
	} else if (r == 0) {
		r = hip_put_param_raw(&b, l->host_id, l->host_id_len);
	}
	if (r == 0)
		r = hip_put_transport_format_list(&b, &tf);
	if (r == 0)
		r = hip_put_esp_transform(&b, &et);
	if (r == 0)
		r = engine_put_mac(&b, a, HIP_PARAM_HIP_MAC, NULL, 0);
	if (r == 0)
		r = engine_put_sig(&b, l->id, HIP_PARAM_HIP_SIGNATURE);
	if (r == 0)
		r = hip_builder_finish(&b, &a->last_len);
	free(dh);
	return r;
}

/* Process an R1 on the copy n of the association: checks, puzzle, DH,
 * keys, SPI and the I2.  Returns a drop reason in *why on failure. */
static int r1_process(struct hip_engine *e, struct hip_assoc *n,
		      const struct hip_packet *p, const struct r1_in *in,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      int *why, uint16_t *notify)
{
	uint8_t pub[HIP_DH_MAX_PUBLIC_LEN], kij[HIP_DH_MAX_SECRET_LEN];
	size_t pub_len, kij_len = 0;
	struct hip_dh *dh = NULL;
	int r;

	/* 6.8: the group must be the first of the signed list that we
	 * offered too (downgrade protection). */
	*why = HIP_DROP_DH;
	if (hip_dh_check_choice(e->cfg.dh_groups, e->cfg.n_dh_groups,
				in->gl.groups, in->gl.count,
				in->dh.v[0].group))
		return HIP_EVERIFY;
	n->dh_group = in->dh.v[0].group;
	*why = HIP_DROP_PROPOSAL;
	n->cipher = pick16(in->ci.ids, in->ci.count, e->cfg.ciphers,
			   e->cfg.n_ciphers);
	if (n->cipher == 0) {
		*notify = HIP_NTF_NO_HIP_PROPOSAL_CHOSEN;
		return HIP_EUNSUPPORTED;
	}
	n->esp_suite = pick16(in->et.suites, in->et.count, e->cfg.esp_suites,
			      e->cfg.n_esp_suites);
	if (n->esp_suite == 0 ||
	    (in->have_tf && pick16(in->tf.formats, in->tf.count,
				   (const uint16_t[]){ HIP_TRANSPORT_ESP },
				   1) == 0)) {
		*notify = HIP_NTF_NO_ESP_PROPOSAL_CHOSEN;
		return HIP_EUNSUPPORTED;
	}
	/* 5.2.10: our HIT's suite must be one the Responder accepts. */
	if (in->have_hs) {
		uint8_t ours = (uint8_t)(e->local[n->local_idx].hit_suite << 4);
		bool found = false;

		for (size_t k = 0; k < in->hs.count; k++)
			found |= (in->hs.ids[k] & 0xf0) == ours;
		if (!found) {
			*notify = HIP_NTF_UNSUPPORTED_HIT_SUITE;
			return HIP_EUNSUPPORTED;
		}
	}
	*why = HIP_DROP_MALFORMED;
	n->rhash_suite = engine_rhash_suite(hip_hit_suite_of(n->peer_hit));
	if (n->rhash_suite < 0) {
		*notify = HIP_NTF_UNSUPPORTED_HIT_SUITE;
		return n->rhash_suite;
	}
	n->ij_len = hip_puzzle_ij_len(n->rhash_suite);
	if (in->pz.i_len != n->ij_len) {
		*notify = HIP_NTF_INVALID_SYNTAX;
		return HIP_ELEN;
	}
	*why = HIP_DROP_PUZZLE;
	if (in->pz.k > e->cfg.puzzle_k_max)
		return HIP_EUNSUPPORTED;
	memcpy(n->i, in->pz.i, n->ij_len);
	r = hip_puzzle_solve(n->rhash_suite, in->pz.k, n->i, n->local_hit,
			     n->peer_hit, NULL, (uint64_t)64 << in->pz.k,
			     n->j);
	if (r)
		return r;
	*why = HIP_DROP_DH;
	r = hip_dh_generate(n->dh_group, &dh);
	if (r == 0)
		r = hip_dh_public(dh, pub, sizeof(pub), &pub_len);
	if (r == 0)
		r = hip_dh_derive(dh, in->dh.v[0].pub, in->dh.v[0].pub_len, kij,
				  sizeof(kij), &kij_len);
	hip_dh_free(dh);
	if (r)
		goto out;
	*why = HIP_DROP_RESOURCES;
	r = engine_derive_keys(n, kij, kij_len);
	if (r)
		goto out;
	r = e->env.alloc_spi(e->env.arg, n->local_hit, n->peer_hit, dst, src,
			     &n->spi_in);
	if (r)
		goto out;
	n->local_loc = *dst;
	n->peer_loc = *src;
	r = build_i2(e, n, in, pub, pub_len);
	(void)p;
out:
	hip_wipe(kij, sizeof(kij));
	return r;
}

int engine_handle_r1(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	struct hip_assoc *a, *n = NULL;
	struct hip_identity *peer_id = NULL;
	const struct hip_param *hp;
	struct r1_in *in = NULL;
	uint16_t notify = 0;
	int r, why = HIP_DROP_MALFORMED;

	a = engine_assoc_find(e, e->local[local_idx].hit,
			      p->hdr.sender_hit.s6_addr);
	if (a == NULL || (a->state != HIP_STATE_I1_SENT &&
			  a->state != HIP_STATE_I2_SENT))
		return engine_drop(e, HIP_DROP_STATE, HIP_ESTATE,
				   "R1 without an exchange under way");
	in = malloc(sizeof(*in));
	if (in == NULL)
		return engine_drop(e, HIP_DROP_RESOURCES, HIP_ENOMEM, "R1");
	r = parse_r1(p, in);
	if (r) {
		notify = HIP_NTF_INVALID_SYNTAX;
		goto drop;
	}
	/* 6.8: in I2-SENT only an R1 of a newer generation is used. */
	if (a->state == HIP_STATE_I2_SENT &&
	    (!in->have_rc || !a->have_r1_counter ||
	     in->rc.generation <= a->r1_counter)) {
		why = HIP_DROP_DUPLICATE;
		r = HIP_ESTATE;
		goto drop;
	}
	why = HIP_DROP_HOST_ID;
	hp = hip_packet_find(p, HIP_PARAM_HOST_ID);
	r = engine_peer_identity(p, hp, &peer_id);
	if (r)
		goto drop;
	why = HIP_DROP_SIGNATURE;
	r = engine_verify_sig(p, peer_id, HIP_PARAM_HIP_SIGNATURE_2);
	if (r)
		goto drop;
	n = malloc(sizeof(*n));
	if (n == NULL) {
		why = HIP_DROP_RESOURCES;
		r = HIP_ENOMEM;
		goto drop;
	}
	*n = *a;
	/* Fresh keys on the copy; a keeps its own until n replaces it. */
	n->km = NULL;
	n->upd = NULL;
	n->rk = NULL;
	n->mob = NULL;
	r = r1_process(e, n, p, in, src, dst, &why, &notify);
	if (r)
		goto drop;
	n->peer_host_id_len = hip_param_total_len(hp->len);
	memcpy(n->peer_host_id, p->data + hp->offset, n->peer_host_id_len);
	n->r1_counter = in->rc.generation;
	n->have_r1_counter = in->have_rc;
	r = engine_send(e, n, dst, src, n->last_pkt, n->last_len);
	if (r) {
		why = HIP_DROP_RESOURCES;
		goto drop;
	}
	hip_identity_free(a->peer_id);
	n->peer_id = peer_id;
	n->retries = 0;
	n->rto_ms = e->cfg.rexmit_initial_ms;
	engine_timer_arm(n, now);
	n->state = a->state;
	engine_update_clear(a);
	*a = *n;
	hip_wipe(n, sizeof(*n));
	free(n);
	free(in);
	engine_set_state(e, a, HIP_STATE_I2_SENT);
	return HIP_OK;
drop:
	if (notify)
		engine_notify(e, now, local_idx, p->hdr.sender_hit.s6_addr, dst,
			      src, notify, NULL, 0);
	hip_identity_free(peer_id);
	if (n != NULL) {
		hip_keymat_free(n->km);
		hip_wipe(n, sizeof(*n));
		free(n);
	}
	free(in);
	return engine_drop(e, why, r, "R1");
}

int engine_handle_r2(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	const struct hip_param *q;
	struct hip_esp_info ei;
	struct hip_assoc *a;
	int r;

	(void)src;
	(void)dst;
	a = engine_assoc_find(e, e->local[local_idx].hit,
			      p->hdr.sender_hit.s6_addr);
	if (a == NULL || a->state != HIP_STATE_I2_SENT)
		return engine_drop(e, HIP_DROP_STATE, HIP_ESTATE,
				   "R2 not in I2-SENT");
	q = hip_packet_find(p, HIP_PARAM_ESP_INFO);
	r = q ? hip_parse_esp_info(q, &ei) : HIP_EMISSING;
	if (r == 0 && ei.new_spi < 256)
		r = HIP_EINVAL;
	if (r)
		return engine_drop(e, HIP_DROP_MALFORMED, r, "R2 ESP_INFO");
	r = engine_verify_mac(p, a, HIP_PARAM_HIP_MAC_2, a->peer_host_id,
			      a->peer_host_id_len);
	if (r)
		return engine_drop(e, HIP_DROP_MAC, r, "R2 HIP_MAC_2");
	r = engine_verify_sig(p, a->peer_id, HIP_PARAM_HIP_SIGNATURE);
	if (r)
		return engine_drop(e, HIP_DROP_SIGNATURE, r, "R2 signature");
	a->spi_out = ei.new_spi;
	r = engine_sa_install(e, a);
	if (r) {
		a->spi_out = 0;
		return engine_drop(e, HIP_DROP_RESOURCES, r, "R2 SA");
	}
	a->established_ms = now;
	a->last_used_ms = now;
	a->deadline = ENGINE_NO_DEADLINE;
	engine_set_state(e, a, HIP_STATE_ESTABLISHED);
	return HIP_OK;
}
