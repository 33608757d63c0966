/*
 * engine.c - the engine object: configuration, life cycle, the action
 * queue, logs, statistics, and the dispatch of received packets, caller
 * requests and timers (the tables are in engine_table.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/rand.h>

#include "hip/dh.h"
#include "hip/engine.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/params.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

void hip_engine_config_defaults(struct hip_engine_config *cfg)
{
	static const uint8_t groups[] = { HIP_DH_NIST_P256, HIP_DH_NIST_P384,
					  HIP_DH_MODP_3072, HIP_DH_MODP_1536 };
	static const uint16_t ciphers[] = { HIP_CIPHER_AES_128_CBC,
					    HIP_CIPHER_AES_256_CBC };
	static const uint16_t esp[] = { HIP_ESP_AES_GCM_16,
					HIP_ESP_AES128_CBC_SHA256 };

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->dh_groups, groups, sizeof(groups));
	cfg->n_dh_groups = HIP_ARRAY_SIZE(groups);
	memcpy(cfg->ciphers, ciphers, sizeof(ciphers));
	cfg->n_ciphers = HIP_ARRAY_SIZE(ciphers);
	memcpy(cfg->esp_suites, esp, sizeof(esp));
	cfg->n_esp_suites = HIP_ARRAY_SIZE(esp);
	cfg->puzzle_k = 8;
	cfg->puzzle_k_max = 24;
	cfg->r1_rotate_ms = 60000;
	cfg->r1_counter_start = 1;
	cfg->rexmit_initial_ms = 1000;
	cfg->rexmit_max_ms = 16000;
	cfg->rexmit_retries = 5;
	cfg->r2_sent_ms = 10000;
	cfg->idle_lifetime_ms = 15 * 60 * 1000;
	cfg->msl_ms = 120000;
	cfg->failed_hold_ms = 60000;
	cfg->encrypt_host_id = true;
	cfg->notify_per_sec = 10;
	cfg->max_assocs = 1024;
	cfg->r1_per_sec = 200;
	cfg->rekey_new_dh = false;
	cfg->rekey_old_sa_ms = 10000;
	cfg->locator_lifetime_s = 600;
	cfg->locator_verify_ms = 10000;
}

static const char *const state_names[] = {
	[HIP_STATE_UNASSOCIATED] = "UNASSOCIATED",
	[HIP_STATE_I1_SENT] = "I1-SENT",
	[HIP_STATE_I2_SENT] = "I2-SENT",
	[HIP_STATE_R2_SENT] = "R2-SENT",
	[HIP_STATE_ESTABLISHED] = "ESTABLISHED",
	[HIP_STATE_CLOSING] = "CLOSING",
	[HIP_STATE_CLOSED] = "CLOSED",
	[HIP_STATE_E_FAILED] = "E-FAILED",
};

const char *hip_engine_state_name(enum hip_engine_state s)
{
	if ((unsigned)s >= HIP_ARRAY_SIZE(state_names))
		return "?";
	return state_names[s];
}

static const char *const drop_names[HIP_DROP__MAX] = {
	[HIP_DROP_CHECKSUM] = "checksum",
	[HIP_DROP_MALFORMED] = "malformed",
	[HIP_DROP_CRITICAL] = "critical",
	[HIP_DROP_RECEIVER] = "receiver",
	[HIP_DROP_STATE] = "state",
	[HIP_DROP_HOST_ID] = "host_id",
	[HIP_DROP_SIGNATURE] = "signature",
	[HIP_DROP_MAC] = "mac",
	[HIP_DROP_PUZZLE] = "puzzle",
	[HIP_DROP_R1_COUNTER] = "r1_counter",
	[HIP_DROP_DH] = "dh",
	[HIP_DROP_PROPOSAL] = "proposal",
	[HIP_DROP_SIMULTANEOUS] = "simultaneous",
	[HIP_DROP_DUPLICATE] = "duplicate",
	[HIP_DROP_UNSUPPORTED] = "unsupported",
	[HIP_DROP_RESOURCES] = "resources",
	[HIP_DROP_NOTIFY] = "notify",
	[HIP_DROP_RATE] = "rate",
};

const char *hip_engine_drop_name(int reason)
{
	if (reason < 0 || reason >= HIP_DROP__MAX)
		return "?";
	return drop_names[reason];
}

/* --- helpers ------------------------------------------------------------- */

bool engine_hit_eq(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, HIP_HIT_LEN) == 0;
}

const uint8_t *engine_hit_bytes(const struct in6_addr *a)
{
	return a->s6_addr;
}

int engine_random(struct hip_engine *e, uint8_t *buf, size_t len)
{
	if (e->env.random != NULL)
		return e->env.random(e->env.arg, buf, len);
	if (len > INT32_MAX || RAND_bytes(buf, (int)len) != 1)
		return HIP_ECRYPTO;
	return HIP_OK;
}

int engine_rhash_suite(int hit_suite)
{
	/* RFC 9374 defines no HMAC/KDF for HIP with suite 5: see engine.h. */
	if (hit_suite == HIP_HIT_SUITE_EDDSA_CSHAKE)
		return HIP_HIT_SUITE_RSA_DSA_SHA256;
	if (hip_suite_rhash(hit_suite) == NULL)
		return HIP_EUNSUPPORTED;
	return hit_suite;
}

int engine_local_find(const struct hip_engine *e, const uint8_t *hit)
{
	for (size_t n = 0; n < e->n_local; n++)
		if (engine_hit_eq(e->local[n].hit, hit))
			return (int)n;
	return HIP_ENOENT;
}

/* --- the action queue ------------------------------------------------------ */

size_t engine_queue_free(const struct hip_engine *e)
{
	return HIP_ENGINE_QUEUE_LEN - e->q_count;
}

size_t hip_engine_pending(const struct hip_engine *e)
{
	return e->q_count;
}

struct hip_engine_action *engine_push(struct hip_engine *e,
				      enum hip_engine_action_type t)
{
	struct hip_engine_action *a;

	if (e->q_count == HIP_ENGINE_QUEUE_LEN) {
		e->stats.actions_lost++;
		return NULL;
	}
	a = &e->queue[(e->q_head + e->q_count) % HIP_ENGINE_QUEUE_LEN];
	e->q_count++;
	memset(a, 0, offsetof(struct hip_engine_action, u));
	a->type = t;
	return a;
}

int hip_engine_next_action(struct hip_engine *e, struct hip_engine_action *out)
{
	struct hip_engine_action *a;
	size_t len;

	if (e == NULL || out == NULL || e->q_count == 0)
		return 0;
	a = &e->queue[e->q_head];
	/* Copy only what the action uses; a SEND copies its bytes. */
	len = offsetof(struct hip_engine_action, u);
	switch (a->type) {
	case HIP_ACT_SEND:
		len += offsetof(struct hip_engine_action, u.send.pkt) -
		       offsetof(struct hip_engine_action, u) + a->u.send.len;
		break;
	case HIP_ACT_SA_INSTALL:
		len += sizeof(a->u.sa_install);
		break;
	case HIP_ACT_SA_DELETE:
		len += sizeof(a->u.sa_delete);
		break;
	case HIP_ACT_STATE_CHANGED:
		len += sizeof(a->u.state);
		break;
	case HIP_ACT_SA_MIGRATE:
		len += sizeof(a->u.sa_migrate);
		break;
	default:
		len += sizeof(a->u.log);
		break;
	}
	memset(out, 0, sizeof(*out));
	memcpy(out, a, len);
	hip_wipe(a, len);
	e->q_head = (e->q_head + 1) % HIP_ENGINE_QUEUE_LEN;
	e->q_count--;
	return 1;
}

void hip_engine_action_wipe(struct hip_engine_action *a)
{
	if (a != NULL)
		hip_wipe(a, sizeof(*a));
}

void engine_log(struct hip_engine *e, int level, const char *fmt, ...)
{
	struct hip_engine_action *a;
	va_list ap;

	/* Logs never push out a packet or an SA: keep the margin free. */
	if (engine_queue_free(e) <= 2)
		return;
	a = engine_push(e, HIP_ACT_LOG);
	if (a == NULL)
		return;
	a->u.log.level = level;
	va_start(ap, fmt);
	vsnprintf(a->u.log.text, sizeof(a->u.log.text), fmt, ap);
	va_end(ap);
}

int engine_drop(struct hip_engine *e, int reason, int err, const char *why)
{
	if (reason >= 0 && reason < HIP_DROP__MAX)
		e->stats.dropped[reason]++;
	engine_log(e, LOG_DEBUG, "dropped packet (%s): %s",
		   hip_engine_drop_name(reason), why);
	return err;
}

void hip_engine_get_stats(const struct hip_engine *e,
			  struct hip_engine_stats *out)
{
	*out = e->stats;
}

/* --- life cycle ---------------------------------------------------------- */

static int check_config(const struct hip_engine_config *cfg,
			const struct hip_engine_env *env)
{
	if (cfg->n_identities == 0 ||
	    cfg->n_identities > HIP_ENGINE_MAX_IDENTITIES ||
	    cfg->n_dh_groups == 0 || cfg->n_dh_groups > HIP_ENGINE_MAX_DH ||
	    cfg->n_ciphers == 0 || cfg->n_ciphers > HIP_ENGINE_MAX_CIPHERS ||
	    cfg->n_esp_suites == 0 || cfg->n_esp_suites > HIP_ENGINE_MAX_ESP)
		return HIP_EINVAL;
	if (env->alloc_spi == NULL || env->source_for == NULL)
		return HIP_EINVAL;
	if (cfg->rexmit_initial_ms == 0 || cfg->r1_rotate_ms == 0 ||
	    cfg->max_assocs == 0)
		return HIP_EINVAL;
	for (size_t n = 0; n < cfg->n_dh_groups; n++)
		if (!hip_dh_supported(cfg->dh_groups[n]))
			return HIP_EUNSUPPORTED;
	for (size_t n = 0; n < cfg->n_ciphers; n++)
		if (hip_cipher_info(cfg->ciphers[n]) == NULL)
			return HIP_EUNSUPPORTED;
	for (size_t n = 0; n < cfg->n_esp_suites; n++)
		if (hip_esp_suite_info(cfg->esp_suites[n]) == NULL)
			return HIP_EUNSUPPORTED;
	return HIP_OK;
}

static int local_init(struct engine_local *l, const struct hip_identity *id)
{
	uint8_t *v = l->host_id + HIP_PARAM_HDR_LEN;
	size_t vlen, total;
	int r;

	if (id == NULL || !hip_identity_is_private(id))
		return HIP_EINVAL;
	l->id = id;
	r = hip_hit_from_identity(id, l->hit);
	if (r)
		return r;
	l->hit_suite = hip_hit_suite(id);
	if (l->hit_suite < 0)
		return l->hit_suite;
	l->rhash_suite = engine_rhash_suite(l->hit_suite);
	if (l->rhash_suite < 0)
		return l->rhash_suite;
	r = hip_hostid_encode(id, HIP_DI_NONE, NULL, 0, NULL, 0, &vlen);
	if (r)
		return r;
	total = hip_param_total_len(vlen);
	if (vlen > UINT16_MAX || total > sizeof(l->host_id) - HIP_HDR_LEN)
		return HIP_EUNSUPPORTED;
	memset(l->host_id, 0, sizeof(l->host_id));
	r = hip_hostid_encode(id, HIP_DI_NONE, NULL, 0, v,
			      sizeof(l->host_id) - HIP_PARAM_HDR_LEN, &vlen);
	if (r)
		return r;
	hip_put16(l->host_id, HIP_PARAM_HOST_ID);
	hip_put16(l->host_id + 2, (uint16_t)vlen);
	l->host_id_len = total;
	return HIP_OK;
}

int hip_engine_new(const struct hip_engine_config *cfg,
		   const struct hip_engine_env *env, uint64_t now_ms,
		   struct hip_engine **out)
{
	struct hip_engine *e;
	int r;

	if (cfg == NULL || env == NULL || out == NULL)
		return HIP_EINVAL;
	r = check_config(cfg, env);
	if (r)
		return r;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return HIP_ENOMEM;
	e->cfg = *cfg;
	e->env = *env;
	e->queue = calloc(HIP_ENGINE_QUEUE_LEN, sizeof(*e->queue));
	if (e->queue == NULL) {
		free(e);
		return HIP_ENOMEM;
	}
	for (size_t n = 0; n < cfg->n_identities; n++) {
		r = local_init(&e->local[n], cfg->identities[n]);
		if (r)
			goto fail;
		for (size_t m = 0; m < n; m++)
			if (engine_hit_eq(e->local[m].hit, e->local[n].hit)) {
				r = HIP_EINVAL;
				goto fail;
			}
		e->n_local = n + 1;
	}
	r = engine_r1_init(e, now_ms);
	if (r)
		goto fail;
	*out = e;
	return HIP_OK;
fail:
	hip_engine_free(e);
	return r;
}

void hip_engine_free(struct hip_engine *e)
{
	if (e == NULL)
		return;
	engine_r1_free(e);
	for (size_t n = 0; n < e->n_assocs; n++)
		engine_assoc_free(e->assocs[n]);
	free(e->assocs);
	free(e->peers);
	if (e->queue != NULL) {
		hip_wipe(e->queue, HIP_ENGINE_QUEUE_LEN * sizeof(*e->queue));
		free(e->queue);
	}
	hip_wipe(e, sizeof(*e));
	free(e);
}

int hip_engine_local_hit(const struct hip_engine *e, size_t n,
			 uint8_t hit[HIP_HIT_LEN])
{
	if (e == NULL || hit == NULL)
		return HIP_EINVAL;
	if (n >= e->n_local)
		return HIP_ENOENT;
	memcpy(hit, e->local[n].hit, HIP_HIT_LEN);
	return HIP_OK;
}

/* --- events in ------------------------------------------------------------ */

int hip_engine_recv(struct hip_engine *e, uint64_t now_ms,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    const uint8_t *pkt, size_t len)
{
	struct hip_packet *p;
	struct hip_hdr h;
	uint16_t crit = 0;
	int local, r;

	if (e == NULL || src == NULL || dst == NULL || (pkt == NULL && len))
		return HIP_EINVAL;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	e->stats.received++;
	r = hip_hdr_parse(pkt, len, &h);
	if (r)
		return engine_drop(e, HIP_DROP_MALFORMED, r, "bad header");
	len = hip_hdr_packet_len(&h);
	r = hip_packet_verify_checksum(pkt, len, src, dst);
	if (r)
		return engine_drop(e, HIP_DROP_CHECKSUM, r, "checksum");
	local = engine_local_find(e, h.receiver_hit.s6_addr);
	if (local < 0)
		return engine_drop(e, HIP_DROP_RECEIVER, HIP_ENOENT,
				   "receiver HIT is not ours");
	if (!hip_hit_is_hit(h.sender_hit.s6_addr) ||
	    engine_hit_eq(h.sender_hit.s6_addr, h.receiver_hit.s6_addr))
		return engine_drop(e, HIP_DROP_MALFORMED, HIP_EFORMAT,
				   "sender HIT");
	p = malloc(sizeof(*p));
	if (p == NULL)
		return engine_drop(e, HIP_DROP_RESOURCES, HIP_ENOMEM, "memory");
	r = hip_packet_parse(p, pkt, len, &crit);
	if (r == HIP_ECRIT) {
		uint8_t data[2];

		/* RFC 7401 5.2.1: answer with NOTIFY 1 naming the type;
		 * never answer a NOTIFY. */
		hip_put16(data, crit);
		if (h.type != HIP_NOTIFY)
			engine_notify(e, now_ms, (size_t)local,
				      h.sender_hit.s6_addr, dst, src,
				      HIP_NTF_UNSUPPORTED_CRITICAL_PARAMETER_TYPE,
				      data, sizeof(data));
		r = engine_drop(e, HIP_DROP_CRITICAL, r,
				"unknown critical parameter");
		goto out;
	}
	if (r) {
		r = engine_drop(e, HIP_DROP_MALFORMED, r, "bad parameters");
		goto out;
	}
	r = hip_packet_validate_params(p, NULL);
	if (r) {
		if (h.type != HIP_NOTIFY)
			engine_notify(e, now_ms, (size_t)local,
				      h.sender_hit.s6_addr, dst, src,
				      HIP_NTF_INVALID_SYNTAX, NULL, 0);
		r = engine_drop(e, HIP_DROP_MALFORMED, r, "bad parameter");
		goto out;
	}
	switch (h.type) {
	case HIP_I1:
		r = engine_handle_i1(e, now_ms, p, (size_t)local, src, dst);
		break;
	case HIP_R1:
		r = engine_handle_r1(e, now_ms, p, (size_t)local, src, dst);
		break;
	case HIP_I2:
		r = engine_handle_i2(e, now_ms, p, (size_t)local, src, dst);
		break;
	case HIP_R2:
		r = engine_handle_r2(e, now_ms, p, (size_t)local, src, dst);
		break;
	case HIP_NOTIFY:
		r = engine_handle_notify(e, now_ms, p, (size_t)local);
		break;
	case HIP_CLOSE:
		r = engine_handle_close(e, now_ms, p, (size_t)local, src, dst);
		break;
	case HIP_UPDATE:
		r = engine_handle_update(e, now_ms, p, (size_t)local, src, dst);
		break;
	case HIP_CLOSE_ACK:
		r = engine_handle_close_ack(e, now_ms, p, (size_t)local, src,
					    dst);
		break;
	default:
		r = engine_drop(e, HIP_DROP_UNSUPPORTED, HIP_EUNSUPPORTED,
				hip_packet_type_name(h.type));
		break;
	}
out:
	free(p);
	/* HIP_ENOSPC tells the caller to drain and retry; a packet dropped
	 * for lack of room elsewhere (association table) must not be. */
	return r == HIP_ENOSPC ? HIP_ENOMEM : r;
}

int hip_engine_acquire(struct hip_engine *e, uint64_t now_ms,
		       const uint8_t *local_hit,
		       const uint8_t peer_hit[HIP_HIT_LEN])
{
	struct hip_assoc *a;
	int local = 0, r;

	if (e == NULL || peer_hit == NULL || !hip_hit_is_hit(peer_hit))
		return HIP_EINVAL;
	if (local_hit != NULL) {
		local = engine_local_find(e, local_hit);
		if (local < 0)
			return HIP_ENOENT;
	}
	if (engine_local_find(e, peer_hit) >= 0)
		return HIP_EINVAL;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	a = engine_assoc_find(e, e->local[local].hit, peer_hit);
	if (a != NULL) {
		switch (a->state) {
		case HIP_STATE_UNASSOCIATED:
		case HIP_STATE_CLOSING:
		case HIP_STATE_CLOSED:
		case HIP_STATE_E_FAILED:
			/* Start over with fresh state (4.4.4: E-FAILED and
			 * CLOSED may re-negotiate). */
			engine_sa_delete(e, a);
			break;
		default:
			return HIP_OK;
		}
	}
	if (engine_peer_find(e, peer_hit) == NULL)
		return HIP_ENOENT;
	if (a == NULL) {
		r = engine_assoc_new(e, (size_t)local, peer_hit, now_ms, &a);
		if (r)
			return r;
	}
	r = engine_start(e, now_ms, a);
	if (r && a->state == HIP_STATE_UNASSOCIATED)
		engine_assoc_remove(e, a);
	return r;
}

int hip_engine_close(struct hip_engine *e, uint64_t now_ms,
		     const uint8_t *local_hit,
		     const uint8_t peer_hit[HIP_HIT_LEN])
{
	struct hip_assoc *a;

	if (e == NULL || peer_hit == NULL)
		return HIP_EINVAL;
	a = engine_assoc_find(e, local_hit, peer_hit);
	if (a == NULL)
		return HIP_ENOENT;
	if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
		return HIP_ENOSPC;
	switch (a->state) {
	case HIP_STATE_R2_SENT:
	case HIP_STATE_ESTABLISHED:
		return engine_close_start(e, now_ms, a);
	case HIP_STATE_CLOSING:
	case HIP_STATE_CLOSED:
		return HIP_OK;
	default:
		/* Nothing agreed with the peer yet: forget it. */
		engine_set_state(e, a, HIP_STATE_UNASSOCIATED);
		engine_assoc_remove(e, a);
		return HIP_OK;
	}
}

int hip_engine_touch(struct hip_engine *e, uint64_t now_ms,
		     const uint8_t *local_hit,
		     const uint8_t peer_hit[HIP_HIT_LEN])
{
	struct hip_assoc *a;

	if (e == NULL || peer_hit == NULL)
		return HIP_EINVAL;
	a = engine_assoc_find(e, local_hit, peer_hit);
	if (a == NULL)
		return HIP_ENOENT;
	a->last_used_ms = now_ms;
	if (a->state == HIP_STATE_R2_SENT) {
		/* 4.4.4: data on the SA completes the exchange. */
		engine_set_state(e, a, HIP_STATE_ESTABLISHED);
		a->deadline = ENGINE_NO_DEADLINE;
	}
	return HIP_OK;
}

static uint64_t assoc_deadline(const struct hip_engine *e,
			       const struct hip_assoc *a)
{
	uint64_t d = a->deadline;

	if (a->state == HIP_STATE_ESTABLISHED && e->cfg.idle_lifetime_ms) {
		uint64_t idle = a->last_used_ms + e->cfg.idle_lifetime_ms;

		if (idle < d)
			d = idle;
	}
	if (a->state == HIP_STATE_ESTABLISHED) {
		uint64_t u = engine_update_deadline(e, a);

		if (u < d)
			d = u;
	}
	return d;
}

uint64_t hip_engine_next_timeout(const struct hip_engine *e)
{
	uint64_t d;

	if (e == NULL)
		return ENGINE_NO_DEADLINE;
	d = e->next_rotate_ms;
	for (size_t n = 0; n < e->n_assocs; n++) {
		uint64_t ad = assoc_deadline(e, e->assocs[n]);

		if (ad < d)
			d = ad;
	}
	return d;
}

int hip_engine_timeout(struct hip_engine *e, uint64_t now_ms)
{
	int r;

	if (e == NULL)
		return HIP_EINVAL;
	if (now_ms >= e->next_rotate_ms) {
		r = engine_r1_rotate(e, now_ms);
		if (r)
			engine_log(e, LOG_ERR, "R1 rotation failed: %s",
				   hip_strerror(r));
	}
	for (size_t n = 0; n < e->n_assocs;) {
		struct hip_assoc *a = e->assocs[n];

		if (assoc_deadline(e, a) > now_ms) {
			n++;
			continue;
		}
		if (engine_queue_free(e) < ENGINE_QUEUE_MARGIN)
			return HIP_ENOSPC;
		/* A removed association is replaced by the last one. */
		if (engine_assoc_timeout(e, now_ms, a) == 1)
			continue;
		n++;
	}
	return HIP_OK;
}
