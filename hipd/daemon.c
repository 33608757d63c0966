/*
 * daemon.c - hipd's glue: start-up and shut-down in order, and the
 * paths between the sockets, the kernel and the engine (see daemon.h).
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>
#include <openssl/rand.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/util.h"
#include "hipd/addrs.h"
#include "hipd/control.h"
#include "hipd/daemon.h"
#include "hipd/hitdev.h"
#include "hipd/kernel.h"
#include "hipd/net.h"

#define D "hipd"
#define USAGE_POLL_FAST_MS	1000
#define USAGE_POLL_SLOW_MS	10000

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

uint64_t hipd_daemon_now(const struct hipd_daemon *d)
{
	return hipd_loop_now(d->loop);
}

static const char *hitstr(const uint8_t *hit, char buf[HIP_HIT_STRLEN])
{
	if (hip_hit_to_str(hit, buf, HIP_HIT_STRLEN) < 0)
		strcpy(buf, "?");
	return buf;
}

/* --- addresses: engine form (v4-mapped) to kernel form --------------- */

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

static void usage_timer_cb(struct hipd_loop *loop, struct hipd_timer *t,
			   void *arg);

/* --- reqids: one per HIT pair ------------------------------------------ */

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
	return free_slot->reqid;
}

/* --- engine environment ------------------------------------------------ */

static int env_alloc_spi(void *arg, const uint8_t local_hit[HIP_HIT_LEN],
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
	if (r < 0)
		log_warnx("kernel", "ALLOCSPI failed: %s %s", hip_strerror(r),
			  hip_kernel_errmsg(d->kernel));
	return r;
}

static int env_source_for(void *arg, const struct in6_addr *dst,
			  struct in6_addr *src)
{
	struct hipd_daemon *d = arg;
	int r = hip_addrs_route_src(d->addrs, dst, src, NULL);

	if (r == 0 && hipd_config_ignored(&d->cfg, src)) {
		log_info("net", "route source is an ignored locator");
		return HIP_ENOENT;
	}
	return r;
}

/* --- engine actions ---------------------------------------------------- */

static void sa_from_engine(struct hip_kernel_sa *k,
			   const struct hip_engine_sa *e, uint32_t reqid)
{
	memset(k, 0, sizeof(*k));
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

static void do_sa_install(struct hipd_daemon *d,
			  const struct hip_engine_action *a)
{
	const struct hip_engine_sa *in = &a->u.sa_install.in;
	const struct hip_engine_sa *out = &a->u.sa_install.out;
	struct hip_kernel_sa ksa;
	struct hip_kernel_policy pol;
	struct hip_kernel_ip ip;
	char h[HIP_HIT_STRLEN];
	const char *step;
	uint32_t reqid;
	int r, done = 0;

	if (!d->data_plane) {
		log_info("kernel", "no data plane: SAs with %s not installed "
			 "(SPI in 0x%08" PRIx32 ", out 0x%08" PRIx32 ")",
			 hitstr(a->peer_hit, h), in->spi, out->spi);
		return;
	}
	reqid = reqid_for(d, a->local_hit, a->peer_hit);
	step = "reqid";
	r = reqid ? 0 : HIP_ENOSPC;
	if (r == 0) {
		step = "inbound SA";
		sa_from_engine(&ksa, in, reqid);
		r = hip_kernel_add_sa(d->kernel, &ksa);
		hip_kernel_sa_wipe(&ksa);
		done += r == 0;
	}
	if (r == 0) {
		step = "outbound SA";
		sa_from_engine(&ksa, out, reqid);
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
		d->ctr.sa_installed++;
		log_info("kernel", "SAs with %s installed: SPI in 0x%08" PRIx32
			 ", out 0x%08" PRIx32 ", ESP suite %u, reqid 0x%08"
			 PRIx32, hitstr(a->peer_hit, h), in->spi, out->spi,
			 (unsigned)in->suite, reqid);
		return;
	}
	d->ctr.sa_failed++;
	log_err("kernel", "cannot install the %s with %s: %s%s%s", step,
		hitstr(a->peer_hit, h), hip_strerror(r),
		*hip_kernel_errmsg(d->kernel) ? ": " : "",
		hip_kernel_errmsg(d->kernel));
	/* take back what went in */
	if (done >= 3) {
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

static void do_sa_delete(struct hipd_daemon *d,
			 const struct hip_engine_action *a)
{
	struct hip_kernel_sel sel;
	struct hip_kernel_ip ip;
	char h[HIP_HIT_STRLEN];
	int r1, r2;

	if (!d->data_plane)
		return;
	inner_of(&sel, a->local_hit, a->peer_hit);
	hip_kernel_del_policy(d->kernel, &sel, HIP_KERNEL_DIR_OUT);
	inner_of(&sel, a->peer_hit, a->local_hit);
	hip_kernel_del_policy(d->kernel, &sel, HIP_KERNEL_DIR_IN);
	to_kernel_ip(&a->u.sa_delete.local_loc, &ip.family, ip.a.b);
	r1 = hip_kernel_del_sa(d->kernel, &ip, a->u.sa_delete.spi_in);
	to_kernel_ip(&a->u.sa_delete.peer_loc, &ip.family, ip.a.b);
	r2 = hip_kernel_del_sa(d->kernel, &ip, a->u.sa_delete.spi_out);
	d->ctr.sa_deleted++;
	log_info("kernel", "SAs with %s deleted (in 0x%08" PRIx32 ": %s, "
		 "out 0x%08" PRIx32 ": %s)", hitstr(a->peer_hit, h),
		 a->u.sa_delete.spi_in, r1 ? hip_strerror(r1) : "ok",
		 a->u.sa_delete.spi_out, r2 ? hip_strerror(r2) : "ok");
}

static void state_event(struct hipd_daemon *d,
			const struct hip_engine_action *a)
{
	char l[HIP_HIT_STRLEN], p[HIP_HIT_STRLEN];
	uint8_t buf[256];
	struct hip_ctl_msg m;
	struct in6_addr h;

	log_debug("engine", "%s -> %s: %s -> %s", hitstr(a->local_hit, l),
		 hitstr(a->peer_hit, p),
		 hip_engine_state_name(a->u.state.old_state),
		 hip_engine_state_name(a->u.state.new_state));
	if (d->data_plane && a->u.state.new_state == HIP_STATE_R2_SENT)
		hipd_timer_arm(d->loop, &d->usage_timer, USAGE_POLL_FAST_MS);
	if (d->ctl == NULL ||
	    hip_ctl_msg_init(&m, buf, sizeof(buf), HIP_CTL_EVENT,
			     HIP_CTL_EV_HA_STATE, 0) < 0)
		return;
	memcpy(&h, a->local_hit, HIP_HIT_LEN);
	hip_ctl_put_in6(&m, HIP_CTL_A_LOCAL_HIT, &h);
	memcpy(&h, a->peer_hit, HIP_HIT_LEN);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &h);
	hip_ctl_put_u8(&m, HIP_CTL_A_STATE, (uint8_t)a->u.state.new_state);
	hipd_ctl_broadcast(d->ctl, &m);
}

static enum hipd_log_level level_of(int syslog_level)
{
	if (syslog_level <= LOG_ERR)
		return HIPD_LOG_ERR;
	if (syslog_level == LOG_WARNING)
		return HIPD_LOG_WARN;
	if (syslog_level <= LOG_INFO)
		return HIPD_LOG_INFO;
	return HIPD_LOG_DEBUG;
}

void hipd_daemon_drain(struct hipd_daemon *d)
{
	static struct hip_engine_action a;	/* 2 KiB: not on the stack */
	uint64_t next, now;
	int r;

	while (hip_engine_next_action(d->engine, &a) == 1) {
		switch (a.type) {
		case HIP_ACT_SEND:
			r = hip_net_send(d->net, &a.u.send.src, &a.u.send.dst,
					 a.u.send.pkt, a.u.send.len);
			if (r < 0) {
				d->ctr.send_failed++;
				log_warn("net", "send of %zu bytes failed",
					 a.u.send.len);
			}
			break;
		case HIP_ACT_SA_INSTALL:
			do_sa_install(d, &a);
			break;
		case HIP_ACT_SA_DELETE:
			do_sa_delete(d, &a);
			break;
		case HIP_ACT_STATE_CHANGED:
			state_event(d, &a);
			break;
		case HIP_ACT_LOG:
			hipd_log(level_of(a.u.log.level), "engine", "%s",
				 a.u.log.text);
			break;
		}
		hip_engine_action_wipe(&a);
	}
	next = hip_engine_next_timeout(d->engine);
	if (next == UINT64_MAX) {
		hipd_timer_cancel(d->loop, &d->engine_timer);
		return;
	}
	now = hipd_daemon_now(d);
	if (hipd_timer_arm(d->loop, &d->engine_timer,
			   next > now ? next - now : 0) < 0)
		log_err(D, "cannot arm the engine timer");
}

static void engine_timer_cb(struct hipd_loop *loop, struct hipd_timer *t,
			    void *arg)
{
	struct hipd_daemon *d = arg;
	int r;

	(void)loop;
	(void)t;
	/* HIP_ENOSPC: the queue filled up; drain and go on */
	for (int i = 0; i < 16; i++) {
		r = hip_engine_timeout(d->engine, hipd_daemon_now(d));
		hipd_daemon_drain(d);
		if (r != HIP_ENOSPC)
			break;
	}
}

/* --- R1 counter persistence ---------------------------------------------- */

static uint64_t r1_used(const struct hipd_daemon *d)
{
	uint64_t el = hipd_daemon_now(d) - d->start_ms;

	return d->r1_start + el / d->ecfg.r1_rotate_ms + 1;
}

static void r1_timer_cb(struct hipd_loop *loop, struct hipd_timer *t,
			void *arg)
{
	struct hipd_daemon *d = arg;

	if (hipd_state_r1_save(&d->state, r1_used(d)) < 0)
		log_warn("state", "cannot save the R1 counter");
	hipd_timer_arm(loop, t, d->ecfg.r1_rotate_ms);
}

/* --- ESP use: R2-SENT -> ESTABLISHED, idle lifetime ------------------ */

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

/*
 * The kernel carries ESP without telling hipd, so poll the packet
 * counters of the inbound SAs: packets that arrived since the last look
 * mean the association is in use (RFC 7401 4.4.2: ESP received in
 * R2-SENT moves it to ESTABLISHED).  Every second while an association
 * waits in R2-SENT, every 10 s otherwise.
 */
static void usage_timer_cb(struct hipd_loop *loop, struct hipd_timer *t,
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
	hipd_timer_arm(loop, t, waiting ? USAGE_POLL_FAST_MS :
					  USAGE_POLL_SLOW_MS);
}

/* --- input ------------------------------------------------------------- */

static void net_ready(struct hipd_loop *loop, int fd, uint32_t events,
		      void *arg)
{
	struct hipd_daemon *d = arg;
	struct hip_net_rx rx;
	int r;

	(void)loop;
	(void)fd;
	(void)events;
	for (int n = 0; n < 64; n++) {
		r = hip_net_recv(d->net, d->rxbuf, sizeof(d->rxbuf), &rx);
		if (r == 0)
			break;
		if (r < 0) {
			d->ctr.rx_errors++;
			if (r == HIP_EIO) {
				log_warn("net", "receive failed");
				break;
			}
			continue;
		}
		if (hipd_config_ignored(&d->cfg, &rx.dst))
			continue;
		r = hip_engine_recv(d->engine, hipd_daemon_now(d), &rx.src,
				    &rx.dst, d->rxbuf, rx.len);
		if (r == HIP_ENOSPC) {
			hipd_daemon_drain(d);
			r = hip_engine_recv(d->engine, hipd_daemon_now(d),
					    &rx.src, &rx.dst, d->rxbuf,
					    rx.len);
		}
		if (r < 0)
			log_debug("net", "packet of %zu bytes dropped: %s",
				  rx.len, hip_strerror(r));
		hipd_daemon_drain(d);
	}
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
		log_info("kernel", "SA 0x%08" PRIx32 " reached its %s limit "
			 "(rekeying is not implemented yet)",
			 ev->u.expire.spi, ev->u.expire.hard ? "hard" : "soft");
		break;
	case HIP_KEV_MIGRATE:
		log_debug("kernel", "MIGRATE event ignored");
		break;
	case HIP_KEV_OVERRUN:
		log_warnx("kernel", "the kernel dropped events");
		break;
	}
}

static void kernel_ready(struct hipd_loop *loop, int fd, uint32_t events,
			 void *arg)
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

static void on_signal(struct hipd_loop *loop, int signo, void *arg)
{
	struct hipd_daemon *d = arg;
	char err[HIPD_ERR_MAX];

	if (signo == SIGHUP) {
		log_info(D, "SIGHUP: reloading %s",
			 d->config_path ? d->config_path : "(no file)");
		if (hipd_daemon_reload(d, err, sizeof(err)) < 0)
			log_err(D, "reload failed, configuration kept: %s",
				err);
		return;
	}
	log_info(D, "signal %d: stopping", signo);
	hipd_loop_stop(loop);
}

/* --- engine life cycle --------------------------------------------------- */

static int engine_create(struct hipd_daemon *d, struct hip_engine **out,
			 char *err, size_t errcap)
{
	struct hip_engine_env env = { 0 };
	struct hip_engine *e;
	int r;

	d->ecfg.n_identities = d->state.n_ids;
	for (size_t i = 0; i < d->state.n_ids; i++)
		d->ecfg.identities[i] = d->state.ids[i];
	env.arg = d;
	env.alloc_spi = env_alloc_spi;
	env.source_for = env_source_for;
	r = hip_engine_new(&d->ecfg, &env, hipd_daemon_now(d), &e);
	if (r < 0) {
		seterr(err, errcap, "cannot create the HIP engine: %s",
		       hip_strerror(r));
		return r;
	}
	for (size_t i = 0; i < d->state.n_peers; i++) {
		const struct hipd_peer *p = &d->state.peers[i];

		r = hip_engine_peer_add(e, p->hit, p->locators, p->n_locators);
		if (r < 0) {
			seterr(err, errcap, "cannot add a peer: %s",
			       hip_strerror(r));
			hip_engine_free(e);
			return r;
		}
	}
	*out = e;
	return 0;
}

int hipd_daemon_peer_sync(struct hipd_daemon *d, const struct hipd_peer *p)
{
	return hip_engine_peer_add(d->engine, p->hit, p->locators,
				   p->n_locators);
}

int hipd_daemon_identities_changed(struct hipd_daemon *d, char *err,
				   size_t errcap)
{
	struct hip_engine *e;
	uint8_t old[HIPD_STATE_MAX_IDS][HIP_HIT_LEN], hit[HIP_HIT_LEN];
	size_t n_old = 0, count = 0;
	int r;

	while (n_old < HIPD_STATE_MAX_IDS &&
	       hip_engine_local_hit(d->engine, n_old, old[n_old]) == 0)
		n_old++;
	r = engine_create(d, &e, err, errcap);
	if (r < 0)
		return r;
	hip_engine_free(d->engine);
	d->engine = e;
	hipd_daemon_drain(d);
	/* HITs on the interface follow the identities */
	for (size_t i = 0; i < n_old; i++)
		if (hipd_state_hi_find(&d->state, old[i]) < 0)
			hip_hitdev_del_hit(d->hitdev, old[i]);
	for (size_t i = 0; i < d->state.n_ids; i++) {
		memcpy(hit, d->state.hits[i], HIP_HIT_LEN);
		r = hip_hitdev_add_hit(d->hitdev, hit);
		if (r < 0 && r != HIP_EEXIST)
			log_warnx(D, "cannot put a HIT on %s: %s",
				  hip_hitdev_ifname(d->hitdev),
				  hip_strerror(r));
		count++;
	}
	(void)count;
	return 0;
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

/* --- start / stop ---------------------------------------------------- */

/*
 * One hipd per network namespace: a second one would flush the first
 * one's SAs and policies and fight over the HITs.  Abstract unix socket
 * names belong to the network namespace, so binding one is a lock that
 * the kernel releases when the process dies, also after kill -9.
 */
static int netns_lock(struct hipd_daemon *d, char *err, size_t errcap)
{
	static const char name[] = "hipd-netns-lock";
	struct sockaddr_un sa;
	socklen_t len;

	d->lock_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (d->lock_fd < 0) {
		seterr(err, errcap, "socket: %s", strerror(errno));
		return HIP_EIO;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + 1, name, sizeof(name) - 1);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			  sizeof(name) - 1);
	if (bind(d->lock_fd, (struct sockaddr *)&sa, len) < 0) {
		seterr(err, errcap, errno == EADDRINUSE ?
		       "another hipd is running in this network namespace" :
		       "cannot take the namespace lock: %s", strerror(errno));
		close(d->lock_fd);
		d->lock_fd = -1;
		return errno == EADDRINUSE ? HIP_EEXIST : HIP_EIO;
	}
	return 0;
}

static int open_kernel(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hip_kernel_policy out, in;
	char why[HIPD_ERR_MAX];
	unsigned n = 0;
	int r;

	if (hip_kernel_find(d->cfg.kernel) == NULL) {
		seterr(err, errcap, "unknown kernel backend '%s' (known: "
		       "xfrm)", d->cfg.kernel);
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

static int open_hits(struct hipd_daemon *d, char *err, size_t errcap)
{
	char h[HIP_HIT_STRLEN];
	int r;

	r = hip_hitdev_open(&d->hitdev, NULL,
			    HIP_HITDEV_NO_LSI |
			    (d->cfg.hitdev_lo ? HIP_HITDEV_USE_LO : 0));
	if (r < 0) {
		d->hitdev = NULL;
		seterr(err, errcap, "cannot set up the HIT interface: %s",
		       hip_strerror(r));
		return r;
	}
	for (size_t i = 0; i < d->state.n_ids; i++) {
		r = hip_hitdev_add_hit(d->hitdev, d->state.hits[i]);
		if (r < 0 && r != HIP_EEXIST) {
			seterr(err, errcap, "cannot add HIT %s to %s: %s %s",
			       hitstr(d->state.hits[i], h),
			       hip_hitdev_ifname(d->hitdev), hip_strerror(r),
			       hip_hitdev_errmsg(d->hitdev));
			return r;
		}
		log_info(D, "HIT %s on %s", hitstr(d->state.hits[i], h),
			 hip_hitdev_ifname(d->hitdev));
	}
	return 0;
}

static int open_sockets(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_ctl_config cc;
	char path[PATH_MAX];
	int fds[HIP_NET_NFDS], r;
	size_t n;

	r = hip_addrs_open(&d->addrs, HIP_ADDRS_NO_EVENTS);
	if (r < 0) {
		d->addrs = NULL;
		seterr(err, errcap, "cannot open rtnetlink: %s",
		       hip_strerror(r));
		return r;
	}
	r = hip_net_open(&d->net, 0);
	if (r < 0) {
		d->net = NULL;
		seterr(err, errcap, "cannot open the raw HIP sockets: %s%s",
		       hip_strerror(r), r == HIP_EPERM ?
		       " (needs CAP_NET_RAW)" : "");
		return r;
	}
	n = hip_net_fds(d->net, fds);
	for (size_t i = 0; i < n; i++) {
		r = hipd_loop_add_fd(d->loop, fds[i], EPOLLIN, net_ready, d);
		if (r < 0)
			goto loop_fail;
	}
	if (d->kernel != NULL && hip_kernel_event_fd(d->kernel) >= 0) {
		r = hipd_loop_add_fd(d->loop, hip_kernel_event_fd(d->kernel),
				     EPOLLIN, kernel_ready, d);
		if (r < 0)
			goto loop_fail;
	}
	if (mkdir(d->cfg.run_dir, 0755) < 0 && errno != EEXIST) {
		seterr(err, errcap, "%s: cannot create: %s", d->cfg.run_dir,
		       strerror(errno));
		return HIP_EIO;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", d->cfg.run_dir,
			     HIPD_SOCKET_NAME) >= sizeof(path)) {
		seterr(err, errcap, "%s: path too long", d->cfg.run_dir);
		return HIP_EINVAL;
	}
	memset(&cc, 0, sizeof(cc));
	cc.path = path;
	r = hipd_ctl_open(d->loop, &cc, &d->ctl);
	if (r < 0) {
		d->ctl = NULL;
		seterr(err, errcap, "%s: %s", path, r == HIP_EEXIST ?
		       "another hipd is running there" : r == HIP_EIO ?
		       strerror(errno) : hip_strerror(r));
		return r;
	}
	r = hipd_ctl_handlers_register(d);
	if (r < 0) {
		seterr(err, errcap, "cannot register the control commands");
		return r;
	}
	return 0;
loop_fail:
	seterr(err, errcap, "event loop: %s", hip_strerror(r));
	return r;
}

int hipd_daemon_start(struct hipd_daemon *d, const struct hipd_config *cfg,
		      const char *config_path, char *err, size_t errcap)
{
	char serr[HIP_ERRBUF_LEN + 64];
	int r;

	memset(d, 0, sizeof(*d));
	d->lock_fd = -1;
	d->cfg = *cfg;
	d->config_path = config_path;
	hipd_timer_init(&d->engine_timer, engine_timer_cb, d);
	hipd_timer_init(&d->r1_timer, r1_timer_cb, d);
	hipd_timer_init(&d->usage_timer, usage_timer_cb, d);
	r = hipd_loop_new(&d->loop);
	if (r < 0) {
		d->loop = NULL;
		seterr(err, errcap, "cannot create the event loop: %s",
		       hip_strerror(r));
		return r;
	}
	d->start_ms = hipd_daemon_now(d);
	r = netns_lock(d, err, errcap);
	if (r < 0)
		goto fail;
	r = hipd_loop_signals(d->loop, on_signal, d);
	if (r < 0) {
		seterr(err, errcap, "cannot set up signals: %s",
		       hip_strerror(r));
		goto fail;
	}
	r = open_kernel(d, err, errcap);
	if (r < 0)
		goto fail;
	serr[0] = '\0';
	r = hipd_state_open(&d->state, cfg->state_dir, cfg->default_hi_type,
			    serr, sizeof(serr));
	if (r < 0) {
		seterr(err, errcap, "state: %s", serr);
		goto fail;
	}
	d->state_open = true;
	hip_engine_config_defaults(&d->ecfg);
	d->ecfg.puzzle_k = cfg->puzzle_k;
	d->ecfg.idle_lifetime_ms = cfg->idle_lifetime_s * 1000u;
	d->ecfg.r2_sent_ms = cfg->r2_sent_s * 1000u;
	d->ecfg.msl_ms = cfg->msl_s * 1000u;
	d->r1_start = d->state.r1_counter + 1;
	d->ecfg.r1_counter_start = d->r1_start;
	r = hipd_state_r1_save(&d->state, d->r1_start);
	if (r < 0) {
		seterr(err, errcap, "%s/r1-counter: %s", cfg->state_dir,
		       strerror(errno));
		goto fail;
	}
	r = engine_create(d, &d->engine, err, errcap);
	if (r < 0) {
		d->engine = NULL;
		goto fail;
	}
	r = open_hits(d, err, errcap);
	if (r == 0)
		r = open_sockets(d, err, errcap);
	if (r < 0)
		goto fail;
	hipd_timer_arm(d->loop, &d->r1_timer, d->ecfg.r1_rotate_ms);
	if (d->data_plane)
		hipd_timer_arm(d->loop, &d->usage_timer, USAGE_POLL_FAST_MS);
	hipd_daemon_drain(d);
	log_info(D, "hipd %s started: kernel %s%s, %zu identities, %zu "
		 "peers", PACKAGE_VERSION, d->kernel ? cfg->kernel : "none",
		 d->data_plane ? "" : " (no data plane)", d->state.n_ids,
		 d->state.n_peers);
	return 0;
fail:
	hipd_daemon_stop(d);
	return r;
}

int hipd_daemon_run(struct hipd_daemon *d)
{
	return hipd_loop_run(d->loop);
}

void hipd_daemon_stop(struct hipd_daemon *d)
{
	unsigned n = 0;

	if (d->ctl != NULL)
		hipd_ctl_close(d->ctl);
	d->ctl = NULL;
	if (d->net != NULL)
		hip_net_close(d->net);
	d->net = NULL;
	if (d->addrs != NULL)
		hip_addrs_close(d->addrs);
	d->addrs = NULL;
	if (d->hitdev != NULL)
		hip_hitdev_close(d->hitdev);
	d->hitdev = NULL;
	if (d->engine != NULL)
		hip_engine_free(d->engine);
	d->engine = NULL;
	if (d->kernel != NULL) {
		/* our SAs, per-association and trigger policies */
		if (hip_kernel_flush_owned(d->kernel, &n) < 0)
			log_warnx("kernel", "cannot remove our kernel state");
		else
			log_debug("kernel", "removed %u SAs and policies", n);
		hip_kernel_close(d->kernel);
	}
	d->kernel = NULL;
	if (d->state_open) {
		if (d->loop != NULL)
			hipd_state_r1_save(&d->state, r1_used(d));
		hipd_state_close(&d->state);
	}
	d->state_open = false;
	if (d->loop != NULL)
		hipd_loop_free(d->loop);
	d->loop = NULL;
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	d->lock_fd = -1;
}

int hipd_daemon_reload(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_config nc = d->cfg;

	if (d->config_path == NULL) {
		seterr(err, errcap, "hipd was started without -c");
		return HIP_ENOENT;
	}
	nc.n_ignore = 0;
	if (hipd_config_load(d->config_path, &nc, err, errcap) < 0)
		return HIP_EFORMAT;
	if (strcmp(nc.kernel, d->cfg.kernel) ||
	    nc.no_data_plane != d->cfg.no_data_plane ||
	    nc.puzzle_k != d->cfg.puzzle_k ||
	    nc.idle_lifetime_s != d->cfg.idle_lifetime_s ||
	    nc.hitdev_lo != d->cfg.hitdev_lo)
		log_warnx(D, "kernel, data-plane, puzzle-difficulty, "
			  "idle-lifetime and hit-device take effect at the "
			  "next start");
	d->cfg.log_level = nc.log_level;
	d->cfg.n_ignore = nc.n_ignore;
	memcpy(d->cfg.ignore, nc.ignore, sizeof(nc.ignore));
	memcpy(d->cfg.ignore_plen, nc.ignore_plen, sizeof(nc.ignore_plen));
	hipd_log_set_level(nc.log_level);
	log_info(D, "configuration reloaded");
	return 0;
}
