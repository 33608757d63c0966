/*
 * net.c - raw HIP sockets (IP protocol 139), IPv6 and IPv4.
 *
 * Receiving: IPV6_RECVPKTINFO gives the destination of an IPv6 packet
 * (the source is the socket address); an IPv4 raw socket returns the
 * whole datagram, whose header holds both addresses, and IP_PKTINFO the
 * interface and the local address the kernel would answer from, which
 * equals the destination only for unicast to us (broadcasts are dropped
 * that way).  Datagrams are read into a buffer of our own, so a short
 * caller buffer never truncates silently.
 *
 * Sending: the source address goes in an IPV6_PKTINFO / IP_PKTINFO
 * control message; the kernel builds the IP header.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hipd/net.h"

#define NET_IPV4_HDR_MIN	20
#define NET_CMSG_SPACE		256

enum { NET_V6 = 0, NET_V4 = 1 };

struct hip_net {
	int fd[HIP_NET_NFDS];		/* NET_V6, NET_V4; -1 if absent */
	unsigned next;			/* socket to read first */
	_Alignas(8) uint8_t dgram[HIP_NET_DGRAM_MAX];
};

static const uint8_t net_v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

int hip_net_is_v4mapped(const struct in6_addr *a)
{
	return memcmp(a->s6_addr, net_v4mapped_prefix, 12) == 0;
}

void hip_net_v4mapped(struct in6_addr *out, const struct in_addr *v4)
{
	memcpy(out->s6_addr, net_v4mapped_prefix, 12);
	memcpy(out->s6_addr + 12, &v4->s_addr, 4);
}

static int net_errno(int e)
{
	if (e == EPERM || e == EACCES)
		return HIP_EPERM;
	if (e == ENOMEM || e == ENOBUFS)
		return HIP_ENOMEM;
	errno = e;
	return HIP_EIO;
}

static int net_socket(int family, int *out)
{
	int on = 1, off = -1;
	int fd;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    HIP_IPPROTO);
	if (fd < 0)
		return net_errno(errno);
	if (family == AF_INET6) {
		/* The kernel must leave HIP's checksum alone. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off,
			       sizeof(off)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
			       sizeof(on)) < 0)
			goto fail;
	} else {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on,
			       sizeof(on)) < 0)
			goto fail;
	}
	*out = fd;
	return 0;
fail:
	{
		int e = errno;

		close(fd);
		return net_errno(e);
	}
}

int hip_net_open(struct hip_net **np, unsigned flags)
{
	struct hip_net *n;
	int err = 0;

	if (np == NULL || (flags & ~(HIP_NET_NO_IPV4 | HIP_NET_NO_IPV6)) ||
	    (flags & HIP_NET_NO_IPV4 && flags & HIP_NET_NO_IPV6))
		return HIP_EINVAL;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return HIP_ENOMEM;
	n->fd[NET_V6] = -1;
	n->fd[NET_V4] = -1;
	if (!(flags & HIP_NET_NO_IPV6))
		err = net_socket(AF_INET6, &n->fd[NET_V6]);
	if (err == 0 && !(flags & HIP_NET_NO_IPV4))
		err = net_socket(AF_INET, &n->fd[NET_V4]);
	if (err < 0) {
		int e = errno;

		hip_net_close(n);
		errno = e;
		return err;
	}
	*np = n;
	return 0;
}

void hip_net_close(struct hip_net *n)
{
	unsigned i;

	if (n == NULL)
		return;
	for (i = 0; i < HIP_NET_NFDS; i++)
		if (n->fd[i] >= 0)
			close(n->fd[i]);
	free(n);
}

size_t hip_net_fds(const struct hip_net *n, int fds[HIP_NET_NFDS])
{
	size_t k = 0;
	unsigned i;

	if (n == NULL)
		return 0;
	for (i = 0; i < HIP_NET_NFDS; i++)
		if (n->fd[i] >= 0)
			fds[k++] = n->fd[i];
	return k;
}

int hip_net_parse_ipv4(const uint8_t *pkt, size_t len, size_t *off,
		       size_t *plen, struct in6_addr *src,
		       struct in6_addr *dst)
{
	struct in_addr a;
	size_t ihl, tot;

	if (pkt == NULL || len < NET_IPV4_HDR_MIN)
		return HIP_ETRUNC;
	if (pkt[0] >> 4 != 4)
		return HIP_EFORMAT;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	tot = hip_get16(pkt + 2);
	if (ihl < NET_IPV4_HDR_MIN)
		return HIP_EFORMAT;
	if (ihl > len || tot > len)
		return HIP_ETRUNC;
	/* Linux hands raw sockets the reassembled datagram with its total
	 * length as received; a smaller value would not cover the header. */
	if (tot < ihl)
		return HIP_EFORMAT;
	if (pkt[9] != HIP_IPPROTO)
		return HIP_EFORMAT;
	*off = ihl;
	*plen = tot - ihl;
	memcpy(&a.s_addr, pkt + 12, 4);
	hip_net_v4mapped(src, &a);
	memcpy(&a.s_addr, pkt + 16, 4);
	hip_net_v4mapped(dst, &a);
	return 0;
}

/* Multicast and limited broadcast: HIP is unicast only. */
static int net_dst_unicast(const struct in6_addr *a)
{
	if (hip_net_is_v4mapped(a)) {
		uint8_t b0 = a->s6_addr[12];
		static const uint8_t bcast[4] = { 255, 255, 255, 255 };

		if (b0 >= 224 && b0 <= 239)
			return 0;
		return memcmp(a->s6_addr + 12, bcast, 4) != 0;
	}
	return a->s6_addr[0] != 0xff;
}

/* The pktinfo of a received message; 0 or HIP_EFORMAT when absent. */
static int net_rx_v6_info(struct msghdr *msg, struct hip_net_rx *rx)
{
	struct cmsghdr *c;
	struct in6_pktinfo pi;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != IPPROTO_IPV6 ||
		    c->cmsg_type != IPV6_PKTINFO ||
		    c->cmsg_len < CMSG_LEN(sizeof(pi)))
			continue;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		rx->dst = pi.ipi6_addr;
		rx->ifindex = (unsigned)pi.ipi6_ifindex;
		return 0;
	}
	return HIP_EFORMAT;
}

static int net_rx_v4_info(struct msghdr *msg, struct hip_net_rx *rx)
{
	struct cmsghdr *c;
	struct in_pktinfo pi;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO ||
		    c->cmsg_len < CMSG_LEN(sizeof(pi)))
			continue;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		/* spec_dst is the header's destination only when that is
		 * one of our unicast addresses. */
		if (memcmp(&pi.ipi_spec_dst.s_addr, rx->dst.s6_addr + 12, 4))
			return HIP_EFORMAT;
		rx->ifindex = (unsigned)pi.ipi_ifindex;
		return 0;
	}
	return HIP_EFORMAT;
}

/* Read one datagram from socket i; 1, 0 (none waiting) or HIP_E*. */
static int net_recv_one(struct hip_net *n, unsigned i, uint8_t *buf,
			size_t cap, struct hip_net_rx *rx)
{
	_Alignas(struct cmsghdr) uint8_t cbuf[NET_CMSG_SPACE];
	struct sockaddr_in6 from;
	struct iovec iov = {
		.iov_base = n->dgram, .iov_len = sizeof(n->dgram),
	};
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct hip_net_rx r;
	size_t off = 0, plen;
	ssize_t got;
	int err;

	memset(&from, 0, sizeof(from));
	memset(&r, 0, sizeof(r));
	do
		got = recvmsg(n->fd[i], &msg, MSG_DONTWAIT);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return net_errno(errno);
	}
	if (msg.msg_flags & MSG_TRUNC)
		return HIP_ENOSPC;
	if (msg.msg_flags & MSG_CTRUNC)
		return HIP_EFORMAT;
	if (i == NET_V6) {
		if (msg.msg_namelen < sizeof(from) ||
		    from.sin6_family != AF_INET6)
			return HIP_EFORMAT;
		r.src = from.sin6_addr;
		plen = (size_t)got;
		err = net_rx_v6_info(&msg, &r);
	} else {
		err = hip_net_parse_ipv4(n->dgram, (size_t)got, &off, &plen,
					 &r.src, &r.dst);
		if (err == 0)
			err = net_rx_v4_info(&msg, &r);
	}
	if (err < 0)
		return err;
	if (!net_dst_unicast(&r.dst))
		return HIP_EFORMAT;
	if (plen > cap)
		return HIP_ENOSPC;
	memcpy(buf, n->dgram + off, plen);
	r.len = plen;
	*rx = r;
	return 1;
}

int hip_net_recv(struct hip_net *n, uint8_t *buf, size_t cap,
		 struct hip_net_rx *rx)
{
	unsigned k;

	if (n == NULL || (buf == NULL && cap > 0) || rx == NULL)
		return HIP_EINVAL;
	for (k = 0; k < HIP_NET_NFDS; k++) {
		unsigned i = (n->next + k) % HIP_NET_NFDS;
		int ret;

		if (n->fd[i] < 0)
			continue;
		ret = net_recv_one(n, i, buf, cap, rx);
		if (ret == 0)
			continue;
		/* Next time start with the other socket. */
		n->next = (i + 1) % HIP_NET_NFDS;
		return ret;
	}
	return 0;
}

static int net_is_any(const struct in6_addr *a)
{
	static const uint8_t zero[16];

	if (hip_net_is_v4mapped(a))
		return memcmp(a->s6_addr + 12, zero, 4) == 0;
	return memcmp(a->s6_addr, zero, 16) == 0;
}

int hip_net_send(struct hip_net *n, const struct in6_addr *src,
		 const struct in6_addr *dst, const uint8_t *buf, size_t len)
{
	_Alignas(struct cmsghdr) uint8_t cbuf[NET_CMSG_SPACE];
	struct sockaddr_in6 to6;
	struct sockaddr_in to4;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *c;
	int v4, fd;
	ssize_t sent;

	if (n == NULL || src == NULL || dst == NULL || buf == NULL ||
	    len == 0 || len > HIP_MAX_PACKET)
		return HIP_EINVAL;
	v4 = hip_net_is_v4mapped(dst);
	if (v4 != hip_net_is_v4mapped(src) || net_is_any(dst))
		return HIP_EINVAL;
	fd = n->fd[v4 ? NET_V4 : NET_V6];
	if (fd < 0)
		return HIP_EINVAL;
	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (v4) {
		memset(&to4, 0, sizeof(to4));
		to4.sin_family = AF_INET;
		memcpy(&to4.sin_addr.s_addr, dst->s6_addr + 12, 4);
		msg.msg_name = &to4;
		msg.msg_namelen = sizeof(to4);
	} else {
		memset(&to6, 0, sizeof(to6));
		to6.sin6_family = AF_INET6;
		to6.sin6_addr = *dst;
		msg.msg_name = &to6;
		msg.msg_namelen = sizeof(to6);
	}
	if (!net_is_any(src)) {
		msg.msg_control = cbuf;
		if (v4) {
			struct in_pktinfo pi;

			memset(&pi, 0, sizeof(pi));
			memcpy(&pi.ipi_spec_dst.s_addr, src->s6_addr + 12, 4);
			msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi;

			memset(&pi, 0, sizeof(pi));
			pi.ipi6_addr = *src;
			msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	}
	do
		sent = sendmsg(fd, &msg, MSG_DONTWAIT);
	while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return HIP_EIO;		/* errno kept */
	if ((size_t)sent != len) {
		errno = EMSGSIZE;
		return HIP_EIO;
	}
	return 0;
}
