/*
 * msrd.c - hipd's MSRD server (msrd.h): the commands on the MSRD socket,
 * events to watchers, persistence and expiry, and what the daemon does
 * when a bound record changes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hip/ctl.h"
#include "hip/engine.h"
#include "hip/hit.h"
#include "hip/msrd.h"
#include "hipd/daemon.h"
#include "hipd/kernel.h"
#include "hipd/log.h"
#include "hipd/msrd.h"
#include "hipd/msrd_persist.h"

#define M "msrd"
#define ERR(call, ...) snprintf((call)->errmsg, sizeof((call)->errmsg), \
				__VA_ARGS__)

static uint64_t wall_now(void)
{
	return (uint64_t)time(NULL);
}

/* ---- events -------------------------------------------------------- */

static void broadcast(struct hipd_msrd *m, uint16_t code,
		      int (*fill)(struct hip_ctl_msg *ev, const void *arg),
		      const void *arg)
{
	struct hip_ctl_msg ev;
	uint8_t *buf = malloc(HIP_CTL_FRAME_MAX);
	int r;

	if (buf == NULL) {
		log_err(M, "out of memory for an event");
		return;
	}
	r = hip_ctl_msg_init(&ev, buf, HIP_CTL_FRAME_MAX, HIP_CTL_EVENT,
			     code, 0);
	if (r == 0)
		r = fill(&ev, arg);
	if (r == 0)
		r = hipd_ctl_broadcast(m->srv, &ev);
	if (r < 0)
		log_warnx(M, "cannot send event 0x%04x: %s", code,
			  hip_strerror(r));
	free(buf);
}

struct change {
	uint8_t op;
	const struct hip_msrd_record *rec;
};

static int fill_change(struct hip_ctl_msg *ev, const void *arg)
{
	const struct change *c = arg;
	int r = hip_ctl_put_u8(ev, HIP_CTL_A_MSRD_OP, c->op);

	return r ? r : hip_msrd_record_put(ev, c->rec);
}

static void notify(struct hipd_msrd *m, uint8_t op,
		   const struct hip_msrd_record *rec)
{
	struct change c = { op, rec };

	broadcast(m, HIP_CTL_EV_MSRD_CHANGE, fill_change, &c);
}

/* ---- persistence and expiry ----------------------------------------- */

static void arm_expiry(struct hipd_msrd *m)
{
	uint64_t next = hipd_msrd_store_next_expiry(&m->store), now;

	hipd_timer_cancel(m->d->loop, &m->expire_timer);
	if (next == 0)
		return;
	now = wall_now();
	hipd_timer_arm(m->d->loop, &m->expire_timer,
		       next > now ? (next - now) * 1000 : 0);
}

/*
 * Make a change durable, or undo it: old is the store before the change.
 * Only records with the persist flag go to the file, but any change
 * may have removed or added one, so the file is rewritten each time.
 */
static int commit(struct hipd_msrd *m, const struct hipd_msrd_store *old,
		  struct hipd_ctl_call *call)
{
	if (m->persist && hipd_msrd_persist_save(&m->store, m->file) < 0) {
		log_warn(M, "%s: cannot save", m->file);
		m->store = *old;
		if (call != NULL)
			ERR(call, "cannot save the MSRD file: %s",
			    strerror(errno));
		return HIP_EIO;
	}
	arm_expiry(m);
	return 0;
}

static void release_bound(struct hipd_msrd *m,
			  const struct hip_msrd_record *old,
			  const struct hip_msrd_record *now);

static void expired(const struct hip_msrd_record *r, void *arg)
{
	struct hipd_msrd *m = arg;

	log_info(M, "record %016llx expired", (unsigned long long)r->mpi);
	notify(m, HIP_MSRD_EV_EXPIRE, r);
	release_bound(m, r, NULL);
}

static void expire_cb(struct hipd_loop *loop, struct hipd_timer *t, void *arg)
{
	struct hipd_msrd *m = arg;

	(void)loop;
	(void)t;
	if (hipd_msrd_store_expire(&m->store, wall_now(), expired, m) > 0 &&
	    m->persist && hipd_msrd_persist_save(&m->store, m->file) < 0)
		log_warn(M, "%s: cannot save", m->file);
	arm_expiry(m);
}

/* ---- reactions ------------------------------------------------------ */

/* The care-of locators of rec changed: the associations bound to it by
 * HIT pair move there (UPDATE, then migration), or back to the host's
 * own locators when the record has none. */
static void move_bound(struct hipd_msrd *m, const struct hip_msrd_record *rec)
{
	struct hipd_daemon *d = m->d;
	struct in6_addr locs[HIP_MSRD_MAX_COA];
	char l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
	bool any = false;

	if (d->engine == NULL)
		return;
	for (size_t i = 0; i < rec->n_coa; i++)
		locs[i] = rec->coa[i].addr;
	for (size_t i = 0; i < rec->n_bind; i++) {
		const struct hip_msrd_binding *b = &rec->bind[i];
		int r;

		if (!(b->flags & HIP_MSRD_B_HITS))
			continue;
		inet_ntop(AF_INET6, b->local_hit, l, sizeof(l));
		inet_ntop(AF_INET6, b->peer_hit, p, sizeof(p));
		r = hip_engine_assoc_set_locators(d->engine,
						  hipd_daemon_now(d),
						  b->local_hit, b->peer_hit,
						  locs, rec->n_coa);
		if (r == HIP_ENOENT || r == HIP_ESTATE)
			log_debug(M, "record %016llx: no established "
				  "association %s -> %s to move",
				  (unsigned long long)rec->mpi, l, p);
		else if (r < 0)
			log_warnx(M, "record %016llx: cannot move %s -> %s: "
				  "%s", (unsigned long long)rec->mpi, l, p,
				  hip_strerror(r));
		else {
			log_info(M, "record %016llx: association %s -> %s "
				 "%s", (unsigned long long)rec->mpi, l, p,
				 rec->n_coa ? "moves to its care-of locators" :
				 "is back on the host's locators");
			any = true;
		}
	}
	if (any)
		hipd_daemon_drain(d);
}

static bool has_pair(const struct hip_msrd_record *r,
		     const struct hip_msrd_binding *b)
{
	for (size_t i = 0; r != NULL && i < r->n_bind; i++)
		if ((r->bind[i].flags & HIP_MSRD_B_HITS) &&
		    !memcmp(r->bind[i].local_hit, b->local_hit, 16) &&
		    !memcmp(r->bind[i].peer_hit, b->peer_hit, 16))
			return true;
	return false;
}

/* Associations that old pinned to its care-of addresses and that now
 * (NULL: the record is gone) no longer binds go back to the host's own
 * locators. */
static void release_bound(struct hipd_msrd *m,
			  const struct hip_msrd_record *old,
			  const struct hip_msrd_record *now)
{
	struct hip_msrd_record *rel;

	if (old->n_coa == 0 || m->d->engine == NULL)
		return;
	rel = calloc(1, sizeof(*rel));
	if (rel == NULL)
		return;
	rel->mpi = old->mpi;
	for (size_t i = 0; i < old->n_bind; i++)
		if ((old->bind[i].flags & HIP_MSRD_B_HITS) &&
		    !has_pair(now, &old->bind[i]))
			rel->bind[rel->n_bind++] = old->bind[i];
	if (rel->n_bind > 0)
		move_bound(m, rel);	/* n_coa = 0: unpinned */
	free(rel);
}

/* ---- commands ------------------------------------------------------- */

static int get_mpi(struct hipd_ctl_call *call, uint64_t *mpi)
{
	struct hip_ctl_attr a;

	if (hip_ctl_find(&call->attrs, HIP_CTL_A_MSRD_MPI, &a) < 0 ||
	    hip_ctl_get_u64(&a, mpi) < 0 || *mpi == 0) {
		ERR(call, "an MPI (non-zero 64-bit number) is required");
		return HIP_EINVAL;
	}
	return 0;
}

static int refused(struct hipd_ctl_call *call, int r, uint64_t mpi)
{
	if (r == HIP_ENOENT)
		ERR(call, "no record %016llx", (unsigned long long)mpi);
	else if (r == HIP_EPERM)
		ERR(call, "record %016llx belongs to another user",
		    (unsigned long long)mpi);
	else if (r == HIP_ENOSPC)
		ERR(call, "the MSRD is full (%u records)",
		    HIP_MSRD_MAX_RECORDS);
	return r;
}

static int cmd_put(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_msrd *m = arg;
	struct hipd_msrd_store *old;
	struct hip_msrd_record in, out;
	struct hip_ctl_attr a;
	bool moved;
	int r;

	if (hip_ctl_find(&call->attrs, HIP_CTL_A_MSRD_RECORD, &a) < 0) {
		ERR(call, "a record is required");
		return HIP_EMISSING;
	}
	r = hip_msrd_record_read(&a, &in);
	if (r < 0) {
		ERR(call, "invalid record: %s", hip_strerror(r));
		return r;
	}
	old = malloc(sizeof(*old));
	if (old == NULL)
		return HIP_ENOMEM;
	*old = m->store;
	r = hipd_msrd_store_put(&m->store, call->peer->uid, wall_now(), &in,
				&out, &moved);
	if (r == 0)
		r = commit(m, old, call);
	free(old);
	if (r < 0)
		return refused(call, r, in.mpi);
	r = hip_msrd_record_put(call->reply, &out);
	log_info(M, "record %016llx put by uid %lu (seq %u)",
		 (unsigned long long)out.mpi, (unsigned long)call->peer->uid,
		 out.seq);
	notify(m, HIP_MSRD_EV_PUT, &out);
	if (moved)
		move_bound(m, &out);
	return r;
}

static int cmd_get(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_msrd *m = arg;
	struct hip_msrd_record rec;
	uint64_t mpi;
	int r = get_mpi(call, &mpi);

	if (r < 0)
		return r;
	r = hipd_msrd_store_get(&m->store, mpi, &rec);
	if (r < 0)
		return refused(call, r, mpi);
	return hip_msrd_record_put(call->reply, &rec);
}

static int cmd_del(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_msrd *m = arg;
	struct hipd_msrd_store *old;
	struct hip_msrd_record rec;
	uint64_t mpi;
	int r = get_mpi(call, &mpi);

	if (r < 0)
		return r;
	old = malloc(sizeof(*old));
	if (old == NULL)
		return HIP_ENOMEM;
	*old = m->store;
	r = hipd_msrd_store_del(&m->store, call->peer->uid, mpi, &rec);
	if (r == 0)
		r = commit(m, old, call);
	free(old);
	if (r < 0)
		return refused(call, r, mpi);
	log_info(M, "record %016llx deleted by uid %lu",
		 (unsigned long long)mpi, (unsigned long)call->peer->uid);
	notify(m, HIP_MSRD_EV_DELETE, &rec);
	release_bound(m, &rec, NULL);
	return 0;
}

static int cmd_list(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_msrd *m = arg;
	int r = hip_ctl_nest_begin(call->reply, HIP_CTL_A_LIST);

	for (size_t i = 0; r == 0 && i < m->store.n; i++)
		r = hip_msrd_record_put(call->reply, &m->store.rec[i]);
	if (r == 0)
		r = hip_ctl_nest_end(call->reply);
	return r;
}

static int cmd_bind(struct hipd_ctl_call *call, void *arg)
{
	struct hipd_msrd *m = arg;
	struct hipd_msrd_store *old;
	struct hip_msrd_binding b[HIP_MSRD_MAX_BIND];
	struct hip_msrd_record rec, prev;
	struct hip_ctl_iter it = call->attrs;
	struct hip_ctl_attr a;
	size_t n = 0;
	uint64_t mpi;
	int r = get_mpi(call, &mpi);

	if (r < 0)
		return r;
	while ((r = hip_ctl_iter_next(&it, &a)) == 1) {
		if (a.type != HIP_CTL_A_MSRD_BIND)
			continue;
		if (n >= HIP_MSRD_MAX_BIND) {
			ERR(call, "at most %u bindings", HIP_MSRD_MAX_BIND);
			return HIP_EINVAL;
		}
		r = hip_msrd_binding_read(&a, &b[n]);
		if (r < 0) {
			ERR(call, "binding %zu: %s", n + 1, hip_strerror(r));
			return r;
		}
		n++;
	}
	if (r < 0)
		return r;
	old = malloc(sizeof(*old));
	if (old == NULL)
		return HIP_ENOMEM;
	*old = m->store;
	r = hipd_msrd_store_bind(&m->store, call->peer->uid, mpi, b, n, &rec);
	if (r == 0)
		r = commit(m, old, call);
	if (r == 0 && hipd_msrd_store_get(old, mpi, &prev) < 0)
		r = HIP_ENOENT;	/* cannot happen: the bind found it */
	free(old);
	if (r < 0)
		return refused(call, r, mpi);
	log_info(M, "record %016llx bound to %zu SPD entr%s", 
		 (unsigned long long)mpi, n, n == 1 ? "y" : "ies");
	r = hip_msrd_record_put(call->reply, &rec);
	notify(m, HIP_MSRD_EV_BIND, &rec);
	/* associations bound now follow the record's care-of address,
	 * those no longer bound are let go */
	release_bound(m, &prev, &rec);
	if (rec.n_coa > 0)
		move_bound(m, &rec);
	return r;
}

static const struct hipd_ctl_command msrd_commands[] = {
	{ HIP_CTL_CMD_MSRD_PUT, true, cmd_put },
	{ HIP_CTL_CMD_MSRD_GET, false, cmd_get },
	{ HIP_CTL_CMD_MSRD_DEL, true, cmd_del },
	{ HIP_CTL_CMD_MSRD_LIST, false, cmd_list },
	{ HIP_CTL_CMD_MSRD_BIND, true, cmd_bind },
};

/* ---- extended ACQUIRE ------------------------------------------------ */

struct acquire_event {
	uint64_t mpi;
	const uint8_t *msg;
	size_t len;
};

static int fill_acquire(struct hip_ctl_msg *ev, const void *arg)
{
	const struct acquire_event *a = arg;
	int r = hip_ctl_put_u64(ev, HIP_CTL_A_MSRD_MPI, a->mpi);

	return r ? r : hip_ctl_put_bytes(ev, HIP_CTL_A_MSRD_PFKEY, a->msg,
					 a->len);
}

int hipd_msrd_acquire(struct hipd_msrd *m, const struct hip_kernel_event *ev)
{
	const struct hip_msrd_record *rec;
	uint8_t msg[HIP_MSRD_PFKEY_MAX];
	struct acquire_event a;
	size_t len;
	int r;

	if (m == NULL || ev->type != HIP_KEV_ACQUIRE ||
	    ev->u.acquire.inner.family != AF_INET6)
		return 0;
	rec = hipd_msrd_store_lookup(&m->store, ev->u.acquire.inner.src.b,
				     ev->u.acquire.inner.dst.b,
				     ev->u.acquire.policy_index,
				     ev->u.acquire.reqid);
	if (rec == NULL)
		return 0;
	if ((rec->flags & HIP_MSRD_F_PEER) && m->d->engine != NULL) {
		r = hip_engine_peer_add(m->d->engine,
					ev->u.acquire.inner.dst.b,
					&rec->peer, 1);
		if (r < 0)
			log_warnx(M, "record %016llx: cannot use its peer "
				  "address: %s", (unsigned long long)rec->mpi,
				  hip_strerror(r));
	}
	r = hipd_msrd_build_acquire(ev, rec, msg, sizeof(msg), &len);
	if (r < 0) {
		log_warnx(M, "cannot build the extended ACQUIRE: %s",
			  hip_strerror(r));
		return 1;
	}
	a.mpi = rec->mpi;
	a.msg = msg;
	a.len = len;
	log_info(M, "ACQUIRE on a flow bound to record %016llx",
		 (unsigned long long)rec->mpi);
	broadcast(m, HIP_CTL_EV_MSRD_ACQUIRE, fill_acquire, &a);
	return 1;
}

/* ---- set-up ----------------------------------------------------------- */

static int file_path(const struct hipd_config *cfg, char *out, size_t cap)
{
	int n;

	if (cfg->msrd_file[0] != '\0')
		n = snprintf(out, cap, "%s", cfg->msrd_file);
	else
		n = snprintf(out, cap, "%s/%s", cfg->state_dir,
			     HIPD_MSRD_FILE_NAME);
	return n < 0 || (size_t)n >= cap ? HIP_EINVAL : 0;
}

int hipd_msrd_open(struct hipd_daemon *d, const struct hipd_ctl_policy *pol,
		   struct hipd_msrd **out, char *err, size_t errcap)
{
	struct hipd_ctl_config cc;
	struct hipd_msrd *m;
	char path[PATH_MAX], why[PATH_MAX + 200];
	int r;

	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		snprintf(err, errcap, "MSRD: out of memory");
		return HIP_ENOMEM;
	}
	m->d = d;
	hipd_timer_init(&m->expire_timer, expire_cb, m);
	hipd_msrd_store_init(&m->store);
	m->persist = d->cfg.msrd_persist;
	if (m->persist) {
		if (file_path(&d->cfg, m->file, sizeof(m->file)) < 0) {
			snprintf(err, errcap, "msrd-file: path too long");
			free(m);
			return HIP_EINVAL;
		}
		r = hipd_msrd_persist_load(m->file, wall_now(), &m->store,
					   why, sizeof(why));
		if (r < 0) {
			snprintf(err, errcap, "MSRD: %s", why);
			free(m);
			return r;
		}
		log_info(M, "%zu persisted record(s) from %s", m->store.n,
			 m->file);
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", d->cfg.run_dir,
			     HIP_MSRD_SOCKET_NAME) >= sizeof(path)) {
		snprintf(err, errcap, "%s: path too long", d->cfg.run_dir);
		free(m);
		return HIP_EINVAL;
	}
	memset(&cc, 0, sizeof(cc));
	cc.path = path;
	cc.policy = *pol;
	r = hipd_ctl_open(d->loop, &cc, &m->srv);
	if (r == 0) {
		r = hipd_ctl_register(m->srv, msrd_commands,
				      sizeof(msrd_commands) /
				      sizeof(msrd_commands[0]), m);
		if (r < 0)
			hipd_ctl_close(m->srv);
	}
	if (r < 0) {
		snprintf(err, errcap, "%s: %s", path, r == HIP_EEXIST ?
			 "another hipd is running there" : hip_strerror(r));
		free(m);
		return r;
	}
	arm_expiry(m);
	*out = m;
	return 0;
}

void hipd_msrd_close(struct hipd_msrd *m)
{
	if (m == NULL)
		return;
	hipd_timer_cancel(m->d->loop, &m->expire_timer);
	hipd_ctl_close(m->srv);
	free(m);
}
