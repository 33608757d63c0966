/*
 * engine_timer.c - what time does to an association (RFC 7401 4.4.3,
 * 4.4.4, 6.6, 6.11): retransmission of I1, I2 and CLOSE with
 * exponential back-off and a retry limit, E-FAILED, the end of
 * R2-SENT, idle associations, and the MSL of CLOSING/CLOSED.
 */
#include <syslog.h>

#include "hip/error.h"
#include "engine_internal.h"

/* Returns 1 when the association was removed. */
static int forget(struct hip_engine *e, struct hip_assoc *a)
{
	engine_sa_delete(e, a);
	engine_set_state(e, a, HIP_STATE_UNASSOCIATED);
	engine_assoc_remove(e, a);
	return 1;
}

static int retransmit(struct hip_engine *e, uint64_t now,
		      struct hip_assoc *a)
{
	int r;

	if (a->retries >= e->cfg.rexmit_retries)
		return HIP_ENOENT;
	a->retries++;
	a->rto_ms = a->rto_ms * 2 > e->cfg.rexmit_max_ms ?
		    e->cfg.rexmit_max_ms : a->rto_ms * 2;
	if (a->rto_ms == 0)
		a->rto_ms = e->cfg.rexmit_initial_ms;
	if (a->state == HIP_STATE_I1_SENT)
		r = engine_resend_i1(e, a);
	else
		r = engine_send(e, a, &a->local_loc, &a->peer_loc, a->last_pkt,
				a->last_len);
	if (r)
		engine_log(e, LOG_WARNING, "retransmission failed: %s",
			   hip_strerror(r));
	engine_timer_arm(a, now);
	return HIP_OK;
}

int engine_assoc_timeout(struct hip_engine *e, uint64_t now,
			 struct hip_assoc *a)
{
	switch (a->state) {
	case HIP_STATE_I1_SENT:
	case HIP_STATE_I2_SENT:
		if (now < a->deadline)
			return 0;
		if (retransmit(e, now, a) == 0)
			return 0;
		engine_log(e, LOG_WARNING, "base exchange failed after %u "
			   "retransmissions", a->retries);
		engine_assoc_clear_keys(a);
		a->deadline = now + e->cfg.failed_hold_ms;
		engine_set_state(e, a, HIP_STATE_E_FAILED);
		return 0;
	case HIP_STATE_R2_SENT:
		if (now < a->deadline)
			return 0;
		a->deadline = ENGINE_NO_DEADLINE;
		engine_set_state(e, a, HIP_STATE_ESTABLISHED);
		return 0;
	case HIP_STATE_ESTABLISHED:
		engine_update_timeout(e, now, a);
		if (e->cfg.idle_lifetime_ms &&
		    now >= a->last_used_ms + e->cfg.idle_lifetime_ms) {
			engine_log(e, LOG_INFO, "association idle: closing");
			if (engine_close_start(e, now, a))
				return forget(e, a);
		}
		return 0;
	case HIP_STATE_CLOSING:
		if (now < a->deadline)
			return 0;
		if (retransmit(e, now, a) == 0)
			return 0;
		return forget(e, a);
	default:
		/* CLOSED, E-FAILED, UNASSOCIATED: their time is up. */
		if (now < a->deadline)
			return 0;
		return forget(e, a);
	}
}
