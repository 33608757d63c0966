/*
 * test_net_lib.h - helpers for the network tests (test_net*.c): private
 * network namespaces, ip(8) commands, waiting on descriptors.
 *
 * Every test runs in a forked child (CK_FORK): it unshares its own
 * network namespaces, which the kernel deletes, with everything in
 * them, when the child exits, also when a test fails.
 */
#ifndef TEST_NET_LIB_H
#define TEST_NET_LIB_H

#include <stddef.h>
#include <netinet/in.h>

#define TNET_SKIP 77

/* 77 unless we are root and may create network namespaces (checked in
 * a throw-away child); 0 when the tests can run. */
int tnet_can_run(void);

/* Enter a new network namespace with lo up; returns an fd of it
 * (/proc/self/ns/net) for tnet_enter; aborts the test on failure. */
int tnet_new_netns(void);
/* Switch the calling process to the namespace fd. */
void tnet_enter(int nsfd);
/* "/proc/PID/fd/N": a path ip(8) takes for "netns". */
void tnet_ns_path(int nsfd, char *buf, size_t cap);

/* Run a shell command (printf format) in the current namespace; its
 * exit status (-1 when it could not run).  Output goes to stderr. */
int tnet_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run it and capture stdout (NUL-terminated, cut at cap-1). */
int tnet_sh_out(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Wait up to ms for fd to become readable: 1 readable, 0 timeout. */
int tnet_wait_readable(int fd, int ms);

/* inet_pton into an in6_addr (IPv4 as v4-mapped); aborts on bad text. */
struct in6_addr tnet_addr(const char *text);
/* Text form (IPv4 for v4-mapped) into buf (INET6_ADDRSTRLEN). */
const char *tnet_ntop(const struct in6_addr *a, char *buf, size_t cap);

#endif
