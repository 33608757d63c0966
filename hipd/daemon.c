/*
 * daemon.c - hipd's glue: start-up and shut-down in order, and the
 * paths between the sockets, the control socket and the engine (see
 * daemon.h); the kernel side is in daemon_kernel.c.
 */
#include <errno.h>
#include <grp.h>
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

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/util.h"
#include "hipd/addrs.h"
#include "hipd/control.h"
#include "hipd/daemon.h"
#include "hipd/hitdev.h"
#include "hipd/kernel.h"
#include "hipd/mobility.h"
#include "hipd/msrd.h"
#include "hipd/net.h"
#include "hipd/service.h"

#define D "hipd"

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

/* --- engine actions ------------------------------------------------------ */

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
		hipd_timer_arm(d->loop, &d->usage_timer, HIPD_USAGE_POLL_FAST_MS);
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
			hipd_daemon_sa_install(d, &a);
			break;
		case HIP_ACT_SA_DELETE:
			hipd_daemon_sa_delete(d, &a);
			break;
		case HIP_ACT_SA_MIGRATE:
			hipd_mobility_migrate(d, &a);
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

/* The R1 generation in use (what the next start must exceed). */
static uint64_t r1_used(const struct hipd_daemon *d)
{
	return d->engine ? hip_engine_r1_counter(d->engine) : d->r1_start;
}

static void r1_timer_cb(struct hipd_loop *loop, struct hipd_timer *t,
			void *arg)
{
	struct hipd_daemon *d = arg;

	if (hipd_state_r1_save(&d->state, r1_used(d)) < 0)
		log_warn("state", "cannot save the R1 counter");
	hipd_timer_arm(loop, t, d->ecfg.r1_rotate_ms);
}

/* --- input --------------------------------------------------------------- */

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

	/* a new engine (identities changed) continues the R1 counter */
	if (d->engine != NULL)
		d->ecfg.r1_counter_start = hip_engine_r1_counter(d->engine) + 1;
	d->ecfg.n_identities = d->state.n_ids;
	for (size_t i = 0; i < d->state.n_ids; i++)
		d->ecfg.identities[i] = d->state.ids[i];
	env.arg = d;
	env.alloc_spi = hipd_env_alloc_spi;
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
	r = hipd_service_peers_add(d, e, err, errcap);	/* peers file */
	if (r < 0) {
		hip_engine_free(e);
		return r;
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
	hipd_mobility_reset(d);
	hipd_mobility_changed(d);
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

/* --- start / stop -------------------------------------------------------- */

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

/* Who may change state: root, and the members of the control group.
 * The default group ("hipd") is optional: without it only root may;
 * a group named in the configuration must exist. */
static int control_policy(const struct hipd_config *cfg,
			  struct hipd_ctl_policy *pol, char *err, size_t errcap)
{
	struct group grp, *res = NULL;
	char buf[4096];
	int r;

	memset(pol, 0, sizeof(*pol));
	if (cfg->control_group[0] == '\0')
		return 0;
	r = getgrnam_r(cfg->control_group, &grp, buf, sizeof(buf), &res);
	if (r == 0 && res != NULL) {
		pol->have_group = true;
		pol->group = res->gr_gid;
		log_info("ctl", "members of group %s may change state",
			 cfg->control_group);
		return 0;
	}
	if (cfg->control_group_set) {
		seterr(err, errcap, "control-group: no group named %s",
		       cfg->control_group);
		return HIP_ENOENT;
	}
	log_info("ctl", "no group %s: only root may change state",
		 cfg->control_group);
	return 0;
}

static int open_sockets(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_ctl_config cc;
	char path[PATH_MAX];
	int fds[HIP_NET_NFDS], r;
	size_t n;

	r = hip_addrs_open(&d->addrs, 0);
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
				     EPOLLIN, hipd_daemon_kernel_ready, d);
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
	r = control_policy(&d->cfg, &cc.policy, err, errcap);
	if (r < 0)
		return r;
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
	return hipd_mobility_open(d, err, errcap);
loop_fail:
	seterr(err, errcap, "event loop: %s", hip_strerror(r));
	return r;
}

/* The MSRD socket beside the control socket, with the same group. */
static int open_msrd(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_ctl_policy pol;
	int r = control_policy(&d->cfg, &pol, err, errcap);

	if (r == 0)
		r = hipd_msrd_open(d, &pol, &d->msrd, err, errcap);
	if (r < 0)
		d->msrd = NULL;
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
	hipd_timer_init(&d->usage_timer, hipd_daemon_usage_poll, d);
	r = hipd_loop_new(&d->loop);
	if (r < 0) {
		d->loop = NULL;
		seterr(err, errcap, "cannot create the event loop: %s",
		       hip_strerror(r));
		return r;
	}
	d->start_ms = hipd_daemon_now(d);
	r = hipd_service_open(d, err, errcap);	/* before anything is set up */
	if (r < 0)
		goto fail;
	r = netns_lock(d, err, errcap);
	if (r < 0)
		goto fail;
	r = hipd_loop_signals(d->loop, on_signal, d);
	if (r < 0) {
		seterr(err, errcap, "cannot set up signals: %s",
		       hip_strerror(r));
		goto fail;
	}
	r = hipd_daemon_open_kernel(d, err, errcap);
	if (r < 0)
		goto fail;
	serr[0] = '\0';
	r = hipd_service_state_open(d, serr, sizeof(serr));
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
	d->ecfg.rekey_new_dh = cfg->rekey_new_dh;
	hipd_service_engine_config(d);	/* dh-groups, esp-transforms */
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
	if (r == 0)
		r = open_msrd(d, err, errcap);
	if (r < 0)
		goto fail;
	hipd_timer_arm(d->loop, &d->r1_timer, d->ecfg.r1_rotate_ms);
	if (d->data_plane)
		hipd_timer_arm(d->loop, &d->usage_timer, HIPD_USAGE_POLL_FAST_MS);
	hipd_daemon_drain(d);
	/* every socket is open: drop privileges, then READY=1 */
	r = hipd_service_started(d, err, errcap);
	if (r < 0)
		goto fail;
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

	hipd_service_stopping(d);
	if (d->ctl != NULL)
		hipd_ctl_close(d->ctl);
	d->ctl = NULL;
	hipd_msrd_close(d->msrd);
	d->msrd = NULL;
	hipd_mobility_close(d);
	if (d->net != NULL)
		hip_net_close(d->net);
	d->net = NULL;
	if (d->addrs != NULL)
		hip_addrs_close(d->addrs);
	d->addrs = NULL;
	if (d->hitdev != NULL)
		hip_hitdev_close(d->hitdev);
	d->hitdev = NULL;
	if (d->state_open && d->engine != NULL &&
	    hipd_state_r1_save(&d->state, r1_used(d)) < 0)
		log_warn("state", "cannot save the R1 counter");
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
	if (d->state_open)
		hipd_state_close(&d->state);
	d->state_open = false;
	hipd_service_close(d);
	if (d->loop != NULL)
		hipd_loop_free(d->loop);
	d->loop = NULL;
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	d->lock_fd = -1;
}

int hipd_daemon_reload(struct hipd_daemon *d, char *err, size_t errcap)
{
	/* RELOADING=1, file and peers file re-read, READY=1 */
	int r = hipd_service_reload(d, err, errcap);

	if (r < 0)
		return r;
	hipd_mobility_changed(d);	/* ignore-locator may have changed */
	log_info(D, "configuration reloaded");
	return 0;
}
