/*
 * test_net_lib.c - see test_net_lib.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <check.h>

#include "test/unit/test_net_lib.h"

int tnet_can_run(void)
{
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		fprintf(stderr, "skipped: needs root (network namespaces)\n");
		return TNET_SKIP;
	}
	if (system("command -v ip > /dev/null") != 0) {
		fprintf(stderr, "skipped: needs ip (iproute2)\n");
		return TNET_SKIP;
	}
	pid = fork();
	if (pid < 0)
		return TNET_SKIP;
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) == 0 ? 0 : 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		fprintf(stderr, "skipped: cannot create network namespaces\n");
		return TNET_SKIP;
	}
	return 0;
}

int tnet_new_netns(void)
{
	int fd;

	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare: %s",
		      strerror(errno));
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tnet_sh("ip link set lo up"), 0);
	return fd;
}

void tnet_enter(int nsfd)
{
	ck_assert_msg(setns(nsfd, CLONE_NEWNET) == 0, "setns: %s",
		      strerror(errno));
}

void tnet_ns_path(int nsfd, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/%ld/fd/%d", (long)getpid(), nsfd);
}

static int tnet_vsh(char *out, size_t cap, const char *fmt, va_list ap)
{
	char cmd[1024];
	FILE *p;
	size_t n = 0;
	int st;

	if (vsnprintf(cmd, sizeof(cmd), fmt, ap) >= (int)sizeof(cmd))
		return -1;
	if (out == NULL) {
		st = system(cmd);
	} else {
		p = popen(cmd, "r");
		if (p == NULL)
			return -1;
		if (cap > 0) {
			n = fread(out, 1, cap - 1, p);
			out[n] = '\0';
		}
		st = pclose(p);
	}
	if (st < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int tnet_sh(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = tnet_vsh(NULL, 0, fmt, ap);
	va_end(ap);
	return ret;
}

int tnet_sh_out(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = tnet_vsh(out, cap, fmt, ap);
	va_end(ap);
	return ret;
}

int tnet_wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	return n > 0 && (p.revents & POLLIN);
}

struct in6_addr tnet_addr(const char *text)
{
	struct in6_addr a;
	struct in_addr v4;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, &v4) == 1) {
		a.s6_addr[10] = a.s6_addr[11] = 0xff;
		memcpy(a.s6_addr + 12, &v4.s_addr, 4);
		return a;
	}
	ck_assert_msg(inet_pton(AF_INET6, text, &a) == 1, "bad address %s",
		      text);
	return a;
}

const char *tnet_ntop(const struct in6_addr *a, char *buf, size_t cap)
{
	static const uint8_t pfx[12] = { [10] = 0xff, [11] = 0xff };

	if (memcmp(a->s6_addr, pfx, 12) == 0)
		return inet_ntop(AF_INET, a->s6_addr + 12, buf, (socklen_t)cap);
	return inet_ntop(AF_INET6, a, buf, (socklen_t)cap);
}
