/*
 * test_net_hitdev.c - HITs and LSIs on the HIT interface (hipd/hitdev.c)
 * in a private network namespace: the routes and addresses it adds, the
 * source address the kernel then picks for a peer HIT or LSI (checked
 * with `ip route get` and with a UDP socket), exact removal at close,
 * clean-up after a crashed instance, refusals, and (with hipd's XFRM
 * trigger policies) an ACQUIRE for traffic to a peer HIT whose inner
 * source is our HIT.
 *
 * The dummy driver decides which interface is used: hip0 where it
 * exists (e.g. under test/uml: test/netns/test_net_uml.sh sets
 * HIPD_TEST_EXPECT_DUMMY to insist on it), lo otherwise; both paths run
 * the same checks, and the lo path is also forced with HIP_HITDEV_USE_LO.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <check.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/hitdev.h"
#include "hipd/kernel.h"
#include "test/unit/test_net_lib.h"

#define HIT1	"2001:2a:1111:2222:3333:4444:5555:6666"
#define HIT2	"2001:2a:aaaa:bbbb:cccc:dddd:eeee:ffff"
#define PEER	"2001:2b:9999:8888:7777:6666:5555:4444"
#define LSI1	"1.85.102.102"
#define PEERLSI	"1.68.85.68"

static char out[8192];

static void hit_of(const char *text, uint8_t hit[HIP_HIT_LEN])
{
	struct in6_addr a = tnet_addr(text);

	memcpy(hit, a.s6_addr, HIP_HIT_LEN);
}

static void lsi_of(const char *text, uint8_t lsi[HIP_LSI_LEN])
{
	struct in6_addr a = tnet_addr(text);

	memcpy(lsi, a.s6_addr + 12, HIP_LSI_LEN);
}

/* A namespace with an ordinary uplink: eth0 with a global address and a
 * default route, so the HIT route has competition. */
static void netns_with_uplink(void)
{
	(void)tnet_new_netns();
	ck_assert_int_eq(tnet_sh("ip link add eth0 type veth peer name peer0"
				 " && ip link set eth0 up && ip link set "
				 "peer0 up && ip addr add 2001:db8::1/64 dev "
				 "eth0 nodad && ip addr add 192.0.2.1/24 dev "
				 "eth0 && ip -6 route add default via "
				 "2001:db8::fe && ip route add default via "
				 "192.0.2.254"), 0);
}

/* The source address the kernel picks for dst, via connect(2). */
static struct in6_addr udp_source(const char *dst)
{
	struct in6_addr d = tnet_addr(dst), r;
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(9) };
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_port = htons(9) };
	socklen_t sl;
	int fd, v4 = d.s6_addr[10] == 0xff && d.s6_addr[0] == 0;

	fd = socket(v4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&r, 0, sizeof(r));
	if (v4) {
		memcpy(&s4.sin_addr, d.s6_addr + 12, 4);
		ck_assert_int_eq(connect(fd, (struct sockaddr *)&s4,
					 sizeof(s4)), 0);
		sl = sizeof(s4);
		ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&s4, &sl),
				 0);
		r.s6_addr[10] = r.s6_addr[11] = 0xff;
		memcpy(r.s6_addr + 12, &s4.sin_addr, 4);
	} else {
		s6.sin6_addr = d;
		ck_assert_int_eq(connect(fd, (struct sockaddr *)&s6,
					 sizeof(s6)), 0);
		sl = sizeof(s6);
		ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&s6, &sl),
				 0);
		r = s6.sin6_addr;
	}
	close(fd);
	return r;
}

static void assert_clean(const char *ifname)
{
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -6 route show table all proto 139; "
				     "ip -4 route show table all proto 139; "
				     "ip addr show | grep -e 2001:2 -e "
				     "'inet 1\\.'"), 1);
	ck_assert_msg(out[0] == '\0', "left behind: %s", out);
	if (strcmp(ifname, "lo") != 0)
		ck_assert_int_ne(tnet_sh("ip link show %s 2>/dev/null",
					 ifname), 0);
}

static void source_selection(unsigned flags)
{
	struct hip_hitdev *d;
	uint8_t hit[HIP_HIT_LEN], lsi[HIP_LSI_LEN];
	struct in6_addr src, want;
	char ifname[16], line[256];

	netns_with_uplink();
	/* Before: a peer HIT goes out by the default route. */
	src = udp_source(PEER);
	want = tnet_addr("2001:db8::1");
	ck_assert_mem_eq(&src, &want, 16);

	ck_assert_int_eq(hip_hitdev_open(&d, NULL, flags), 0);
	strcpy(ifname, hip_hitdev_ifname(d));
	ck_assert_uint_ne(hip_hitdev_ifindex(d), 0);
	if (flags & HIP_HITDEV_USE_LO)
		ck_assert_str_eq(ifname, "lo");
	ck_assert_str_eq(ifname, hip_hitdev_is_dummy(d) ? "hip0" : "lo");
	/* test_net_uml.sh runs us where the dummy driver exists. */
	if (!(flags & HIP_HITDEV_USE_LO) &&
	    getenv("HIPD_TEST_EXPECT_DUMMY") != NULL)
		ck_assert(hip_hitdev_is_dummy(d));
	hit_of(HIT1, hit);
	lsi_of(LSI1, lsi);
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), 0);
	ck_assert_int_eq(hip_hitdev_add_lsi(d, lsi), 0);

	/* The routes and addresses, as ip(8) shows them. */
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -6 route show proto 139"), 0);
	snprintf(line, sizeof(line), "2001:20::/28 dev %s ", ifname);
	ck_assert_msg(strstr(out, line) != NULL, "routes: %s", out);
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -4 route show proto 139"), 0);
	snprintf(line, sizeof(line), "1.0.0.0/8 dev %s ", ifname);
	ck_assert_msg(strstr(out, line) != NULL, "routes: %s", out);
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip addr show dev %s", ifname), 0);
	ck_assert_msg(strstr(out, "inet6 " HIT1 "/128 ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "inet " LSI1 "/32 ") != NULL, "%s", out);
	ck_assert_ptr_null(strstr(out, "tentative"));
	if (hip_hitdev_is_dummy(d))	/* addrgenmode none: no fe80:: */
		ck_assert_ptr_null(strstr(out, "fe80:"));

	/* Source address selection now picks our HIT and LSI. */
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -6 route get " PEER), 0);
	ck_assert_msg(strstr(out, " src " HIT1 " ") != NULL, "%s", out);
	snprintf(line, sizeof(line), " dev %s ", ifname);
	ck_assert_msg(strstr(out, line) != NULL, "%s", out);
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -4 route get " PEERLSI), 0);
	ck_assert_msg(strstr(out, " src " LSI1 " ") != NULL, "%s", out);
	src = udp_source(PEER);
	want = tnet_addr(HIT1);
	ck_assert_mem_eq(&src, &want, 16);
	src = udp_source(PEERLSI);
	want = tnet_addr(LSI1);
	ck_assert_mem_eq(&src, &want, 16);
	/* Ordinary destinations are not affected. */
	src = udp_source("2001:db8:5::5");
	want = tnet_addr("2001:db8::1");
	ck_assert_mem_eq(&src, &want, 16);

	/* A second HIT; removing the first leaves the second as source. */
	hit_of(HIT2, hit);
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), 0);
	hit_of(HIT1, hit);
	ck_assert_int_eq(hip_hitdev_del_hit(d, hit), 0);
	src = udp_source(PEER);
	want = tnet_addr(HIT2);
	ck_assert_mem_eq(&src, &want, 16);

	hip_hitdev_close(d);
	assert_clean(ifname);
	/* And the peer HIT is back on the default route. */
	src = udp_source(PEER);
	want = tnet_addr("2001:db8::1");
	ck_assert_mem_eq(&src, &want, 16);
}

START_TEST(test_source_default)
{
	source_selection(0);
}
END_TEST

START_TEST(test_source_lo)
{
	source_selection(HIP_HITDEV_USE_LO);
}
END_TEST

START_TEST(test_refusals)
{
	struct hip_hitdev *d;
	uint8_t hit[HIP_HIT_LEN], lsi[HIP_LSI_LEN], i;
	char ifname[16];

	(void)tnet_new_netns();
	ck_assert_int_eq(hip_hitdev_open(NULL, NULL, 0), HIP_EINVAL);
	ck_assert_int_eq(hip_hitdev_open(&d, "lo", 0), HIP_EINVAL);
	ck_assert_int_eq(hip_hitdev_open(&d, "", 0), HIP_EINVAL);
	ck_assert_int_eq(hip_hitdev_open(&d, "a-very-long-ifname", 0),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_hitdev_open(&d, NULL, 0x80), HIP_EINVAL);
	ck_assert_int_eq(hip_hitdev_open(&d, NULL, HIP_HITDEV_NO_LSI), 0);
	strcpy(ifname, hip_hitdev_ifname(d));
	/* No LSI route was asked for. */
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -4 route show proto 139"), 0);
	ck_assert_str_eq(out, "");

	hit_of("2001:db8::1", hit);
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), HIP_EINVAL);
	lsi_of("192.0.2.1", lsi);
	ck_assert_int_eq(hip_hitdev_add_lsi(d, lsi), HIP_EINVAL);
	hit_of(HIT1, hit);
	ck_assert_int_eq(hip_hitdev_del_hit(d, hit), HIP_ENOENT);
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), 0);
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), HIP_EEXIST);
	lsi_of(LSI1, lsi);
	ck_assert_int_eq(hip_hitdev_del_lsi(d, lsi), HIP_ENOENT);
	/* Someone else removes our HIT: deleting it still succeeds. */
	ck_assert_int_eq(tnet_sh("ip addr del " HIT1 "/128 dev %s", ifname),
			 0);
	ck_assert_int_eq(hip_hitdev_del_hit(d, hit), 0);
	ck_assert_int_eq(hip_hitdev_del_hit(d, hit), HIP_ENOENT);
	/* At most HIP_HITDEV_MAX. */
	for (i = 0; i < HIP_HITDEV_MAX; i++) {
		hit[15] = i;
		ck_assert_int_eq(hip_hitdev_add_hit(d, hit), 0);
	}
	hit[15] = i;
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), HIP_ENOSPC);
	hip_hitdev_close(d);
	assert_clean(ifname);
}
END_TEST

/* An instance that dies without closing leaves its interface, routes
 * and addresses; the next open clears them and starts afresh. */
START_TEST(test_crash_leftovers)
{
	struct hip_hitdev *d;
	uint8_t hit[HIP_HIT_LEN], lsi[HIP_LSI_LEN];
	char ifname[16];
	pid_t pid;
	int st;

	(void)tnet_new_netns();
	hit_of(HIT1, hit);
	lsi_of(LSI1, lsi);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (hip_hitdev_open(&d, NULL, 0) < 0 ||
		    hip_hitdev_add_hit(d, hit) < 0 ||
		    hip_hitdev_add_lsi(d, lsi) < 0)
			_exit(1);
		_exit(0);	/* "crash": no close */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out), "ip addr show"), 0);
	ck_assert_ptr_nonnull(strstr(out, HIT1));

	ck_assert_int_eq(hip_hitdev_open(&d, NULL, 0), 0);
	strcpy(ifname, hip_hitdev_ifname(d));
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out), "ip addr show"), 0);
	ck_assert_msg(strstr(out, HIT1) == NULL, "%s", out);
	ck_assert_msg(strstr(out, LSI1) == NULL, "%s", out);
	/* The same HIT can be added again, and removed at close. */
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), 0);
	ck_assert_int_eq(hip_hitdev_add_lsi(d, lsi), 0);
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out),
				     "ip -6 route show proto 139 | wc -l"), 0);
	ck_assert_str_eq(out, "1\n");
	hip_hitdev_close(d);
	assert_clean(ifname);
}
END_TEST

/* Conflicts: a route of someone else's for the HIT prefix, and an
 * interface called hip0 that is not a dummy.  Open fails, leaves what
 * it found and adds nothing. */
START_TEST(test_conflicts)
{
	struct hip_hitdev *d;

	(void)tnet_new_netns();
	ck_assert_int_eq(tnet_sh("ip -6 route add 2001:20::/28 dev lo "
				 "proto static"), 0);
	ck_assert_int_eq(hip_hitdev_open(&d, NULL, HIP_HITDEV_USE_LO),
			 HIP_EEXIST);
	ck_assert_int_eq(tnet_sh_out(out, sizeof(out), "ip -6 route show"),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "2001:20::/28 dev lo proto static"));
	assert_clean("hip0");
	ck_assert_int_eq(tnet_sh("ip -6 route del 2001:20::/28 dev lo"), 0);

	ck_assert_int_eq(tnet_sh("ip link add hip0 type veth peer name "
				 "hip0p"), 0);
	ck_assert_int_eq(hip_hitdev_open(&d, NULL, 0), HIP_EEXIST);
	ck_assert_int_eq(tnet_sh("ip link show hip0 > /dev/null"), 0);
	ck_assert_int_eq(hip_hitdev_open(&d, "hipx", 0), 0);
	ck_assert_int_eq(tnet_sh("ip link show hip0 > /dev/null"), 0);
	hip_hitdev_close(d);
	assert_clean("hipx");
}
END_TEST

struct acq {
	unsigned n;
	struct hip_kernel_event ev;
};

static void acq_collect(const struct hip_kernel_event *ev, void *arg)
{
	struct acq *a = arg;

	if (ev->type == HIP_KEV_ACQUIRE && a->n++ == 0)
		a->ev = *ev;
}

/* Send a datagram to dst (an IPv6 address) and wait for the kernel's
 * ACQUIRE. */
static void acquire_wait(struct hip_kernel *k, const char *dst,
			 struct acq *a)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(9) };
	int fd, i;

	memset(a, 0, sizeof(*a));
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	s6.sin6_addr = tnet_addr(dst);
	/* Dropped while the larval SA exists; the ACQUIRE is the point. */
	(void)sendto(fd, "x", 1, 0, (struct sockaddr *)&s6, sizeof(s6));
	close(fd);
	for (i = 0; i < 40 && a->n == 0; i++) {
		struct pollfd p = { .fd = hip_kernel_event_fd(k),
				    .events = POLLIN };

		(void)poll(&p, 1, 50);
		ck_assert_int_ge(hip_kernel_read_events(k, 16, acq_collect,
							a), 0);
	}
	ck_assert_msg(a->n >= 1, "no ACQUIRE for %s", dst);
}

/* With the trigger policies of hipd/kernel.h installed, traffic to a
 * peer HIT goes into XFRM with our HIT as inner source: the kernel's
 * ACQUIRE names the pair.  (LSIs: not checked.  An IPv4 BEET trigger
 * policy for 1.0.0.0/8 gave no ACQUIRE here, neither on the host nor
 * under UML, neither via lo nor via hip0; that belongs to the LSI work.
 * Note also that lo has net.ipv4.conf.lo.disable_xfrm=1.) */
static void acquire_from_hit(unsigned flags)
{
	struct hip_hitdev *d;
	struct hip_kernel *k = NULL;
	struct hip_kernel_policy pout, pin;
	struct in6_addr h1 = tnet_addr(HIT1), peer = tnet_addr(PEER);
	struct acq a;
	uint8_t hit[HIP_HIT_LEN];
	char why[256];
	int err;

	netns_with_uplink();
	ck_assert_int_eq(hip_hitdev_open(&d, NULL, flags), 0);
	hit_of(HIT1, hit);
	ck_assert_int_eq(hip_hitdev_add_hit(d, hit), 0);
	err = hip_kernel_open("xfrm", HIP_KERNEL_OPEN_NOPROBE, &k, why,
			      sizeof(why));
	ck_assert_msg(err == 0, "kernel: %s %s", hip_strerror(err), why);
	hip_kernel_trigger_policies(AF_INET6, &pout, &pin);
	ck_assert_int_eq(hip_kernel_add_policy(k, &pout), 0);
	ck_assert_int_eq(hip_kernel_add_policy(k, &pin), 0);

	acquire_wait(k, PEER, &a);
	ck_assert_int_eq(a.ev.u.acquire.inner.family, AF_INET6);
	ck_assert_mem_eq(a.ev.u.acquire.inner.src.b, h1.s6_addr, 16);
	ck_assert_mem_eq(a.ev.u.acquire.inner.dst.b, peer.s6_addr, 16);

	ck_assert_int_eq(hip_kernel_flush_owned(k, NULL), 0);
	hip_kernel_close(k);
	hip_hitdev_close(d);
	assert_clean(flags & HIP_HITDEV_USE_LO ? "lo" : "hip0");
}

START_TEST(test_acquire_default)
{
	acquire_from_hit(0);
}
END_TEST

START_TEST(test_acquire_lo)
{
	acquire_from_hit(HIP_HITDEV_USE_LO);
}
END_TEST

static Suite *hitdev_suite(void)
{
	Suite *s = suite_create("hitdev");
	TCase *tc = tcase_create("hitdev");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_source_default);
	tcase_add_test(tc, test_source_lo);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_crash_leftovers);
	tcase_add_test(tc, test_conflicts);
	tcase_add_test(tc, test_acquire_default);
	tcase_add_test(tc, test_acquire_lo);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed, skip = tnet_can_run();

	if (skip)
		return skip;
	sr = srunner_create(hitdev_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
