/*
 * engine_notify.c - NOTIFY (RFC 7401 5.3.6, 6.13): signed error reports
 * to a peer, rate-limited and never sent in answer to a NOTIFY; received
 * ones are verified, logged and counted but change no state (they are
 * informational and could be forged by anyone who saw the HITs).
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/params.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

static bool notify_allowed(struct hip_engine *e, uint64_t now)
{
	if (now >= e->notify_window_ms + 1000 || now < e->notify_window_ms) {
		e->notify_window_ms = now;
		e->notify_in_window = 0;
	}
	if (e->notify_in_window >= e->cfg.notify_per_sec) {
		e->stats.notify_suppressed++;
		return false;
	}
	e->notify_in_window++;
	return true;
}

/* Send NOTIFY(HOST_ID, NOTIFICATION, HIP_SIGNATURE) from our address
 * src to the peer's dst.  Failures are only logged: a NOTIFY is a
 * courtesy. */
void engine_notify(struct hip_engine *e, uint64_t now, size_t local_idx,
		   const uint8_t *peer_hit, const struct in6_addr *src,
		   const struct in6_addr *dst, uint16_t type,
		   const uint8_t *data, size_t data_len)
{
	const struct engine_local *l = &e->local[local_idx];
	struct hip_notification *nt;
	struct hip_builder b;
	struct in6_addr me, peer;
	uint8_t *pkt;
	size_t len;
	int r;

	if (engine_queue_free(e) < 2 || !notify_allowed(e, now))
		return;
	nt = calloc(1, sizeof(*nt));
	pkt = malloc(HIP_MAX_PACKET);
	if (nt == NULL || pkt == NULL) {
		r = HIP_ENOMEM;
		goto out;
	}
	nt->type = type;
	nt->data_len = data_len;
	if (data_len > 0)
		memcpy(nt->data, data, data_len);
	memcpy(me.s6_addr, l->hit, HIP_HIT_LEN);
	memcpy(peer.s6_addr, peer_hit, HIP_HIT_LEN);
	r = hip_builder_init(&b, pkt, HIP_MAX_PACKET, HIP_NOTIFY, &me, &peer,
			     0);
	if (r == 0)
		r = hip_put_param_raw(&b, l->host_id, l->host_id_len);
	if (r == 0)
		r = hip_put_notification(&b, nt);
	if (r == 0)
		r = engine_put_sig(&b, l->id, HIP_PARAM_HIP_SIGNATURE);
	if (r == 0)
		r = hip_builder_finish(&b, &len);
	if (r == 0)
		r = engine_send(e, engine_assoc_find(e, l->hit, peer_hit), src,
				dst, pkt, len);
	if (r == 0)
		e->stats.notify_sent++;
out:
	if (r)
		engine_log(e, LOG_WARNING, "NOTIFY %u not sent: %s", type,
			   hip_strerror(r));
	free(nt);
	free(pkt);
}

int engine_handle_notify(struct hip_engine *e, uint64_t now,
			 const struct hip_packet *p, size_t local_idx)
{
	struct hip_assoc *a;
	struct hip_identity *tmp = NULL;
	const struct hip_identity *id = NULL;
	const struct hip_param *q;
	struct hip_notification *nt;
	char hit[HIP_HIT_STRLEN];
	int r;

	(void)now;
	a = engine_assoc_find(e, e->local[local_idx].hit,
			      p->hdr.sender_hit.s6_addr);
	if (a != NULL && a->peer_id != NULL) {
		id = a->peer_id;
	} else {
		r = engine_peer_identity(p, hip_packet_find(p,
					 HIP_PARAM_HOST_ID), &tmp);
		if (r)
			return engine_drop(e, HIP_DROP_NOTIFY, r,
					   "NOTIFY from an unknown host");
		id = tmp;
	}
	r = engine_verify_sig(p, id, HIP_PARAM_HIP_SIGNATURE);
	hip_identity_free(tmp);
	if (r)
		return engine_drop(e, HIP_DROP_NOTIFY, r,
				   "NOTIFY signature");
	nt = malloc(sizeof(*nt));
	if (nt == NULL)
		return engine_drop(e, HIP_DROP_RESOURCES, HIP_ENOMEM, "NOTIFY");
	if (hip_hit_to_str(p->hdr.sender_hit.s6_addr, hit, sizeof(hit)))
		strcpy(hit, "?");
	for (q = hip_packet_find(p, HIP_PARAM_NOTIFICATION); q != NULL;
	     q = hip_packet_find_next(p, q)) {
		if (hip_parse_notification(q, nt))
			continue;
		e->stats.notify_received++;
		engine_log(e, LOG_NOTICE, "NOTIFY %u from %s", nt->type, hit);
	}
	free(nt);
	return HIP_OK;
}
