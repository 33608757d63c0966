/*
 * hipd/net_rtnl.h - the rtnetlink request channel shared by hitdev.c and
 * addrs.c (libmnl): one blocking socket with a receive timeout, real
 * sequence numbers and port id checked on every reply, the kernel's
 * extended-ack message kept.  Internal to hipd's network plumbing.
 */
#ifndef HIPD_NET_RTNL_H
#define HIPD_NET_RTNL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

#define HIP_RTNL_REQ_BUF	1024	/* a request, a few attributes */
#define HIP_RTNL_RECV_BUF	32768	/* replies and dump parts */
#define HIP_RTNL_ERRMSG_MAX	160

struct hip_rtnl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char errmsg[HIP_RTNL_ERRMSG_MAX];	/* last kernel explanation */
	_Alignas(8) char rbuf[HIP_RTNL_RECV_BUF];
};

/* Open the request socket into *r (zeroed first).  0 or HIP_E*. */
int hip_rtnl_open(struct hip_rtnl *r);
/* Close it; safe on a zeroed or already closed struct. */
void hip_rtnl_close(struct hip_rtnl *r);

/* Start a request of type (NLM_F_REQUEST | flags) in buf (cap bytes,
 * zeroed here) with a family header of hdrlen bytes in *hdr. */
struct nlmsghdr *hip_rtnl_start(void *buf, size_t cap, uint16_t type,
				uint16_t flags, void **hdr, size_t hdrlen);

/* Send nlh, run every reply through cb (may be NULL) until the ACK,
 * NLMSG_DONE or an error.  Every request but a dump gets NLM_F_ACK.
 * Returns 0 or HIP_E*: HIP_EEXIST, HIP_ENOENT, HIP_EPERM, HIP_EINVAL,
 * HIP_EUNSUPPORTED, HIP_ENOMEM, HIP_EFORMAT, HIP_EIO (errno kept); the
 * kernel's message for a refusal is in r->errmsg.  A callback that
 * returns MNL_CB_ERROR with errno set ends the exchange with that
 * errno's code. */
int hip_rtnl_talk(struct hip_rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data);

/* recv(2) of one datagram from the kernel on a netlink socket: those of
 * other senders (a local process can unicast to our port id) are
 * dropped.  Returns the length, or -1 with errno (ENOSPC: truncated). */
ssize_t hip_rtnl_recv_kernel(int fd, void *buf, size_t cap, int flags);

/* errno -> HIP_E* (HIP_EIO keeps errno). */
int hip_rtnl_errno(int e);

/* An address as the kernel's rtnetlink attributes carry it: 4 or 16
 * bytes; v4-mapped in6_addr <-> AF_INET. */
int hip_rtnl_addr_family(const struct in6_addr *a);
const void *hip_rtnl_addr_bytes(const struct in6_addr *a, size_t *len);
/* Store an attribute payload of family (AF_INET: 4 bytes, AF_INET6: 16)
 * as an in6_addr; HIP_EFORMAT when the length does not fit. */
int hip_rtnl_addr_from_attr(int family, const struct nlattr *attr,
			    struct in6_addr *out);

/* An address message (RTM_NEWADDR/DELADDR) in host-order fields. */
struct hip_rtnl_ifaddr {
	int family;		/* AF_INET or AF_INET6 */
	struct in6_addr addr;	/* IFA_LOCAL, else IFA_ADDRESS */
	uint8_t plen;
	uint8_t scope;
	uint8_t proto;		/* IFA_PROTO (kernel >= 6.1), else 0 */
	uint32_t flags;		/* IFA_FLAGS, else ifa_flags */
	unsigned ifindex;
};

/* Parse an address message; attributes are validated.  0, HIP_EFORMAT
 * (malformed) or HIP_ENOENT (another family, or no address). */
int hip_rtnl_parse_ifaddr(const struct nlmsghdr *nlh,
			  struct hip_rtnl_ifaddr *out);

#endif
