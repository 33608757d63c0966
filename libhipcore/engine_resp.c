/*
 * engine_resp.c - the Responder's second half (RFC 7401 4.1, 6.9, 6.10):
 * verify an I2 against the R1 generation it answers (no state was kept
 * for the R1), create the association, install the SAs, send R2.
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

struct i2_in {
	struct hip_esp_info ei;
	struct hip_r1_counter rc;
	bool have_rc;
	struct hip_solution sol;
	struct hip_diffie_hellman dh;
	struct hip_cipher ci;
	struct hip_esp_transform et;
	const struct hip_param *enc;	/* ENCRYPTED or NULL */
	const struct hip_param *host_id;	/* plain HOST_ID or NULL */
};

static int parse_i2(const struct hip_packet *p, struct i2_in *in)
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
	q = hip_packet_find(p, HIP_PARAM_ESP_INFO);
	r = q ? hip_parse_esp_info(q, &in->ei) : HIP_EMISSING;
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_SOLUTION);
		r = q ? hip_parse_solution(q, &in->sol) : HIP_EMISSING;
	}
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_DIFFIE_HELLMAN);
		r = q ? hip_parse_diffie_hellman(q, &in->dh) : HIP_EMISSING;
	}
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_HIP_CIPHER);
		r = q ? hip_parse_cipher(q, &in->ci) : HIP_EMISSING;
	}
	if (r == 0) {
		q = hip_packet_find(p, HIP_PARAM_ESP_TRANSFORM);
		r = q ? hip_parse_esp_transform(q, &in->et) : HIP_EMISSING;
	}
	if (r)
		return r;
	in->enc = hip_packet_find(p, HIP_PARAM_ENCRYPTED);
	in->host_id = hip_packet_find(p, HIP_PARAM_HOST_ID);
	if ((in->enc == NULL) == (in->host_id == NULL))
		return HIP_EMISSING;
	if (in->ei.new_spi < 256)
		return HIP_EINVAL;
	return HIP_OK;
}

static bool in_list16(const uint16_t *list, size_t n, uint16_t v)
{
	for (size_t k = 0; k < n; k++)
		if (list[k] == v)
			return true;
	return false;
}

/* The Initiator's HOST_ID, from ENCRYPTED (decrypted with its key) or
 * in the clear, checked against the sender HIT. */
static int i2_host_id(const struct hip_packet *p, const struct i2_in *in,
		      const struct hip_assoc *n, struct hip_identity **out,
		      uint16_t *notify)
{
	struct hip_param_iter it;
	struct hip_param hp;
	uint8_t *plain;
	size_t plain_len;
	int r;

	if (in->host_id != NULL) {
		*notify = HIP_NTF_INVALID_HIT;
		return engine_peer_identity(p, in->host_id, out);
	}
	plain = malloc(HIP_MAX_PACKET);
	if (plain == NULL)
		return HIP_ENOMEM;
	*notify = HIP_NTF_ENCRYPTION_FAILED;
	r = hip_cipher_decrypt(n->cipher, n->hk.enc_in, n->hk.enc_len,
			       in->enc->value, in->enc->len, plain,
			       HIP_MAX_PACKET, &plain_len);
	if (r == 0) {
		hip_param_iter_init(&it, plain, plain_len, 0);
		r = hip_param_next(&it, &hp);
		if (r == 1 && hp.type == HIP_PARAM_HOST_ID) {
			*notify = HIP_NTF_INVALID_HIT;
			r = engine_peer_identity(p, &hp, out);
		} else {
			r = HIP_EFORMAT;
		}
	}
	free(plain);
	return r;
}

static int build_r2(struct hip_engine *e, struct hip_assoc *n)
{
	const struct engine_local *l = &e->local[n->local_idx];
	struct hip_esp_info ei = { n->ek.index, 0, n->spi_in };
	struct hip_builder b;
	struct in6_addr me, peer;
	int r;

	memcpy(me.s6_addr, n->local_hit, HIP_HIT_LEN);
	memcpy(peer.s6_addr, n->peer_hit, HIP_HIT_LEN);
	r = hip_builder_init(&b, n->last_pkt, sizeof(n->last_pkt), HIP_R2, &me,
			     &peer, 0);
	if (r == 0)
		r = hip_put_esp_info(&b, &ei);
	if (r == 0)
		r = engine_put_mac(&b, n, HIP_PARAM_HIP_MAC_2, l->host_id,
				   l->host_id_len);
	if (r == 0)
		r = engine_put_sig(&b, l->id, HIP_PARAM_HIP_SIGNATURE);
	if (r == 0)
		r = hip_builder_finish(&b, &n->last_len);
	return r;
}

/* Verify the I2 and build the association n and its R2.  On failure
 * *why is the drop reason and *notify the NOTIFY type to answer (0:
 * none). */
static int i2_process(struct hip_engine *e, struct hip_assoc *n,
		      const struct hip_packet *p, const struct i2_in *in,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      int *why, uint16_t *notify)
{
	const struct engine_local *l = &e->local[n->local_idx];
	const struct engine_r1gen *g;
	uint8_t expect_i[HIP_RHASH_MAX_LEN], kij[HIP_DH_MAX_SECRET_LEN];
	size_t gi, kij_len = 0;
	int r;

	/* 6.9 step 3-4: the R1 generation and the puzzle. */
	*why = HIP_DROP_R1_COUNTER;
	g = engine_r1_gen(e, in->have_rc ? in->rc.generation :
					   e->gen[0].counter);
	if (g == NULL)
		return HIP_EVERIFY;
	*why = HIP_DROP_PUZZLE;
	n->rhash_suite = l->rhash_suite;
	n->ij_len = hip_puzzle_ij_len(n->rhash_suite);
	if (in->sol.i_len != n->ij_len)
		return HIP_EVERIFY;
	r = hip_puzzle_make_i(g->secret, sizeof(g->secret), n->peer_hit,
			      n->local_hit, src->s6_addr, dst->s6_addr,
			      n->rhash_suite, expect_i);
	if (r)
		return r;
	if (!hip_ct_memeq(expect_i, in->sol.i, n->ij_len))
		return HIP_EVERIFY;
	r = hip_puzzle_verify(n->rhash_suite, g->k, in->sol.i, n->peer_hit,
			      n->local_hit, in->sol.j);
	if (r)
		return HIP_EVERIFY;
	memcpy(n->i, in->sol.i, n->ij_len);
	memcpy(n->j, in->sol.j, n->ij_len);

	/* The choices must be among what the R1 offered. */
	*why = HIP_DROP_DH;
	for (gi = 0; gi < e->cfg.n_dh_groups; gi++)
		if (e->cfg.dh_groups[gi] == in->dh.v[0].group)
			break;
	if (gi == e->cfg.n_dh_groups) {
		*notify = HIP_NTF_INVALID_DH_CHOSEN;
		return HIP_EUNSUPPORTED;
	}
	n->dh_group = in->dh.v[0].group;
	*why = HIP_DROP_PROPOSAL;
	n->cipher = in->ci.ids[0];
	if (in->ci.count != 1 ||
	    !in_list16(e->cfg.ciphers, e->cfg.n_ciphers, n->cipher)) {
		*notify = HIP_NTF_INVALID_HIP_CIPHER_CHOSEN;
		return HIP_EUNSUPPORTED;
	}
	n->esp_suite = in->et.suites[0];
	if (in->et.count != 1 ||
	    !in_list16(e->cfg.esp_suites, e->cfg.n_esp_suites, n->esp_suite)) {
		*notify = HIP_NTF_INVALID_ESP_TRANSFORM_CHOSEN;
		return HIP_EUNSUPPORTED;
	}
	*why = HIP_DROP_DH;
	r = hip_dh_derive(g->dh[gi], in->dh.v[0].pub, in->dh.v[0].pub_len, kij,
			  sizeof(kij), &kij_len);
	if (r == 0) {
		*why = HIP_DROP_RESOURCES;
		r = engine_derive_keys(n, kij, kij_len);
	}
	hip_wipe(kij, sizeof(kij));
	if (r)
		return r;

	/* 6.9 steps 9-12: MAC, the Initiator's identity, signature. */
	*why = HIP_DROP_MAC;
	r = engine_verify_mac(p, n, HIP_PARAM_HIP_MAC, NULL, 0);
	if (r) {
		*notify = HIP_NTF_HIP_MAC_FAILED;
		return r;
	}
	*why = HIP_DROP_HOST_ID;
	r = i2_host_id(p, in, n, &n->peer_id, notify);
	if (r)
		return r;
	*notify = 0;
	*why = HIP_DROP_SIGNATURE;
	r = engine_verify_sig(p, n->peer_id, HIP_PARAM_HIP_SIGNATURE);
	if (r) {
		*notify = HIP_NTF_AUTHENTICATION_FAILED;
		return r;
	}
	*why = HIP_DROP_RESOURCES;
	n->spi_out = in->ei.new_spi;
	n->local_loc = *dst;
	n->peer_loc = *src;
	r = e->env.alloc_spi(e->env.arg, n->local_hit, n->peer_hit, dst, src,
			     &n->spi_in);
	if (r == 0)
		r = build_r2(e, n);
	return r;
}

/* 6.9: an I2 that repeats the one our R2 answered gets the R2 again. */
static bool same_i2(const struct hip_assoc *a, const struct i2_in *in)
{
	return !a->initiator && a->have_keys && in->sol.i_len == a->ij_len &&
	       hip_ct_memeq(a->i, in->sol.i, a->ij_len) &&
	       hip_ct_memeq(a->j, in->sol.j, a->ij_len);
}

int engine_handle_i2(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	const uint8_t *peer_hit = p->hdr.sender_hit.s6_addr;
	struct hip_assoc *a, *n = NULL;
	struct i2_in *in;
	uint16_t notify = 0;
	bool created = false;
	int r, why = HIP_DROP_MALFORMED;

	a = engine_assoc_find(e, e->local[local_idx].hit, peer_hit);
	/* 4.4.4, 6.7: in I2-SENT the smaller HIT stays Initiator. */
	if (a != NULL && a->state == HIP_STATE_I2_SENT &&
	    hip_keymat_hit_cmp(a->local_hit, a->peer_hit) < 0)
		return engine_drop(e, HIP_DROP_SIMULTANEOUS, HIP_ESTATE,
				   "I2 in simultaneous open, our HIT smaller");
	in = malloc(sizeof(*in));
	if (in == NULL)
		return engine_drop(e, HIP_DROP_RESOURCES, HIP_ENOMEM, "I2");
	r = parse_i2(p, in);
	if (r) {
		notify = HIP_NTF_INVALID_SYNTAX;
		goto drop;
	}
	/* The same rule just after a simultaneous open: the smaller HIT,
	 * Initiator of a fresh association, drops the greater HIT's I2 (a
	 * late one of the exchange it lost would replace our keys on one
	 * side only).  A peer that really lost its state retransmits and
	 * is heard once the window (r2_sent_ms) has passed. */
	if (a != NULL && a->state == HIP_STATE_ESTABLISHED && a->initiator &&
	    now < a->established_ms + e->cfg.r2_sent_ms &&
	    hip_keymat_hit_cmp(a->local_hit, a->peer_hit) < 0) {
		free(in);
		return engine_drop(e, HIP_DROP_SIMULTANEOUS, HIP_ESTATE,
				   "I2 just after our exchange, our HIT smaller");
	}
	if (a != NULL && (a->state == HIP_STATE_R2_SENT ||
			  a->state == HIP_STATE_ESTABLISHED) &&
	    same_i2(a, in)) {
		free(in);
		e->stats.dropped[HIP_DROP_DUPLICATE]++;
		r = engine_send(e, a, dst, src, a->last_pkt, a->last_len);
		engine_log(e, LOG_DEBUG, "duplicate I2: R2 sent again");
		return r;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		why = HIP_DROP_RESOURCES;
		r = HIP_ENOMEM;
		goto drop;
	}
	memcpy(n->local_hit, e->local[local_idx].hit, HIP_HIT_LEN);
	memcpy(n->peer_hit, peer_hit, HIP_HIT_LEN);
	n->local_idx = local_idx;
	r = i2_process(e, n, p, in, src, dst, &why, &notify);
	if (r)
		goto drop;
	if (a == NULL) {
		r = engine_assoc_new(e, local_idx, peer_hit, now, &a);
		if (r) {
			why = HIP_DROP_RESOURCES;
			goto drop;
		}
		created = true;
	}
	r = engine_send(e, n, dst, src, n->last_pkt, n->last_len);
	if (r) {
		/* Leave no trace of the I2. */
		if (created)
			engine_assoc_remove(e, a);
		why = HIP_DROP_RESOURCES;
		goto drop;
	}
	/* Replace whatever the association was (4.4.4: I2 is processed
	 * in every state but I2-SENT with the smaller HIT). */
	engine_sa_delete(e, a);
	engine_assoc_clear_keys(a);
	hip_identity_free(a->peer_id);
	n->state = a->state;
	n->created_ms = a->created_ms;
	n->initiator = false;
	n->last_used_ms = now;
	n->established_ms = now;
	n->deadline = now + e->cfg.r2_sent_ms;
	*a = *n;
	hip_wipe(n, sizeof(*n));
	free(n);
	free(in);
	r = engine_sa_install(e, a);
	engine_set_state(e, a, HIP_STATE_R2_SENT);
	return r;
drop:
	if (notify)
		engine_notify(e, now, local_idx, peer_hit, dst, src, notify,
			      NULL, 0);
	if (n != NULL) {
		hip_identity_free(n->peer_id);
		engine_assoc_clear_keys(n);
		hip_wipe(n, sizeof(*n));
		free(n);
	}
	free(in);
	return engine_drop(e, why, r, "I2");
}
