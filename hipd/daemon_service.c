/*
 * daemon_service.c - hipd as a service: notification of the service
 * manager, privileges, the peers file, identities and preference lists
 * from the configuration, and reloading (see service.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/config.h"
#include "hipd/daemon.h"
#include "hipd/hosts.h"
#include "hipd/log.h"
#include "hipd/privs.h"
#include "hipd/sdnotify.h"
#include "hipd/service.h"

#define S "service"
#define HIPD_STATUS_PERIOD_MS	10000	/* STATUS= refresh without watchdog */

struct hipd_service {
	struct hipd_notify notify;
	bool ready;			/* READY=1 sent */
	struct hipd_hosts *hosts;	/* the peers file as last applied */
	bool have_user;
	struct hipd_privs_user user;
	struct hipd_timer timer;	/* WATCHDOG=1 and STATUS= */
	char status[160];		/* last STATUS= sent */
};

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

/* The peers file the configuration names; missing_ok for the default. */
static int hosts_read(const struct hipd_config *c, struct hipd_hosts **out,
		      char *err, size_t errcap)
{
	if (c->hosts_file[0] == '\0')
		return hipd_hosts_parse("none", "", 0, out, err, errcap);
	return hipd_hosts_load(c->hosts_file, !c->hosts_file_set, out, err,
			       errcap);
}

int hipd_service_open(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_service *s;
	int r;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return HIP_ENOMEM;
	s->notify.fd = -1;
	d->svc = s;
	/* a NOTIFY_SOCKET we cannot use (vsock:, garbage) costs the
	 * notifications, not the service */
	if (hipd_notify_open(&s->notify, err, errcap) < 0)
		log_warnx(S, "%s: not notifying the service manager", err);
	err[0] = '\0';
	if (d->cfg.user[0] != '\0') {
		r = hipd_privs_lookup(d->cfg.user, &s->user, err, errcap);
		if (r < 0)
			return r;
		s->have_user = true;
	}
	return hosts_read(&d->cfg, &s->hosts, err, errcap);
}

int hipd_service_state_open(struct hipd_daemon *d, char *err, size_t errcap)
{
	const struct hipd_config *c = &d->cfg;
	struct hipd_state_opts o = {
		.dir = c->state_dir,
		.deftype = c->default_hi_type,
		.files = (const char (*)[PATH_MAX])c->identity_files,
		.n_files = c->n_identity_files,
		.suites = c->hit_suites,
		.n_suites = c->n_hit_suites,
		.key_uid = d->svc->have_user ? d->svc->user.uid : (uid_t)-1,
	};

	return hipd_state_open_opts(&d->state, &o, err, errcap);
}

void hipd_service_engine_config(struct hipd_daemon *d)
{
	const struct hipd_config *c = &d->cfg;

	/* validated against libhipcore when the file was read */
	if (c->n_dh_groups > 0) {
		memcpy(d->ecfg.dh_groups, c->dh_groups, c->n_dh_groups);
		d->ecfg.n_dh_groups = c->n_dh_groups;
	}
	if (c->n_esp_transforms > 0) {
		for (size_t i = 0; i < c->n_esp_transforms; i++)
			d->ecfg.esp_suites[i] = c->esp_transforms[i];
		d->ecfg.n_esp_suites = c->n_esp_transforms;
	}
}

/* A peers-file entry the engine should hold: not one of our HITs, and
 * not a peer configured with hipconf (those win). */
static bool host_usable(const struct hipd_daemon *d,
			const struct hipd_host *h)
{
	return hipd_state_hi_find(&d->state, h->hit) < 0 &&
	       hipd_state_peer_find(&d->state, h->hit) == NULL;
}

int hipd_service_peers_add(struct hipd_daemon *d, struct hip_engine *e,
			   char *err, size_t errcap)
{
	const struct hipd_hosts *hs = d->svc ? d->svc->hosts : NULL;

	for (size_t i = 0; hs != NULL && i < hs->n; i++) {
		const struct hipd_host *h = &hs->host[i];
		int r;

		if (!host_usable(d, h))
			continue;
		r = hip_engine_peer_add(e, h->hit, h->locators,
					h->n_locators);
		if (r < 0) {
			seterr(err, errcap, "peer %s: %s", h->name,
			       hip_strerror(r));
			return r;
		}
	}
	return 0;
}

/* "N associations, HIT h" for STATUS=. */
static void status_text(struct hipd_daemon *d, char *buf, size_t cap)
{
	char h[HIP_HIT_STRLEN] = "none";
	size_t n = 0;

	if (d->engine != NULL)
		hip_engine_assoc_list(d->engine, NULL, 0, &n);
	if (d->state.n_ids > 0)
		hip_hit_to_str(d->state.hits[0], h, sizeof(h));
	snprintf(buf, cap, "%zu association%s, HIT %s", n, n == 1 ? "" : "s",
		 h);
}

static void timer_cb(struct hipd_loop *loop, struct hipd_timer *t,
		     void *arg)
{
	struct hipd_daemon *d = arg;
	struct hipd_service *s = d->svc;
	uint64_t wd = hipd_notify_watchdog_ms(&s->notify);
	char st[sizeof(s->status)];

	if (hipd_notify_watchdog(&s->notify) < 0)
		log_debug(S, "WATCHDOG=1 not delivered");
	status_text(d, st, sizeof(st));
	if (strcmp(st, s->status) != 0 &&
	    hipd_notify_status(&s->notify, st) == 0)
		strcpy(s->status, st);
	hipd_timer_arm(loop, t, wd && wd < HIPD_STATUS_PERIOD_MS ? wd
		       : HIPD_STATUS_PERIOD_MS);
}

int hipd_service_started(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_service *s = d->svc;
	int r;

	r = hipd_privs_drop(s->have_user ? &s->user : NULL, d->cfg.state_dir,
			    err, errcap);
	if (r < 0)
		return r;
	if (s->have_user)
		log_info(S, "running as user %s with CAP_NET_ADMIN and "
			 "CAP_NET_RAW only", s->user.name);
	else
		log_info(S, "running with CAP_NET_ADMIN and CAP_NET_RAW only");
	if (access(d->cfg.run_dir, W_OK | X_OK) < 0)
		log_warnx(S, "%s is not writable now: the control socket "
			  "stays behind at exit (removed at the next start)",
			  d->cfg.run_dir);
	if (!hipd_notify_enabled(&s->notify))
		return 0;
	status_text(d, s->status, sizeof(s->status));
	if (hipd_notify_ready(&s->notify, s->status) < 0)
		log_warn(S, "READY=1 not delivered to the service manager");
	s->ready = true;
	hipd_timer_init(&s->timer, timer_cb, d);
	timer_cb(d->loop, &s->timer, d);
	return 0;
}

/* Peers file changes into the engine: entries gone are removed (unless
 * hipconf configured them), new and changed ones set. */
static void hosts_apply(struct hipd_daemon *d, struct hipd_hosts *old,
			const struct hipd_hosts *nw)
{
	size_t added = 0, removed = 0;

	for (size_t i = 0; old != NULL && i < old->n; i++) {
		const struct hipd_host *h = &old->host[i];

		if (hipd_hosts_by_hit(nw, h->hit) == NULL &&
		    host_usable(d, h) &&
		    hip_engine_peer_del(d->engine, h->hit) == 0)
			removed++;
	}
	for (size_t i = 0; i < nw->n; i++) {
		const struct hipd_host *h = &nw->host[i];

		if (!host_usable(d, h))
			continue;
		if (hip_engine_peer_add(d->engine, h->hit, h->locators,
					h->n_locators) < 0)
			log_warnx(S, "peer %s: not added", h->name);
		else
			added++;
	}
	log_info(S, "peers file: %zu peers set, %zu removed", added,
		 removed);
}

/* Names of the keys that differ and need a restart, for one warning. */
static void restart_keys(const struct hipd_config *a,
			 const struct hipd_config *b, char *buf, size_t cap)
{
	const struct {
		const char *name;
		bool changed;
	} k[] = {
		{ "data-plane", a->no_data_plane != b->no_data_plane },
		{ "puzzle-difficulty", a->puzzle_k != b->puzzle_k },
		{ "idle-lifetime", a->idle_lifetime_s != b->idle_lifetime_s },
		{ "r2-sent-timeout", a->r2_sent_s != b->r2_sent_s },
		{ "msl", a->msl_s != b->msl_s },
		{ "default-hi-type", a->default_hi_type != b->default_hi_type },
		{ "hit-device", a->hitdev_lo != b->hitdev_lo },
		{ "control-group", strcmp(a->control_group, b->control_group) ||
		  a->control_group_set != b->control_group_set },
		{ "rekey-new-dh", a->rekey_new_dh != b->rekey_new_dh },
		{ "dh-groups", a->n_dh_groups != b->n_dh_groups ||
		  memcmp(a->dh_groups, b->dh_groups, a->n_dh_groups) },
		{ "hit-suites", a->n_hit_suites != b->n_hit_suites ||
		  memcmp(a->hit_suites, b->hit_suites, a->n_hit_suites) },
		{ "esp-transforms", a->n_esp_transforms != b->n_esp_transforms ||
		  memcmp(a->esp_transforms, b->esp_transforms,
			 a->n_esp_transforms * sizeof(a->esp_transforms[0])) },
		{ "identity", a->n_identity_files != b->n_identity_files ||
		  memcmp(a->identity_files, b->identity_files,
			 sizeof(a->identity_files)) },
		{ "user", strcmp(a->user, b->user) != 0 },
		{ "msrd-persist", a->msrd_persist != b->msrd_persist },
		{ "msrd-file", strcmp(a->msrd_file, b->msrd_file) != 0 },
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		int n;

		if (!k[i].changed)
			continue;
		n = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "",
			     k[i].name);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

int hipd_service_reload(struct hipd_daemon *d, char *err, size_t errcap)
{
	struct hipd_service *s = d->svc;
	struct hipd_config *nc = malloc(sizeof(*nc));	/* ~50 KiB */
	struct hipd_hosts *hosts = NULL;
	char later[384];
	int r;

	if (nc == NULL) {
		seterr(err, errcap, "out of memory");
		return HIP_ENOMEM;
	}
	if (s->ready)
		hipd_notify_reloading(&s->notify);
	if (d->config_path == NULL) {
		seterr(err, errcap, "hipd was started without -c");
		r = HIP_ENOENT;
		goto out;
	}
	hipd_config_reload_base(&d->cfg, nc);
	r = hipd_config_load(d->config_path, nc, err, errcap);
	if (r == 0)
		r = hosts_read(nc, &hosts, err, errcap);
	if (r < 0)
		goto out;
	restart_keys(&d->cfg, nc, later, sizeof(later));
	if (later[0] != '\0')
		log_warnx(S, "take effect at the next start: %s", later);
	/* what a running hipd can change */
	d->cfg.log_level = nc->log_level;
	hipd_log_set_level(nc->log_level);
	d->cfg.n_ignore = nc->n_ignore;
	memcpy(d->cfg.ignore, nc->ignore, sizeof(nc->ignore));
	memcpy(d->cfg.ignore_plen, nc->ignore_plen, sizeof(nc->ignore_plen));
	d->cfg.n_allow = nc->n_allow;
	memcpy(d->cfg.allow, nc->allow, sizeof(nc->allow));
	memcpy(d->cfg.allow_plen, nc->allow_plen, sizeof(nc->allow_plen));
	d->cfg.sa_soft_bytes = nc->sa_soft_bytes;
	d->cfg.sa_hard_bytes = nc->sa_hard_bytes;
	d->cfg.sa_soft_seconds = nc->sa_soft_seconds;
	d->cfg.sa_hard_seconds = nc->sa_hard_seconds;
	d->cfg.locator_debounce_ms = nc->locator_debounce_ms;
	strcpy(d->cfg.hosts_file, nc->hosts_file);
	d->cfg.hosts_file_set = nc->hosts_file_set;
	hosts_apply(d, s->hosts, hosts);
	hipd_hosts_free(s->hosts);
	s->hosts = hosts;
out:
	free(nc);
	if (s->ready)
		hipd_notify_ready(&s->notify, NULL);
	return r;
}

void hipd_service_stopping(struct hipd_daemon *d)
{
	if (d->svc != NULL && d->svc->ready)
		hipd_notify_stopping(&d->svc->notify);
}

void hipd_service_close(struct hipd_daemon *d)
{
	struct hipd_service *s = d->svc;

	if (s == NULL)
		return;
	if (d->loop != NULL && s->ready)
		hipd_timer_cancel(d->loop, &s->timer);
	hipd_notify_close(&s->notify);
	hipd_hosts_free(s->hosts);
	free(s);
	d->svc = NULL;
}
