/*
 * libpfkey: PF_KEY sockets - open, send, receive, request/reply,
 * register and dump.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfkey/pfkey.h>
#include "libpfkey/pfkey_wire.h"

int pfkey_open(struct pfkey_sock *s)
{
	int fd;

	if (!s)
		return PFKEY_EINVAL;
	fd = socket(PF_KEY, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    PF_KEY_V2);
	if (fd < 0)
		return -errno;
	s->fd = fd;
	s->pid = (uint32_t)getpid();
	s->seq = 0;
	return 0;
}

void pfkey_close(struct pfkey_sock *s)
{
	if (s && s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
}

uint32_t pfkey_next_seq(struct pfkey_sock *s)
{
	if (++s->seq == 0)
		s->seq = 1;
	return s->seq;
}

int pfkey_send(struct pfkey_sock *s, const void *msg, size_t len)
{
	struct pfkey_msg m;
	ssize_t n;
	int err;

	if (!s || s->fd < 0 || !msg)
		return PFKEY_EINVAL;
	err = pfkey_parse(msg, len, 0, &m);
	if (err)
		return err;
	do
		n = send(s->fd, msg, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

int pfkey_recv(struct pfkey_sock *s, void *buf, size_t cap, size_t *len,
	       unsigned int flags, struct pfkey_msg *out)
{
	struct pfkey_msg m;
	ssize_t n;
	int err;

	if (!s || s->fd < 0 || !buf || !len)
		return PFKEY_EINVAL;
	do
		n = recv(s->fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n > cap)
		return PFKEY_ETRUNC;
	err = pfkey_parse(buf, (size_t)n, flags, &m);
	if (err)
		return err;
	*len = (size_t)n;
	if (out)
		*out = m;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until the socket is readable or the deadline passes. */
static int wait_readable(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t left;
	int r;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return PFKEY_ETIMEDOUT;
		r = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/* Header fields of a request, for matching its reply. */
struct want {
	uint8_t type;
	uint32_t seq;
	uint32_t pid;
};

/*
 * Receive the next message addressed to `w` (type and pid, and seq when
 * match_seq) into buf, handing others to other().  PFKEY_EREPLY when
 * the matching message does not parse.
 */
static int next_reply(struct pfkey_sock *s, const struct want *w,
		      int match_seq, uint8_t *buf, size_t *len,
		      struct pfkey_msg *m, int timeout_ms,
		      pfkey_other_fn other, void *arg)
{
	int64_t deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	ssize_t n;
	int err;

	for (;;) {
		do
			n = recv(s->fd, buf, PFKEY_RECV_BUF,
				 MSG_DONTWAIT | MSG_TRUNC);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			err = wait_readable(s->fd, deadline);
			if (err)
				return err;
			continue;
		}
		if ((size_t)n > PFKEY_RECV_BUF || n < (ssize_t)PFKEY_MSG_HDR)
			continue;
		if (buf[1] != w->type || pfkey_rd32(buf + 12) != w->pid ||
		    (match_seq && pfkey_rd32(buf + 8) != w->seq)) {
			if (other && pfkey_parse(buf, (size_t)n, 0, m) == 0)
				other(m, arg);
			continue;
		}
		if (pfkey_parse(buf, (size_t)n, 0, m))
			return PFKEY_EREPLY;
		*len = (size_t)n;
		return 0;
	}
}

int pfkey_request(struct pfkey_sock *s, const void *msg, size_t len,
		  void *reply, size_t cap, struct pfkey_msg *out,
		  int timeout_ms, pfkey_other_fn other, void *arg)
{
	struct pfkey_msg req, m;
	struct want w;
	uint8_t *buf;
	size_t rlen;
	int err;

	if (!s || s->fd < 0 || !msg || !reply)
		return PFKEY_EINVAL;
	err = pfkey_parse(msg, len, 0, &req);
	if (err)
		return err;
	buf = malloc(PFKEY_RECV_BUF);
	if (!buf)
		return PFKEY_ENOMEM;
	w.type = req.type;
	w.seq = req.seq;
	w.pid = req.pid;
	err = pfkey_send(s, msg, len);
	if (!err)
		err = next_reply(s, &w, 1, buf, &rlen, &m, timeout_ms, other,
				 arg);
	if (!err && rlen > cap)
		err = PFKEY_ENOSPC;
	if (!err) {
		memcpy(reply, buf, rlen);
		pfkey_parse(reply, rlen, 0, &m);
		if (out)
			*out = m;
		if (m.errno_val)
			err = -(int)m.errno_val;
	}
	/* Replies to GET carry keys. */
	explicit_bzero(buf, PFKEY_RECV_BUF);
	free(buf);
	return err;
}

static void copy_algs(const struct pfkey_msg *m, uint16_t exttype,
		      struct pfkey_alg *algs, size_t *n)
{
	size_t count = 0, i;

	*n = 0;
	if (pfkey_get_supported(m, exttype, &count))
		return;
	for (i = 0; i < count && i < PFKEY_MAX_ALGS; i++)
		pfkey_get_alg(m, exttype, i, &algs[i]);
	*n = i;
}

int pfkey_register(struct pfkey_sock *s, uint8_t satype,
		   struct pfkey_supported *sup, int timeout_ms)
{
	uint8_t req[PFKEY_MSG_HDR];
	struct pfkey_builder b;
	struct pfkey_msg m;
	uint8_t *reply;
	size_t len;
	int err;

	if (!s || s->fd < 0)
		return PFKEY_EINVAL;
	err = pfkey_build_init(&b, req, sizeof(req), SADB_REGISTER, satype,
			       pfkey_next_seq(s), s->pid);
	if (!err)
		err = pfkey_build_finish(&b, &len);
	if (err)
		return err;
	reply = malloc(PFKEY_RECV_BUF);
	if (!reply)
		return PFKEY_ENOMEM;
	err = pfkey_request(s, req, len, reply, PFKEY_RECV_BUF, &m,
			    timeout_ms, NULL, NULL);
	if (!err && sup) {
		copy_algs(&m, SADB_EXT_SUPPORTED_AUTH, sup->auth, &sup->nauth);
		copy_algs(&m, SADB_EXT_SUPPORTED_ENCRYPT, sup->encrypt,
			  &sup->nencrypt);
	}
	free(reply);
	return err;
}

int pfkey_dump_request(struct pfkey_sock *s, const void *msg, size_t len,
		       pfkey_entry_fn entry, void *arg, int timeout_ms,
		       pfkey_other_fn other, void *other_arg)
{
	struct pfkey_msg m;
	struct want w;
	uint8_t *buf;
	int err, r, stop = 0, count = 0;

	if (!s || s->fd < 0 || !msg || !entry)
		return PFKEY_EINVAL;
	err = pfkey_parse(msg, len, 0, &m);
	if (err)
		return err;
	if (m.type != SADB_DUMP && m.type != SADB_X_SPDDUMP)
		return PFKEY_EINVAL;
	w.type = m.type;
	w.seq = m.seq;
	w.pid = m.pid;
	buf = malloc(PFKEY_RECV_BUF);
	if (!buf)
		return PFKEY_ENOMEM;
	err = pfkey_send(s, msg, len);
	while (!err) {
		/* Entries count their seq down to 0 and keep our pid. */
		err = next_reply(s, &w, 0, buf, &len, &m, timeout_ms, other,
				 other_arg);
		if (err)
			break;
		if (m.errno_val) {
			/* The kernel answers an empty dump with ENOENT. */
			if (m.errno_val != ENOENT || count)
				err = -(int)m.errno_val;
			break;
		}
		count++;
		if (!stop) {
			r = entry(&m, arg);
			if (r < 0)
				stop = r;
		}
		if (m.seq == 0)
			break;
	}
	/* Dumped SAs carry their keys. */
	explicit_bzero(buf, PFKEY_RECV_BUF);
	free(buf);
	if (err)
		return err;
	if (stop < 0)
		return stop;
	return count;
}

int pfkey_dump(struct pfkey_sock *s, uint8_t type, uint8_t satype,
	       pfkey_entry_fn entry, void *arg, int timeout_ms,
	       pfkey_other_fn other, void *other_arg)
{
	uint8_t req[PFKEY_MSG_HDR];
	struct pfkey_builder b;
	size_t len;
	int err;

	if (!s || s->fd < 0 || !entry ||
	    (type != SADB_DUMP && type != SADB_X_SPDDUMP))
		return PFKEY_EINVAL;
	err = pfkey_build_init(&b, req, sizeof(req), type, satype,
			       pfkey_next_seq(s), s->pid);
	if (!err)
		err = pfkey_build_finish(&b, &len);
	if (err)
		return err;
	return pfkey_dump_request(s, req, len, entry, arg, timeout_ms, other,
				  other_arg);
}
