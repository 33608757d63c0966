/*
 * daemon_mobility.c - address changes to the engine, SA_MIGRATE to the
 * kernel.  See mobility.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/epoll.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/addrs.h"
#include "hipd/daemon.h"
#include "hipd/kernel.h"
#include "hipd/mobility.h"
#include "hipd/net.h"

#define M "mobility"
/* Listed at most; more addresses than that are ignored. */
#define MOB_LIST_MAX		64
/* Events arriving without pause delay the announcement at most this
 * many debounce periods (and at least MOB_MAX_DELAY_MS). */
#define MOB_MAX_DEBOUNCES	5
#define MOB_MAX_DELAY_MS	1000
#define MOB_ENGINE_RETRIES	8

struct hipd_mobility {
	struct hipd_daemon *d;
	struct hipd_timer debounce;
	uint64_t first_event_ms;	/* of the pending burst; 0: none */
	bool fd_added;
	bool given;			/* the engine has locs[0..n) */
	size_t n;
	struct in6_addr locs[HIPD_MOBILITY_MAX_LOCATORS];
};

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static const char *addrstr(const struct in6_addr *a, char *buf, size_t cap)
{
	const void *p = a;
	int fam = AF_INET6;

	if (hip_net_is_v4mapped(a)) {
		p = &a->s6_addr[12];
		fam = AF_INET;
	}
	if (inet_ntop(fam, p, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "?");
	return buf;
}

static const char *hitstr(const uint8_t *hit, char buf[HIP_HIT_STRLEN])
{
	if (hip_hit_to_str(hit, buf, HIP_HIT_STRLEN) < 0)
		strcpy(buf, "?");
	return buf;
}

/* --- the locator set ------------------------------------------------------ */

static bool in_set(const struct in6_addr *set, size_t n,
		   const struct in6_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(&set[i], a, sizeof(*a)))
			return true;
	return false;
}

/* The usable locators now, in announcement order (see mobility.h):
 * *n of them in out (cap entries).  0 or HIP_E*. */
static int locators_now(struct hipd_mobility *mob, struct in6_addr *out,
			size_t cap, size_t *n)
{
	struct hipd_daemon *d = mob->d;
	struct hip_locator *list;
	struct in6_addr ok[MOB_LIST_MAX];
	size_t count = 0, nok = 0, k = 0;
	int r;

	list = calloc(MOB_LIST_MAX, sizeof(*list));
	if (list == NULL)
		return HIP_ENOMEM;
	r = hip_addrs_list(d->addrs, list, MOB_LIST_MAX, &count);
	if (r == HIP_ENOSPC) {
		log_warnx(M, "%zu addresses: only the first %d considered",
			  count, MOB_LIST_MAX);
		count = MOB_LIST_MAX;
		r = 0;
	}
	if (r < 0) {
		free(list);
		return r;
	}
	for (size_t i = 0; i < count; i++) {
		const struct in6_addr *a = &list[i].addr;

		if (hipd_config_ignored(&d->cfg, a) || in_set(ok, nok, a))
			continue;
		/* a link we cannot ask about counts as up: the address
		 * is there, and a failed request is no evidence */
		if (hip_addrs_link_up(d->addrs, list[i].ifindex) == 0)
			continue;
		ok[nok++] = *a;
	}
	free(list);
	/* known ones in their old order, then new IPv6, then new IPv4 */
	for (size_t i = 0; i < mob->n && k < cap; i++)
		if (in_set(ok, nok, &mob->locs[i]))
			out[k++] = mob->locs[i];
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nok && k < cap; i++) {
			if (hip_net_is_v4mapped(&ok[i]) != (pass == 1) ||
			    in_set(out, k, &ok[i]))
				continue;
			out[k++] = ok[i];
		}
	}
	*n = k;
	return 0;
}

static void log_set(const struct in6_addr *locs, size_t n)
{
	char line[HIPD_MOBILITY_MAX_LOCATORS * (INET6_ADDRSTRLEN + 2) + 8];
	char a[INET6_ADDRSTRLEN];
	size_t off = 0;

	line[0] = '\0';
	for (size_t i = 0; i < n && off < sizeof(line); i++) {
		int w = snprintf(line + off, sizeof(line) - off, "%s%s",
				 i ? ", " : "", addrstr(&locs[i], a, sizeof(a)));

		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (n == 0)
		log_info(M, "no usable locator left: associations wait");
	else
		log_info(M, "local locators: %s (preferred first)", line);
}

void hipd_mobility_changed(struct hipd_daemon *d)
{
	struct hipd_mobility *mob = d->mob;
	struct in6_addr locs[HIPD_MOBILITY_MAX_LOCATORS];
	size_t n = 0;
	int r;

	if (mob == NULL || d->engine == NULL)
		return;
	mob->first_event_ms = 0;
	hipd_timer_cancel(d->loop, &mob->debounce);
	r = locators_now(mob, locs, HIPD_MOBILITY_MAX_LOCATORS, &n);
	if (r < 0) {
		log_warnx(M, "cannot list the addresses: %s %s",
			  hip_strerror(r), hip_addrs_errmsg(d->addrs));
		return;
	}
	if (mob->given && n == mob->n &&
	    !memcmp(locs, mob->locs, n * sizeof(locs[0])))
		return;
	for (int i = 0; i < MOB_ENGINE_RETRIES; i++) {
		r = hip_engine_set_locators(d->engine, hipd_daemon_now(d),
					    locs, n);
		if (r != HIP_ENOSPC)
			break;
		hipd_daemon_drain(d);	/* queue full: make room */
	}
	if (r == HIP_EUNSUPPORTED) {
		log_debug(M, "the engine cannot announce locators yet");
		return;
	}
	if (r < 0) {
		log_warnx(M, "the engine refused the locators: %s",
			  hip_strerror(r));
		hipd_daemon_drain(d);
		return;
	}
	memcpy(mob->locs, locs, n * sizeof(locs[0]));
	mob->n = n;
	mob->given = true;
	d->ctr.locator_changes++;
	log_set(locs, n);
	hipd_daemon_drain(d);
}

void hipd_mobility_reset(struct hipd_daemon *d)
{
	if (d->mob != NULL)
		d->mob->given = false;
}

size_t hipd_mobility_locators(const struct hipd_daemon *d,
			      struct in6_addr *out, size_t cap)
{
	const struct hipd_mobility *mob = d->mob;

	if (mob == NULL)
		return 0;
	for (size_t i = 0; i < mob->n && i < cap; i++)
		out[i] = mob->locs[i];
	return mob->n;
}

/* --- events and the debounce ----------------------------------------------- */

static void debounce_cb(struct hipd_loop *loop, struct hipd_timer *t,
			void *arg)
{
	(void)loop;
	(void)t;
	hipd_mobility_changed(arg);
}

/* Any event re-arms the debounce; a burst that goes on is cut short
 * after MOB_MAX_DEBOUNCES periods so that a flapping link cannot keep
 * the announcement back for ever. */
static void addrs_event(const struct hip_addrs_event *ev, void *arg)
{
	struct hipd_daemon *d = arg;
	struct hipd_mobility *mob = d->mob;
	uint64_t now = hipd_daemon_now(d), wait = d->cfg.locator_debounce_ms;
	uint64_t limit = wait * MOB_MAX_DEBOUNCES;
	char a[INET6_ADDRSTRLEN];

	switch (ev->type) {
	case HIP_ADDRS_EV_ADD:
	case HIP_ADDRS_EV_DEL:
		log_debug(M, "address %s %s on interface %u",
			  addrstr(&ev->loc.addr, a, sizeof(a)),
			  ev->type == HIP_ADDRS_EV_ADD ? "added" : "removed",
			  ev->ifindex);
		break;
	case HIP_ADDRS_EV_LINK_UP:
	case HIP_ADDRS_EV_LINK_DOWN:
		log_debug(M, "interface %u %s", ev->ifindex,
			  ev->type == HIP_ADDRS_EV_LINK_UP ? "up" : "down");
		break;
	case HIP_ADDRS_EV_OVERRUN:
		log_warnx(M, "rtnetlink events were lost: listing again");
		break;
	}
	if (limit < MOB_MAX_DELAY_MS)
		limit = MOB_MAX_DELAY_MS;
	if (mob->first_event_ms == 0)
		mob->first_event_ms = now;
	else if (now - mob->first_event_ms + wait > limit)
		wait = now - mob->first_event_ms >= limit ? 0 :
			limit - (now - mob->first_event_ms);
	if (hipd_timer_arm(d->loop, &mob->debounce, wait) < 0)
		hipd_mobility_changed(d);
}

static void addrs_ready(struct hipd_loop *loop, int fd, uint32_t events,
			void *arg)
{
	struct hipd_daemon *d = arg;
	int r;

	(void)loop;
	(void)fd;
	(void)events;
	r = hip_addrs_read_events(d->addrs, 32, addrs_event, d);
	if (r < 0)
		log_warnx(M, "reading rtnetlink events: %s", hip_strerror(r));
}

int hipd_mobility_open(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_mobility *mob;
	int fd, r;

	if (d->addrs == NULL || d->loop == NULL || d->engine == NULL)
		return HIP_EINVAL;
	fd = hip_addrs_event_fd(d->addrs);
	if (fd < 0) {
		seterr(err, errcap, "no rtnetlink event socket");
		return HIP_EINVAL;
	}
	mob = calloc(1, sizeof(*mob));
	if (mob == NULL) {
		seterr(err, errcap, "out of memory");
		return HIP_ENOMEM;
	}
	mob->d = d;
	hipd_timer_init(&mob->debounce, debounce_cb, d);
	r = hipd_loop_add_fd(d->loop, fd, EPOLLIN, addrs_ready, d);
	if (r < 0) {
		seterr(err, errcap, "event loop: %s", hip_strerror(r));
		free(mob);
		return r;
	}
	mob->fd_added = true;
	d->mob = mob;
	hipd_mobility_changed(d);
	return 0;
}

void hipd_mobility_close(struct hipd_daemon *d)
{
	struct hipd_mobility *mob = d->mob;

	if (mob == NULL)
		return;
	if (d->loop != NULL) {
		hipd_timer_cancel(d->loop, &mob->debounce);
		if (mob->fd_added && d->addrs != NULL)
			hipd_loop_del_fd(d->loop,
					 hip_addrs_event_fd(d->addrs));
	}
	free(mob);
	d->mob = NULL;
}

/* --- SA_MIGRATE -------------------------------------------------------------- */

/*
 * The backend could not move the SAs (no XFRM_MSG_MIGRATE, a PF_KEY
 * backend without it, or the kernel refused): delete the old pair, point
 * the policies at the new locators and let a rekey install fresh SAs
 * there.  Traffic waits for the rekey (the kernel drops it meanwhile);
 * the rekey's own SA_DELETE of the old pair then finds nothing.
 */
static int migrate_fallback(struct hipd_daemon *d,
			    const struct hip_engine_action *a)
{
	const struct in6_addr *nl = &a->u.sa_migrate.new_local;
	const struct in6_addr *np = &a->u.sa_migrate.new_peer;
	struct hip_kernel_ip ip;
	int r;

	hipd_daemon_kernel_ip(&ip, &a->u.sa_migrate.old_local);
	hip_kernel_del_sa(d->kernel, &ip, a->u.sa_migrate.spi_in);
	hipd_daemon_kernel_ip(&ip, &a->u.sa_migrate.old_peer);
	hip_kernel_del_sa(d->kernel, &ip, a->u.sa_migrate.spi_out);
	r = hipd_daemon_policies_set(d, a->local_hit, a->peer_hit, nl, np);
	if (r < 0)
		return r;
	return hip_engine_rekey(d->engine, hipd_daemon_now(d), a->local_hit,
				a->peer_hit);
}

void hipd_mobility_migrate(struct hipd_daemon *d,
			   const struct hip_engine_action *a)
{
	char h[HIP_HIT_STRLEN], ol[INET6_ADDRSTRLEN], op[INET6_ADDRSTRLEN];
	char nl[INET6_ADDRSTRLEN], np[INET6_ADDRSTRLEN];
	struct hip_kernel_migrate m;
	uint32_t reqid;
	int r;

	hitstr(a->peer_hit, h);
	addrstr(&a->u.sa_migrate.old_local, ol, sizeof(ol));
	addrstr(&a->u.sa_migrate.old_peer, op, sizeof(op));
	addrstr(&a->u.sa_migrate.new_local, nl, sizeof(nl));
	addrstr(&a->u.sa_migrate.new_peer, np, sizeof(np));
	if (!d->data_plane) {
		log_info(M, "no data plane: association with %s moves from "
			 "%s -> %s to %s -> %s", h, ol, op, nl, np);
		return;
	}
	reqid = hipd_daemon_reqid(d, a->local_hit, a->peer_hit);
	if (reqid == 0) {
		log_warnx(M, "SA move with %s: no SAs known for it", h);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.inner.family = AF_INET6;
	memcpy(m.inner.src.b, a->local_hit, HIP_HIT_LEN);
	memcpy(m.inner.dst.b, a->peer_hit, HIP_HIT_LEN);
	m.inner.src_plen = 128;
	m.inner.dst_plen = 128;
	hipd_daemon_kernel_outer(&m.old_outer, &a->u.sa_migrate.old_local,
				 &a->u.sa_migrate.old_peer);
	hipd_daemon_kernel_outer(&m.new_outer, &a->u.sa_migrate.new_local,
				 &a->u.sa_migrate.new_peer);
	m.reqid_out = reqid;
	m.reqid_in = reqid;
	r = hip_kernel_migrate(d->kernel, &m);
	if (r == 0) {
		d->ctr.migrations++;
		log_info(M, "SAs with %s moved: %s -> %s is now %s -> %s "
			 "(SPI in 0x%08" PRIx32 ", out 0x%08" PRIx32 ")", h,
			 ol, op, nl, np, a->u.sa_migrate.spi_in,
			 a->u.sa_migrate.spi_out);
		return;
	}
	log_warnx(M, "kernel cannot move the SAs with %s (%s%s%s): "
		  "replacing them by a rekey on %s -> %s", h,
		  hip_strerror(r), *hip_kernel_errmsg(d->kernel) ? ": " : "",
		  hip_kernel_errmsg(d->kernel), nl, np);
	d->ctr.migrate_fallbacks++;
	r = migrate_fallback(d, a);
	if (r < 0)
		log_err(M, "SA move with %s failed: %s; traffic stops until "
			"the association is set up again", h,
			hip_strerror(r));
}
