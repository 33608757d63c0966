/*
 * engine_sa.c - KEYMAT of an association (RFC 7401 6.5) and the ESP SA
 * pair it yields (RFC 7402 7).
 */
#include <string.h>

#include "hip/error.h"
#include "hip/keymat.h"
#include "hip/util.h"
#include "engine_internal.h"

/* Draw the HIP keys and then, from the index that follows them, the
 * ESP keys (RFC 7402 7: the ESP_INFO KEYMAT index of the base
 * exchange).  a->i, a->j, a->ij_len, rhash_suite, cipher and esp_suite
 * must be set. */
int engine_derive_keys(struct hip_assoc *a, const uint8_t *kij,
		       size_t kij_len)
{
	struct hip_keymat *km;
	struct hip_hip_keys hk;
	struct hip_esp_keys ek;
	int r;

	r = hip_keymat_new(a->rhash_suite, kij, kij_len, a->i, a->j,
			   a->ij_len, a->local_hit, a->peer_hit, &km);
	if (r)
		return r;
	r = hip_keymat_hip_keys(km, a->cipher, a->local_hit, a->peer_hit, &hk);
	if (r == 0)
		r = hip_keymat_esp_keys(km, a->esp_suite, hip_keymat_offset(km),
					a->local_hit, a->peer_hit, &ek);
	if (r == 0) {
		/* Kept: a rekey without DH draws further along it. */
		hip_keymat_free(a->km);
		a->km = km;
		a->hk = hk;
		a->ek = ek;
		a->have_keys = true;
	} else {
		hip_keymat_free(km);
	}
	hip_wipe(&hk, sizeof(hk));
	hip_wipe(&ek, sizeof(ek));
	return r;
}

static void fill_sa(struct hip_engine_sa *sa, const struct hip_assoc *a,
		    bool out)
{
	const struct hip_esp_keys *k = &a->ek;

	memset(sa, 0, sizeof(*sa));
	memcpy(sa->inner_src, out ? a->local_hit : a->peer_hit, HIP_HIT_LEN);
	memcpy(sa->inner_dst, out ? a->peer_hit : a->local_hit, HIP_HIT_LEN);
	sa->outer_src = out ? a->local_loc : a->peer_loc;
	sa->outer_dst = out ? a->peer_loc : a->local_loc;
	sa->spi = out ? a->spi_out : a->spi_in;
	sa->dir = out ? HIP_ENGINE_DIR_OUT : HIP_ENGINE_DIR_IN;
	sa->suite = a->esp_suite;
	sa->enc_key_len = k->enc_len;
	memcpy(sa->enc_key, out ? k->enc_out : k->enc_in, k->enc_len);
	sa->auth_key_len = k->auth_len;
	memcpy(sa->auth_key, out ? k->auth_out : k->auth_in, k->auth_len);
	sa->spi_reserved = !out;
}

/* Queue SA_INSTALL for the pair; an installed pair is deleted first
 * (an association re-established with a peer that lost its state). */
int engine_sa_install(struct hip_engine *e, struct hip_assoc *a)
{
	struct hip_engine_action *act;

	if (engine_queue_free(e) < 2)
		return HIP_ENOSPC;
	engine_sa_delete(e, a);
	act = engine_push(e, HIP_ACT_SA_INSTALL);
	if (act == NULL)
		return HIP_ENOSPC;
	memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
	memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
	fill_sa(&act->u.sa_install.in, a, false);
	fill_sa(&act->u.sa_install.out, a, true);
	a->sa_installed = true;
	return HIP_OK;
}

/* The new pair of a rekey: the old pair stays (see engine_rekey.c). */
int engine_sa_install_rekey(struct hip_engine *e, struct hip_assoc *a)
{
	struct hip_engine_action *act;

	act = engine_push(e, HIP_ACT_SA_INSTALL);
	if (act == NULL)
		return HIP_ENOSPC;
	memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
	memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
	fill_sa(&act->u.sa_install.in, a, false);
	fill_sa(&act->u.sa_install.out, a, true);
	act->u.sa_install.flags = HIP_ENGINE_SA_REKEY;
	a->sa_installed = true;
	return HIP_OK;
}
