/*
 * engine_rekey.c - rekeying the ESP SAs of an association (RFC 7402
 * 6.9, 6.10): UPDATE with ESP_INFO (our new inbound SPI, the KEYMAT
 * index) and, for fresh KEYMAT, DIFFIE_HELLMAN.
 *
 * Either side starts; the other answers with its own ESP_INFO (and a
 * DH value when it got one) in an UPDATE that also acknowledges.  A
 * side finishes when its ESP_INFO was acknowledged and the peer's has
 * arrived: the new pair comes out as SA_INSTALL (HIP_ENGINE_SA_REKEY),
 * and the replaced pair stays for rekey_old_sa_ms (the peer may still
 * send on it until it has finished too) before SA_DELETE
 * (HIP_ENGINE_SA_KEEP_POLICIES).  When both sides start at once, each
 * ESP_INFO answers the other; if only one of them carried a DH value,
 * the other side sends one too (a new DH needs both).
 *
 * KEYMAT: without DH both draw the new keys at the greater of the two
 * KEYMAT indices (each proposes where its last draw ended); with DH a
 * new KEYMAT from the new Kij (and the exchange's #I, #J), index 0.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hip/dh.h"
#include "hip/engine.h"
#include "hip/error.h"
#include "hip/keymat.h"
#include "hip/params.h"
#include "hip/util.h"
#include "engine_internal.h"

void engine_rekey_free(struct engine_rekey *rk)
{
	if (rk == NULL)
		return;
	hip_dh_free(rk->dh);
	hip_keymat_free(rk->new_km);
	hip_wipe(rk, sizeof(*rk));
	free(rk);
}

bool engine_rekey_outstanding(const struct hip_assoc *a)
{
	return a->rk != NULL && !a->rk->acked;
}

/* Octets one set of ESP keys takes from KEYMAT. */
static size_t esp_keys_len(const struct hip_assoc *a)
{
	return 2 * (a->ek.enc_len + a->ek.auth_len);
}

/* Can the keys be drawn at index of the current KEYMAT? */
static bool index_usable(const struct hip_assoc *a, size_t index)
{
	return a->km != NULL &&
	       index + esp_keys_len(a) <= hip_keymat_limit(a->km);
}

/* A new rekey state with a fresh inbound SPI; with_dh: a new DH key
 * pair of the association's group. */
static int rekey_new(struct hip_engine *e, uint64_t now, struct hip_assoc *a,
		     bool with_dh, struct engine_rekey **out)
{
	struct engine_rekey *rk = calloc(1, sizeof(*rk));
	int r;

	if (rk == NULL)
		return HIP_ENOMEM;
	r = e->env.alloc_spi(e->env.arg, a->local_hit, a->peer_hit,
			     &a->local_loc, &a->peer_loc, &rk->new_spi_in);
	if (r == 0 && rk->new_spi_in < 256)
		r = HIP_EFORMAT;
	if (r == 0 && with_dh)
		r = hip_dh_generate(a->dh_group, &rk->dh);
	if (r) {
		engine_rekey_free(rk);
		return r;
	}
	rk->index = rk->dh ? 0 : (uint16_t)hip_keymat_offset(a->km);
	rk->give_up_at = now + 2 * engine_rexmit_span(e);
	*out = rk;
	return HIP_OK;
}

int engine_rekey_start(struct hip_engine *e, uint64_t now,
		       struct hip_assoc *a)
{
	struct engine_rekey *rk;
	bool dh = e->cfg.rekey_new_dh;
	int r;

	if (a->rk != NULL)
		return HIP_OK;
	if (a->km == NULL)
		return HIP_ESTATE;
	/* A KEYMAT drawn to its end needs a new DH (RFC 7402 5.1.1). */
	if (!index_usable(a, hip_keymat_offset(a->km)))
		dh = true;
	r = rekey_new(e, now, a, dh, &rk);
	if (r)
		return r;
	a->rk = rk;
	r = engine_update_flush(e, now, a, NULL, 0, NULL);
	if (r) {
		engine_rekey_free(rk);
		a->rk = NULL;
		return r;
	}
	engine_log(e, LOG_INFO, "rekey started (new inbound SPI 0x%x%s)",
		   rk->new_spi_in, dh ? ", new DH" : "");
	return HIP_OK;
}

int engine_rekey_put(struct hip_builder *b, const struct hip_assoc *a,
		     bool dh_part)
{
	const struct engine_rekey *rk = a->rk;
	struct hip_diffie_hellman *dh;
	size_t len;
	int r;

	if (rk == NULL || rk->acked)
		return HIP_OK;
	if (!dh_part) {
		struct hip_esp_info ei = { rk->index, a->spi_in,
					   rk->new_spi_in };

		return hip_put_esp_info(b, &ei);
	}
	if (rk->dh == NULL)
		return HIP_OK;
	dh = calloc(1, sizeof(*dh));
	if (dh == NULL)
		return HIP_ENOMEM;
	dh->count = 1;
	dh->v[0].group = a->dh_group;
	r = hip_dh_public(rk->dh, dh->v[0].pub, sizeof(dh->v[0].pub), &len);
	if (r == 0) {
		dh->v[0].pub_len = len;
		r = hip_put_diffie_hellman(b, dh);
	}
	free(dh);
	return r;
}

int engine_rekey_check(struct hip_engine *e, const struct hip_assoc *a,
		       const struct update_in *in)
{
	const struct hip_esp_info *ei = &in->ei;

	if (!in->have_esp_info)
		return HIP_OK;
	/* Old SPI: the SA the peer receives on, our outbound one. */
	if (ei->old_spi != a->spi_out)
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EINVAL,
				   "ESP_INFO names an SPI not in use");
	if (ei->new_spi == ei->old_spi) {
		/* No rekey: ESP_INFO of a locator update. */
		if (in->have_dh)
			return engine_drop(e, HIP_DROP_MALFORMED, HIP_EINVAL,
					   "DIFFIE_HELLMAN without a new SPI");
		return HIP_OK;
	}
	if (ei->new_spi < 256)
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EINVAL,
				   "ESP_INFO new SPI");
	if (in->have_dh) {
		/* 5.1.1: with a new DH the index is zero. */
		if (in->dh.group != a->dh_group || ei->keymat_index != 0)
			return engine_drop(e, HIP_DROP_DH, HIP_EINVAL,
					   "rekey DH group or index");
		if (hip_dh_check_public(in->dh.group, in->dh.pub,
					in->dh.pub_len))
			return engine_drop(e, HIP_DROP_DH, HIP_EVERIFY,
					   "rekey DH value");
	} else if (!index_usable(a, ei->keymat_index) &&
		   (a->rk == NULL || a->rk->dh == NULL)) {
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EFORMAT,
				   "ESP_INFO KEYMAT index");
	}
	return HIP_OK;
}

/* Kij of our new DH key pair and the peer's value -> a new KEYMAT. */
static int new_keymat(const struct hip_assoc *a, const struct hip_dh *dh,
		      const struct hip_dh_value *peer, struct hip_keymat **km)
{
	uint8_t kij[HIP_DH_MAX_SECRET_LEN];
	size_t kij_len = 0;
	int r;

	r = hip_dh_derive(dh, peer->pub, peer->pub_len, kij, sizeof(kij),
			  &kij_len);
	if (r == 0)
		r = hip_keymat_new(a->rhash_suite, kij, kij_len, a->i, a->j,
				   a->ij_len, a->local_hit, a->peer_hit, km);
	hip_wipe(kij, sizeof(kij));
	return r;
}

int engine_rekey_recv(struct hip_engine *e, uint64_t now,
		      struct hip_assoc *a, const struct update_in *in,
		      bool *need_send)
{
	struct engine_rekey *rk = a->rk;
	struct hip_keymat *km = NULL;
	bool created = false;
	int r;

	if (!in->have_esp_info || in->ei.new_spi == in->ei.old_spi)
		return HIP_OK;
	if (rk == NULL) {
		/* The peer started: answer with our own ESP_INFO. */
		r = rekey_new(e, now, a, in->have_dh, &rk);
		if (r)
			return r;
		created = true;
	} else if (in->have_dh && rk->dh == NULL) {
		/* Both started, only the peer with a DH value: send one
		 * too, in a new UPDATE that must be acknowledged again. */
		r = hip_dh_generate(a->dh_group, &rk->dh);
		if (r)
			return r;
		rk->index = 0;
		rk->first_id = 0;
		rk->acked = false;
		*need_send = true;
	}
	if (in->have_dh && rk->dh != NULL) {
		r = new_keymat(a, rk->dh, &in->dh, &km);
		if (r) {
			if (created)
				engine_rekey_free(rk);
			return r;
		}
		hip_keymat_free(rk->new_km);
		rk->new_km = km;
	}
	rk->have_peer = true;
	rk->peer_spi = in->ei.new_spi;
	rk->peer_index = in->ei.keymat_index;
	rk->peer_dh = in->have_dh;
	if (created) {
		a->rk = rk;
		*need_send = true;
	}
	return HIP_OK;
}

void engine_rekey_acked(struct hip_assoc *a, uint32_t id)
{
	(void)id;
	if (a->rk != NULL)
		a->rk->acked = true;
}

void engine_old_sa_delete(struct hip_engine *e, struct hip_assoc *a)
{
	struct hip_engine_action *act;

	if (!a->old_sa)
		return;
	act = engine_push(e, HIP_ACT_SA_DELETE);
	if (act == NULL)
		return;
	memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
	memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
	act->u.sa_delete.spi_in = a->old_spi_in;
	act->u.sa_delete.spi_out = a->old_spi_out;
	act->u.sa_delete.local_loc = a->old_local;
	act->u.sa_delete.peer_loc = a->old_peer;
	act->u.sa_delete.flags = HIP_ENGINE_SA_KEEP_POLICIES;
	a->old_sa = false;
}

/* Both ESP_INFOs are through: new keys, new SAs. */
static int rekey_finish(struct hip_engine *e, uint64_t now,
			struct hip_assoc *a)
{
	struct engine_rekey *rk = a->rk;
	struct hip_keymat *km = rk->dh ? rk->new_km : a->km;
	size_t index = rk->dh ? 0 : (rk->index > rk->peer_index ?
				     rk->index : rk->peer_index);
	struct hip_esp_keys ek;
	int r;

	if (engine_queue_free(e) < 3)
		return HIP_ENOSPC;
	r = hip_keymat_esp_keys(km, a->esp_suite, index, a->local_hit,
				a->peer_hit, &ek);
	if (r)
		return r;
	/* A pair replaced earlier and still lingering goes now. */
	engine_old_sa_delete(e, a);
	a->old_sa = a->sa_installed;
	a->old_spi_in = a->spi_in;
	a->old_spi_out = a->spi_out;
	a->old_local = a->local_loc;
	a->old_peer = a->peer_loc;
	a->old_sa_at = now + e->cfg.rekey_old_sa_ms;
	a->ek = ek;
	hip_wipe(&ek, sizeof(ek));
	a->spi_in = rk->new_spi_in;
	a->spi_out = rk->peer_spi;
	if (rk->dh != NULL) {
		hip_keymat_free(a->km);
		a->km = rk->new_km;
		rk->new_km = NULL;
	}
	a->rk = NULL;
	engine_rekey_free(rk);
	r = engine_sa_install_rekey(e, a);
	a->rekeys++;
	e->stats.rekeys_completed++;
	engine_log(e, LOG_INFO, "rekey done: SPI in 0x%x, out 0x%x",
		   a->spi_in, a->spi_out);
	return r;
}

int engine_rekey_progress(struct hip_engine *e, uint64_t now,
			  struct hip_assoc *a)
{
	const struct engine_rekey *rk = a->rk;
	int r;

	if (rk == NULL || !rk->acked || !rk->have_peer)
		return HIP_OK;
	/* A new DH needs both values; the peer sends its own once it has
	 * seen ours. */
	if ((rk->dh != NULL) != rk->peer_dh)
		return HIP_OK;
	if (rk->dh != NULL && rk->new_km == NULL)
		return HIP_OK;
	r = rekey_finish(e, now, a);
	if (r)
		engine_log(e, LOG_ERR, "rekey failed: %s", hip_strerror(r));
	return r;
}

void engine_rekey_abandon(struct hip_engine *e, struct hip_assoc *a,
			  const char *why)
{
	if (a->rk == NULL)
		return;
	engine_log(e, LOG_WARNING, "rekey abandoned (%s); the current SAs "
		   "stay", why);
	engine_rekey_free(a->rk);
	a->rk = NULL;
}

uint64_t engine_rekey_deadline(const struct hip_assoc *a)
{
	uint64_t d = ENGINE_NO_DEADLINE;

	if (a->rk != NULL)
		d = a->rk->give_up_at;
	if (a->old_sa && a->old_sa_at < d)
		d = a->old_sa_at;
	return d;
}

void engine_rekey_timeout(struct hip_engine *e, uint64_t now,
			  struct hip_assoc *a)
{
	if (a->rk != NULL && now >= a->rk->give_up_at)
		engine_rekey_abandon(e, a, "no answer");
	if (a->old_sa && now >= a->old_sa_at)
		engine_old_sa_delete(e, a);
}

/* --- API ------------------------------------------------------------------- */

int hip_engine_rekey(struct hip_engine *e, uint64_t now_ms,
		     const uint8_t *local_hit,
		     const uint8_t peer_hit[HIP_HIT_LEN])
{
	struct hip_assoc *a;

	if (e == NULL || peer_hit == NULL)
		return HIP_EINVAL;
	a = engine_assoc_find(e, local_hit, peer_hit);
	if (a == NULL)
		return HIP_ENOENT;
	if (a->state != HIP_STATE_ESTABLISHED)
		return HIP_ESTATE;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	return engine_rekey_start(e, now_ms, a);
}

int hip_engine_sa_expired(struct hip_engine *e, uint64_t now_ms,
			  uint32_t spi, bool hard)
{
	if (e == NULL)
		return HIP_EINVAL;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	for (size_t n = 0; n < e->n_assocs; n++) {
		struct hip_assoc *a = e->assocs[n];

		if (a->old_sa && (spi == a->old_spi_in ||
				  spi == a->old_spi_out)) {
			/* Replaced by a rekey: its successor is in place;
			 * at the hard limit the old pair goes at once. */
			if (hard)
				engine_old_sa_delete(e, a);
			return HIP_OK;
		}
		if (!a->sa_installed || (spi != a->spi_in &&
					 spi != a->spi_out))
			continue;
		if (!hard) {
			if (a->state != HIP_STATE_ESTABLISHED)
				return HIP_OK;
			engine_log(e, LOG_INFO, "SA 0x%x soft limit: rekey",
				   spi);
			return engine_rekey_start(e, now_ms, a);
		}
		engine_log(e, LOG_WARNING, "SA 0x%x hard limit without a "
			   "rekey: closing the association", spi);
		if (a->state == HIP_STATE_ESTABLISHED ||
		    a->state == HIP_STATE_R2_SENT)
			return engine_close_start(e, now_ms, a);
		engine_sa_delete(e, a);
		return HIP_OK;
	}
	return HIP_ENOENT;
}
