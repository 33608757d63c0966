/*
 * net_rtnl.c - rtnetlink requests for hipd's network plumbing: one
 * request, its replies (checked against our seq and port id by
 * mnl_cb_run2), the ACK or the error with the kernel's explanation.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "hip/error.h"
#include "hipd/net_rtnl.h"

#define HIP_RTNL_TIMEOUT_S	5

int hip_rtnl_errno(int e)
{
	switch (e) {
	case 0:
		return 0;
	case EEXIST:
		return HIP_EEXIST;
	case ENOENT:
	case ESRCH:
	case ENODEV:
	case EADDRNOTAVAIL:
	case ENETUNREACH:
	case EHOSTUNREACH:
		return HIP_ENOENT;
	case EPERM:
	case EACCES:
		return HIP_EPERM;
	case ENOMEM:
	case ENOBUFS:
		return HIP_ENOMEM;
	case EINVAL:
	case ERANGE:
	case E2BIG:
		return HIP_EINVAL;
	case EPROTONOSUPPORT:
	case ENOPROTOOPT:
	case EAFNOSUPPORT:
	case EOPNOTSUPP:
	case ENOSYS:
		return HIP_EUNSUPPORTED;
	case EPROTO:
	case EBADMSG:
		return HIP_EFORMAT;
	default:
		errno = e;
		return HIP_EIO;
	}
}

int hip_rtnl_open(struct hip_rtnl *r)
{
	struct timeval tv = { .tv_sec = HIP_RTNL_TIMEOUT_S };
	int one = 1;
	int err;

	if (r == NULL)
		return HIP_EINVAL;
	memset(r, 0, sizeof(*r));
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (r->nl == NULL)
		return hip_rtnl_errno(errno);
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* Refusals come with the kernel's reason and without a copy of
	 * the request; both are optional (older kernels). */
	(void)mnl_socket_setsockopt(r->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)mnl_socket_setsockopt(r->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(r->nl), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		goto fail;
	r->portid = mnl_socket_get_portid(r->nl);
	/* Unpredictable start: replies meant for an earlier process with
	 * the same port id cannot match. */
	r->seq = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
	return 0;
fail:
	err = hip_rtnl_errno(errno);
	{
		int e = errno;

		hip_rtnl_close(r);
		errno = e;
	}
	return err;
}

void hip_rtnl_close(struct hip_rtnl *r)
{
	if (r == NULL)
		return;
	if (r->nl != NULL)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

struct nlmsghdr *hip_rtnl_start(void *buf, size_t cap, uint16_t type,
				uint16_t flags, void **hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	if (cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen))
		return NULL;
	memset(buf, 0, cap);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	*hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

struct rtnl_talk_ctx {
	struct hip_rtnl *r;
	mnl_cb_t cb;
	void *data;
};

static int rtnl_extack_attr(const struct nlattr *attr, void *data)
{
	struct hip_rtnl *r = data;
	size_t n;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;	/* an unreadable hint is no error */
	n = strnlen(mnl_attr_get_str(attr), mnl_attr_get_payload_len(attr));
	if (n >= sizeof(r->errmsg))
		n = sizeof(r->errmsg) - 1;
	memcpy(r->errmsg, mnl_attr_get_str(attr), n);
	r->errmsg[n] = '\0';
	return MNL_CB_OK;
}

static int rtnl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_talk_ctx *c = data;
	struct nlmsgerr err;
	size_t off;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err.error == 0)
		return MNL_CB_STOP;	/* the ACK */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    err.msg.nlmsg_len >= sizeof(struct nlmsghdr))
			off += err.msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (off <= mnl_nlmsg_get_payload_len(nlh))
			(void)mnl_attr_parse(nlh, (unsigned)off,
					     rtnl_extack_attr, c->r);
	}
	errno = err.error < 0 ? -err.error : err.error;
	return MNL_CB_ERROR;
}

/* With a control callback array, libmnl leaves every control message
 * it has no callback for to us: DONE ends a dump, OVERRUN is an error. */
static int rtnl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int rtnl_overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	errno = ENOBUFS;
	return MNL_CB_ERROR;
}

static int rtnl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_talk_ctx *c = data;

	if (c->cb == NULL)
		return MNL_CB_OK;
	return c->cb(nlh, c->data);
}

ssize_t hip_rtnl_recv_kernel(int fd, void *buf, size_t cap, int flags)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { .iov_base = buf, .iov_len = cap };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n;

		memset(&from, 0, sizeof(from));
		n = recvmsg(fd, &msg, flags);
		if (n < 0)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			errno = ENOSPC;
			return -1;
		}
		if (msg.msg_namelen == sizeof(from) &&
		    from.nl_family == AF_NETLINK && from.nl_pid == 0)
			return n;
		/* Not from the kernel: ignore it. */
	}
}

/* Drop what an earlier, failed exchange may have left queued. */
static void rtnl_drain(struct hip_rtnl *r)
{
	int fd = mnl_socket_get_fd(r->nl);

	while (recv(fd, r->rbuf, sizeof(r->rbuf), MSG_DONTWAIT) >= 0)
		;
}

int hip_rtnl_talk(struct hip_rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { 0 };
	struct rtnl_talk_ctx c = { .r = r, .cb = cb, .data = data };
	uint32_t seq;
	ssize_t n;
	int ret;

	if (r == NULL || r->nl == NULL || nlh == NULL)
		return HIP_EINVAL;
	ctl[NLMSG_ERROR] = rtnl_error_cb;
	ctl[NLMSG_DONE] = rtnl_done_cb;
	ctl[NLMSG_OVERRUN] = rtnl_overrun_cb;
	r->errmsg[0] = '\0';
	rtnl_drain(r);
	seq = ++r->seq;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	/* NLM_F_DUMP shares its bits with NLM_F_EXCL: a dump is a GET
	 * (rtnetlink: type & 3 == 2) with both bits set. */
	if ((nlh->nlmsg_type & 3) != 2 ||
	    (nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return hip_rtnl_errno(errno);
	for (;;) {
		n = hip_rtnl_recv_kernel(mnl_socket_get_fd(r->nl), r->rbuf,
					 sizeof(r->rbuf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hip_rtnl_errno(errno);
		}
		ret = mnl_cb_run2(r->rbuf, (size_t)n, seq, r->portid,
				  rtnl_data_cb, &c, ctl, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return hip_rtnl_errno(errno);
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static const uint8_t rtnl_v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

int hip_rtnl_addr_family(const struct in6_addr *a)
{
	return memcmp(a->s6_addr, rtnl_v4mapped, 12) == 0 ? AF_INET : AF_INET6;
}

const void *hip_rtnl_addr_bytes(const struct in6_addr *a, size_t *len)
{
	if (hip_rtnl_addr_family(a) == AF_INET) {
		*len = 4;
		return a->s6_addr + 12;
	}
	*len = 16;
	return a->s6_addr;
}

int hip_rtnl_addr_from_attr(int family, const struct nlattr *attr,
			    struct in6_addr *out)
{
	size_t want = family == AF_INET ? 4 : 16;

	if ((family != AF_INET && family != AF_INET6) ||
	    mnl_attr_get_payload_len(attr) != want)
		return HIP_EFORMAT;
	if (family == AF_INET) {
		memcpy(out->s6_addr, rtnl_v4mapped, 12);
		memcpy(out->s6_addr + 12, mnl_attr_get_payload(attr), 4);
	} else {
		memcpy(out->s6_addr, mnl_attr_get_payload(attr), 16);
	}
	return 0;
}

struct rtnl_ifaddr_attrs {
	const struct nlattr *address, *local, *proto, *flags;
	int bad;
};

static int rtnl_ifaddr_attr(const struct nlattr *attr, void *data)
{
	struct rtnl_ifaddr_attrs *t = data;

	switch (mnl_attr_get_type(attr)) {
	case IFA_ADDRESS:
		if (mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0)
			t->bad = 1;
		t->address = attr;
		break;
	case IFA_LOCAL:
		if (mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0)
			t->bad = 1;
		t->local = attr;
		break;
	case IFA_PROTO:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
			t->bad = 1;
		t->proto = attr;
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			t->bad = 1;
		t->flags = attr;
		break;
	default:
		break;
	}
	return t->bad ? MNL_CB_ERROR : MNL_CB_OK;
}

int hip_rtnl_parse_ifaddr(const struct nlmsghdr *nlh,
			  struct hip_rtnl_ifaddr *out)
{
	struct rtnl_ifaddr_attrs t = { 0 };
	struct hip_rtnl_ifaddr a;
	struct ifaddrmsg ifa;
	const struct nlattr *which;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifa))
		return HIP_EFORMAT;
	memcpy(&ifa, mnl_nlmsg_get_payload(nlh), sizeof(ifa));
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
		return HIP_ENOENT;
	if (mnl_attr_parse(nlh, sizeof(ifa), rtnl_ifaddr_attr, &t) < 0 ||
	    t.bad)
		return HIP_EFORMAT;
	which = t.local != NULL ? t.local : t.address;
	if (which == NULL)
		return HIP_ENOENT;
	memset(&a, 0, sizeof(a));
	a.family = ifa.ifa_family;
	if (hip_rtnl_addr_from_attr(a.family, which, &a.addr) < 0)
		return HIP_EFORMAT;
	if (ifa.ifa_prefixlen > (a.family == AF_INET ? 32 : 128))
		return HIP_EFORMAT;
	a.plen = ifa.ifa_prefixlen;
	a.scope = ifa.ifa_scope;
	a.ifindex = ifa.ifa_index;
	a.proto = t.proto != NULL ? mnl_attr_get_u8(t.proto) : 0;
	a.flags = t.flags != NULL ? mnl_attr_get_u32(t.flags) : ifa.ifa_flags;
	*out = a;
	return 0;
}
