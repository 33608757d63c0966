/*
 * control.c - the control socket server (see control.h and hip/ctl.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/control.h"
#include "hipd/log.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59	/* Linux 4.13; missing from old headers */
#endif

#define CTL_FRAMES_PER_WAKEUP 16
#define CTL_ACCEPT_PAUSE_MS 1000

struct ctl_table {
	const struct hipd_ctl_command *cmds;
	size_t n;
	void *arg;
};

struct ctl_conn {
	struct hipd_ctl_server *srv;
	struct ctl_conn *prev, *next;
	int fd;
	struct hipd_ctl_peer peer;
	bool subscribed;
	uint8_t prefix[HIP_CTL_LEN_PREFIX];
	size_t prefix_have;
	uint8_t *body;		/* message being read, body_len bytes */
	size_t body_len, body_have;
	uint8_t *out;		/* queued frames, sent from out_off */
	size_t out_len, out_off, out_cap;
	struct hipd_timer frame_timer;
};

struct hipd_ctl_server {
	struct hipd_loop *loop;
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct hipd_ctl_policy policy;
	unsigned max_clients;
	unsigned frame_timeout_ms;
	struct ctl_conn *conns;
	size_t nconns;
	struct ctl_table *tables;
	size_t ntables;
	struct hipd_timer accept_timer;
};

bool hipd_ctl_cred_allowed(uid_t uid, gid_t gid, const gid_t *groups,
			   size_t ngroups, const struct hipd_ctl_policy *pol,
			   bool write)
{
	if (!write)
		return true;
	if (uid == 0)
		return true;
	if (!pol || !pol->have_group)
		return false;
	if (gid == pol->group)
		return true;
	for (size_t i = 0; groups && i < ngroups; i++)
		if (groups[i] == pol->group)
			return true;
	return false;
}

/* ---- connections ---- */

static void conn_close(struct ctl_conn *c)
{
	struct hipd_ctl_server *srv = c->srv;

	hipd_timer_cancel(srv->loop, &c->frame_timer);
	hipd_loop_del_fd(srv->loop, c->fd);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->nconns--;
	free(c->body);
	free(c->out);
	free(c);
}

/* Read interest while nothing waits to be sent, write interest while
 * something does: a client that does not read stops being read. */
static int conn_update_events(struct ctl_conn *c)
{
	uint32_t ev = c->out_len > c->out_off ? EPOLLOUT : EPOLLIN;

	return hipd_loop_mod_fd(c->srv->loop, c->fd, ev);
}

/* Send what is queued; returns -1 after closing the connection. */
static int conn_flush(struct ctl_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno != EPIPE && errno != ECONNRESET)
				log_warn("ctl", "send to pid %ld",
					 (long)c->peer.pid);
			conn_close(c);
			return -1;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (conn_update_events(c) < 0) {
		log_warn("ctl", "epoll");
		conn_close(c);
		return -1;
	}
	return 0;
}

/* Append a frame to the output queue (HIP_ENOSPC past the limit). */
static int conn_queue(struct ctl_conn *c, const uint8_t *frame, size_t len)
{
	size_t need;

	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (len > HIPD_CTL_OUT_MAX - (c->out_len - c->out_off))
		return HIP_ENOSPC;
	if (c->out_off) {	/* compact before growing */
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	need = c->out_len + len;
	if (need > c->out_cap) {
		uint8_t *p = realloc(c->out, need);

		if (!p)
			return HIP_ENOMEM;
		c->out = p;
		c->out_cap = need;
	}
	memcpy(c->out + c->out_len, frame, len);
	c->out_len += len;
	return 0;
}

static const struct hipd_ctl_command *ctl_lookup(
	const struct hipd_ctl_server *srv, uint16_t cmd, void **arg)
{
	for (size_t t = 0; t < srv->ntables; t++) {
		for (size_t i = 0; i < srv->tables[t].n; i++) {
			if (srv->tables[t].cmds[i].cmd == cmd) {
				*arg = srv->tables[t].arg;
				return &srv->tables[t].cmds[i];
			}
		}
	}
	return NULL;
}

/* Turn reply into an error reply with status err. */
static void ctl_error_reply(struct hip_ctl_msg *reply, uint32_t id, int err,
			    const char *errmsg)
{
	if (err >= 0)
		err = HIP_EINVAL;
	/* cannot fail: the buffer holds a whole frame */
	hip_ctl_msg_init(reply, reply->buf, reply->cap, HIP_CTL_REPLY,
			 HIP_CTL_STATUS(err), id);
	hip_ctl_put_string(reply, HIP_CTL_A_ERRMSG,
			   errmsg && *errmsg ? errmsg : hip_strerror(err));
}

/* Handle one complete message; fills reply. */
static void ctl_handle(struct ctl_conn *c, const uint8_t *msg, size_t len,
		       const struct hip_ctl_hdr *hdr, struct hip_ctl_msg *reply)
{
	struct hipd_ctl_call call;
	const struct hipd_ctl_command *cmd;
	void *arg = NULL;
	int r;

	memset(&call, 0, sizeof(call));
	if (hdr->version != HIP_CTL_VERSION) {
		ctl_error_reply(reply, hdr->id, HIP_EVERSION,
				"unsupported control protocol version");
		return;
	}
	r = hip_ctl_parse(msg, len, &call.req, &call.attrs);
	if (r < 0) {
		snprintf(call.errmsg, sizeof(call.errmsg),
			 "malformed request: %s", hip_strerror(r));
		ctl_error_reply(reply, hdr->id, r, call.errmsg);
		return;
	}
	if (hdr->code == HIP_CTL_CMD_SUBSCRIBE) {
		c->subscribed = true;
		return;
	}
	cmd = ctl_lookup(c->srv, hdr->code, &arg);
	if (!cmd) {
		snprintf(call.errmsg, sizeof(call.errmsg),
			 "unknown command 0x%04x", hdr->code);
		ctl_error_reply(reply, hdr->id, HIP_EUNSUPPORTED,
				call.errmsg);
		return;
	}
	if (cmd->write && !c->peer.may_write) {
		log_info("ctl", "denied command 0x%04x to uid %lu pid %ld",
			 hdr->code, (unsigned long)c->peer.uid,
			 (long)c->peer.pid);
		ctl_error_reply(reply, hdr->id, HIP_EPERM,
				"permission denied: this command needs root "
				"or the hipd group");
		return;
	}
	call.peer = &c->peer;
	call.reply = reply;
	r = cmd->fn(&call, arg);
	if (r == 0 && reply->depth != 0)
		r = HIP_ESTATE;	/* handler left a nest open */
	if (r < 0) {
		call.errmsg[sizeof(call.errmsg) - 1] = '\0';
		ctl_error_reply(reply, hdr->id, r, call.errmsg);
	}
}

/* A complete frame is in c->body: answer it and release it; returns -1
 * if c was closed. */
static int conn_dispatch(struct ctl_conn *c)
{
	struct hip_ctl_hdr hdr;
	struct hip_ctl_msg reply;
	uint8_t *buf;
	int r;

	/* the length was checked: the header is there */
	hip_ctl_parse_hdr(c->body, c->body_len, &hdr);
	if (hdr.kind != HIP_CTL_REQUEST) {
		log_warnx("ctl", "pid %ld sent a message of kind %u; "
			  "disconnecting", (long)c->peer.pid, hdr.kind);
		conn_close(c);
		return -1;
	}
	buf = malloc(HIP_CTL_FRAME_MAX);
	if (!buf) {
		log_err("ctl", "out of memory for a reply");
		conn_close(c);
		return -1;
	}
	hip_ctl_msg_init(&reply, buf, HIP_CTL_FRAME_MAX, HIP_CTL_REPLY, 0,
			 hdr.id);
	ctl_handle(c, c->body, c->body_len, &hdr, &reply);
	free(c->body);	/* ready for the next frame */
	c->body = NULL;
	c->body_len = c->body_have = c->prefix_have = 0;
	r = conn_queue(c, reply.buf, reply.len);
	free(buf);
	if (r < 0) {
		log_warnx("ctl", "pid %ld does not read its replies; "
			  "disconnecting", (long)c->peer.pid);
		conn_close(c);
		return -1;
	}
	return 0;
}

static void conn_frame_timeout(struct hipd_loop *loop, struct hipd_timer *t,
			       void *arg)
{
	struct ctl_conn *c = arg;

	(void)loop;
	(void)t;
	log_warnx("ctl", "pid %ld left a frame unfinished; disconnecting",
		  (long)c->peer.pid);
	conn_close(c);
}

/* Read into the current frame; 1 when it is complete, 0 when the socket
 * has no more data, -1 after closing the connection. */
static int conn_read_frame(struct ctl_conn *c)
{
	uint8_t *dst;
	size_t want;
	ssize_t n;

	for (;;) {
		if (c->prefix_have < HIP_CTL_LEN_PREFIX) {
			dst = c->prefix + c->prefix_have;
			want = HIP_CTL_LEN_PREFIX - c->prefix_have;
		} else {
			dst = c->body + c->body_have;
			want = c->body_len - c->body_have;
		}
		n = recv(c->fd, dst, want, MSG_DONTWAIT);
		if (n == 0) {
			if (c->prefix_have)
				log_debug("ctl", "pid %ld left mid-frame",
					  (long)c->peer.pid);
			conn_close(c);
			return -1;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			log_warn("ctl", "recv from pid %ld", (long)c->peer.pid);
			conn_close(c);
			return -1;
		}
		if (c->prefix_have == 0 && c->body_len == 0 &&
		    hipd_timer_arm(c->srv->loop, &c->frame_timer,
				   c->srv->frame_timeout_ms) < 0) {
			conn_close(c);
			return -1;
		}
		if (c->prefix_have < HIP_CTL_LEN_PREFIX) {
			c->prefix_have += (size_t)n;
			if (c->prefix_have < HIP_CTL_LEN_PREFIX)
				continue;
			if (hip_ctl_frame_len(c->prefix, c->prefix_have,
					      &c->body_len) < 0) {
				log_warnx("ctl", "pid %ld sent a frame of %lu "
					  "bytes; disconnecting",
					  (long)c->peer.pid,
					  (unsigned long)hip_get32(c->prefix));
				conn_close(c);
				return -1;
			}
			c->body = malloc(c->body_len);
			if (!c->body) {
				conn_close(c);
				return -1;
			}
			c->body_have = 0;
			continue;
		}
		c->body_have += (size_t)n;
		if (c->body_have == c->body_len) {
			hipd_timer_cancel(c->srv->loop, &c->frame_timer);
			return 1;
		}
	}
}

static void conn_ready(struct hipd_loop *loop, int fd, uint32_t events,
		       void *arg)
{
	struct ctl_conn *c = arg;

	(void)loop;
	(void)fd;
	/* a hang-up while replies wait must end in send's error, or the
	 * level-triggered HUP would be reported for ever */
	if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) &&
	    c->out_len > c->out_off) {
		if (conn_flush(c) < 0)
			return;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (int i = 0; i < CTL_FRAMES_PER_WAKEUP; i++) {
		int r;

		if (c->out_len > c->out_off)
			return;	/* backpressure: read on after sending */
		r = conn_read_frame(c);
		if (r <= 0)
			return;	/* closed, or wait for more data */
		if (conn_dispatch(c) < 0)
			return;	/* c is gone */
		if (conn_flush(c) < 0)
			return;
	}
}

/* Peer credentials and groups; may_write is decided once, here. */
static int conn_credentials(struct hipd_ctl_server *srv, struct ctl_conn *c)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	gid_t small[64], *groups = small;
	socklen_t glen = sizeof(small);
	size_t ngroups = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    len != sizeof(cred))
		return HIP_EIO;
	c->peer.pid = cred.pid;
	c->peer.uid = cred.uid;
	c->peer.gid = cred.gid;
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERGROUPS, groups, &glen) < 0) {
		if (errno == ERANGE && glen > sizeof(small)) {
			groups = malloc(glen);
			if (!groups)
				return HIP_ENOMEM;
			if (getsockopt(c->fd, SOL_SOCKET, SO_PEERGROUPS,
				       groups, &glen) < 0)
				glen = 0;
		} else {
			glen = 0;	/* old kernel: primary group only */
		}
	}
	ngroups = glen / sizeof(gid_t);
	c->peer.may_write = hipd_ctl_cred_allowed(cred.uid, cred.gid, groups,
						  ngroups, &srv->policy, true);
	if (groups != small)
		free(groups);
	return 0;
}

static void ctl_accept_resume(struct hipd_loop *loop, struct hipd_timer *t,
			      void *arg)
{
	struct hipd_ctl_server *srv = arg;

	(void)t;
	if (hipd_loop_mod_fd(loop, srv->lfd, EPOLLIN) < 0)
		log_warn("ctl", "epoll");
}

static void ctl_accept(struct hipd_loop *loop, int lfd, uint32_t events,
		       void *arg)
{
	struct hipd_ctl_server *srv = arg;

	(void)events;
	for (;;) {
		struct ctl_conn *c;
		int fd = accept4(lfd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/* out of descriptors or memory: pause, not spin */
			log_warn("ctl", "accept");
			if (hipd_loop_mod_fd(loop, lfd, 0) == 0 &&
			    hipd_timer_arm(loop, &srv->accept_timer,
					   CTL_ACCEPT_PAUSE_MS) < 0)
				hipd_loop_mod_fd(loop, lfd, EPOLLIN);
			return;
		}
		if (srv->nconns >= srv->max_clients) {
			log_warnx("ctl", "too many clients (%u); refusing one",
				  srv->max_clients);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->srv = srv;
		c->fd = fd;
		hipd_timer_init(&c->frame_timer, conn_frame_timeout, c);
		if (conn_credentials(srv, c) < 0 ||
		    hipd_loop_add_fd(loop, fd, EPOLLIN, conn_ready, c) < 0) {
			log_warn("ctl", "setting up a client");
			close(fd);
			free(c);
			continue;
		}
		c->next = srv->conns;
		if (c->next)
			c->next->prev = c;
		srv->conns = c;
		srv->nconns++;
		log_debug("ctl", "client pid %ld uid %lu%s", (long)c->peer.pid,
			  (unsigned long)c->peer.uid,
			  c->peer.may_write ? " (may write)" : "");
	}
}

/* ---- the listening socket ---- */

/* Replace a stale socket file; refuse a live one or another file. */
static int ctl_clear_path(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : HIP_EIO;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return HIP_EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return HIP_EIO;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (r == 0) {
		errno = EADDRINUSE;
		return HIP_EEXIST;	/* another daemon answers there */
	}
	if (errno != ECONNREFUSED)
		return HIP_EIO;
	if (unlink(path) < 0 && errno != ENOENT)
		return HIP_EIO;
	return 0;
}

static int ctl_listen(const struct hipd_ctl_config *cfg, int *out)
{
	struct sockaddr_un sa;
	size_t n = strlen(cfg->path);
	mode_t old;
	int fd, r, e;

	if (n == 0 || n >= sizeof(sa.sun_path))
		return HIP_EINVAL;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, cfg->path, n);
	r = ctl_clear_path(cfg->path, &sa);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return HIP_EIO;
	/* created 0600; opened to the group only once the group is set */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	e = errno;
	umask(old);
	if (r < 0) {
		close(fd);
		errno = e;
		return HIP_EIO;
	}
	if ((cfg->policy.have_group &&
	     chown(cfg->path, (uid_t)-1, cfg->policy.group) < 0) ||
	    chmod(cfg->path, 0660) < 0 || listen(fd, SOMAXCONN) < 0) {
		e = errno;
		unlink(cfg->path);
		close(fd);
		errno = e;
		return HIP_EIO;
	}
	*out = fd;
	return 0;
}

int hipd_ctl_open(struct hipd_loop *loop, const struct hipd_ctl_config *cfg,
		  struct hipd_ctl_server **out)
{
	struct hipd_ctl_server *srv;
	int r, e;

	if (!loop || !cfg || !cfg->path || !out)
		return HIP_EINVAL;
	if (strlen(cfg->path) >= sizeof(srv->path))
		return HIP_EINVAL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return HIP_ENOMEM;
	srv->loop = loop;
	srv->policy = cfg->policy;
	srv->max_clients = cfg->max_clients ? cfg->max_clients :
			   HIPD_CTL_MAX_CLIENTS;
	srv->frame_timeout_ms = cfg->frame_timeout_ms ?
				cfg->frame_timeout_ms :
				HIPD_CTL_FRAME_TIMEOUT_MS;
	strcpy(srv->path, cfg->path);
	hipd_timer_init(&srv->accept_timer, ctl_accept_resume, srv);
	r = ctl_listen(cfg, &srv->lfd);
	if (r < 0) {
		free(srv);
		return r;
	}
	r = hipd_loop_add_fd(loop, srv->lfd, EPOLLIN, ctl_accept, srv);
	if (r < 0) {
		e = errno;
		unlink(srv->path);
		close(srv->lfd);
		free(srv);
		errno = e;
		return r;
	}
	*out = srv;
	return 0;
}

void hipd_ctl_close(struct hipd_ctl_server *srv)
{
	if (!srv)
		return;
	while (srv->conns)
		conn_close(srv->conns);
	hipd_timer_cancel(srv->loop, &srv->accept_timer);
	hipd_loop_del_fd(srv->loop, srv->lfd);
	close(srv->lfd);
	unlink(srv->path);
	free(srv->tables);
	free(srv);
}

int hipd_ctl_register(struct hipd_ctl_server *srv,
		      const struct hipd_ctl_command *table, size_t n,
		      void *arg)
{
	struct ctl_table *t;
	void *unused;

	if (!srv || (!table && n))
		return HIP_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!table[i].fn)
			return HIP_EINVAL;
		if (table[i].cmd == HIP_CTL_CMD_SUBSCRIBE ||
		    ctl_lookup(srv, table[i].cmd, &unused))
			return HIP_EEXIST;
		for (size_t k = 0; k < i; k++)
			if (table[k].cmd == table[i].cmd)
				return HIP_EEXIST;
	}
	t = realloc(srv->tables, (srv->ntables + 1) * sizeof(*t));
	if (!t)
		return HIP_ENOMEM;
	srv->tables = t;
	t[srv->ntables].cmds = table;
	t[srv->ntables].n = n;
	t[srv->ntables].arg = arg;
	srv->ntables++;
	return 0;
}

int hipd_ctl_broadcast(struct hipd_ctl_server *srv,
		       const struct hip_ctl_msg *event)
{
	struct hip_ctl_hdr hdr;
	struct ctl_conn *c, *next;
	const uint8_t *frame;
	size_t len;
	int r, sent = 0;

	if (!srv)
		return HIP_EINVAL;
	r = hip_ctl_msg_frame(event, &frame, &len);
	if (r < 0)
		return r;
	hip_ctl_parse_hdr(frame + HIP_CTL_LEN_PREFIX,
			  len - HIP_CTL_LEN_PREFIX, &hdr);
	if (hdr.kind != HIP_CTL_EVENT)
		return HIP_EINVAL;
	for (c = srv->conns; c; c = next) {
		next = c->next;
		if (!c->subscribed)
			continue;
		if (conn_queue(c, frame, len) < 0) {
			log_warnx("ctl", "subscriber pid %ld is too slow; "
				  "disconnecting", (long)c->peer.pid);
			conn_close(c);
			continue;
		}
		if (conn_flush(c) == 0)
			sent++;
	}
	return sent;
}

size_t hipd_ctl_nclients(const struct hipd_ctl_server *srv)
{
	return srv ? srv->nconns : 0;
}
