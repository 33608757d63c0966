/*
 * hipd/net.h - HIP on the wire: raw sockets for IP protocol 139, one
 * IPv6 and one IPv4, non-blocking.
 *
 * Addresses are struct in6_addr throughout: IPv6 as it is, IPv4 as an
 * IPv4-mapped address (::ffff:a.b.c.d), the form hip/wire.h's checksum
 * functions take.  A packet is received with both its source and its
 * destination address (the checksum pseudo-header needs both, and the
 * answer goes out from the address the request came to), and sent with
 * an explicit source address.
 *
 * The bytes are HIP packets as they are: hip_net_send does not compute
 * the checksum and hip_net_recv does not verify it.  The kernel neither
 * computes nor checks one either (IPV6_CHECKSUM is off): HIP's checksum
 * is the engine's business.  Received IPv4 datagrams come with their IP
 * header, which is validated and removed here.
 */
#ifndef HIPD_NET_H
#define HIPD_NET_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define HIP_NET_NFDS	2	/* at most: one per address family */
#define HIP_NET_DGRAM_MAX 65535	/* largest datagram read */

/* hip_net_open flags */
#define HIP_NET_NO_IPV4	0x1	/* no IPv4 socket */
#define HIP_NET_NO_IPV6	0x2	/* no IPv6 socket */

struct hip_net;

/* What came with a received packet. */
struct hip_net_rx {
	struct in6_addr src;	/* the sender's address */
	struct in6_addr dst;	/* ours, that the packet was sent to */
	unsigned ifindex;	/* interface it arrived on (0: unknown) */
	size_t len;		/* bytes stored in the caller's buffer */
};

/* Open the sockets (needs CAP_NET_RAW).  0, HIP_EINVAL, HIP_ENOMEM,
 * HIP_EPERM or HIP_EIO (errno kept). */
int hip_net_open(struct hip_net **np, unsigned flags);
void hip_net_close(struct hip_net *n);

/* The descriptors to watch for reading (EPOLLIN); returns how many were
 * stored in fds (1 or 2).  They stay owned by n. */
size_t hip_net_fds(const struct hip_net *n, int fds[HIP_NET_NFDS]);

/*
 * Read one waiting packet from either socket into buf (cap bytes).
 * Returns 1 and fills rx when a packet was stored, 0 when none waits,
 * or a negative code: HIP_ENOSPC (packet longer than cap), HIP_ETRUNC
 * or HIP_EFORMAT (malformed IPv4 header, multicast or broadcast
 * destination, missing addresses): that datagram was dropped, call
 * again for the next; HIP_EIO: the socket failed (errno kept).
 */
int hip_net_recv(struct hip_net *n, uint8_t *buf, size_t cap,
		 struct hip_net_rx *rx);

/*
 * Send len bytes (1..HIP_MAX_PACKET) to dst from src.  src may be the
 * unspecified address (:: or ::ffff:0.0.0.0), and the kernel chooses;
 * otherwise it must be one of ours and of dst's family.  0, HIP_EINVAL
 * (bad arguments, mixed families, no socket of that family) or HIP_EIO
 * (errno kept: EADDRNOTAVAIL for a source that is not ours,
 * ENETUNREACH, EAGAIN when the send buffer is full).
 */
int hip_net_send(struct hip_net *n, const struct in6_addr *src,
		 const struct in6_addr *dst, const uint8_t *buf, size_t len);

/* --- helpers, exposed for the tests --- */

/* Validate the IPv4 header at the start of a len-byte datagram that a
 * raw socket returned: version 4, 20 <= IHL*4 <= total length <= len,
 * protocol HIP_IPPROTO.  On success *off and *plen give the payload and
 * src/dst the header's addresses (v4-mapped).  0, HIP_ETRUNC (shorter
 * than its headers say) or HIP_EFORMAT (not IPv4, not HIP). */
int hip_net_parse_ipv4(const uint8_t *pkt, size_t len, size_t *off,
		       size_t *plen, struct in6_addr *src,
		       struct in6_addr *dst);

/* 1 when a is IPv4-mapped, else 0. */
int hip_net_is_v4mapped(const struct in6_addr *a);
/* Build ::ffff:v4 (v4 in network byte order). */
void hip_net_v4mapped(struct in6_addr *out, const struct in_addr *v4);

#endif
