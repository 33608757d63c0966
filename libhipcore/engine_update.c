/*
 * engine_update.c - the UPDATE framework (RFC 7401 5.3.5, 6.11, 6.12):
 * building UPDATE (parameters in type order, HIP_MAC, HIP_SIGNATURE),
 * the per-association Update ID, retransmission of the one outstanding
 * UPDATE with back-off, ACK processing, duplicate SEQs (acknowledged
 * again, not processed again) and the dispatch of what an UPDATE
 * carries to rekeying (engine_rekey.c) and mobility (engine_locator.c).
 *
 * An UPDATE we send with a SEQ carries everything still outstanding:
 * our ESP_INFO (and DIFFIE_HELLMAN) of a rekey, our LOCATOR_SET, the
 * ECHO_REQUEST_SIGNED of an address check.  Each item remembers the
 * first Update ID that carried it; every later UPDATE carries it too
 * until it is acknowledged, so an ACK of any of those IDs covers it.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/dh.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/keymat.h"
#include "hip/params.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

uint64_t engine_rexmit_span(const struct hip_engine *e)
{
	uint64_t rto = e->cfg.rexmit_initial_ms, span = 0;

	for (unsigned n = 0; n <= e->cfg.rexmit_retries; n++) {
		span += rto;
		rto = rto * 2 > e->cfg.rexmit_max_ms ? e->cfg.rexmit_max_ms :
						       rto * 2;
	}
	return span;
}

/* Is id one of the Update IDs that carried an item first carried by
 * first (and by every UPDATE since)? */
bool engine_update_id_covers(const struct hip_assoc *a, uint32_t first,
			     uint32_t id)
{
	return first != 0 && (int32_t)(id - first) >= 0 &&
	       (int32_t)(a->upd_out_id - id) >= 0;
}

static bool outstanding(const struct hip_assoc *a)
{
	return engine_rekey_outstanding(a) || engine_loc_outstanding(a);
}

/* Build an UPDATE into pkt: with content, the outstanding items; seq 0
 * for none; acks; the answer to echo_req (ECHO_RESPONSE_SIGNED). */
static int build_update(struct hip_engine *e, const struct hip_assoc *a,
			bool content, uint32_t seq, const uint32_t *acks,
			size_t n_acks, const struct hip_param *echo_req,
			uint8_t *pkt, size_t *len)
{
	struct in6_addr me, peer;
	struct hip_builder b;
	int r;

	memcpy(me.s6_addr, a->local_hit, HIP_HIT_LEN);
	memcpy(peer.s6_addr, a->peer_hit, HIP_HIT_LEN);
	r = hip_builder_init(&b, pkt, HIP_MAX_PACKET, HIP_UPDATE, &me, &peer,
			     0);
	if (r == 0 && content) {
		/* ESP_INFO (65): the rekey's, or the current SPI with a
		 * LOCATOR_SET (RFC 8046 5.1) or an address check. */
		if (engine_rekey_outstanding(a)) {
			r = engine_rekey_put(&b, a, false);
		} else if (engine_loc_outstanding(a)) {
			struct hip_esp_info ei = { a->ek.index, a->spi_in,
						   a->spi_in };

			r = hip_put_esp_info(&b, &ei);
		}
		if (r == 0)
			r = engine_loc_put(&b, e, a, HIP_PARAM_LOCATOR_SET);
	}
	if (r == 0 && seq != 0) {
		struct hip_seq s = { seq };

		r = hip_put_seq(&b, &s);
	}
	if (r == 0 && n_acks > 0) {
		struct hip_ack ack = { 0 };

		ack.count = n_acks > HIP_ACK_MAX ? HIP_ACK_MAX : n_acks;
		memcpy(ack.update_ids, acks, ack.count * sizeof(*acks));
		r = hip_put_ack(&b, &ack);
	}
	if (r == 0 && content)
		r = engine_rekey_put(&b, a, true);
	if (r == 0 && content)
		r = engine_loc_put(&b, e, a, HIP_PARAM_ECHO_REQUEST_SIGNED);
	if (r == 0 && echo_req != NULL)
		r = hip_put_param(&b, HIP_PARAM_ECHO_RESPONSE_SIGNED,
				  echo_req->value, echo_req->len);
	if (r == 0)
		r = engine_put_mac(&b, a, HIP_PARAM_HIP_MAC, NULL, 0);
	if (r == 0)
		r = engine_put_sig(&b, e->local[a->local_idx].id,
				   HIP_PARAM_HIP_SIGNATURE);
	if (r == 0)
		r = hip_builder_finish(&b, len);
	return r;
}

/* The first Update ID that carries an item not carried before. */
static void mark_carried(struct hip_assoc *a, uint32_t id)
{
	if (a->rk != NULL && !a->rk->acked && a->rk->first_id == 0)
		a->rk->first_id = id;
	if (a->mob == NULL)
		return;
	if (a->mob->loc_dirty) {
		a->mob->loc_first_id = id;
		a->mob->loc_dirty = false;
	}
	for (size_t n = 0; n < ENGINE_PEER_LOCS; n++) {
		struct engine_peer_loc *l = &a->mob->peer_locs[n];

		if (l->checking && l->echo_first_id == 0)
			l->echo_first_id = id;
	}
}

int engine_update_flush(struct hip_engine *e, uint64_t now,
			struct hip_assoc *a, const uint32_t *acks,
			size_t n_acks, const struct hip_param *echo_req)
{
	struct engine_upd_pending *u;
	uint32_t id = a->upd_out_id + 1;
	int r;

	if (id == 0)
		id = 1;
	u = malloc(sizeof(*u));
	if (u == NULL)
		return HIP_ENOMEM;
	/* The ID is taken before building: items compare against it. */
	a->upd_out_id = id;
	r = build_update(e, a, true, id, acks, n_acks, echo_req, u->pkt,
			 &u->len);
	if (r == 0) {
		u->dst = *engine_loc_update_dst(e, a, 0);
		u->src = *engine_loc_src_for(e, a, &u->dst);
		r = engine_send(e, a, &u->src, &u->dst, u->pkt, u->len);
	}
	if (r) {
		a->upd_out_id = id - 1;
		free(u);
		return r;
	}
	e->stats.updates_sent++;
	mark_carried(a, id);
	u->retries = 0;
	u->rto_ms = e->cfg.rexmit_initial_ms;
	u->at = now + u->rto_ms;
	free(a->upd);
	a->upd = u;
	return HIP_OK;
}

/* An UPDATE with ACK (and ECHO_RESPONSE_SIGNED) only, from src to dst. */
static int send_ack(struct hip_engine *e, const struct hip_assoc *a,
		    const uint32_t *acks, size_t n_acks,
		    const struct hip_param *echo_req,
		    const struct in6_addr *src, const struct in6_addr *dst)
{
	uint8_t *pkt = malloc(HIP_MAX_PACKET);
	size_t len;
	int r;

	if (pkt == NULL)
		return HIP_ENOMEM;
	r = build_update(e, a, false, 0, acks, n_acks, echo_req, pkt, &len);
	if (r == 0)
		r = engine_send(e, a, src, dst, pkt, len);
	if (r == 0)
		e->stats.updates_sent++;
	free(pkt);
	return r;
}

/* --- receiving ------------------------------------------------------------ */

static int parse_update(const struct hip_packet *p, struct update_in *in)
{
	const struct hip_param *q;
	int r = 0;

	q = hip_packet_find(p, HIP_PARAM_SEQ);
	if (q != NULL) {
		struct hip_seq s;

		r = hip_parse_seq(q, &s);
		if (r)
			return r;
		in->have_seq = true;
		in->seq = s.update_id;
	}
	q = hip_packet_find(p, HIP_PARAM_ACK);
	if (q != NULL && (r = hip_parse_ack(q, &in->ack)) != 0)
		return r;
	q = hip_packet_find(p, HIP_PARAM_ESP_INFO);
	if (q != NULL) {
		if ((r = hip_parse_esp_info(q, &in->ei)) != 0)
			return r;
		in->have_esp_info = true;
	}
	q = hip_packet_find(p, HIP_PARAM_DIFFIE_HELLMAN);
	if (q != NULL) {
		struct hip_diffie_hellman *dh = malloc(sizeof(*dh));

		if (dh == NULL)
			return HIP_ENOMEM;
		r = hip_parse_diffie_hellman(q, dh);
		if (r == 0) {
			in->dh = dh->v[0];
			in->have_dh = true;
		}
		free(dh);
		if (r)
			return r;
	}
	q = hip_packet_find(p, HIP_PARAM_LOCATOR_SET);
	if (q != NULL) {
		if ((r = hip_parse_locator_set(q, &in->locs)) != 0)
			return r;
		in->have_locs = true;
	}
	in->echo_req = hip_packet_find(p, HIP_PARAM_ECHO_REQUEST_SIGNED);
	in->echo_resp = hip_packet_find(p, HIP_PARAM_ECHO_RESPONSE_SIGNED);
	if (!in->have_seq && in->ack.count == 0 && in->echo_resp == NULL)
		return HIP_EMISSING;
	/* What must arrive reliably needs a SEQ (RFC 7402 6.9, 8046 5). */
	if (!in->have_seq && (in->have_esp_info || in->have_dh ||
			      in->have_locs || in->echo_req != NULL))
		return HIP_EMISSING;
	if (in->have_dh && !in->have_esp_info)
		return HIP_EMISSING;
	return HIP_OK;
}

int engine_handle_update(struct hip_engine *e, uint64_t now,
			 const struct hip_packet *p, size_t local_idx,
			 const struct in6_addr *src,
			 const struct in6_addr *dst)
{
	struct hip_assoc *a;
	struct update_in *in;
	bool need_send = false;
	int r;

	a = engine_assoc_find(e, e->local[local_idx].hit,
			      p->hdr.sender_hit.s6_addr);
	if (a == NULL || (a->state != HIP_STATE_ESTABLISHED &&
			  a->state != HIP_STATE_R2_SENT))
		return engine_drop(e, HIP_DROP_STATE, HIP_ESTATE,
				   "UPDATE without an established association");
	in = calloc(1, sizeof(*in));
	if (in == NULL)
		return engine_drop(e, HIP_DROP_RESOURCES, HIP_ENOMEM, "UPDATE");
	in->reply_src = *dst;
	in->reply_dst = *src;
	r = parse_update(p, in);
	if (r) {
		r = engine_drop(e, HIP_DROP_MALFORMED, r, "UPDATE parameters");
		goto out;
	}
	/* 6.12.1 steps 3-4: HIP_MAC, then the signature, also for a
	 * retransmission. */
	r = engine_verify_mac(p, a, HIP_PARAM_HIP_MAC, NULL, 0);
	if (r) {
		r = engine_drop(e, HIP_DROP_MAC, r, "UPDATE HIP_MAC");
		goto out;
	}
	r = engine_verify_sig(p, a->peer_id, HIP_PARAM_HIP_SIGNATURE);
	if (r) {
		r = engine_drop(e, HIP_DROP_SIGNATURE, r, "UPDATE signature");
		goto out;
	}
	if (in->have_seq && a->upd_have_in &&
	    (int32_t)(in->seq - a->upd_in_id) <= 0) {
		/* 6.12.1 step 2: seen before; acknowledge again (with the
		 * same echo answer), rate-limited, change nothing. */
		e->stats.dropped[HIP_DROP_DUPLICATE]++;
		if (now >= e->reack_window_ms + 1000) {
			e->reack_window_ms = now;
			e->reack_in_window = 0;
		}
		if (e->reack_in_window >= ENGINE_REACK_PER_SEC) {
			r = HIP_OK;
			goto out;
		}
		e->reack_in_window++;
		engine_log(e, LOG_DEBUG, "UPDATE %u again: ACK only", in->seq);
		r = send_ack(e, a, &in->seq, 1, in->echo_req, dst, src);
		goto out;
	}
	/* Everything is checked before anything changes. */
	if (in->have_seq) {
		r = engine_rekey_check(e, a, in);
		if (r == 0)
			r = engine_loc_check(e, a, in);
		if (r)
			goto out;	/* counted by the check */
	}
	if (a->state == HIP_STATE_R2_SENT) {
		/* 4.4.4: a valid UPDATE completes the exchange. */
		a->deadline = ENGINE_NO_DEADLINE;
		engine_set_state(e, a, HIP_STATE_ESTABLISHED);
	}
	a->last_used_ms = now;
	for (size_t n = 0; n < in->ack.count; n++) {
		uint32_t id = in->ack.update_ids[n];

		if (a->rk != NULL && !a->rk->acked &&
		    engine_update_id_covers(a, a->rk->first_id, id))
			engine_rekey_acked(a, id);
		engine_loc_acked(e, now, a, id, in);
	}
	if (in->ack.count == 0 && in->echo_resp != NULL)
		engine_loc_acked(e, now, a, 0, in);
	if (in->have_seq) {
		r = engine_rekey_recv(e, now, a, in, &need_send);
		if (r == 0)
			r = engine_loc_recv(e, now, a, in, src, dst,
					    &need_send);
		if (r) {
			/* Not acknowledged: the peer sends it again. */
			r = engine_drop(e, HIP_DROP_RESOURCES, r,
					"UPDATE processing");
			goto out;
		}
		/* 6.12.1 step 5: recorded for replay protection. */
		a->upd_have_in = true;
		a->upd_in_id = in->seq;
	}
	/* 6.12.1 step 6: the ACK, piggybacked on our own UPDATE when we
	 * have something to say. */
	if (need_send && outstanding(a))
		r = engine_update_flush(e, now, a, in->have_seq ? &in->seq :
				       NULL, in->have_seq, in->echo_req);
	else if (in->have_seq)
		r = send_ack(e, a, &in->seq, 1, in->echo_req, &in->reply_src,
			     &in->reply_dst);
	else
		r = 0;
	if (r)
		engine_log(e, LOG_WARNING, "UPDATE reply: %s", hip_strerror(r));
	engine_rekey_progress(e, now, a);
	if (a->upd != NULL && !outstanding(a)) {
		free(a->upd);
		a->upd = NULL;
	}
	r = HIP_OK;
out:
	free(in);
	return r;
}

/* --- timers --------------------------------------------------------------- */

uint64_t engine_update_deadline(const struct hip_engine *e,
				const struct hip_assoc *a)
{
	uint64_t d = ENGINE_NO_DEADLINE, t;

	(void)e;
	if (a->upd != NULL)
		d = a->upd->at;
	t = engine_rekey_deadline(a);
	if (t < d)
		d = t;
	t = engine_loc_deadline(a);
	if (t < d)
		d = t;
	return d;
}

void engine_update_timeout(struct hip_engine *e, uint64_t now,
			   struct hip_assoc *a)
{
	struct engine_upd_pending *u = a->upd;

	if (u != NULL && now >= u->at) {
		if (u->retries >= e->cfg.rexmit_retries) {
			engine_log(e, LOG_WARNING, "UPDATE %u unacknowledged "
				   "after %u retransmissions: given up",
				   a->upd_out_id, u->retries);
			free(a->upd);
			a->upd = NULL;
			if (a->rk != NULL && !a->rk->acked)
				engine_rekey_abandon(e, a, "no ACK");
			engine_loc_given_up(e, a);
		} else {
			int r;

			u->retries++;
			u->rto_ms = u->rto_ms * 2 > e->cfg.rexmit_max_ms ?
				    e->cfg.rexmit_max_ms : u->rto_ms * 2;
			u->at = now + u->rto_ms;
			/* Towards where the peer is now, or in turn its other
			 * known locators (both ends moving at once); the
			 * checksum follows the addresses. */
			u->dst = *engine_loc_update_dst(e, a, u->retries);
			u->src = *engine_loc_src_for(e, a, &u->dst);
			r = engine_send(e, a, &u->src, &u->dst, u->pkt,
					u->len);
			if (r == 0)
				e->stats.updates_sent++;
			else
				engine_log(e, LOG_WARNING, "UPDATE "
					   "retransmission: %s",
					   hip_strerror(r));
		}
	}
	engine_rekey_timeout(e, now, a);
	engine_loc_timeout(e, now, a);
	if (a->upd != NULL && !outstanding(a)) {
		free(a->upd);
		a->upd = NULL;
	}
}

void engine_update_clear(struct hip_assoc *a)
{
	if (a->upd != NULL) {
		hip_wipe(a->upd, sizeof(*a->upd));
		free(a->upd);
		a->upd = NULL;
	}
	engine_rekey_free(a->rk);
	a->rk = NULL;
	free(a->mob);
	a->mob = NULL;
	hip_keymat_free(a->km);
	a->km = NULL;
}
