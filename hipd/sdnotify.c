/*
 * sdnotify.c - the sd_notify datagram protocol (see sdnotify.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/sdnotify.h"

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static void unset_all(void)
{
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int hipd_notify_open(struct hipd_notify *n, char *err, size_t errcap)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	const char *wd = getenv("WATCHDOG_USEC");
	const char *wpid = getenv("WATCHDOG_PID");
	struct hipd_notify nn;
	size_t len;
	uint64_t v;

	memset(&nn, 0, sizeof(nn));
	nn.fd = -1;
	if (sock == NULL || *sock == '\0') {
		unset_all();
		*n = nn;
		return 0;
	}
	len = strlen(sock);
	if ((sock[0] != '/' && sock[0] != '@') || len < 2 ||
	    len >= sizeof(nn.addr.sun_path)) {
		snprintf(err, errcap, "NOTIFY_SOCKET=%.*s: not a unix socket "
			 "path or @abstract name", 80, sock);
		unset_all();
		return HIP_EINVAL;
	}
	nn.addr.sun_family = AF_UNIX;
	memcpy(nn.addr.sun_path, sock, len);
	if (sock[0] == '@')
		nn.addr.sun_path[0] = '\0';	/* abstract: no terminator */
	else
		len++;
	nn.addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				  len);
	if (wd != NULL) {
		/* the watchdog is ours unless WATCHDOG_PID names another
		 * process (a wrapper that exec'd us keeps the pid) */
		uint64_t pid;

		if (parse_u64(wd, &v) < 0) {
			snprintf(err, errcap, "WATCHDOG_USEC=%.*s: not a "
				 "number", 40, wd);
			unset_all();
			return HIP_EINVAL;
		}
		if (wpid == NULL || (parse_u64(wpid, &pid) == 0 &&
				     pid == (uint64_t)getpid()))
			nn.watchdog_usec = v;
	}
	nn.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (nn.fd < 0) {
		snprintf(err, errcap, "notify socket: %s", strerror(errno));
		unset_all();
		return HIP_EIO;
	}
	unset_all();
	*n = nn;
	return 0;
}

void hipd_notify_close(struct hipd_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	n->watchdog_usec = 0;
}

bool hipd_notify_enabled(const struct hipd_notify *n)
{
	return n->fd >= 0;
}

int hipd_notify_send(struct hipd_notify *n, const char *text)
{
	size_t len = strlen(text);
	ssize_t w;

	if (n->fd < 0)
		return 0;
	if (len == 0 || len > HIPD_NOTIFY_MAX)
		return HIP_EINVAL;
	do
		w = sendto(n->fd, text, len, MSG_NOSIGNAL,
			   (const struct sockaddr *)&n->addr, n->addr_len);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)len ? 0 : HIP_EIO;
}

/* "STATUS=" + status on one line: newlines would start new variables. */
static void put_status(char *buf, size_t cap, size_t *len,
		       const char *status)
{
	int n = snprintf(buf + *len, cap - *len, "STATUS=%s\n", status);

	if (n < 0 || (size_t)n >= cap - *len)
		n = (int)(cap - *len - 1);
	for (size_t i = *len + 7; i < *len + (size_t)n - 1; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	buf[*len + (size_t)n - 1] = '\n';
	*len += (size_t)n;
}

int hipd_notify_ready(struct hipd_notify *n, const char *status)
{
	char buf[HIPD_NOTIFY_MAX + 1];
	size_t len;

	len = (size_t)snprintf(buf, sizeof(buf), "READY=1\nMAINPID=%ld\n",
			       (long)getpid());
	if (status != NULL)
		put_status(buf, sizeof(buf), &len, status);
	return hipd_notify_send(n, buf);
}

int hipd_notify_reloading(struct hipd_notify *n)
{
	struct timespec ts;
	char buf[96];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu\n",
		 (unsigned long long)ts.tv_sec * 1000000ULL +
		 (unsigned long long)ts.tv_nsec / 1000ULL);
	return hipd_notify_send(n, buf);
}

int hipd_notify_stopping(struct hipd_notify *n)
{
	return hipd_notify_send(n, "STOPPING=1\n");
}

int hipd_notify_status(struct hipd_notify *n, const char *status)
{
	char buf[HIPD_NOTIFY_MAX + 1];
	size_t len = 0;

	put_status(buf, sizeof(buf), &len, status);
	return hipd_notify_send(n, buf);
}

int hipd_notify_watchdog(struct hipd_notify *n)
{
	if (n->watchdog_usec == 0)
		return 0;
	return hipd_notify_send(n, "WATCHDOG=1\n");
}

uint64_t hipd_notify_watchdog_ms(const struct hipd_notify *n)
{
	uint64_t ms = n->watchdog_usec / 2000;

	if (n->fd < 0 || n->watchdog_usec == 0)
		return 0;
	return ms ? ms : 1;
}
