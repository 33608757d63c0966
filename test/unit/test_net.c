/*
 * test_net.c - raw HIP sockets (hipd/net.c) between two private network
 * namespaces joined by a veth pair: addresses and bytes of received
 * packets over IPv6 and IPv4, explicit source addresses, checksums left
 * alone by the kernel, packets not for us, and the IPv4 header parser.
 *
 *   nsA: va 2001:db8:1::1/64 192.0.2.1/24  <->  nsB: vb 2001:db8:1::2/64
 *        2001:db8:1::11/64 (second)                   192.0.2.2/24
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <check.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "hipd/net.h"
#include "test/unit/test_net_lib.h"

#define WAIT_MS 2000

struct pair {
	int nsa, nsb;
	struct hip_net *a, *b;	/* opened in nsA, nsB */
	unsigned ifa, ifb;	/* va in nsA, vb in nsB */
};

static void pair_setup(struct pair *p)
{
	char path[64];

	memset(p, 0, sizeof(*p));
	p->nsa = tnet_new_netns();
	ck_assert_int_eq(hip_net_open(&p->a, 0), 0);
	p->nsb = tnet_new_netns();
	ck_assert_int_eq(hip_net_open(&p->b, 0), 0);
	tnet_ns_path(p->nsa, path, sizeof(path));
	ck_assert_int_eq(tnet_sh("ip link add vb type veth peer name va "
				 "netns %s", path), 0);
	ck_assert_int_eq(tnet_sh("ip addr add 2001:db8:1::2/64 dev vb nodad"
				 " && ip addr add 192.0.2.2/24 dev vb"
				 " && ip link set vb up"), 0);
	p->ifb = if_nametoindex("vb");
	tnet_enter(p->nsa);
	ck_assert_int_eq(tnet_sh("ip addr add 2001:db8:1::1/64 dev va nodad"
				 " && ip addr add 2001:db8:1::11/64 dev va "
				 "nodad && ip addr add 192.0.2.1/24 dev va"
				 " && ip link set va up"), 0);
	p->ifa = if_nametoindex("va");
	ck_assert_uint_ne(p->ifa, 0);
	ck_assert_uint_ne(p->ifb, 0);
}

static void pair_teardown(struct pair *p)
{
	hip_net_close(p->a);
	hip_net_close(p->b);
	close(p->nsa);
	close(p->nsb);
}

/* A header-only HIP packet (I1) plus pad octets, checksummed for
 * src -> dst. */
static size_t make_packet(uint8_t *pkt, size_t cap, uint8_t fill,
			  const struct in6_addr *src,
			  const struct in6_addr *dst)
{
	struct hip_hdr h;
	size_t len = HIP_HDR_LEN + 16;

	ck_assert_uint_ge(cap, len);
	memset(&h, 0, sizeof(h));
	h.next_hdr = HIP_NEXTHDR_NONE;
	h.hdr_len = (uint8_t)(len / 8 - 1);
	h.type = HIP_I1;
	h.version = HIP_VERSION;
	memset(h.sender_hit.s6_addr, fill, 16);
	h.sender_hit.s6_addr[0] = 0x20;
	h.sender_hit.s6_addr[1] = 0x01;
	h.sender_hit.s6_addr[2] = 0x00;
	h.sender_hit.s6_addr[3] = 0x2a;
	h.receiver_hit = h.sender_hit;
	h.receiver_hit.s6_addr[15] ^= 1;
	ck_assert_int_eq(hip_hdr_write(&h, pkt, cap), 0);
	memset(pkt + HIP_HDR_LEN, fill, len - HIP_HDR_LEN);
	ck_assert_int_eq(hip_packet_set_checksum(pkt, len, src, dst), 0);
	return len;
}

/* Wait for and read one packet (1), or time out (0). */
static int recv_wait(struct hip_net *n, uint8_t *buf, size_t cap,
		     struct hip_net_rx *rx)
{
	int fds[HIP_NET_NFDS];
	size_t nfds = hip_net_fds(n, fds), i;
	int ret, waited;

	for (waited = 0; waited < WAIT_MS; waited += 50) {
		ret = hip_net_recv(n, buf, cap, rx);
		if (ret != 0)
			return ret;
		for (i = 0; i < nfds; i++)
			if (tnet_wait_readable(fds[i], 25))
				break;
	}
	return 0;
}

static void check_rx(struct hip_net *n, const struct in6_addr *src,
		     const struct in6_addr *dst, unsigned ifindex,
		     const uint8_t *pkt, size_t len)
{
	uint8_t buf[HIP_MAX_PACKET];
	struct hip_net_rx rx;
	char s1[INET6_ADDRSTRLEN], s2[INET6_ADDRSTRLEN];

	ck_assert_int_eq(recv_wait(n, buf, sizeof(buf), &rx), 1);
	ck_assert_msg(memcmp(&rx.src, src, 16) == 0, "src %s",
		      tnet_ntop(&rx.src, s1, sizeof(s1)));
	ck_assert_msg(memcmp(&rx.dst, dst, 16) == 0, "dst %s",
		      tnet_ntop(&rx.dst, s2, sizeof(s2)));
	ck_assert_uint_eq(rx.ifindex, ifindex);
	ck_assert_uint_eq(rx.len, len);
	ck_assert_mem_eq(buf, pkt, len);
	/* The addresses are the right pseudo-header. */
	ck_assert_int_eq(hip_packet_verify_checksum(buf, rx.len, &rx.src,
						    &rx.dst), 0);
}

static void exchange(const char *a_addr, const char *a_addr2,
		     const char *b_addr, const char *any)
{
	struct in6_addr a = tnet_addr(a_addr), a2 = tnet_addr(a_addr2);
	struct in6_addr b = tnet_addr(b_addr), unspec = tnet_addr(any);
	uint8_t pkt[128];
	struct pair p;
	size_t len;

	pair_setup(&p);
	/* B -> A, explicit source. */
	len = make_packet(pkt, sizeof(pkt), 0x11, &b, &a);
	ck_assert_int_eq(hip_net_send(p.b, &b, &a, pkt, len), 0);
	check_rx(p.a, &b, &a, p.ifa, pkt, len);
	/* A -> B from each of A's addresses: the chosen one arrives. */
	len = make_packet(pkt, sizeof(pkt), 0x22, &a2, &b);
	ck_assert_int_eq(hip_net_send(p.a, &a2, &b, pkt, len), 0);
	check_rx(p.b, &a2, &b, p.ifb, pkt, len);
	len = make_packet(pkt, sizeof(pkt), 0x33, &a, &b);
	ck_assert_int_eq(hip_net_send(p.a, &a, &b, pkt, len), 0);
	check_rx(p.b, &a, &b, p.ifb, pkt, len);
	/* Unspecified source: the kernel's choice is reported. */
	ck_assert_int_eq(hip_net_send(p.a, &unspec, &b, pkt, len), 0);
	{
		uint8_t buf[HIP_MAX_PACKET];
		struct hip_net_rx rx;

		ck_assert_int_eq(recv_wait(p.b, buf, sizeof(buf), &rx), 1);
		ck_assert(memcmp(&rx.src, &a, 16) == 0 ||
			  memcmp(&rx.src, &a2, 16) == 0);
		ck_assert_mem_eq(&rx.dst, &b, 16);
	}
	/* Nothing else arrived at A (not even B's own packets). */
	{
		uint8_t buf[HIP_MAX_PACKET];
		struct hip_net_rx rx;

		ck_assert_int_eq(hip_net_recv(p.a, buf, sizeof(buf), &rx), 0);
	}
	pair_teardown(&p);
}

START_TEST(test_ipv6)
{
	exchange("2001:db8:1::1", "2001:db8:1::11", "2001:db8:1::2", "::");
}
END_TEST

START_TEST(test_ipv4)
{
	/* The second IPv6 address has no IPv4 twin: use the same one. */
	exchange("192.0.2.1", "192.0.2.1", "192.0.2.2", "0.0.0.0");
}
END_TEST

/* The kernel neither computes nor verifies HIP's checksum on IPv6. */
START_TEST(test_checksum_untouched)
{
	struct in6_addr a = tnet_addr("2001:db8:1::1");
	struct in6_addr b = tnet_addr("2001:db8:1::2");
	uint8_t pkt[128], buf[HIP_MAX_PACKET];
	struct hip_net_rx rx;
	struct pair p;
	size_t len;
	int fds[HIP_NET_NFDS], v = 0;
	socklen_t vl = sizeof(v);

	pair_setup(&p);
	ck_assert_uint_eq(hip_net_fds(p.a, fds), 2);
	ck_assert_int_eq(getsockopt(fds[0], IPPROTO_IPV6, IPV6_CHECKSUM, &v,
				    &vl), 0);
	ck_assert_int_eq(v, -1);
	len = make_packet(pkt, sizeof(pkt), 0x44, &b, &a);
	pkt[4] ^= 0x5a;		/* a wrong checksum */
	ck_assert_int_eq(hip_net_send(p.b, &b, &a, pkt, len), 0);
	ck_assert_int_eq(recv_wait(p.a, buf, sizeof(buf), &rx), 1);
	ck_assert_uint_eq(rx.len, len);
	ck_assert_mem_eq(buf, pkt, len);
	ck_assert_int_eq(hip_packet_verify_checksum(buf, rx.len, &rx.src,
						    &rx.dst), HIP_ECHECKSUM);
	/* A zero checksum field stays zero (the kernel fills nothing). */
	memset(pkt + 4, 0, 2);
	ck_assert_int_eq(hip_net_send(p.b, &b, &a, pkt, len), 0);
	ck_assert_int_eq(recv_wait(p.a, buf, sizeof(buf), &rx), 1);
	ck_assert_mem_eq(buf, pkt, len);
	pair_teardown(&p);
}
END_TEST

/* A packet that reaches B's interface but is addressed to someone else
 * (a static neighbour entry in A points 2001:db8:1::99 at B's MAC) is
 * not received; neither is an IPv4 broadcast.  The valid packet sent
 * after them is the first thing B reads. */
START_TEST(test_not_ours)
{
	struct in6_addr a6 = tnet_addr("2001:db8:1::1");
	struct in6_addr b6 = tnet_addr("2001:db8:1::2");
	struct in6_addr x6 = tnet_addr("2001:db8:1::99");
	struct in6_addr a4 = tnet_addr("192.0.2.1");
	struct in6_addr b4 = tnet_addr("192.0.2.2");
	struct in6_addr x4 = tnet_addr("192.0.2.99");
	struct sockaddr_in bc = { .sin_family = AF_INET };
	uint8_t pkt[128], buf[HIP_MAX_PACKET];
	char mac[64];
	struct hip_net_rx rx;
	struct pair p;
	size_t len;
	int one = 1, s, ret;

	pair_setup(&p);
	tnet_enter(p.nsb);
	ck_assert_int_eq(tnet_sh_out(mac, sizeof(mac),
				     "ip -br link show dev vb | "
				     "awk '{print $3}'"), 0);
	mac[strcspn(mac, "\n")] = '\0';
	tnet_enter(p.nsa);
	ck_assert_int_eq(tnet_sh("ip neigh add 2001:db8:1::99 lladdr %s dev"
				 " va nud permanent && ip neigh add "
				 "192.0.2.99 lladdr %s dev va nud permanent",
				 mac, mac), 0);
	len = make_packet(pkt, sizeof(pkt), 0x55, &a6, &x6);
	ck_assert_int_eq(hip_net_send(p.a, &a6, &x6, pkt, len), 0);
	len = make_packet(pkt, sizeof(pkt), 0x56, &a4, &x4);
	ck_assert_int_eq(hip_net_send(p.a, &a4, &x4, pkt, len), 0);
	/* Subnet broadcast from a socket of our own (SO_BROADCAST). */
	s = socket(AF_INET, SOCK_RAW, HIP_IPPROTO);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one,
				    sizeof(one)), 0);
	ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.255", &bc.sin_addr), 1);
	ck_assert_int_eq(sendto(s, pkt, len, 0, (struct sockaddr *)&bc,
				sizeof(bc)), (ssize_t)len);
	close(s);
	/* Then the valid ones. */
	len = make_packet(pkt, sizeof(pkt), 0x57, &a6, &b6);
	ck_assert_int_eq(hip_net_send(p.a, &a6, &b6, pkt, len), 0);
	check_rx(p.b, &a6, &b6, p.ifb, pkt, len);
	len = make_packet(pkt, sizeof(pkt), 0x58, &a4, &b4);
	ck_assert_int_eq(hip_net_send(p.a, &a4, &b4, pkt, len), 0);
	/* The broadcast is read and dropped with HIP_EFORMAT. */
	ret = recv_wait(p.b, buf, sizeof(buf), &rx);
	ck_assert_int_eq(ret, HIP_EFORMAT);
	check_rx(p.b, &a4, &b4, p.ifb, pkt, len);
	ck_assert_int_eq(hip_net_recv(p.b, buf, sizeof(buf), &rx), 0);
	pair_teardown(&p);
}
END_TEST

/* A packet longer than the caller's buffer is dropped with HIP_ENOSPC;
 * the next one is read normally. */
START_TEST(test_short_buffer)
{
	struct in6_addr a = tnet_addr("2001:db8:1::1");
	struct in6_addr b = tnet_addr("2001:db8:1::2");
	uint8_t pkt[128], buf[HIP_MAX_PACKET];
	struct hip_net_rx rx;
	struct pair p;
	size_t len;

	pair_setup(&p);
	len = make_packet(pkt, sizeof(pkt), 0x66, &b, &a);
	ck_assert_int_eq(hip_net_send(p.b, &b, &a, pkt, len), 0);
	ck_assert_int_eq(recv_wait(p.a, buf, len - 1, &rx), HIP_ENOSPC);
	ck_assert_int_eq(hip_net_send(p.b, &b, &a, pkt, len), 0);
	check_rx(p.a, &b, &a, p.ifa, pkt, len);
	pair_teardown(&p);
}
END_TEST

START_TEST(test_send_errors)
{
	struct in6_addr a6 = tnet_addr("2001:db8:1::1");
	struct in6_addr b6 = tnet_addr("2001:db8:1::2");
	struct in6_addr a4 = tnet_addr("192.0.2.1");
	struct in6_addr b4 = tnet_addr("192.0.2.2");
	struct in6_addr any6 = tnet_addr("::");
	struct in6_addr notours = tnet_addr("2001:db8:7::7");
	uint8_t pkt[HIP_MAX_PACKET + 8];
	struct hip_net *only6;
	int fds[HIP_NET_NFDS];
	struct pair p;

	memset(pkt, 0, sizeof(pkt));
	pair_setup(&p);
	ck_assert_int_eq(hip_net_send(p.a, &a6, &b4, pkt, 48), HIP_EINVAL);
	ck_assert_int_eq(hip_net_send(p.a, &a4, &b6, pkt, 48), HIP_EINVAL);
	ck_assert_int_eq(hip_net_send(p.a, &a6, &any6, pkt, 48), HIP_EINVAL);
	ck_assert_int_eq(hip_net_send(p.a, &a6, &b6, pkt, 0), HIP_EINVAL);
	ck_assert_int_eq(hip_net_send(p.a, &a6, &b6, pkt, HIP_MAX_PACKET + 8),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_net_send(p.a, &notours, &b6, pkt, 48), HIP_EIO);
	ck_assert_int_eq(hip_net_open(&only6, HIP_NET_NO_IPV4), 0);
	ck_assert_uint_eq(hip_net_fds(only6, fds), 1);
	ck_assert_int_eq(hip_net_send(only6, &a4, &b4, pkt, 48), HIP_EINVAL);
	hip_net_close(only6);
	ck_assert_int_eq(hip_net_open(&only6, HIP_NET_NO_IPV4 |
				      HIP_NET_NO_IPV6), HIP_EINVAL);
	pair_teardown(&p);
}
END_TEST

/* The IPv4 header parser on well-formed and broken headers. */
START_TEST(test_parse_ipv4)
{
	uint8_t d[80];
	struct in6_addr src, dst, want;
	size_t off = 99, plen = 99;

	memset(d, 0, sizeof(d));
	d[0] = 0x45;
	hip_put16(d + 2, 60);
	d[9] = HIP_IPPROTO;
	d[12] = 192; d[13] = 0; d[14] = 2; d[15] = 1;
	d[16] = 192; d[17] = 0; d[18] = 2; d[19] = 2;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 0);
	ck_assert_uint_eq(off, 20);
	ck_assert_uint_eq(plen, 40);
	want = tnet_addr("192.0.2.1");
	ck_assert_mem_eq(&src, &want, 16);
	want = tnet_addr("192.0.2.2");
	ck_assert_mem_eq(&dst, &want, 16);
	/* Options: IHL 6 moves the payload. */
	d[0] = 0x46;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 0);
	ck_assert_uint_eq(off, 24);
	ck_assert_uint_eq(plen, 36);
	/* Octets after the total length are not payload. */
	d[0] = 0x45;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 80, &off, &plen, &src, &dst),
			 0);
	ck_assert_uint_eq(plen, 40);
	/* Shorter than a minimal header. */
	off = plen = 7;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 19, &off, &plen, &src, &dst),
			 HIP_ETRUNC);
	ck_assert_int_eq(hip_net_parse_ipv4(d, 0, &off, &plen, &src, &dst),
			 HIP_ETRUNC);
	ck_assert_uint_eq(off, 7);	/* untouched on failure */
	ck_assert_uint_eq(plen, 7);
	/* IHL beyond the datagram (15 * 4 = 60 > 40). */
	d[0] = 0x4f;
	hip_put16(d + 2, 40);
	ck_assert_int_eq(hip_net_parse_ipv4(d, 40, &off, &plen, &src, &dst),
			 HIP_ETRUNC);
	/* IHL below 5. */
	d[0] = 0x44;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 40, &off, &plen, &src, &dst),
			 HIP_EFORMAT);
	/* Total length beyond the datagram, or below the header. */
	d[0] = 0x45;
	hip_put16(d + 2, 61);
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 HIP_ETRUNC);
	hip_put16(d + 2, 19);
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 HIP_EFORMAT);
	d[0] = 0x46;
	hip_put16(d + 2, 22);
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 HIP_EFORMAT);
	/* Not IPv4, not HIP. */
	hip_put16(d + 2, 60);
	d[0] = 0x65;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 HIP_EFORMAT);
	d[0] = 0x45;
	d[9] = 17;
	ck_assert_int_eq(hip_net_parse_ipv4(d, 60, &off, &plen, &src, &dst),
			 HIP_EFORMAT);
	ck_assert_int_eq(hip_net_parse_ipv4(NULL, 60, &off, &plen, &src,
					    &dst), HIP_ETRUNC);
	ck_assert_uint_eq(off, 7);
}
END_TEST

static Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("raw");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_parse_ipv4);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_ipv4);
	tcase_add_test(tc, test_checksum_untouched);
	tcase_add_test(tc, test_not_ours);
	tcase_add_test(tc, test_short_buffer);
	tcase_add_test(tc, test_send_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed, skip = tnet_can_run();

	if (skip)
		return skip;
	sr = srunner_create(net_suite());
	/* Each test's namespaces die with its forked child. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
