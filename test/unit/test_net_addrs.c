/*
 * test_net_addrs.c - the host's locators (hipd/addrs.c) in a private
 * network namespace: which addresses are listed, the events that
 * address and link changes produce, and the route source lookup.
 *
 *   v0 (up, peer v1 up): 2001:db8:1::1/64, fd00::1/64, 192.0.2.1/24,
 *        2001:db8:1::5/64 deprecated, fe80:: (kernel), 169.254.1.1/16
 *   v2 (down, peer v3):  2001:db8:3::1/64 with DAD, so tentative
 *   lo: ::1, 127.0.0.1, a HIT and an LSI
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <check.h>

#include "hip/error.h"
#include "hipd/addrs.h"
#include "test/unit/test_net_lib.h"

#define WAIT_MS 10000
#define MAX_EV 64

static void setup_addrs(void)
{
	(void)tnet_new_netns();
	ck_assert_int_eq(tnet_sh(
		"ip link add v0 type veth peer name v1 && "
		"ip link add v2 type veth peer name v3 && "
		"ip link set v0 up && ip link set v1 up && "
		"ip addr add 2001:db8:1::1/64 dev v0 nodad && "
		"ip addr add fd00::1/64 dev v0 nodad && "
		"ip addr add 192.0.2.1/24 dev v0 && "
		"ip addr add 2001:db8:1::5/64 dev v0 nodad preferred_lft 0 && "
		"ip addr add 169.254.1.1/16 dev v0 && "
		"ip addr add 2001:db8:3::1/64 dev v2 && "
		"ip addr add 2001:2a::1/128 dev lo nodad && "
		"ip addr add 1.2.3.4/32 dev lo"), 0);
}

static int has_loc(const struct hip_locator *v, size_t n, const char *text,
		   unsigned ifindex, uint8_t plen)
{
	struct in6_addr a = tnet_addr(text);
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(&v[i].addr, &a, 16) == 0 &&
		    v[i].ifindex == ifindex && v[i].plen == plen)
			return 1;
	return 0;
}

START_TEST(test_list)
{
	struct hip_addrs *a;
	struct hip_locator v[16], one[1];
	size_t n = 99;
	unsigned v0;

	setup_addrs();
	v0 = if_nametoindex("v0");
	ck_assert_int_eq(hip_addrs_open(&a, HIP_ADDRS_NO_EVENTS), 0);
	ck_assert_int_eq(hip_addrs_event_fd(a), -1);
	ck_assert_int_eq(hip_addrs_list(a, v, 16, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(has_loc(v, n, "2001:db8:1::1", v0, 64));
	ck_assert(has_loc(v, n, "fd00::1", v0, 64));
	ck_assert(has_loc(v, n, "192.0.2.1", v0, 24));
	/* Too small: the count, the first entries, HIP_ENOSPC. */
	ck_assert_int_eq(hip_addrs_list(a, one, 1, &n), HIP_ENOSPC);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(&one[0], &v[0], sizeof(one[0])) == 0 ||
		  memcmp(&one[0], &v[1], sizeof(one[0])) == 0 ||
		  memcmp(&one[0], &v[2], sizeof(one[0])) == 0);
	ck_assert_int_eq(hip_addrs_list(a, NULL, 0, &n), HIP_ENOSPC);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(hip_addrs_list(a, NULL, 1, &n), HIP_EINVAL);
	/* Once DAD is done on v2, its address counts too. */
	ck_assert_int_eq(tnet_sh("ip link set v2 up && ip link set v3 up && "
				 "for i in $(seq 50); do ip -6 addr show "
				 "tentative | grep -q . || exit 0; "
				 "sleep 0.1; done; exit 1"), 0);
	ck_assert_int_eq(hip_addrs_list(a, v, 16, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert(has_loc(v, n, "2001:db8:3::1", if_nametoindex("v2"), 64));
	hip_addrs_close(a);
}
END_TEST

START_TEST(test_usable)
{
	static const struct {
		const char *addr;
		uint32_t flags;
		uint8_t scope;
		int usable;
	} t[] = {
		{ "2001:db8::1", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "2a00:1450::1", IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 1 },
		{ "fd12:3456::1", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "192.0.2.1", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "10.1.2.3", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "2001:db8::1", IFA_F_TENTATIVE, RT_SCOPE_UNIVERSE, 0 },
		{ "2001:db8::1", IFA_F_DEPRECATED, RT_SCOPE_UNIVERSE, 0 },
		{ "2001:db8::1", IFA_F_DADFAILED, RT_SCOPE_UNIVERSE, 0 },
		{ "2001:db8::1", 0, RT_SCOPE_LINK, 0 },
		{ "::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "::", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "::192.0.2.1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "fe80::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "febf::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "fec0::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "ff02::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "2001:20::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "2001:2f:ffff::1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "2001:30::1", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "2001:1f::1", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "127.0.0.1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "0.1.2.3", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "169.254.1.1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "224.0.0.1", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "255.255.255.255", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "1.2.3.4", 0, RT_SCOPE_UNIVERSE, 0 },
		{ "2.2.3.4", 0, RT_SCOPE_UNIVERSE, 1 },
		{ "192.0.2.1", 0, RT_SCOPE_HOST, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct in6_addr a = tnet_addr(t[i].addr);

		ck_assert_msg(hip_addrs_usable(&a, t[i].flags, t[i].scope) ==
			      t[i].usable, "%s flags %#x scope %u",
			      t[i].addr, t[i].flags, t[i].scope);
	}
	ck_assert_int_eq(hip_addrs_usable(NULL, 0, 0), 0);
}
END_TEST

struct ev_log {
	struct hip_addrs_event ev[MAX_EV];
	size_t n;
};

static void ev_record(const struct hip_addrs_event *ev, void *arg)
{
	struct ev_log *l = arg;

	if (l->n < MAX_EV)
		l->ev[l->n++] = *ev;
}

/* Read events until one of type for addr (NULL: any address) on
 * ifindex arrives; 1 found, 0 not within WAIT_MS. */
static int wait_event(struct hip_addrs *a, struct ev_log *l,
		      enum hip_addrs_event_type type, const char *addr,
		      unsigned ifindex)
{
	struct in6_addr want;
	int waited;
	size_t i;

	if (addr != NULL)
		want = tnet_addr(addr);
	for (waited = 0; waited <= WAIT_MS; waited += 50) {
		for (i = 0; i < l->n; i++) {
			const struct hip_addrs_event *e = &l->ev[i];

			if (e->type == type && e->ifindex == ifindex &&
			    (addr == NULL ||
			     memcmp(&e->loc.addr, &want, 16) == 0))
				return 1;
		}
		(void)tnet_wait_readable(hip_addrs_event_fd(a), 50);
		ck_assert_int_ge(hip_addrs_read_events(a, 16, ev_record, l),
				 0);
	}
	return 0;
}

static int saw_addr(const struct ev_log *l, const char *addr)
{
	struct in6_addr want = tnet_addr(addr);
	size_t i;

	for (i = 0; i < l->n; i++)
		if (memcmp(&l->ev[i].loc.addr, &want, 16) == 0)
			return 1;
	return 0;
}

START_TEST(test_events)
{
	struct hip_addrs *a;
	struct ev_log l;
	unsigned v0, v2;

	setup_addrs();
	v0 = if_nametoindex("v0");
	ck_assert_int_eq(hip_addrs_open(&a, 0), 0);
	ck_assert_int_ge(hip_addrs_event_fd(a), 0);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(hip_addrs_read_events(a, 16, ev_record, &l), 0);

	ck_assert_int_eq(tnet_sh("ip addr add 2001:db8:2::1/64 dev v0 nodad"),
			 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_ADD, "2001:db8:2::1", v0));
	ck_assert_int_eq(l.ev[l.n - 1].loc.plen, 64);
	ck_assert_int_eq(tnet_sh("ip addr add 198.51.100.7/24 dev v0"), 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_ADD, "198.51.100.7", v0));
	/* Becoming deprecated makes it unusable: DEL. */
	ck_assert_int_eq(tnet_sh("ip addr change 2001:db8:2::1/64 dev v0 "
				 "preferred_lft 0"), 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_DEL, "2001:db8:2::1", v0));
	ck_assert_int_eq(tnet_sh("ip addr del 198.51.100.7/24 dev v0"), 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_DEL, "198.51.100.7", v0));

	/* Links. */
	ck_assert_int_eq(tnet_sh("ip link set v0 down"), 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_LINK_DOWN, NULL, v0));
	ck_assert_int_eq(tnet_sh("ip link set v0 up"), 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_LINK_UP, NULL, v0));

	/* HITs, LSIs, link-local and loopback addresses make no events. */
	ck_assert_int_eq(tnet_sh("ip addr add 2001:2a::2/128 dev lo nodad "
				 "&& ip addr add 1.2.3.5/32 dev lo && "
				 "ip addr add fe80::99/64 dev v0 nodad && "
				 "ip addr add 127.0.0.2/8 dev lo && "
				 "ip addr add 2001:db8:4::4/64 dev v0 nodad"),
			 0);
	/* The last one is a locator: once it is seen, the others (added
	 * before it) would have been read too. */
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_ADD, "2001:db8:4::4", v0));
	ck_assert(!saw_addr(&l, "2001:2a::2"));
	ck_assert(!saw_addr(&l, "1.2.3.5"));
	ck_assert(!saw_addr(&l, "fe80::99"));
	ck_assert(!saw_addr(&l, "127.0.0.2"));

	/* An interface that goes away: link down (DELLINK).  v2 was
	 * never up, so no earlier LINK_DOWN names it. */
	v2 = if_nametoindex("v2");
	ck_assert_uint_ne(v2, 0);
	ck_assert_int_eq(tnet_sh("ip link del v2"), 0);
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_LINK_DOWN, NULL, v2));
	ck_assert_int_eq(hip_addrs_read_events(NULL, 1, ev_record, &l),
			 HIP_EINVAL);
	hip_addrs_close(a);
}
END_TEST

/* A burst the socket buffer cannot hold: the kernel drops events and
 * says so (ENOBUFS), which comes out as an OVERRUN event; reading goes
 * on afterwards. */
START_TEST(test_overrun)
{
	struct hip_addrs *a;
	struct ev_log l;
	int small = 1, fd, i, overrun = 0;

	setup_addrs();
	ck_assert_int_eq(hip_addrs_open(&a, 0), 0);
	fd = hip_addrs_event_fd(a);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small,
				    sizeof(small)), 0);
	ck_assert_int_eq(tnet_sh("for i in $(seq 1 200); do echo addr add "
				 "2001:db8:5::$i/64 dev v0 nodad; done | "
				 "ip -batch -"), 0);
	memset(&l, 0, sizeof(l));
	/* Read until the overrun was seen and nothing more waits. */
	for (i = 0; i < 1000; i++) {
		size_t k;
		int got;

		l.n = 0;
		got = hip_addrs_read_events(a, 16, ev_record, &l);
		ck_assert_int_ge(got, 0);
		for (k = 0; k < l.n; k++)
			if (l.ev[k].type == HIP_ADDRS_EV_OVERRUN)
				overrun = 1;
		if (overrun && got == 0)
			break;
	}
	ck_assert(overrun);
	/* Still usable: a new change is reported. */
	ck_assert_int_eq(tnet_sh("ip addr add 2001:db8:6::1/64 dev v0 nodad"),
			 0);
	l.n = 0;
	ck_assert(wait_event(a, &l, HIP_ADDRS_EV_ADD, "2001:db8:6::1",
			     if_nametoindex("v0")));
	hip_addrs_close(a);
}
END_TEST

START_TEST(test_route_src)
{
	struct hip_addrs *a;
	struct in6_addr dst, src, want;
	unsigned ifindex = 0, v0;

	setup_addrs();
	v0 = if_nametoindex("v0");
	ck_assert_int_eq(hip_addrs_open(&a, HIP_ADDRS_NO_EVENTS), 0);
	dst = tnet_addr("2001:db8:1::99");
	ck_assert_int_eq(hip_addrs_route_src(a, &dst, &src, &ifindex), 0);
	want = tnet_addr("2001:db8:1::1");
	ck_assert_mem_eq(&src, &want, 16);
	ck_assert_uint_eq(ifindex, v0);
	dst = tnet_addr("fd00::77");
	ck_assert_int_eq(hip_addrs_route_src(a, &dst, &src, NULL), 0);
	want = tnet_addr("fd00::1");
	ck_assert_mem_eq(&src, &want, 16);
	dst = tnet_addr("192.0.2.99");
	ifindex = 0;
	ck_assert_int_eq(hip_addrs_route_src(a, &dst, &src, &ifindex), 0);
	want = tnet_addr("192.0.2.1");
	ck_assert_mem_eq(&src, &want, 16);
	ck_assert_uint_eq(ifindex, v0);
	/* A route with a preferred source. */
	ck_assert_int_eq(tnet_sh("ip addr add 192.0.2.7/24 dev v0 && "
				 "ip route add 203.0.113.0/24 dev v0 src "
				 "192.0.2.7"), 0);
	dst = tnet_addr("203.0.113.1");
	ck_assert_int_eq(hip_addrs_route_src(a, &dst, &src, NULL), 0);
	want = tnet_addr("192.0.2.7");
	ck_assert_mem_eq(&src, &want, 16);
	/* No route: HIP_ENOENT, src untouched. */
	memset(&src, 0xee, sizeof(src));
	want = src;
	dst = tnet_addr("2001:db9::1");
	ck_assert_int_eq(hip_addrs_route_src(a, &dst, &src, NULL), HIP_ENOENT);
	dst = tnet_addr("198.51.100.1");
	ck_assert_int_eq(hip_addrs_route_src(a, &dst, &src, NULL), HIP_ENOENT);
	ck_assert_mem_eq(&src, &want, 16);
	ck_assert_int_eq(hip_addrs_route_src(a, NULL, &src, NULL), HIP_EINVAL);
	hip_addrs_close(a);
}
END_TEST

static Suite *addrs_suite(void)
{
	Suite *s = suite_create("addrs");
	TCase *tc = tcase_create("addrs");

	/* Under UML on a loaded machine a step can take seconds. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_usable);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_overrun);
	tcase_add_test(tc, test_route_src);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed, skip = tnet_can_run();

	if (skip)
		return skip;
	sr = srunner_create(addrs_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
