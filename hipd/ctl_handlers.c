/*
 * ctl_handlers.c - hipd's control commands (protocol in hip/ctl.h):
 * status, hi list/new/del, peer add/del/list, ha list/show, connect,
 * close, reload, loglevel.  Replies carry typed attributes only.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/addrs.h"
#include "hipd/control.h"
#include "hipd/daemon.h"
#include "hipd/net.h"

#define HIPD_HI_NEW_RSA_MAX 4096

#define ERR(call, ...) snprintf((call)->errmsg, sizeof((call)->errmsg), \
				__VA_ARGS__)

/* The HIT in attribute type (or, for PEER_HIT, the plain HIT type). */
static int get_hit(struct hipd_ctl_call *call, uint16_t type, bool required,
		   uint8_t hit[HIP_HIT_LEN], bool *found)
{
	struct hip_ctl_attr a;
	struct in6_addr v;

	*found = false;
	if (hip_ctl_find(&call->attrs, type, &a) < 0 &&
	    (type != HIP_CTL_A_PEER_HIT ||
	     hip_ctl_find(&call->attrs, HIP_CTL_A_HIT, &a) < 0)) {
		if (!required)
			return 0;
		ERR(call, "the request lacks a HIT");
		return HIP_EINVAL;
	}
	if (hip_ctl_get_in6(&a, &v) < 0 || !hip_hit_is_hit(v.s6_addr)) {
		ERR(call, "not a HIT (2001:20::/28)");
		return HIP_EINVAL;
	}
	memcpy(hit, v.s6_addr, HIP_HIT_LEN);
	*found = true;
	return 0;
}

static int put_hit(struct hip_ctl_msg *m, uint16_t type, const uint8_t *hit)
{
	struct in6_addr v;

	memcpy(v.s6_addr, hit, HIP_HIT_LEN);
	return hip_ctl_put_in6(m, type, &v);
}

static size_t assoc_count(struct hipd_daemon *d)
{
	size_t n = 0;

	hip_engine_assoc_list(d->engine, NULL, 0, &n);
	return n;
}

/* --- status -------------------------------------------------------------- */

static int put_counter(struct hip_ctl_msg *m, const char *name, uint64_t v)
{
	int r = hip_ctl_nest_begin(m, HIP_CTL_A_ITEM);

	if (r == 0)
		r = hip_ctl_put_string(m, HIP_CTL_A_NAME, name);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_COUNT,
				    v > UINT32_MAX ? UINT32_MAX : (uint32_t)v);
	if (r == 0)
		r = hip_ctl_nest_end(m);
	return r;
}

/* UPDATE, rekeying and mobility (engine and daemon_*.c counters). */
static int put_mobility_counters(struct hip_ctl_msg *m,
				 const struct hipd_daemon *d,
				 const struct hip_engine_stats *st)
{
	const struct {
		const char *name;
		uint64_t v;
	} c[] = {
		{ "updates-sent", st->updates_sent },
		{ "rekeys-completed", st->rekeys_completed },
		{ "locator-moves", st->locator_moves },
		{ "sa-soft-expires", d->ctr.sa_soft_expires },
		{ "sa-hard-expires", d->ctr.sa_hard_expires },
		{ "sa-pairs-rekeyed", d->ctr.rekeys_installed },
		{ "sa-pairs-deleted", d->ctr.sa_deleted },
		{ "locator-sets", d->ctr.locator_changes },
		{ "sa-migrations", d->ctr.migrations },
		{ "sa-migrate-fallbacks", d->ctr.migrate_fallbacks },
	};
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(c) / sizeof(c[0]); i++)
		r = put_counter(m, c[i].name, c[i].v);
	return r;
}

static int h_status(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_ctl_msg *m = call->reply;
	struct hip_engine_stats st;
	struct hip_locator locs[32];
	size_t nloc = 0, nassoc = assoc_count(d);
	uint64_t dropped = 0;
	uint32_t flags = 0;
	int r;

	hip_engine_get_stats(d->engine, &st);
	for (int i = 0; i < HIP_DROP__MAX; i++)
		dropped += st.dropped[i];
	flags |= d->data_plane ? HIPD_STATUS_DATA_PLANE : 0;
	flags |= d->triggers ? HIPD_STATUS_TRIGGERS : 0;
	r = hip_ctl_put_string(m, HIP_CTL_A_VERSION, PACKAGE_VERSION);
	if (r == 0)
		r = hip_ctl_put_u64(m, HIP_CTL_A_UPTIME,
				    (hipd_daemon_now(d) - d->start_ms) / 1000);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_PID, (uint32_t)getpid());
	if (r == 0)
		r = hip_ctl_put_string(m, HIP_CTL_A_NAME,
				       d->kernel ? d->cfg.kernel : "none");
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_FLAGS, flags);
	for (size_t i = 0; r == 0 && i < d->state.n_ids; i++)
		r = put_hit(m, HIP_CTL_A_HIT, d->state.hits[i]);
	if (hip_addrs_list(d->addrs, locs, 32, &nloc) == HIP_ENOSPC)
		nloc = 32;
	for (size_t i = 0; r == 0 && i < nloc; i++)
		if (!hipd_config_ignored(&d->cfg, &locs[i].addr))
			r = hip_ctl_put_in6(m, HIP_CTL_A_LOCATOR,
					    &locs[i].addr);
	if (r == 0)
		r = hip_ctl_nest_begin(m, HIP_CTL_A_LIST);
	if (r == 0)
		r = put_counter(m, "identities", d->state.n_ids);
	if (r == 0)
		r = put_counter(m, "peers", d->state.n_peers);
	if (r == 0)
		r = put_counter(m, "associations", nassoc);
	if (r == 0)
		r = put_counter(m, "exchanges-completed",
				st.exchanges_completed);
	if (r == 0)
		r = put_counter(m, "exchanges-failed", st.exchanges_failed);
	if (r == 0)
		r = put_counter(m, "packets-received", st.received);
	if (r == 0)
		r = put_counter(m, "packets-sent", st.sent);
	if (r == 0)
		r = put_counter(m, "packets-dropped", dropped);
	if (r == 0)
		r = put_counter(m, "acquires", d->ctr.acquires);
	if (r == 0)
		r = put_counter(m, "sa-pairs-installed", d->ctr.sa_installed);
	if (r == 0)
		r = put_counter(m, "sa-pairs-failed", d->ctr.sa_failed);
	if (r == 0)
		r = put_counter(m, "control-clients",
				hipd_ctl_nclients(d->ctl));
	if (r == 0)
		r = put_mobility_counters(m, d, &st);
	if (r == 0)
		r = hip_ctl_nest_end(m);
	return r;
}

/* --- host identities ----------------------------------------------------- */

/* The attributes of identity i (a row of hi list, the reply of hi new). */
static int put_identity_attrs(struct hip_ctl_msg *m,
			      const struct hipd_state *s, size_t i)
{
	const struct hip_identity *id = s->ids[i];
	uint8_t lsi[HIP_LSI_LEN];
	int r;

	hip_lsi_from_hit(s->hits[i], lsi);
	r = put_hit(m, HIP_CTL_A_HIT, s->hits[i]);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_LSI,
				    (uint32_t)lsi[0] << 24 | lsi[1] << 16 |
				    lsi[2] << 8 | lsi[3]);
	if (r == 0)
		r = hip_ctl_put_u8(m, HIP_CTL_A_ALGORITHM,
				   (uint8_t)hip_identity_algo(id));
	if (r == 0)
		r = hip_ctl_put_u16(m, HIP_CTL_A_KEYBITS,
				    (uint16_t)hip_identity_bits(id));
	if (r == 0)
		r = hip_ctl_put_u8(m, HIP_CTL_A_HIT_SUITE,
				   (uint8_t)hip_hit_suite_of(s->hits[i]));
	if (r == 0)
		r = hip_ctl_put_string(m, HIP_CTL_A_NAME,
			hip_key_type_name(hip_identity_key_type(id)));
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_FLAGS,
				    i == 0 ? HIPD_HI_DEFAULT : 0);
	return r;
}

static int put_identity(struct hip_ctl_msg *m, const struct hipd_state *s,
			size_t i)
{
	int r = hip_ctl_nest_begin(m, HIP_CTL_A_ITEM);

	if (r == 0)
		r = put_identity_attrs(m, s, i);
	if (r == 0)
		r = hip_ctl_nest_end(m);
	return r;
}

static int h_hi_list(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	int r = hip_ctl_nest_begin(call->reply, HIP_CTL_A_LIST);

	for (size_t i = 0; r == 0 && i < d->state.n_ids; i++)
		r = put_identity(call->reply, &d->state, i);
	if (r == 0)
		r = hip_ctl_nest_end(call->reply);
	return r;
}

static int refuse_if_busy(struct hipd_ctl_call *call, struct hipd_daemon *d)
{
	size_t n = assoc_count(d);

	if (n == 0)
		return 0;
	ERR(call, "identities can change only without associations: close "
	    "the %zu association%s first", n, n == 1 ? "" : "s");
	return HIP_ESTATE;
}

/* ALGORITHM and KEYBITS to a key type. */
static int key_type_of(struct hipd_ctl_call *call, enum hip_key_type *t,
		       unsigned *rsa_bits)
{
	struct hip_ctl_attr a;
	uint8_t algo = HIP_HI_ECDSA;
	uint16_t bits = 0;

	if (hip_ctl_find(&call->attrs, HIP_CTL_A_ALGORITHM, &a) == 0)
		hip_ctl_get_u8(&a, &algo);
	if (hip_ctl_find(&call->attrs, HIP_CTL_A_KEYBITS, &a) == 0)
		hip_ctl_get_u16(&a, &bits);
	*rsa_bits = 0;
	switch (algo) {
	case HIP_HI_RSA:
		/* generation blocks the daemon: larger keys are made
		 * offline (hipconf keygen) */
		if (bits != 0 && (bits < HIP_RSA_MIN_GEN_BITS ||
				  bits > HIPD_HI_NEW_RSA_MAX || bits % 8)) {
			ERR(call, "hipd generates RSA keys of 2048 to %d bits, "
			    "a multiple of 8", HIPD_HI_NEW_RSA_MAX);
			return HIP_EINVAL;
		}
		*t = HIP_KEY_RSA;
		*rsa_bits = bits;
		return 0;
	case HIP_HI_ECDSA:
		if (bits == 0 || bits == 256) {
			*t = HIP_KEY_ECDSA_P256;
			return 0;
		}
		if (bits == 384) {
			*t = HIP_KEY_ECDSA_P384;
			return 0;
		}
		ERR(call, "ECDSA curves: 256 (P-256) or 384 (P-384) bits");
		return HIP_EINVAL;
	case HIP_HI_EDDSA:
		if (bits == 0 || bits == 255 || bits == 256) {
			*t = HIP_KEY_ED25519;
			return 0;
		}
		if (bits == 448 || bits == 456) {
			*t = HIP_KEY_ED448;
			return 0;
		}
		ERR(call, "EdDSA curves: 256 (Ed25519) or 448 (Ed448) bits");
		return HIP_EINVAL;
	}
	ERR(call, "unknown host identity algorithm %u", algo);
	return HIP_EUNSUPPORTED;
}

static int h_hi_new(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_identity *gone = NULL;
	enum hip_key_type t;
	unsigned bits;
	size_t idx;
	int r;

	r = key_type_of(call, &t, &bits);
	if (r == 0)
		r = refuse_if_busy(call, d);
	if (r == 0)
		r = hipd_state_hi_new(&d->state, t, bits, &idx, call->errmsg,
				      sizeof(call->errmsg));
	if (r < 0)
		return r;
	r = hipd_daemon_identities_changed(d, call->errmsg,
					   sizeof(call->errmsg));
	if (r < 0) {
		hipd_state_hi_del(&d->state, d->state.hits[idx], &gone, NULL,
				  0);
		hip_identity_free(gone);
		return r;
	}
	return put_identity_attrs(call->reply, &d->state, idx);
}

static int h_hi_del(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_identity *gone = NULL;
	uint8_t hit[HIP_HIT_LEN];
	bool found;
	int r;

	r = get_hit(call, HIP_CTL_A_HIT, true, hit, &found);
	if (r == 0)
		r = refuse_if_busy(call, d);
	if (r == 0)
		r = hipd_state_hi_del(&d->state, hit, &gone, call->errmsg,
				      sizeof(call->errmsg));
	if (r < 0)
		return r;
	r = hipd_daemon_identities_changed(d, call->errmsg,
					   sizeof(call->errmsg));
	if (r < 0)
		return r;	/* the old engine still borrows gone */
	hip_identity_free(gone);
	return 0;
}

/* --- peers --------------------------------------------------------------- */

static int h_peer_add(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_ctl_iter it = call->attrs;
	struct hip_ctl_attr a;
	struct hipd_peer p;
	const struct hipd_peer *old;
	struct hipd_peer keep;
	bool found, had;
	int r;

	memset(&p, 0, sizeof(p));
	r = get_hit(call, HIP_CTL_A_PEER_HIT, true, p.hit, &found);
	if (r < 0)
		return r;
	if (hipd_state_hi_find(&d->state, p.hit) >= 0) {
		ERR(call, "that HIT is one of ours");
		return HIP_EINVAL;
	}
	it.off = 0;
	while (hip_ctl_iter_next(&it, &a) == 1) {
		struct in6_addr loc;

		if (a.type == HIP_CTL_A_NAME) {
			if (hip_ctl_get_string(&a, p.name, sizeof(p.name)) < 0 ||
			    strpbrk(p.name, " \t\r\n=") != NULL) {
				ERR(call, "bad peer name (at most %d "
				    "characters, no spaces or '=')",
				    HIPD_PEER_NAME_MAX - 1);
				return HIP_EINVAL;
			}
			continue;
		}
		if (a.type != HIP_CTL_A_LOCATOR)
			continue;
		if (hip_ctl_get_in6(&a, &loc) < 0)
			return HIP_EINVAL;
		if (IN6_IS_ADDR_UNSPECIFIED(&loc) ||
		    IN6_IS_ADDR_MULTICAST(&loc) || IN6_IS_ADDR_LOOPBACK(&loc) ||
		    hip_hit_is_hit(loc.s6_addr) ||
		    (hip_net_is_v4mapped(&loc) &&
		     (loc.s6_addr[12] == 0 || loc.s6_addr[12] >= 224 ||
		      loc.s6_addr[12] == 127))) {
			ERR(call, "a locator must be a unicast address, not "
			    "a HIT, loopback or unspecified");
			return HIP_EINVAL;
		}
		if (p.n_locators == HIP_ENGINE_MAX_LOCATORS) {
			ERR(call, "at most %d locators",
			    HIP_ENGINE_MAX_LOCATORS);
			return HIP_EINVAL;
		}
		p.locators[p.n_locators++] = loc;
	}
	if (p.n_locators == 0) {
		ERR(call, "a peer needs at least one locator");
		return HIP_EINVAL;
	}
	old = hipd_state_peer_find(&d->state, p.hit);
	had = old != NULL;
	if (had)
		keep = *old;
	r = hipd_daemon_peer_sync(d, &p);
	if (r < 0)
		return r;
	r = hipd_state_peer_set(&d->state, &p, call->errmsg,
				sizeof(call->errmsg));
	if (r < 0) {
		if (had)
			hipd_daemon_peer_sync(d, &keep);
		else
			hip_engine_peer_del(d->engine, p.hit);
	}
	return r;
}

static int h_peer_del(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	uint8_t hit[HIP_HIT_LEN];
	bool found;
	int r;

	r = get_hit(call, HIP_CTL_A_PEER_HIT, true, hit, &found);
	if (r == 0)
		r = hipd_state_peer_del(&d->state, hit, call->errmsg,
					sizeof(call->errmsg));
	if (r == 0)
		hip_engine_peer_del(d->engine, hit);
	return r;
}

static int h_peer_list(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_ctl_msg *m = call->reply;
	int r = hip_ctl_nest_begin(m, HIP_CTL_A_LIST);

	for (size_t i = 0; r == 0 && i < d->state.n_peers; i++) {
		const struct hipd_peer *p = &d->state.peers[i];

		r = hip_ctl_nest_begin(m, HIP_CTL_A_ITEM);
		if (r == 0)
			r = put_hit(m, HIP_CTL_A_PEER_HIT, p->hit);
		if (r == 0 && p->name[0])
			r = hip_ctl_put_string(m, HIP_CTL_A_NAME, p->name);
		for (size_t j = 0; r == 0 && j < p->n_locators; j++)
			r = hip_ctl_put_in6(m, HIP_CTL_A_LOCATOR,
					    &p->locators[j]);
		if (r == 0)
			r = hip_ctl_nest_end(m);
	}
	if (r == 0)
		r = hip_ctl_nest_end(m);
	return r;
}

/* --- associations -------------------------------------------------------- */

static int put_assoc(struct hip_ctl_msg *m, struct hipd_daemon *d,
		     const struct hip_engine_assoc_info *ai)
{
	uint64_t now = hipd_daemon_now(d), bin, bout;
	int r;

	hipd_daemon_sa_bytes(d, ai, &bin, &bout);
	r = put_hit(m, HIP_CTL_A_LOCAL_HIT, ai->local_hit);
	if (r == 0)
		r = put_hit(m, HIP_CTL_A_PEER_HIT, ai->peer_hit);
	if (r == 0)
		r = hip_ctl_put_u8(m, HIP_CTL_A_STATE, (uint8_t)ai->state);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_FLAGS,
				    ai->initiator ? HIPD_HA_INITIATOR : 0);
	if (r == 0)
		r = hip_ctl_put_in6(m, HIP_CTL_A_LOCAL_LOCATOR, &ai->local_loc);
	if (r == 0)
		r = hip_ctl_put_in6(m, HIP_CTL_A_PEER_LOCATOR, &ai->peer_loc);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_SPI_IN, ai->spi_in);
	if (r == 0)
		r = hip_ctl_put_u32(m, HIP_CTL_A_SPI_OUT, ai->spi_out);
	if (r == 0)
		r = hip_ctl_put_u16(m, HIP_CTL_A_ESP_TRANSFORM, ai->esp_suite);
	if (r == 0)
		r = hip_ctl_put_u16(m, HIP_CTL_A_HIP_CIPHER, ai->hip_cipher);
	if (r == 0)
		r = hip_ctl_put_u8(m, HIP_CTL_A_DH_GROUP, ai->dh_group);
	if (r == 0)
		r = hip_ctl_put_u8(m, HIP_CTL_A_HIT_SUITE, ai->hit_suite);
	if (r == 0 && ai->established_ms != 0)
		r = hip_ctl_put_u64(m, HIP_CTL_A_AGE, now > ai->established_ms ?
				    (now - ai->established_ms) / 1000 : 0);
	if (r == 0 && d->data_plane)
		r = hip_ctl_put_u64(m, HIP_CTL_A_BYTES_IN, bin);
	if (r == 0 && d->data_plane)
		r = hip_ctl_put_u64(m, HIP_CTL_A_BYTES_OUT, bout);
	/* named counters, as in status: rekeys and locator moves */
	if (r == 0)
		r = hip_ctl_nest_begin(m, HIP_CTL_A_LIST);
	if (r == 0)
		r = put_counter(m, "rekeys", ai->rekeys);
	if (r == 0)
		r = put_counter(m, "moves", ai->moves);
	if (r == 0)
		r = hip_ctl_nest_end(m);
	return r;
}

static int h_ha_list(struct hipd_ctl_call *call, void *arg)
{
	static struct hip_engine_assoc_info ai[512];
	struct hipd_daemon *d = arg;
	struct hip_ctl_msg *m = call->reply;
	size_t n = 0;
	int r;

	hip_engine_assoc_list(d->engine, ai, 512, &n);
	if (n > 512)
		n = 512;
	r = hip_ctl_nest_begin(m, HIP_CTL_A_LIST);
	for (size_t i = 0; r == 0 && i < n; i++) {
		r = hip_ctl_nest_begin(m, HIP_CTL_A_ITEM);
		if (r == 0)
			r = put_assoc(m, d, &ai[i]);
		if (r == 0)
			r = hip_ctl_nest_end(m);
		if (r == HIP_ENOSPC) {	/* reply full: stop the table */
			hip_ctl_nest_cancel(m);
			r = 0;
			break;
		}
	}
	if (r == 0)
		r = hip_ctl_nest_end(m);
	return r;
}

static int h_ha_show(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_engine_assoc_info ai;
	uint8_t peer[HIP_HIT_LEN], local[HIP_HIT_LEN];
	bool found, have_local;
	int r;

	r = get_hit(call, HIP_CTL_A_PEER_HIT, true, peer, &found);
	if (r == 0)
		r = get_hit(call, HIP_CTL_A_LOCAL_HIT, false, local,
			    &have_local);
	if (r < 0)
		return r;
	r = hip_engine_assoc_get(d->engine, have_local ? local : NULL, peer,
				 &ai);
	if (r < 0) {
		ERR(call, "no association with that HIT");
		return r;
	}
	return put_assoc(call->reply, d, &ai);
}

static int h_connect(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	uint8_t peer[HIP_HIT_LEN], local[HIP_HIT_LEN];
	bool found, have_local;
	int r;

	r = get_hit(call, HIP_CTL_A_PEER_HIT, true, peer, &found);
	if (r == 0)
		r = get_hit(call, HIP_CTL_A_LOCAL_HIT, false, local,
			    &have_local);
	if (r < 0)
		return r;
	if (hipd_state_hi_find(&d->state, peer) >= 0) {
		ERR(call, "that HIT is one of ours");
		return HIP_EINVAL;
	}
	r = hip_engine_acquire(d->engine, hipd_daemon_now(d),
			       have_local ? local : NULL, peer);
	hipd_daemon_drain(d);
	if (r == HIP_ENOENT)
		ERR(call, have_local && hipd_state_hi_find(&d->state, local) < 0 ?
		    "the local HIT is not one of ours" :
		    "no locator known for that peer (hipconf peer add HIT "
		    "LOCATOR)");
	return r;
}

static int h_close(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	uint8_t peer[HIP_HIT_LEN], local[HIP_HIT_LEN];
	bool found, have_local;
	int r;

	r = get_hit(call, HIP_CTL_A_PEER_HIT, true, peer, &found);
	if (r == 0)
		r = get_hit(call, HIP_CTL_A_LOCAL_HIT, false, local,
			    &have_local);
	if (r < 0)
		return r;
	r = hip_engine_close(d->engine, hipd_daemon_now(d),
			     have_local ? local : NULL, peer);
	hipd_daemon_drain(d);
	if (r == HIP_ENOENT)
		ERR(call, "no association with that HIT");
	return r;
}

static int h_reload(struct hipd_ctl_call *call, void *arg)
{
	return hipd_daemon_reload(arg, call->errmsg, sizeof(call->errmsg));
}

static int h_loglevel(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_ctl_attr a;
	uint8_t lvl;

	if (hip_ctl_find(&call->attrs, HIP_CTL_A_LEVEL, &a) < 0 ||
	    hip_ctl_get_u8(&a, &lvl) < 0 || lvl > HIPD_LOG_DEBUG) {
		ERR(call, "expected a level from 0 (err) to 3 (debug)");
		return HIP_EINVAL;
	}
	d->cfg.log_level = (enum hipd_log_level)lvl;
	hipd_log_set_level(d->cfg.log_level);
	return 0;
}

static const struct hipd_ctl_command commands[] = {
	{ HIP_CTL_CMD_STATUS, false, h_status },
	{ HIP_CTL_CMD_RELOAD, true, h_reload },
	{ HIP_CTL_CMD_LOGLEVEL, true, h_loglevel },
	{ HIP_CTL_CMD_HI_LIST, false, h_hi_list },
	{ HIP_CTL_CMD_HI_NEW, true, h_hi_new },
	{ HIP_CTL_CMD_HI_DEL, true, h_hi_del },
	{ HIP_CTL_CMD_PEER_ADD, true, h_peer_add },
	{ HIP_CTL_CMD_PEER_DEL, true, h_peer_del },
	{ HIP_CTL_CMD_PEER_LIST, false, h_peer_list },
	{ HIP_CTL_CMD_HA_LIST, false, h_ha_list },
	{ HIP_CTL_CMD_HA_SHOW, false, h_ha_show },
	{ HIP_CTL_CMD_CONNECT, true, h_connect },
	{ HIP_CTL_CMD_CLOSE, true, h_close },
};

int hipd_ctl_handlers_register(struct hipd_daemon *d)
{
	return hipd_ctl_register(d->ctl, commands,
				 sizeof(commands) / sizeof(commands[0]), d);
}
