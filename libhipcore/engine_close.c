/*
 * engine_close.c - ending an association (RFC 7401 5.3.7, 5.3.8, 6.14,
 * 6.15): CLOSE(ECHO_REQUEST_SIGNED, HIP_MAC, HIP_SIGNATURE) and
 * CLOSE_ACK(ECHO_RESPONSE_SIGNED, HIP_MAC, HIP_SIGNATURE); the SAs are
 * deleted when the CLOSE is sent or accepted, and the association
 * lingers in CLOSING/CLOSED for the MSL.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/error.h"
#include "hip/params.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

/* Build CLOSE (echo type ECHO_REQUEST_SIGNED) or CLOSE_ACK (echo type
 * ECHO_RESPONSE_SIGNED) into pkt. */
static int build_close(struct hip_engine *e, const struct hip_assoc *a,
		       uint8_t type, uint16_t echo_type, const uint8_t *echo,
		       size_t echo_len, uint8_t *pkt, size_t *len)
{
	struct hip_opaque *op;
	struct hip_builder b;
	struct in6_addr me, peer;
	int r;

	op = calloc(1, sizeof(*op));
	if (op == NULL)
		return HIP_ENOMEM;
	op->len = echo_len;
	memcpy(op->data, echo, echo_len);
	memcpy(me.s6_addr, a->local_hit, HIP_HIT_LEN);
	memcpy(peer.s6_addr, a->peer_hit, HIP_HIT_LEN);
	r = hip_builder_init(&b, pkt, HIP_MAX_PACKET, type, &me, &peer, 0);
	if (r == 0)
		r = hip_put_echo(&b, echo_type, op);
	if (r == 0)
		r = engine_put_mac(&b, a, HIP_PARAM_HIP_MAC, NULL, 0);
	if (r == 0)
		r = engine_put_sig(&b, e->local[a->local_idx].id,
				   HIP_PARAM_HIP_SIGNATURE);
	if (r == 0)
		r = hip_builder_finish(&b, len);
	free(op);
	return r;
}

int engine_close_start(struct hip_engine *e, uint64_t now,
		       struct hip_assoc *a)
{
	uint8_t echo[ENGINE_ECHO_LEN], pkt[HIP_MAX_PACKET];
	size_t len;
	int r;

	/* Built aside: on failure the association keeps its last packet
	 * (the R2 a repeated I2 gets). */
	r = engine_random(e, echo, sizeof(echo));
	if (r == 0)
		r = build_close(e, a, HIP_CLOSE, HIP_PARAM_ECHO_REQUEST_SIGNED,
				echo, sizeof(echo), pkt, &len);
	if (r == 0)
		r = engine_send(e, a, &a->local_loc, &a->peer_loc, pkt, len);
	if (r)
		return r;
	memcpy(a->last_pkt, pkt, len);
	a->last_len = len;
	memcpy(a->echo, echo, sizeof(echo));
	engine_sa_delete(e, a);
	/* No UPDATE goes out any more; the HIP keys stay for CLOSE_ACK. */
	free(a->upd);
	a->upd = NULL;
	engine_rekey_abandon(e, a, "closing");
	a->retries = 0;
	a->rto_ms = e->cfg.rexmit_initial_ms;
	engine_timer_arm(a, now);
	engine_set_state(e, a, HIP_STATE_CLOSING);
	return HIP_OK;
}

/* MAC and signature of a CLOSE or CLOSE_ACK of an association. */
static int verify_close(struct hip_engine *e, const struct hip_packet *p,
			const struct hip_assoc *a)
{
	int r = engine_verify_mac(p, a, HIP_PARAM_HIP_MAC, NULL, 0);

	if (r)
		return engine_drop(e, HIP_DROP_MAC, r, "CLOSE HIP_MAC");
	r = engine_verify_sig(p, a->peer_id, HIP_PARAM_HIP_SIGNATURE);
	if (r)
		return engine_drop(e, HIP_DROP_SIGNATURE, r, "CLOSE signature");
	return HIP_OK;
}

int engine_handle_close(struct hip_engine *e, uint64_t now,
			const struct hip_packet *p, size_t local_idx,
			const struct in6_addr *src,
			const struct in6_addr *dst)
{
	const struct hip_param *q;
	struct hip_opaque *op;
	struct hip_assoc *a;
	uint8_t pkt[HIP_MAX_PACKET];
	size_t len;
	int r;

	a = engine_assoc_find(e, e->local[local_idx].hit,
			      p->hdr.sender_hit.s6_addr);
	if (a == NULL || (a->state != HIP_STATE_ESTABLISHED &&
			  a->state != HIP_STATE_R2_SENT &&
			  a->state != HIP_STATE_CLOSING &&
			  a->state != HIP_STATE_CLOSED))
		return engine_drop(e, HIP_DROP_STATE, HIP_ESTATE,
				   "CLOSE without an association");
	q = hip_packet_find(p, HIP_PARAM_ECHO_REQUEST_SIGNED);
	if (q == NULL)
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EMISSING,
				   "CLOSE without ECHO_REQUEST_SIGNED");
	r = verify_close(e, p, a);
	if (r)
		return r;
	op = malloc(sizeof(*op));
	if (op == NULL)
		return engine_drop(e, HIP_DROP_RESOURCES, HIP_ENOMEM, "CLOSE");
	r = hip_parse_echo(q, op);
	if (r == 0)
		r = build_close(e, a, HIP_CLOSE_ACK,
				HIP_PARAM_ECHO_RESPONSE_SIGNED, op->data,
				op->len, pkt, &len);
	free(op);
	if (r == 0)
		r = engine_send(e, a, dst, src, pkt, len);
	if (r)
		return engine_drop(e, HIP_DROP_RESOURCES, r, "CLOSE_ACK");
	engine_sa_delete(e, a);
	free(a->upd);
	a->upd = NULL;
	engine_rekey_abandon(e, a, "closed by the peer");
	if (a->state != HIP_STATE_CLOSED) {
		a->deadline = now + e->cfg.msl_ms;
		engine_set_state(e, a, HIP_STATE_CLOSED);
	}
	return HIP_OK;
}

int engine_handle_close_ack(struct hip_engine *e, uint64_t now,
			    const struct hip_packet *p, size_t local_idx,
			    const struct in6_addr *src,
			    const struct in6_addr *dst)
{
	const struct hip_param *q;
	struct hip_assoc *a;
	int r;

	(void)src;
	(void)dst;
	a = engine_assoc_find(e, e->local[local_idx].hit,
			      p->hdr.sender_hit.s6_addr);
	if (a == NULL || a->state != HIP_STATE_CLOSING)
		return engine_drop(e, HIP_DROP_STATE, HIP_ESTATE,
				   "CLOSE_ACK not in CLOSING");
	q = hip_packet_find(p, HIP_PARAM_ECHO_RESPONSE_SIGNED);
	if (q == NULL)
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EMISSING,
				   "CLOSE_ACK without ECHO_RESPONSE_SIGNED");
	r = verify_close(e, p, a);
	if (r)
		return r;
	/* 6.15: the echo must be the nonce of our CLOSE. */
	if (q->len != ENGINE_ECHO_LEN ||
	    !hip_ct_memeq(q->value, a->echo, ENGINE_ECHO_LEN))
		return engine_drop(e, HIP_DROP_MAC, HIP_EVERIFY,
				   "CLOSE_ACK echo mismatch");
	a->deadline = now + e->cfg.msl_ms;
	engine_set_state(e, a, HIP_STATE_CLOSED);
	return HIP_OK;
}
