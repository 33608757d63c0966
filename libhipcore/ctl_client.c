/*
 * ctl_client.c - the client side of the control protocol: connect to
 * the daemon's unix socket, send a request, wait for its reply within a
 * time limit.  Blocking sockets, with poll() bounding every wait.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/util.h"

int hip_ctl_connect(const char *path, int *fd)
{
	struct sockaddr_un addr;
	size_t n;
	int s, e;

	if (!path || !fd)
		return HIP_EINVAL;
	n = strlen(path);
	if (n == 0 || n >= sizeof(addr.sun_path))
		return HIP_EINVAL;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, n);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return HIP_EIO;
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		e = errno;
		close(s);
		errno = e;
		return HIP_EIO;
	}
	*fd = s;
	return 0;
}

static int64_t ctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for fd to become ready before the deadline (-1: none). */
static int ctl_wait(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int timeout, r;

	for (;;) {
		if (deadline < 0) {
			timeout = -1;
		} else {
			int64_t left = deadline - ctl_now_ms();

			if (left < 0)
				left = 0;
			timeout = left > 60000 ? 60000 : (int)left;
		}
		r = poll(&pfd, 1, timeout);
		if (r > 0)
			return 0;	/* ready, or an error the I/O will see */
		if (r < 0 && errno != EINTR)
			return HIP_EIO;
		if (r == 0 && deadline >= 0 && ctl_now_ms() >= deadline) {
			errno = ETIMEDOUT;
			return HIP_EIO;
		}
	}
}

static int64_t ctl_deadline(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : ctl_now_ms() + timeout_ms;
}

static int ctl_send_all(int fd, const uint8_t *p, size_t len, int64_t deadline)
{
	size_t off = 0;
	ssize_t n;
	int r;

	while (off < len) {
		r = ctl_wait(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
		n = send(fd, p + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				continue;
			return HIP_EIO;
		}
		off += (size_t)n;
	}
	return 0;
}

static int ctl_recv_all(int fd, uint8_t *p, size_t len, int64_t deadline)
{
	size_t off = 0;
	ssize_t n;
	int r;

	while (off < len) {
		r = ctl_wait(fd, POLLIN, deadline);
		if (r < 0)
			return r;
		n = recv(fd, p + off, len - off, MSG_DONTWAIT);
		if (n == 0) {
			errno = ECONNRESET;
			return HIP_EIO;
		}
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				continue;
			return HIP_EIO;
		}
		off += (size_t)n;
	}
	return 0;
}

int hip_ctl_send(int fd, const uint8_t *frame, size_t len, int timeout_ms)
{
	size_t msglen;
	int r;

	if (fd < 0 || !frame)
		return HIP_EINVAL;
	r = hip_ctl_frame_len(frame, len, &msglen);
	if (r < 0)
		return r;
	if (msglen != len - HIP_CTL_LEN_PREFIX)
		return HIP_ELEN;
	return ctl_send_all(fd, frame, len, ctl_deadline(timeout_ms));
}

static int ctl_recv_deadline(int fd, uint8_t *buf, size_t cap, size_t *len,
			     int64_t deadline)
{
	uint8_t prefix[HIP_CTL_LEN_PREFIX];
	size_t msglen;
	int r;

	r = ctl_recv_all(fd, prefix, sizeof(prefix), deadline);
	if (r < 0)
		return r;
	r = hip_ctl_frame_len(prefix, sizeof(prefix), &msglen);
	if (r < 0)
		return r;
	if (msglen > cap)
		return HIP_ENOSPC;
	r = ctl_recv_all(fd, buf, msglen, deadline);
	if (r < 0)
		return r;
	*len = msglen;
	return 0;
}

int hip_ctl_recv(int fd, uint8_t *buf, size_t cap, size_t *len,
		 int timeout_ms)
{
	if (fd < 0 || !buf || !len)
		return HIP_EINVAL;
	return ctl_recv_deadline(fd, buf, cap, len, ctl_deadline(timeout_ms));
}

int hip_ctl_request(int fd, const struct hip_ctl_msg *m, uint8_t *buf,
		    size_t cap, size_t *len, int timeout_ms)
{
	int64_t deadline = ctl_deadline(timeout_ms);
	const uint8_t *frame;
	struct hip_ctl_hdr req, rep;
	struct hip_ctl_iter attrs;
	size_t flen, n;
	int r;

	if (fd < 0 || !buf || !len)
		return HIP_EINVAL;
	r = hip_ctl_msg_frame(m, &frame, &flen);
	if (r < 0)
		return r;
	r = hip_ctl_parse_hdr(frame + HIP_CTL_LEN_PREFIX,
			      flen - HIP_CTL_LEN_PREFIX, &req);
	if (r < 0)
		return r;
	if (req.kind != HIP_CTL_REQUEST)
		return HIP_EINVAL;
	r = ctl_send_all(fd, frame, flen, deadline);
	if (r < 0)
		return r;
	for (;;) {
		r = ctl_recv_deadline(fd, buf, cap, &n, deadline);
		if (r < 0)
			return r;
		r = hip_ctl_parse(buf, n, &rep, &attrs);
		if (r < 0)
			return r;
		if (rep.version != HIP_CTL_VERSION)
			return HIP_EVERSION;
		if (rep.kind == HIP_CTL_EVENT)
			continue;
		if (rep.kind != HIP_CTL_REPLY || rep.id != req.id)
			return HIP_EFORMAT;
		*len = n;
		return 0;
	}
}
