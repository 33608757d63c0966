/*
 * daemon_kernel.c - hipd's kernel side: engine SA actions to XFRM SAs
 * and policies, SPI allocation, reqids per association, kernel events
 * (ACQUIRE starts an exchange, EXPIRE a rekey), ESP use seen in SA
 * counters, and the kernel part of start-up (probe, clean-up, trigger
 * policies).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/rand.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/daemon.h"
#include "hipd/kernel.h"
#include "hipd/msrd.h"
#include "hipd/net.h"

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static const char *hitstr(const uint8_t *hit, char buf[HIP_HIT_STRLEN])
{
	if (hip_hit_to_str(hit, buf, HIP_HIT_STRLEN) < 0)
		strcpy(buf, "?");
	return buf;
}

/* --- addresses: engine form (v4-mapped) to kernel form ------------------- */

static void to_kernel_ip(const struct in6_addr *a, sa_family_t *fam,
			 uint8_t b[16])
{
	memset(b, 0, 16);
	if (hip_net_is_v4mapped(a)) {
		*fam = AF_INET;
		memcpy(b, &a->s6_addr[12], 4);
	} else {
		*fam = AF_INET6;
		memcpy(b, a->s6_addr, 16);
	}
}

static void outer_of(struct hip_kernel_outer *o, const struct in6_addr *src,
		     const struct in6_addr *dst)
{
	memset(o, 0, sizeof(*o));
	to_kernel_ip(src, &o->family, o->src.b);
	to_kernel_ip(dst, &o->family, o->dst.b);
}

void hipd_daemon_kernel_outer(struct hip_kernel_outer *o,
			      const struct in6_addr *src,
			      const struct in6_addr *dst)
{
	outer_of(o, src, dst);
}

void hipd_daemon_kernel_ip(struct hip_kernel_ip *ip, const struct in6_addr *a)
{
	memset(ip, 0, sizeof(*ip));
	to_kernel_ip(a, &ip->family, ip->a.b);
}

static void inner_of(struct hip_kernel_sel *s, const uint8_t *src,
		     const uint8_t *dst)
{
	memset(s, 0, sizeof(*s));
	s->family = AF_INET6;
	memcpy(s->src.b, src, HIP_HIT_LEN);
	memcpy(s->dst.b, dst, HIP_HIT_LEN);
	s->src_plen = 128;
	s->dst_plen = 128;
}

/* --- reqids: one per HIT pair -------------------------------------------- */

static uint32_t reqid_for(struct hipd_daemon *d, const uint8_t *local,
			  const uint8_t *peer)
{
	struct hipd_reqid *free_slot = NULL;
	struct hip_engine_assoc_info ai;

	for (size_t i = 0; i < HIPD_MAX_REQIDS; i++) {
		struct hipd_reqid *r = &d->reqids[i];

		if (!r->used) {
			if (free_slot == NULL)
				free_slot = r;
			continue;
		}
		if (!memcmp(r->local_hit, local, HIP_HIT_LEN) &&
		    !memcmp(r->peer_hit, peer, HIP_HIT_LEN))
			return r->reqid;
	}
	if (free_slot == NULL) {
		/* reuse the slot of a pair the engine has forgotten */
		for (size_t i = 0; i < HIPD_MAX_REQIDS; i++) {
			struct hipd_reqid *r = &d->reqids[i];

			if (hip_engine_assoc_get(d->engine, r->local_hit,
						 r->peer_hit, &ai) < 0) {
				free_slot = r;
				break;
			}
		}
		if (free_slot == NULL)
			return 0;
	}
	/* 1..0xfffe: 0 is the trigger policies', 0xffff the probe's */
	if (d->next_reqid == 0 || d->next_reqid >= 0xffff)
		d->next_reqid = 1;
	free_slot->reqid = HIP_KERNEL_REQID(d->next_reqid++);
	memcpy(free_slot->local_hit, local, HIP_HIT_LEN);
	memcpy(free_slot->peer_hit, peer, HIP_HIT_LEN);
	free_slot->used = true;
	free_slot->in_packets = 0;
	free_slot->spi_in = free_slot->spi_out = 0;
	free_slot->spi_reserved = 0;
	return free_slot->reqid;
}

/* --- engine environment -------------------------------------------------- */

static struct hipd_reqid *reqid_entry(struct hipd_daemon *d,
				      const uint8_t *local,
				      const uint8_t *peer);

/* Remember the association's latest SPI reservation: a rekey that is
 * abandoned leaves it behind, and the kernel would keep it (as an
 * owned SA) for xfrm_acq_expires seconds after the association is
 * gone. */
static void reserved_note(struct hipd_daemon *d, const uint8_t *local,
			  const uint8_t *peer, uint32_t spi,
			  const struct in6_addr *dst)
{
	struct hipd_reqid *rq = reqid_entry(d, local, peer);

	if (rq == NULL)
		return;
	rq->spi_reserved = spi;
	rq->reserved_dst = *dst;
}

/* At teardown: delete a reservation no SA_INSTALL filled in. */
static void reserved_drop(struct hipd_daemon *d, struct hipd_reqid *rq)
{
	struct hip_kernel_ip ip;

	if (rq == NULL || rq->spi_reserved == 0)
		return;
	if (rq->spi_reserved != rq->spi_in) {
		to_kernel_ip(&rq->reserved_dst, &ip.family, ip.a.b);
		if (hip_kernel_del_sa(d->kernel, &ip, rq->spi_reserved) == 0)
			log_debug("kernel", "unused SPI 0x%08" PRIx32
				  " released", rq->spi_reserved);
	}
	rq->spi_reserved = 0;
}

/* SA_DELETE of a whole association: its reservation is unused unless
 * the engine's association already counts on it - an I2 that replaced
 * the association (peer restarted) deletes the old SAs after reserving
 * the SPI of the new ones, which are installed next. */
static void reserved_drop_unused(struct hipd_daemon *d, const uint8_t *local,
				 const uint8_t *peer)
{
	struct hipd_reqid *rq = reqid_entry(d, local, peer);
	struct hip_engine_assoc_info ai;

	if (rq == NULL || rq->spi_reserved == 0)
		return;
	if (hip_engine_assoc_get(d->engine, local, peer, &ai) == 0 &&
	    ai.spi_in == rq->spi_reserved)
		return;
	reserved_drop(d, rq);
}

int hipd_env_alloc_spi(void *arg, const uint8_t local_hit[HIP_HIT_LEN],
			 const uint8_t peer_hit[HIP_HIT_LEN],
			 const struct in6_addr *local_loc,
			 const struct in6_addr *peer_loc, uint32_t *spi)
{
	struct hipd_daemon *d = arg;
	struct hip_kernel_outer o;
	uint32_t reqid, v;
	int r;

	if (!d->data_plane) {
		do {
			if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
				return HIP_ECRYPTO;
		} while (v < HIP_KERNEL_SPI_MIN);
		*spi = v;
		return 0;
	}
	reqid = reqid_for(d, local_hit, peer_hit);
	if (reqid == 0)
		return HIP_ENOSPC;
	outer_of(&o, peer_loc, local_loc);
	r = hip_kernel_alloc_spi(d->kernel, &o, reqid, HIP_KERNEL_SPI_MIN,
				 UINT32_MAX, spi);
	if (r == 0)
		reserved_note(d, local_hit, peer_hit, *spi, local_loc);
	if (r < 0)
		log_warnx("kernel", "ALLOCSPI failed: %s %s", hip_strerror(r),
			  hip_kernel_errmsg(d->kernel));
	return r;
}

/* v less up to a tenth of it, at random. */
static uint64_t jitter_down(uint64_t v)
{
	uint64_t r = 0;

	if (v < 10 || RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		return v;
	return v - r % (v / 10 + 1);
}

/*
 * The configured lifetimes.  The soft limits are drawn up to a tenth
 * lower at random, so that the two ends of an association (whose SAs
 * were added at the same time and carry the same bytes) rarely start a
 * rekey at the same moment; the hard limits stay as configured.
 */
static void lifetime_of(struct hip_kernel_lifetime *l,
			const struct hipd_config *cfg)
{
	l->soft_bytes = jitter_down(cfg->sa_soft_bytes);
	l->hard_bytes = cfg->sa_hard_bytes;
	l->soft_seconds = jitter_down(cfg->sa_soft_seconds);
	l->hard_seconds = cfg->sa_hard_seconds;
}

static void sa_from_engine(struct hip_kernel_sa *k,
			   const struct hip_engine_sa *e, uint32_t reqid,
			   const struct hipd_config *cfg)
{
	memset(k, 0, sizeof(*k));
	lifetime_of(&k->lifetime, cfg);
	inner_of(&k->inner, e->inner_src, e->inner_dst);
	outer_of(&k->outer, &e->outer_src, &e->outer_dst);
	k->spi = e->spi;
	k->dir = e->dir == HIP_ENGINE_DIR_OUT ? HIP_KERNEL_DIR_OUT :
						HIP_KERNEL_DIR_IN;
	k->suite = e->suite;
	memcpy(k->enc_key, e->enc_key, e->enc_key_len);
	k->enc_key_len = e->enc_key_len;
	memcpy(k->auth_key, e->auth_key, e->auth_key_len);
	k->auth_key_len = e->auth_key_len;
	k->reqid = reqid;
	k->flags = e->spi_reserved ? HIP_KERNEL_SA_RESERVED : 0;
}

static void policy_of(struct hip_kernel_policy *p, const uint8_t *isrc,
		      const uint8_t *idst, const struct in6_addr *osrc,
		      const struct in6_addr *odst, enum hip_kernel_dir dir,
		      uint32_t reqid)
{
	memset(p, 0, sizeof(*p));
	inner_of(&p->inner, isrc, idst);
	outer_of(&p->outer, osrc, odst);
	p->dir = dir;
	p->reqid = reqid;
	p->priority = HIP_KERNEL_PRIO_ASSOC;
	p->flags = HIP_KERNEL_POLICY_REPLACE;
}

static struct hipd_reqid *reqid_entry(struct hipd_daemon *d,
				      const uint8_t *local,
				      const uint8_t *peer)
{
	for (size_t i = 0; i < HIPD_MAX_REQIDS; i++) {
		struct hipd_reqid *r = &d->reqids[i];

		if (r->used && !memcmp(r->local_hit, local, HIP_HIT_LEN) &&
		    !memcmp(r->peer_hit, peer, HIP_HIT_LEN))
			return r;
	}
	return NULL;
}

uint32_t hipd_daemon_reqid(struct hipd_daemon *d, const uint8_t *local_hit,
			   const uint8_t *peer_hit)
{
	struct hipd_reqid *r = reqid_entry(d, local_hit, peer_hit);

	return r != NULL ? r->reqid : 0;
}

int hipd_daemon_policies_set(struct hipd_daemon *d, const uint8_t *local_hit,
			     const uint8_t *peer_hit,
			     const struct in6_addr *local_loc,
			     const struct in6_addr *peer_loc)
{
	struct hip_kernel_policy pol;
	uint32_t reqid = hipd_daemon_reqid(d, local_hit, peer_hit);
	int r;

	if (reqid == 0)
		return HIP_ENOENT;
	policy_of(&pol, local_hit, peer_hit, local_loc, peer_loc,
		  HIP_KERNEL_DIR_OUT, reqid);
	r = hip_kernel_add_policy(d->kernel, &pol);
	if (r < 0)
		return r;
	policy_of(&pol, peer_hit, local_hit, peer_loc, local_loc,
		  HIP_KERNEL_DIR_IN, reqid);
	return hip_kernel_add_policy(d->kernel, &pol);
}

/*
 * SA_INSTALL: two SAs, then the two policies.  The policies are always
 * added with HIP_KERNEL_POLICY_REPLACE; for the new SAs of a rekey
 * (HIP_ENGINE_SA_REKEY) that updates the existing ones in place, and
 * the old SAs stay until the engine's SA_DELETE: for the same reqid and
 * addresses XFRM picks the newest outbound SA that is not dying, so
 * traffic moves to the new SA as soon as it is in.  A rekey that fails
 * takes back only its new SAs; the policies and old SAs carry on.
 */
void hipd_daemon_sa_install(struct hipd_daemon *d,
			  const struct hip_engine_action *a)
{
	const struct hip_engine_sa *in = &a->u.sa_install.in;
	const struct hip_engine_sa *out = &a->u.sa_install.out;
	bool rekey = a->u.sa_install.flags & HIP_ENGINE_SA_REKEY;
	struct hip_kernel_sa ksa;
	struct hip_kernel_policy pol;
	struct hip_kernel_ip ip;
	struct hipd_reqid *rq;
	char h[HIP_HIT_STRLEN];
	const char *step;
	uint32_t reqid;
	int r, done = 0;

	if (!d->data_plane) {
		log_info("kernel", "no data plane: %sSAs with %s not installed "
			 "(SPI in 0x%08" PRIx32 ", out 0x%08" PRIx32 ")",
			 rekey ? "rekeyed " : "", hitstr(a->peer_hit, h),
			 in->spi, out->spi);
		return;
	}
	reqid = reqid_for(d, a->local_hit, a->peer_hit);
	step = "reqid";
	r = reqid ? 0 : HIP_ENOSPC;
	if (r == 0) {
		step = "inbound SA";
		sa_from_engine(&ksa, in, reqid, &d->cfg);
		r = hip_kernel_add_sa(d->kernel, &ksa);
		hip_kernel_sa_wipe(&ksa);
		done += r == 0;
	}
	if (r == 0) {
		step = "outbound SA";
		sa_from_engine(&ksa, out, reqid, &d->cfg);
		r = hip_kernel_add_sa(d->kernel, &ksa);
		hip_kernel_sa_wipe(&ksa);
		done += r == 0;
	}
	if (r == 0) {
		step = "outbound policy";
		policy_of(&pol, a->local_hit, a->peer_hit, &out->outer_src,
			  &out->outer_dst, HIP_KERNEL_DIR_OUT, reqid);
		r = hip_kernel_add_policy(d->kernel, &pol);
		done += r == 0;
	}
	if (r == 0) {
		step = "inbound policy";
		policy_of(&pol, a->peer_hit, a->local_hit, &in->outer_src,
			  &in->outer_dst, HIP_KERNEL_DIR_IN, reqid);
		r = hip_kernel_add_policy(d->kernel, &pol);
		done += r == 0;
	}
	if (r == 0) {
		rq = reqid_entry(d, a->local_hit, a->peer_hit);
		if (rekey) {
			d->ctr.rekeys_installed++;
			log_info("kernel", "rekey with %s: new SAs installed, "
				 "SPI in 0x%08" PRIx32 " -> 0x%08" PRIx32
				 ", out 0x%08" PRIx32 " -> 0x%08" PRIx32,
				 hitstr(a->peer_hit, h),
				 rq ? rq->spi_in : 0, in->spi,
				 rq ? rq->spi_out : 0, out->spi);
		} else {
			d->ctr.sa_installed++;
			log_info("kernel", "SAs with %s installed: SPI in "
				 "0x%08" PRIx32 ", out 0x%08" PRIx32 ", ESP "
				 "suite %u, reqid 0x%08" PRIx32,
				 hitstr(a->peer_hit, h), in->spi, out->spi,
				 (unsigned)in->suite, reqid);
		}
		if (rq != NULL) {
			rq->spi_in = in->spi;
			rq->spi_out = out->spi;
			rq->in_packets = 0;
		}
		return;
	}
	d->ctr.sa_failed++;
	log_err("kernel", "cannot install the %s%s with %s: %s%s%s", step,
		rekey ? " of a rekey" : "", hitstr(a->peer_hit, h),
		hip_strerror(r), *hip_kernel_errmsg(d->kernel) ? ": " : "",
		hip_kernel_errmsg(d->kernel));
	/* take back what went in (a rekey's policies were there before) */
	if (done >= 3 && !rekey) {
		inner_of(&pol.inner, a->local_hit, a->peer_hit);
		hip_kernel_del_policy(d->kernel, &pol.inner, HIP_KERNEL_DIR_OUT);
	}
	if (done >= 2) {
		to_kernel_ip(&out->outer_dst, &ip.family, ip.a.b);
		hip_kernel_del_sa(d->kernel, &ip, out->spi);
	}
	if (done >= 1) {
		to_kernel_ip(&in->outer_dst, &ip.family, ip.a.b);
		hip_kernel_del_sa(d->kernel, &ip, in->spi);
	}
}

/* SA_DELETE: the SA pair and, unless it is the old pair of a rekey
 * (HIP_ENGINE_SA_KEEP_POLICIES), the association's two policies. */
void hipd_daemon_sa_delete(struct hipd_daemon *d,
			 const struct hip_engine_action *a)
{
	bool rekey = a->u.sa_delete.flags & HIP_ENGINE_SA_KEEP_POLICIES;
	struct hip_kernel_sel sel;
	struct hip_kernel_ip ip;
	char h[HIP_HIT_STRLEN];
	int r1, r2;

	if (!d->data_plane)
		return;
	if (!rekey) {
		inner_of(&sel, a->local_hit, a->peer_hit);
		hip_kernel_del_policy(d->kernel, &sel, HIP_KERNEL_DIR_OUT);
		inner_of(&sel, a->peer_hit, a->local_hit);
		hip_kernel_del_policy(d->kernel, &sel, HIP_KERNEL_DIR_IN);
	}
	to_kernel_ip(&a->u.sa_delete.local_loc, &ip.family, ip.a.b);
	r1 = hip_kernel_del_sa(d->kernel, &ip, a->u.sa_delete.spi_in);
	to_kernel_ip(&a->u.sa_delete.peer_loc, &ip.family, ip.a.b);
	r2 = hip_kernel_del_sa(d->kernel, &ip, a->u.sa_delete.spi_out);
	if (!rekey)
		reserved_drop_unused(d, a->local_hit, a->peer_hit);
	d->ctr.sa_deleted++;
	log_info("kernel", "%s with %s deleted (in 0x%08" PRIx32 ": %s, "
		 "out 0x%08" PRIx32 ": %s)%s", rekey ? "rekey: old SAs" :
		 "SAs", hitstr(a->peer_hit, h),
		 a->u.sa_delete.spi_in, r1 ? hip_strerror(r1) : "ok",
		 a->u.sa_delete.spi_out, r2 ? hip_strerror(r2) : "ok",
		 rekey ? ", rekey completed" : "");
}

/* --- ESP use: R2-SENT -> ESTABLISHED, idle lifetime ---------------------- */


/*
 * The kernel carries ESP without telling hipd, so poll the packet
 * counters of the inbound SAs: packets that arrived since the last look
 * mean the association is in use (RFC 7401 4.4.2: ESP received in
 * R2-SENT moves it to ESTABLISHED).  Every second while an association
 * waits in R2-SENT, every 10 s otherwise.
 */
void hipd_daemon_usage_poll(struct hipd_loop *loop, struct hipd_timer *t,
			   void *arg)
{
	static struct hip_engine_assoc_info ai[256];
	struct hipd_daemon *d = arg;
	struct hip_kernel_sa_stats st;
	struct hip_kernel_ip ip;
	struct hipd_reqid *rq;
	size_t n = 0;
	bool waiting = false, touched = false;

	hip_engine_assoc_list(d->engine, ai, 256, &n);
	if (n > 256)
		n = 256;
	for (size_t i = 0; i < n; i++) {
		if (ai[i].state != HIP_STATE_R2_SENT &&
		    ai[i].state != HIP_STATE_ESTABLISHED)
			continue;
		waiting |= ai[i].state == HIP_STATE_R2_SENT;
		rq = reqid_entry(d, ai[i].local_hit, ai[i].peer_hit);
		to_kernel_ip(&ai[i].local_loc, &ip.family, ip.a.b);
		if (rq == NULL || ai[i].spi_in == 0 ||
		    hip_kernel_get_sa_stats(d->kernel, &ip, ai[i].spi_in,
					    &st) < 0)
			continue;
		if (st.packets != rq->in_packets) {
			rq->in_packets = st.packets;
			if (st.packets > 0 &&
			    hip_engine_touch(d->engine, hipd_daemon_now(d),
					     ai[i].local_hit,
					     ai[i].peer_hit) == 0)
				touched = true;
		}
	}
	if (touched)
		hipd_daemon_drain(d);
	hipd_timer_arm(loop, t, waiting ? HIPD_USAGE_POLL_FAST_MS :
					  HIPD_USAGE_POLL_SLOW_MS);
}

/*
 * EXPIRE of one of our SAs: soft starts a rekey (RFC 7402 6.9), hard
 * closes the association unless a rekey replaced the SA already.  The
 * larval SAs of ACQUIREs (SPI 0) and SPI reservations that were never
 * filled in expire too; the engine does not know those SPIs.
 */
static void expire_event(struct hipd_daemon *d,
			 const struct hip_kernel_event *ev)
{
	uint32_t spi = ev->u.expire.spi;
	bool hard = ev->u.expire.hard;
	int r;

	if (!HIP_KERNEL_REQID_OWNED(ev->u.expire.reqid) || spi == 0 ||
	    ev->u.expire.reqid == HIP_KERNEL_REQID_TRIGGER ||
	    ev->u.expire.reqid == HIP_KERNEL_REQID_PROBE)
		return;
	if (hard)
		d->ctr.sa_hard_expires++;
	else
		d->ctr.sa_soft_expires++;
	for (int i = 0; i < 8; i++) {
		r = hip_engine_sa_expired(d->engine, hipd_daemon_now(d), spi,
					  hard);
		if (r != HIP_ENOSPC)
			break;
		hipd_daemon_drain(d);	/* queue full: make room */
	}
	if (r == HIP_ENOENT) {
		log_debug("kernel", "SA 0x%08" PRIx32 " reached its %s limit: "
			  "no association uses it (replaced or never "
			  "filled in)", spi, hard ? "hard" : "soft");
	} else if (r < 0) {
		log_warnx("kernel", "SA 0x%08" PRIx32 " reached its %s "
			  "limit: %s", spi, hard ? "hard" : "soft",
			  hip_strerror(r));
	} else {
		log_info("kernel", "SA 0x%08" PRIx32 " reached its %s limit: "
			 "%s", spi, hard ? "hard" : "soft", hard ?
			 "association closed unless already rekeyed" :
			 "rekey started");
	}
	hipd_daemon_drain(d);
}

static void kernel_event(const struct hip_kernel_event *ev, void *arg)
{
	struct hipd_daemon *d = arg;
	char l[HIP_HIT_STRLEN], p[HIP_HIT_STRLEN];
	int r;

	switch (ev->type) {
	case HIP_KEV_ACQUIRE:
		if (ev->u.acquire.inner.family != AF_INET6 ||
		    !hip_hit_is_hit(ev->u.acquire.inner.src.b) ||
		    !hip_hit_is_hit(ev->u.acquire.inner.dst.b))
			return;
		d->ctr.acquires++;
		hitstr(ev->u.acquire.inner.src.b, l);
		hitstr(ev->u.acquire.inner.dst.b, p);
		/* a flow bound to an MSRD record: its peer address, and
		 * the extended ACQUIRE to the MSRD watchers */
		hipd_msrd_acquire(d->msrd, ev);
		r = hip_engine_acquire(d->engine, hipd_daemon_now(d),
				       ev->u.acquire.inner.src.b,
				       ev->u.acquire.inner.dst.b);
		if (r == HIP_ENOENT)
			log_info("kernel", "ACQUIRE %s -> %s: unknown local "
				 "HIT or no locator for the peer (hipconf "
				 "peer add)", l, p);
		else if (r < 0)
			log_warnx("kernel", "ACQUIRE %s -> %s: %s", l, p,
				  hip_strerror(r));
		else
			log_debug("kernel", "ACQUIRE %s -> %s", l, p);
		hipd_daemon_drain(d);
		break;
	case HIP_KEV_EXPIRE:
		expire_event(d, ev);
		break;
	case HIP_KEV_MIGRATE:
		log_debug("kernel", "MIGRATE event ignored");
		break;
	case HIP_KEV_OVERRUN:
		log_warnx("kernel", "the kernel dropped events");
		break;
	}
}

void hipd_daemon_kernel_ready(struct hipd_loop *loop, int fd,
			      uint32_t events, void *arg)
{
	struct hipd_daemon *d = arg;
	int r;

	(void)loop;
	(void)fd;
	(void)events;
	r = hip_kernel_read_events(d->kernel, 64, kernel_event, d);
	if (r < 0)
		log_warnx("kernel", "reading events: %s", hip_strerror(r));
}

void hipd_daemon_sa_bytes(struct hipd_daemon *d,
			  const struct hip_engine_assoc_info *ai,
			  uint64_t *in, uint64_t *out)
{
	struct hip_kernel_sa_stats st;
	struct hip_kernel_ip ip;

	*in = *out = 0;
	if (!d->data_plane || ai->state != HIP_STATE_ESTABLISHED)
		return;
	to_kernel_ip(&ai->local_loc, &ip.family, ip.a.b);
	if (ai->spi_in && hip_kernel_get_sa_stats(d->kernel, &ip, ai->spi_in,
						  &st) == 0)
		*in = st.bytes;
	to_kernel_ip(&ai->peer_loc, &ip.family, ip.a.b);
	if (ai->spi_out && hip_kernel_get_sa_stats(d->kernel, &ip,
						   ai->spi_out, &st) == 0)
		*out = st.bytes;
}

int hipd_daemon_open_kernel(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hip_kernel_policy out, in;
	char why[HIPD_ERR_MAX];
	unsigned n = 0;
	int r;

	if (hip_kernel_find(d->cfg.kernel) == NULL) {
		seterr(err, errcap, "unknown kernel backend '%s' (known: "
		       "xfrm, pfkey)", d->cfg.kernel);
		return HIP_ENOENT;
	}
	why[0] = '\0';
	r = hip_kernel_open(d->cfg.kernel, d->cfg.no_data_plane ?
			    HIP_KERNEL_OPEN_NOPROBE : 0, &d->kernel, why,
			    sizeof(why));
	if (r < 0) {
		d->kernel = NULL;
		if (d->cfg.no_data_plane) {
			log_warnx("kernel", "no XFRM (%s): running without "
				  "kernel state, traffic to HITs will not "
				  "start exchanges", *why ? why :
				  hip_strerror(r));
			return 0;
		}
		seterr(err, errcap, "%s", *why ? why : hip_strerror(r));
		return r;
	}
	d->data_plane = !d->cfg.no_data_plane;
	r = hip_kernel_flush_owned(d->kernel, &n);
	if (r < 0) {
		seterr(err, errcap, "cannot clear old kernel state: %s",
		       hip_strerror(r));
		return r;
	}
	if (n > 0)
		log_info("kernel", "removed %u SAs and policies left by an "
			 "earlier instance", n);
	hip_kernel_trigger_policies(AF_INET6, &out, &in);
	r = hip_kernel_add_policy(d->kernel, &out);
	if (r == 0) {
		r = hip_kernel_add_policy(d->kernel, &in);
		if (r < 0)
			hip_kernel_del_policy(d->kernel, &out.inner,
					      HIP_KERNEL_DIR_OUT);
	}
	if (r < 0) {
		seterr(err, errcap, "cannot install the trigger policies: "
		       "%s %s", hip_strerror(r), hip_kernel_errmsg(d->kernel));
		return r;
	}
	d->triggers = true;
	return 0;
}
